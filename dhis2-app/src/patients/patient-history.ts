// A patient's past encounters: what the middleware holds from every source, and what this device saved
// (which it may not have sent yet). The device's own copy is what makes an encounter editable here.
import type { EncounterType } from '@smc-bridge/contract'
import { SOURCE } from '../shared/smc-bridge-api'
import type { OutboxRecord } from '../sync/outbox-record'
import { shareIdentifier, type PatientRecord } from './patient-record'

export interface PastEncounter {
    source: string
    id: string
    version: number
    type: EncounterType
    occurredAt: string
    status: 'completed' | 'entered-in-error'
    /** This device's copy, when it has one. */
    record?: OutboxRecord
}

export function patientHistory(patient: PatientRecord, outbox: OutboxRecord[]): PastEncounter[] {
    const own = outbox.filter((record) => shareIdentifier(patient.identifiers, record.encounter.patient.identifiers))
    const byKey = new Map<string, PastEncounter>()
    for (const summary of patient.encounters) {
        byKey.set(`${summary.source}|${summary.id}`, { ...summary })
    }
    for (const record of own) {
        const { id, version, type, occurredAt, status } = record.encounter
        const known = byKey.get(`${SOURCE}|${id}`)
        // The device's copy is its latest version, unless the middleware holds a newer one from elsewhere.
        const newer = known && known.version > version
        byKey.set(`${SOURCE}|${id}`, newer ? { ...known, record } : { source: SOURCE, id, version, type, occurredAt, status, record })
    }
    return [...byKey.values()].sort((a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt))
}
