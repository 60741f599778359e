// The device's IndexedDB database, one per DHIS2 user (two health workers sharing a laptop never see or
// send each other's records). Practice patients have a store of their own so they can never turn up in a
// real search; outbox records carry the contract's training flag.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb'
import type { PatientRecord } from '../patients/patient-record'
import type { OutboxRecord, OutboxState } from '../sync/outbox-record'

export interface ClinicSchema extends DBSchema {
    outbox: { key: string; value: OutboxRecord; indexes: { state: OutboxState } }
    patients: { key: string; value: PatientRecord }
    'practice-patients': { key: string; value: PatientRecord }
}

export type ClinicDatabase = IDBPDatabase<ClinicSchema>

export type PatientStoreName = 'patients' | 'practice-patients'

export function openClinicDatabase(userId: string): Promise<ClinicDatabase> {
    return openDB<ClinicSchema>(`smc-clinic-${userId}`, 1, {
        upgrade(database) {
            database.createObjectStore('outbox', { keyPath: 'id' }).createIndex('state', 'state')
            database.createObjectStore('patients', { keyPath: 'key' })
            database.createObjectStore('practice-patients', { keyPath: 'key' })
        },
    })
}
