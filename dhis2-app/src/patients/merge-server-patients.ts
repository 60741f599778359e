// What the middleware's list of a facility's patients changes on the device. The list is complete for the
// facility, so a patient it no longer names is dropped, except those registered here and not sent yet; a
// patient registered here is replaced by the middleware's record once that shares an identifier with it.
import type { ServerPatient } from '../shared/smc-bridge-api'
import { shareIdentifier, type PatientRecord } from './patient-record'

export interface PatientChanges {
    put: PatientRecord[]
    remove: string[]
}

/** Demographic fields a device may have changed after the middleware's last encounter of the patient. */
const DEMOGRAPHICS = ['name', 'sex', 'birthDate', 'birthDateEstimated', 'estimatedAge', 'estimatedAgeOn', 'phone', 'village', 'coverage'] as const

export function fromServer(patient: ServerPatient): PatientRecord {
    const { key, facility, identifiers, name, sex, encounters, lastEncounterAt } = patient
    const record: PatientRecord = { key, facility, identifiers, sex, encounters: encounters ?? [] }
    if (name) record.name = name
    if (lastEncounterAt) record.lastEncounterAt = lastEncounterAt
    for (const field of ['birthDate', 'birthDateEstimated', 'phone', 'village', 'coverage'] as const) {
        if (patient[field] !== undefined) {
            Object.assign(record, { [field]: patient[field] })
        }
    }
    if (patient.estimatedAge) {
        record.estimatedAge = patient.estimatedAge
        // The age is as told at the last encounter.
        if (lastEncounterAt) record.estimatedAgeOn = lastEncounterAt.slice(0, 10)
    }
    return record
}

/** Whether instant `a` is after `b` (ISO date-times with any offset); anything is after nothing. */
const isAfter = (a: string | undefined, b: string | undefined) => a !== undefined && (b === undefined || Date.parse(a) > Date.parse(b))

export function mergeServerPatients(onDevice: PatientRecord[], fromMiddleware: ServerPatient[]): PatientChanges {
    const incoming = fromMiddleware.map(fromServer)
    const put: PatientRecord[] = []
    const remove = new Set<string>()
    for (const record of incoming) {
        const matches = onDevice.filter((local) => local.key === record.key || shareIdentifier(local.identifiers, record.identifiers))
        const changedHere = matches.find((local) => isAfter(local.changedHereAt, record.lastEncounterAt))
        const merged = { ...record }
        if (changedHere) {
            // This device saved an encounter after the middleware's latest: its demographics are newer.
            for (const field of DEMOGRAPHICS) {
                delete merged[field]
                if (changedHere[field] !== undefined) Object.assign(merged, { [field]: changedHere[field] })
            }
            merged.changedHereAt = changedHere.changedHereAt
            if (isAfter(changedHere.lastEncounterAt, merged.lastEncounterAt)) merged.lastEncounterAt = changedHere.lastEncounterAt
        }
        put.push(merged)
        matches.filter((local) => local.key !== record.key).forEach((local) => remove.add(local.key))
    }
    const listed = new Set(incoming.map((record) => record.key))
    for (const local of onDevice) {
        if (!local.registeredHere && !listed.has(local.key)) {
            remove.add(local.key)
        }
    }
    return { put, remove: [...remove] }
}
