// A registration is checked by the contract too: the patient must be one a consultation today could carry
// (every rule on names, phone, birth date and age applies), so no encounter of theirs is refused later
// for details typed at registration.
import type { FieldError, Patient } from '@smc-bridge/contract'
import { checkWithContract } from '../shared/contract-check'
import { offsetDateTime } from '../shared/local-date-time'
import { SOURCE } from '../shared/smc-bridge-api'
import { patientCandidate, type PatientDraft } from './patient-draft'

export type RegistrationCheck = { ok: true; patient: Patient } | { ok: false; errors: FieldError[] }

export function checkRegistration(draft: PatientDraft, identifiers: Patient['identifiers'], facility: { code: string; uid: string }, now: Date): RegistrationCheck {
    const inputErrors: FieldError[] = []
    const probe = {
        schemaVersion: '1.0',
        id: 'registration',
        version: 1,
        source: SOURCE,
        facility,
        occurredAt: offsetDateTime(now),
        type: 'consultation',
        status: 'completed',
        patient: patientCandidate(draft, identifiers, inputErrors),
    }
    const result = checkWithContract(probe, now)
    if (result.ok && inputErrors.length === 0) {
        return { ok: true, patient: result.encounter.patient }
    }
    const unreadable = new Set(inputErrors.map((error) => error.path))
    const patientErrors = result.ok ? [] : result.errors.filter((error) => error.path.startsWith('/patient') && !unreadable.has(error.path))
    return { ok: false, errors: [...inputErrors, ...patientErrors] }
}
