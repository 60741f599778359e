// A patient as this device keeps them: from the middleware (the patients of the user's facilities, learnt
// from the encounters it accepted) or registered here and not yet known to it.
import type { Patient } from '@smc-bridge/contract'
import type { PatientEncounterSummary } from '../shared/smc-bridge-api'

export interface PatientRecord {
    key: string
    facility: { code?: string; uid?: string }
    identifiers: Patient['identifiers']
    name?: { given?: string; family?: string }
    sex: Patient['sex']
    birthDate?: string
    birthDateEstimated?: boolean
    estimatedAge?: NonNullable<Patient['estimatedAge']>
    /** The day `estimatedAge` was told, so the age can grow with time. */
    estimatedAgeOn?: string
    phone?: string
    village?: string
    coverage?: Patient['coverage']
    lastEncounterAt?: string
    /** Encounters the middleware holds for this patient, from every source. */
    encounters: PatientEncounterSummary[]
    /** Registered on this device and not yet in the middleware's list. */
    registeredHere?: boolean
    /** When an encounter saved on this device last changed the demographics. */
    changedHereAt?: string
}

/** The identifier the app gives a patient it registers. */
export const LOCAL_IDENTIFIER_SYSTEM = 'smc-clinic'

export const identifierKey = ({ system, value }: { system: string; value: string }) => `${system}|${value}`

/** Whether two identifier lists name the same person (one identifier in common). */
export function shareIdentifier(a: Patient['identifiers'], b: Patient['identifiers']): boolean {
    const keys = new Set(a.map(identifierKey))
    return b.some((identifier) => keys.has(identifierKey(identifier)))
}

export function displayName(patient: Pick<PatientRecord, 'name'>): string {
    return [patient.name?.given, patient.name?.family].filter(Boolean).join(' ')
}
