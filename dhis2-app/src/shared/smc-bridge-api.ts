// The middleware's app endpoints as the app sees them through the DHIS2 Route smc-bridge
// (`/api/routes/smc-bridge/run/…`). Field names are the middleware's own.
import type { EncounterType, FieldError, Patient } from '@smc-bridge/contract'

export const SOURCE = 'dhis2-app'

export type ItemStatus = 'accepted' | 'duplicate' | 'stale' | 'rejected'

/** One item's answer to `POST encounters`, in the order of the batch. */
export interface ItemResult {
    index: number
    status: ItemStatus
    source: string
    id: string
    version: number
    currentVersion?: number
    /** Paths are JSON Pointers into the request body: /encounters/3/patient/birthDate. */
    errors?: FieldError[]
}

export interface BatchAnswer {
    counts: Record<ItemStatus, number>
    results: ItemResult[]
}

export type TargetState = 'accepted' | 'mapped' | 'retrying' | 'delivered' | 'failed' | 'skipped'

export interface TargetStatus {
    state: TargetState
    version?: number
    reason?: string
    at?: string
    attempt?: number
    nextAttemptAt?: string
}

/** `GET encounters?ids=…`: where each encounter stands. Never carries patient data. */
export interface EncounterStatus {
    id: string
    version: number
    status: 'completed' | 'entered-in-error'
    training: boolean
    processed: boolean
    targets: { dhis2?: TargetStatus; fhir?: TargetStatus }
}

export interface EncounterStatusesAnswer {
    encounters: EncounterStatus[]
}

export interface PatientEncounterSummary {
    source: string
    id: string
    version: number
    type: EncounterType
    occurredAt: string
    status: 'completed' | 'entered-in-error'
}

/** `GET patients?orgUnit=…`: a patient as the middleware knows them from the encounters it accepted. */
export interface ServerPatient extends Omit<Patient, 'name'> {
    key: string
    facility: { code?: string; uid?: string }
    name?: { given?: string; family?: string }
    lastEncounterAt?: string
    encounters: PatientEncounterSummary[]
}

export interface PatientsAnswer {
    patients: ServerPatient[]
}

/** A problem document (RFC 9457), as the middleware answers 400, 413 and 415. */
export interface ProblemDocument {
    type?: string
    title?: string
    status?: number
    detail?: string
    errors?: FieldError[]
}
