// The patients kept on this device: one IndexedDB store for real patients and another for practice ones,
// so a practice patient can never appear in a real search.
import type { ClinicDatabase, PatientStoreName } from '../shared/clinic-database'
import type { ServerPatient } from '../shared/smc-bridge-api'
import { mergeServerPatients } from './merge-server-patients'
import { shareIdentifier, type PatientRecord } from './patient-record'

export class PatientDirectory {
    private readonly listeners = new Set<() => void>()

    constructor(
        private readonly database: ClinicDatabase,
        readonly storeName: PatientStoreName
    ) {}

    subscribe(listener: () => void): () => void {
        this.listeners.add(listener)
        return () => this.listeners.delete(listener)
    }

    private changed(): void {
        this.listeners.forEach((listener) => listener())
    }

    async get(key: string): Promise<PatientRecord | undefined> {
        const found = await this.database.get(this.storeName, key)
        if (found) return found
        // A patient registered here is keyed by its local identifier (`smc-clinic|…`) until the middleware's
        // record, keyed otherwise, replaces it; a link or a page opened before that still finds them by it.
        const bar = key.indexOf('|')
        if (bar <= 0) return undefined
        return this.findByIdentifiers([{ system: key.slice(0, bar), value: key.slice(bar + 1) }])
    }

    async findByIdentifiers(identifiers: PatientRecord['identifiers']): Promise<PatientRecord | undefined> {
        return (await this.database.getAll(this.storeName)).find((patient) => shareIdentifier(patient.identifiers, identifiers))
    }

    async ofFacility(facilityUid: string): Promise<PatientRecord[]> {
        return (await this.database.getAll(this.storeName)).filter((patient) => patient.facility.uid === facilityUid)
    }

    async put(patient: PatientRecord): Promise<void> {
        await this.database.put(this.storeName, patient)
        this.changed()
    }

    /** Replaces the facility's patients with the middleware's list, keeping what only this device knows. */
    async mergeFromServer(facilityUid: string, patients: ServerPatient[]): Promise<void> {
        const transaction = this.database.transaction(this.storeName, 'readwrite')
        const onDevice = (await transaction.store.getAll()).filter((patient) => patient.facility.uid === facilityUid)
        const { put, remove } = mergeServerPatients(
            onDevice,
            patients.map((patient) => ({ ...patient, facility: { ...patient.facility, uid: patient.facility.uid ?? facilityUid } }))
        )
        for (const key of remove) {
            await transaction.store.delete(key)
        }
        for (const patient of put) {
            await transaction.store.put(patient)
        }
        await transaction.done
        this.changed()
    }
}
