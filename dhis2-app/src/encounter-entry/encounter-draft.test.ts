import { validateEncounter } from '@smc-bridge/contract'
import { patientDraftOf } from '../patients/patient-draft'
import { ancVisit, encounterOfType, patientRecord } from '../test-utils/fixtures'
import { draftOfEncounter, encounterCandidate, newDraft, type EncounterIdentity } from './encounter-draft'

const identity = (encounter = ancVisit()): EncounterIdentity => ({
    id: encounter.id,
    version: encounter.version,
    facility: encounter.facility,
    identifiers: encounter.patient.identifiers,
    status: 'completed',
    training: false,
})

test('a past encounter read into the form gives back the same encounter', () => {
    for (const encounter of [ancVisit(), encounterOfType('delivery'), encounterOfType('malaria'), encounterOfType('immunization'), encounterOfType('referral')]) {
        const patient = patientDraftOf({ ...patientRecord(), ...encounter.patient }, '2026-10-02')
        const { candidate, inputErrors } = encounterCandidate(draftOfEncounter(encounter, patient), identity(encounter), encounter.recordedAt as string)
        expect(inputErrors).toEqual([])
        expect(validateEncounter(candidate, new Date())).toEqual({ ok: true, encounter })
    }
})

test('numbers are read with a decimal comma, and written with one for a French user', () => {
    const patient = patientDraftOf(patientRecord(), '2026-10-02')
    const draft = draftOfEncounter(ancVisit(), patient, ',')
    expect(draft.vitals.temperatureC).toBe('36,8')
    const { candidate } = encounterCandidate(draft, identity(), ancVisit().recordedAt as string)
    expect((candidate.vitals as Record<string, number>).temperatureC).toBe(36.8)
})

test('what was typed in a section the type does not show is never sent', () => {
    const draft = newDraft('family_planning', { now: new Date(), patient: patientDraftOf(patientRecord(), '2026-10-02') })
    draft.vitals.temperatureC = '39'
    draft.familyPlanning = { method: 'pill', newUser: 'yes' }
    const { candidate } = encounterCandidate(draft, identity(), new Date().toISOString())
    expect(candidate).not.toHaveProperty('vitals')
    expect(candidate.familyPlanning).toEqual({ method: 'pill', newUser: true })
})

test('a field that holds no number is reported, not sent', () => {
    const draft = newDraft('consultation', { now: new Date(), patient: patientDraftOf(patientRecord(), '2026-10-02') })
    draft.vitals.weightKg = '12kg'
    const { candidate, inputErrors } = encounterCandidate(draft, identity(), new Date().toISOString())
    expect(inputErrors).toEqual([{ path: '/vitals/weightKg', message: 'not-a-number' }])
    expect(candidate).not.toHaveProperty('vitals')
})
