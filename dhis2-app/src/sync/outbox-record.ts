// An outbox record: the latest version of one encounter this device holds, and how far it got. Every rule
// about versions and states is here, as pure functions; outbox-store.ts only persists their results.
import type { Encounter, FieldError } from '@smc-bridge/contract'
import type { EncounterStatus, ItemResult, TargetStatus } from '../shared/smc-bridge-api'

export type OutboxState =
    | 'pending' // saved on this device, waiting to be sent
    | 'sending' // in a batch on its way; after a reload or power cut it is sent again
    | 'sent' // the middleware holds this version
    | 'refused' // the middleware refused this version; `errors` says why
    | 'stale' // the middleware holds a newer version (`currentVersion`) than this device

export interface OutboxRecord {
    id: string
    encounter: Encounter
    state: OutboxState
    /** Sends of this version started so far; 0 means it never left the device. */
    attempts: number
    /** The batch it is in, while `sending`. */
    attemptId?: string
    /** The highest version the middleware confirmed holding. */
    acceptedVersion?: number
    /** For `stale`: the version the middleware holds. */
    currentVersion?: number
    /** For `refused`: pointers relative to the encounter (/patient/birthDate). */
    errors?: FieldError[]
    targets?: EncounterStatus['targets']
    savedAt: string
    sentAt?: string
    statusCheckedAt?: string
}

/** DHIS2 and FHIR states after which nothing more will happen without a new version. */
const FINAL_TARGET_STATES: ReadonlySet<TargetStatus['state']> = new Set(['delivered', 'failed', 'skipped'])

export function newRecord(encounter: Encounter, savedAt: string, previous?: OutboxRecord): OutboxRecord {
    const record: OutboxRecord = { id: encounter.id, encounter, state: 'pending', attempts: 0, savedAt }
    if (previous?.acceptedVersion !== undefined) {
        record.acceptedVersion = previous.acceptedVersion
    }
    return record
}

/**
 * The version a change to this encounter must carry. The same version only while no copy of it can be held
 * by the middleware: never sent, or refused (a refused version is not held). Any version that may have
 * arrived (sent, sending, or a send whose answer was lost) is never reused, or the change would be taken
 * for a harmless duplicate and dropped.
 */
export function versionForChange(record: OutboxRecord | undefined): number {
    if (record === undefined) {
        return 1
    }
    const { encounter, state, attempts } = record
    if ((state === 'pending' && attempts === 0) || state === 'refused') {
        return encounter.version
    }
    return Math.max(encounter.version, record.acceptedVersion ?? 0, record.currentVersion ?? 0) + 1
}

/** Whether the record can simply be deleted: no version of it can be held by the middleware. */
export function canDiscard(record: OutboxRecord): boolean {
    const neverLeft = record.state === 'pending' && record.attempts === 0
    return record.acceptedVersion === undefined && (neverLeft || record.state === 'refused')
}

function withoutAttempt(record: OutboxRecord): OutboxRecord {
    const { attemptId: _attemptId, ...rest } = record
    return rest
}

/** Errors with the batch prefix (/encounters/3) taken off, so they point into the encounter. */
export function relativeErrors(errors: FieldError[] | undefined, index: number): FieldError[] {
    const prefix = `/encounters/${index}`
    return (errors ?? []).map(({ path, message }) => ({
        path: path === prefix || path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : path,
        message,
    }))
}

/** Applies the middleware's answer for one batch item to the record it was sent from. */
export function applyItemResult(record: OutboxRecord, attemptId: string, result: ItemResult, now: string): OutboxRecord {
    const held = result.status === 'accepted' || result.status === 'duplicate'
    if (record.attemptId !== attemptId || record.encounter.version !== result.version) {
        // Changed while the batch was on its way: the new version waits its turn; only learn what is held.
        return held ? { ...record, acceptedVersion: Math.max(record.acceptedVersion ?? 0, result.version) } : record
    }
    const settled = withoutAttempt(record)
    delete settled.errors
    delete settled.currentVersion
    switch (result.status) {
        case 'accepted':
        case 'duplicate': {
            // A duplicate is this very version, already held: a resend after a lost answer.
            const sent: OutboxRecord = { ...settled, state: 'sent', acceptedVersion: result.version, sentAt: now }
            delete sent.targets
            return sent
        }
        case 'stale':
            return { ...settled, state: 'stale', currentVersion: result.currentVersion ?? result.version + 1 }
        case 'rejected':
            return { ...settled, state: 'refused', errors: relativeErrors(result.errors, result.index) }
    }
}

/** Puts a record of a batch that got no usable answer back in the queue. */
export function releaseRecord(record: OutboxRecord, attemptId: string): OutboxRecord {
    return record.state === 'sending' && record.attemptId === attemptId ? { ...withoutAttempt(record), state: 'pending' } : record
}

/** Marks a single encounter the middleware refused as too large (413 for a batch of one). */
export function refuseAsTooLarge(record: OutboxRecord, attemptId: string): OutboxRecord {
    if (record.attemptId !== attemptId) {
        return record
    }
    return { ...withoutAttempt(record), state: 'refused', errors: [{ path: '', message: 'too-large' }] }
}

/** Applies `GET encounters?ids=` for one encounter. */
export function applyStatus(record: OutboxRecord, status: EncounterStatus, now: string): OutboxRecord {
    if (status.version > record.encounter.version) {
        // Another device made a newer version.
        return { ...record, state: 'stale', currentVersion: status.version, statusCheckedAt: now }
    }
    if (status.version < record.encounter.version) {
        return { ...record, statusCheckedAt: now }
    }
    return { ...record, targets: status.targets, statusCheckedAt: now }
}

/** Whether the record still waits for DHIS2 or the FHIR server to settle. */
export function awaitsDelivery(record: OutboxRecord): boolean {
    if (record.state !== 'sent') {
        return false
    }
    const { dhis2, fhir } = record.targets ?? {}
    return !(dhis2 && fhir && FINAL_TARGET_STATES.has(dhis2.state) && FINAL_TARGET_STATES.has(fhir.state))
}
