// The patient's details as typed in a form (strings, as the inputs hold them), and the contract's patient
// made from them. Parsing is all the app does here: every rule is the contract's.
import type { FieldError, Patient } from '@smc-bridge/contract'
import { compact, optionalText, readNumber } from '../shared/form-values'
import { estimatedAgeOn } from './patient-age'
import type { PatientRecord } from './patient-record'

export type AgeUnit = NonNullable<Patient['estimatedAge']>['unit']

export interface PatientDraft {
    given: string
    family: string
    sex: Patient['sex'] | ''
    /** Whether the birth date is known, or only an age. */
    ageKnownAs: 'birthDate' | 'age'
    birthDate: string
    birthDateEstimated: boolean
    ageValue: string
    ageUnit: AgeUnit
    phone: string
    village: string
    coverageScheme: string
    coverageMemberId: string
    coverageValidUntil: string
}

export const EMPTY_PATIENT_DRAFT: PatientDraft = {
    given: '',
    family: '',
    sex: '',
    ageKnownAs: 'birthDate',
    birthDate: '',
    birthDateEstimated: false,
    ageValue: '',
    ageUnit: 'years',
    phone: '',
    village: '',
    coverageScheme: '',
    coverageMemberId: '',
    coverageValidUntil: '',
}

/** The form's starting values for a known patient, their told age grown to `today`. */
export function patientDraftOf(patient: PatientRecord, today: string): PatientDraft {
    const age = patient.estimatedAge && estimatedAgeOn(patient.estimatedAge, patient.estimatedAgeOn ?? today, today)
    return {
        given: patient.name?.given ?? '',
        family: patient.name?.family ?? '',
        sex: patient.sex,
        ageKnownAs: age && !patient.birthDate ? 'age' : 'birthDate',
        birthDate: patient.birthDate ?? '',
        birthDateEstimated: patient.birthDateEstimated ?? false,
        ageValue: age ? String(age.value) : '',
        ageUnit: age?.unit ?? 'years',
        phone: patient.phone ?? '',
        village: patient.village ?? '',
        coverageScheme: patient.coverage?.scheme ?? '',
        coverageMemberId: patient.coverage?.memberId ?? '',
        coverageValidUntil: patient.coverage?.validUntil ?? '',
    }
}

/** The contract's patient from the form, for validation (it may well be invalid). */
export function patientCandidate(draft: PatientDraft, identifiers: Patient['identifiers'], errors: FieldError[]): Record<string, unknown> {
    const age =
        draft.ageKnownAs === 'age'
            ? compact({ value: readNumber(draft.ageValue, '/patient/estimatedAge/value', errors), unit: draft.ageUnit })
            : undefined
    return (
        compact({
            identifiers,
            name: compact({ given: optionalText(draft.given), family: optionalText(draft.family) }),
            sex: draft.sex || undefined,
            birthDate: draft.ageKnownAs === 'birthDate' ? optionalText(draft.birthDate) : undefined,
            birthDateEstimated: draft.ageKnownAs === 'birthDate' && draft.birthDateEstimated ? true : undefined,
            estimatedAge: age && 'value' in age ? age : undefined,
            phone: optionalText(draft.phone),
            village: optionalText(draft.village),
            coverage: compact({
                scheme: optionalText(draft.coverageScheme),
                memberId: optionalText(draft.coverageMemberId),
                validUntil: optionalText(draft.coverageValidUntil),
            }),
        }) ?? {}
    )
}
