import { patientRecord } from '../test-utils/fixtures'
import { matchesQuery, searchPatients } from './patient-search'

const ngono = patientRecord({ key: 'a', name: { given: 'Aminata', family: 'Ngôno' }, phone: '+237 677 12 34 56' })
const upper = patientRecord({ key: 'b', name: { given: 'Jeanne', family: 'NGONO' }, identifiers: [{ system: 'smc-patient', value: 'P-000777' }] })
const other = patientRecord({ key: 'c', name: { given: 'Fatoumata', family: 'Traoré' }, identifiers: [{ system: 'smc-patient', value: 'ML-4411' }] })
const all = [ngono, upper, other]

test('a name is found whatever its accents and case', () => {
    expect(searchPatients(all, 'Ngono').map((patient) => patient.key).sort()).toEqual(['a', 'b'])
    expect(searchPatients(all, 'ngôno').map((patient) => patient.key).sort()).toEqual(['a', 'b'])
    expect(searchPatients(all, 'traore').map((patient) => patient.key)).toEqual(['c'])
})

test('every word typed must start a word of the name', () => {
    expect(matchesQuery(ngono, 'ami ngo')).toBe(true)
    expect(matchesQuery(ngono, 'jea ngo')).toBe(false)
    expect(matchesQuery(ngono, 'gono')).toBe(false)
})

test('a name with apostrophes is found typed with or without them', () => {
    const ndri = patientRecord({ key: 'd', name: { given: 'Marie-Thérèse', family: "N'Dri O’Bakang-Ébénézer" } })
    for (const query of ['ndri', "n'dri", 'dri', 'obakang', 'bakang', 'ebenezer', 'marie therese', 'ndri obak']) expect([query, matchesQuery(ndri, query)]).toEqual([query, true])
    for (const query of ['ndrio', 'akang']) expect([query, matchesQuery(ndri, query)]).toEqual([query, false])
})

test('by phone, spaces ignored, and by identifier', () => {
    expect(searchPatients(all, '677123').map((patient) => patient.key)).toEqual(['a'])
    expect(searchPatients(all, 'p-000777').map((patient) => patient.key)).toEqual(['b'])
    expect(searchPatients(all, '4411').map((patient) => patient.key)).toEqual(['c'])
})

test('the most recently seen come first', () => {
    const seen = [
        patientRecord({ key: 'old', name: { family: 'Ngono' }, lastEncounterAt: '2026-01-01T10:00:00+01:00' }),
        patientRecord({ key: 'new', name: { family: 'Ngono' }, lastEncounterAt: '2026-03-01T08:00:00Z' }),
    ]
    expect(searchPatients(seen, 'ngono').map((patient) => patient.key)).toEqual(['new', 'old'])
})
