// Words for the contract's enums that more than one screen shows.
import i18n from '@dhis2/d2-i18n'
import type { EncounterType, Patient } from '@smc-bridge/contract'

export function encounterTypeLabel(type: EncounterType): string {
    switch (type) {
        case 'consultation':
            return i18n.t('Consultation')
        case 'anc':
            return i18n.t('Antenatal visit')
        case 'delivery':
            return i18n.t('Delivery')
        case 'postnatal':
            return i18n.t('Postnatal visit')
        case 'malaria':
            return i18n.t('Malaria test and treat')
        case 'immunization':
            return i18n.t('Immunization')
        case 'family_planning':
            return i18n.t('Family planning')
        case 'referral':
            return i18n.t('Referral')
    }
}

export function sexLabel(sex: Patient['sex']): string {
    switch (sex) {
        case 'female':
            return i18n.t('Female')
        case 'male':
            return i18n.t('Male')
        case 'other':
            return i18n.t('Other')
        case 'unknown':
            return i18n.t('Unknown')
    }
}

export function ageUnitLabel(unit: NonNullable<Patient['estimatedAge']>['unit']): string {
    switch (unit) {
        case 'years':
            return i18n.t('years')
        case 'months':
            return i18n.t('months')
        case 'weeks':
            return i18n.t('weeks')
        case 'days':
            return i18n.t('days')
    }
}
