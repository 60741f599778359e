// Data the tests start from: one health worker, two facilities, a full antenatal visit, patients.
import type { Encounter } from '@smc-bridge/contract'
import type { PatientRecord } from '../patients/patient-record'
import { offsetDateTime } from '../shared/local-date-time'
import type { ServerPatient } from '../shared/smc-bridge-api'
import type { OrganisationUnit } from '../settings/session'

export const USER_ID = 'xE7jOejl9FI'

export const BAMBUI: OrganisationUnit = { id: 'DiszpKrYNg8', code: 'CM_NW_BAM_CSI001', displayName: 'CSI Bambui', level: 4, path: '/a/b/c/DiszpKrYNg8' }
export const KATI: OrganisationUnit = { id: 'Jtf34kNZhzP', code: 'ML_KK_KAT_CSCOM02', displayName: 'CSCom Kati', level: 4, path: '/a/d/e/Jtf34kNZhzP' }
/** A district: assigned to the user, but not a facility (no code). */
export const DISTRICT: OrganisationUnit = { id: 'O6uvpzGd5pu', displayName: 'Bamenda district', level: 3, path: '/a/b/O6uvpzGd5pu' }

/** An hour before the tests started, to the minute as the form records it: nothing the tests save is
 * "in the future" of the real clock. */
const VISIT_TIME = new Date(Math.floor((Date.now() - 60 * 60_000) / 60_000) * 60_000)

/** A complete antenatal visit as the app makes it: every field the ANC form offers, filled in. */
export function ancVisit(overrides: Partial<Encounter> = {}): Encounter {
    const at = VISIT_TIME
    return {
        schemaVersion: '1.0',
        id: '3f2a9c1e-7b4d-4e8a-9c21-5d6e7f8a9b0c',
        version: 1,
        source: 'dhis2-app',
        facility: { code: BAMBUI.code as string, uid: BAMBUI.id },
        occurredAt: offsetDateTime(at),
        recordedAt: offsetDateTime(new Date(at.getTime() + 5 * 60_000)),
        type: 'anc',
        status: 'completed',
        patient: {
            identifiers: [{ system: 'smc-clinic', value: 'CM_NW_BAM_CSI001-7K2M9QXD' }],
            name: { given: 'Aminata', family: 'Ngôno' },
            sex: 'female',
            birthDate: '1999-04-11',
            phone: '+237 677 12 34 56',
            village: 'Bambui',
            coverage: { scheme: 'Mutuelle de Bambui', memberId: 'MB-20931' },
        },
        practitioner: { name: 'Esther Fru', role: 'midwife' },
        vitals: { weightKg: 61.5, systolicMmHg: 112, diastolicMmHg: 71, temperatureC: 36.8 },
        treatments: ['iron_folic_acid'],
        anc: { visitNumber: 2, gestationalAgeWeeks: 20, iptpDose: 1, hemoglobinGdl: 11.2, llinGiven: true },
        ...overrides,
    }
}

export function serverPatient(overrides: Partial<ServerPatient> = {}): ServerPatient {
    return {
        key: 'p-ngono',
        facility: { code: BAMBUI.code as string, uid: BAMBUI.id },
        identifiers: [{ system: 'smc-patient', value: 'P-000123' }],
        name: { given: 'Aminata', family: 'NGONO' },
        sex: 'female',
        birthDate: '1999-04-11',
        phone: '+237 677 12 34 56',
        village: 'Bambui',
        lastEncounterAt: '2026-09-01T10:00:00+01:00',
        encounters: [{ source: 'smc-platform', id: 'enc-0001', version: 1, type: 'anc', occurredAt: '2026-09-01T10:00:00+01:00', status: 'completed' }],
        ...overrides,
    }
}

export function patientRecord(overrides: Partial<PatientRecord> = {}): PatientRecord {
    return {
        key: 'smc-clinic|CM_NW_BAM_CSI001-7K2M9QXD',
        facility: { code: BAMBUI.code as string, uid: BAMBUI.id },
        identifiers: [{ system: 'smc-clinic', value: 'CM_NW_BAM_CSI001-7K2M9QXD' }],
        name: { given: 'Aminata', family: 'Ngôno' },
        sex: 'female',
        birthDate: '1999-04-11',
        encounters: [],
        registeredHere: true,
        ...overrides,
    }
}

/** A valid encounter of each type, as the app makes it: the sections its form shows, all given. */
export function encounterOfType(type: Encounter['type']): Encounter {
    const base = ancVisit({ type, id: `enc-${type}` })
    const { anc: _anc, vitals: _vitals, treatments: _treatments, ...mother } = base
    switch (type) {
        case 'anc':
            return base
        case 'consultation':
            return {
                ...mother,
                vitals: { temperatureC: 38.2, weightKg: 12.4, heightCm: 86, muacMm: 132, systolicMmHg: 100, diastolicMmHg: 60, pulseBpm: 110, respiratoryRate: 32, spo2Percent: 97 },
                diagnoses: [{ code: 'J18.9', text: 'pneumonia' }],
                treatments: ['amoxicillin', 'paracetamol'],
            }
        case 'delivery':
            return { ...mother, delivery: { mode: 'normal', place: 'facility', gestationalAgeWeeks: 39, outcomes: [{ outcome: 'live_birth', sex: 'female', birthWeightGrams: 3100 }] } }
        case 'postnatal':
            return { ...mother, postnatal: { daysAfterDelivery: 6, subject: 'mother' }, vitals: { temperatureC: 36.9, systolicMmHg: 118, diastolicMmHg: 76 } }
        case 'malaria':
            return {
                ...mother,
                malaria: { suspected: true, test: { method: 'rdt', result: 'positive' }, severe: true, treatment: 'act' },
                vitals: { temperatureC: 38.9, weightKg: 58 },
                treatments: ['paracetamol'],
            }
        case 'immunization':
            return { ...mother, immunization: { doses: [{ vaccine: 'td', doseNumber: 2 }], pregnant: true }, vitals: { weightKg: 60 } }
        case 'family_planning':
            return { ...mother, familyPlanning: { method: 'implant', newUser: true } }
        case 'referral':
            return { ...mother, referral: { target: { code: 'CM_NW_BAM_HD01', name: 'Hôpital de district de Bamenda' }, urgency: 'urgent', reason: 'severe anaemia' }, diagnoses: [{ code: 'D64.9' }] }
    }
}
