// Which parts of the contract each type of encounter shows. Only these are entered and sent; the contract
// itself says which of them a type requires.
import type { Encounter, EncounterType } from '@smc-bridge/contract'

export type SectionName =
    | 'vitals'
    | 'diagnoses'
    | 'treatments'
    | 'anc'
    | 'delivery'
    | 'postnatal'
    | 'malaria'
    | 'immunization'
    | 'familyPlanning'
    | 'referral'

export type VitalKey = keyof NonNullable<Encounter['vitals']>

export const SECTIONS_BY_TYPE: Record<EncounterType, SectionName[]> = {
    consultation: ['vitals', 'diagnoses', 'treatments'],
    anc: ['anc', 'vitals', 'treatments'],
    delivery: ['delivery'],
    postnatal: ['postnatal', 'vitals'],
    malaria: ['malaria', 'vitals', 'treatments'],
    immunization: ['immunization', 'vitals'],
    family_planning: ['familyPlanning'],
    referral: ['referral', 'diagnoses'],
}

/** The measurements worth taking at each type of visit, in the order they are taken. */
export const VITALS_BY_TYPE: Record<EncounterType, VitalKey[]> = {
    consultation: ['temperatureC', 'weightKg', 'heightCm', 'muacMm', 'systolicMmHg', 'diastolicMmHg', 'pulseBpm', 'respiratoryRate', 'spo2Percent'],
    anc: ['weightKg', 'systolicMmHg', 'diastolicMmHg', 'temperatureC'],
    delivery: [],
    postnatal: ['temperatureC', 'systolicMmHg', 'diastolicMmHg', 'pulseBpm', 'weightKg'],
    malaria: ['temperatureC', 'weightKg'],
    immunization: ['weightKg', 'muacMm'],
    family_planning: [],
    referral: [],
}

export const showsSection = (type: EncounterType, section: SectionName) => SECTIONS_BY_TYPE[type].includes(section)
