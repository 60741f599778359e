// How a patient record follows what the health worker entered: a registration, or the patient details of
// an encounter saved on this device.
import type { Encounter, Patient } from '@smc-bridge/contract'
import { identifierKey, type PatientRecord } from './patient-record'

type Demographics = Omit<PatientRecord, 'key' | 'facility' | 'identifiers' | 'encounters' | 'registeredHere' | 'lastEncounterAt' | 'changedHereAt'>

function demographicsOf(patient: Patient, on: string): Demographics {
    const { name, sex, birthDate, birthDateEstimated, estimatedAge, phone, village, coverage } = patient
    return {
        sex,
        ...(name ? { name } : {}),
        ...(birthDate ? { birthDate } : {}),
        ...(birthDateEstimated ? { birthDateEstimated } : {}),
        ...(estimatedAge ? { estimatedAge, estimatedAgeOn: on } : {}),
        ...(phone ? { phone } : {}),
        ...(village ? { village } : {}),
        ...(coverage ? { coverage } : {}),
    }
}

export function registeredPatient(patient: Patient, facility: PatientRecord['facility'], now: Date, today: string): PatientRecord {
    return {
        key: identifierKey(patient.identifiers[0]!),
        facility,
        identifiers: patient.identifiers,
        encounters: [],
        registeredHere: true,
        changedHereAt: now.toISOString(),
        ...demographicsOf(patient, today),
    }
}

/** The record after an encounter saved here: the encounter's patient details are the newest known. */
export function patientAfterEncounter(record: PatientRecord, encounter: Encounter, now: Date): PatientRecord {
    const { key, facility, identifiers, encounters, registeredHere, lastEncounterAt } = record
    const latest = lastEncounterAt === undefined || Date.parse(encounter.occurredAt) > Date.parse(lastEncounterAt)
    return {
        key,
        facility,
        identifiers,
        encounters,
        ...(registeredHere ? { registeredHere } : {}),
        lastEncounterAt: latest ? encounter.occurredAt : lastEncounterAt,
        changedHereAt: now.toISOString(),
        ...demographicsOf(encounter.patient, encounter.occurredAt.slice(0, 10)),
    }
}
