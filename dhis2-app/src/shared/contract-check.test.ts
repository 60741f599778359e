import { validateEncounter } from '@smc-bridge/contract'
import { ancVisit } from '../test-utils/fixtures'
import { checkWithContract } from './contract-check'

const now = new Date()

test('a structural error and a rule error are named together, where the contract alone names the first', () => {
    const candidate = { ...ancVisit(), patient: { ...ancVisit().patient, phone: '12ab', sex: 'male' } }
    expect(validateEncounter(candidate, now)).toMatchObject({ ok: false, errors: [{ path: '/patient/phone' }] })
    const result = checkWithContract(candidate, now)
    expect(result.ok ? [] : result.errors.map((error) => [error.path, error.message])).toEqual([
        ['/patient/phone', 'must be a phone number of 6–20 digits, optionally starting with +'],
        ['/patient/sex', 'must be female for pregnancy, delivery or postnatal care'],
    ])
})

test('a field taken out is not reported again as missing', () => {
    const candidate = { ...ancVisit(), anc: { ...ancVisit().anc, visitNumber: 40 } }
    const result = checkWithContract(candidate, now)
    expect(result.ok ? [] : result.errors.map((error) => error.path)).toEqual(['/anc/visitNumber'])
})

test('a valid encounter passes as the contract says', () => {
    expect(checkWithContract(ancVisit(), now)).toEqual(validateEncounter(ancVisit(), now))
})
