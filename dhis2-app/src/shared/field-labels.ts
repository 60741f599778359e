// The name of each field of the encounter, by its JSON Pointer in the contract: the form's labels, and the
// words that say which field a refusal is about ("Temperature (°C) — Too high…").
import i18n from '@dhis2/d2-i18n'

type Label = (index: number) => string

const LABELS: [RegExp, Label][] = [
    [/^\/occurredAt$/, () => i18n.t('Date of the visit')],
    [/^\/time$/, () => i18n.t('Time')],
    [/^\/recordedAt$/, () => i18n.t('Time of saving')],
    [/^\/facility(\/.*)?$/, () => i18n.t('Facility')],
    [/^\/practitioner\/name$/, () => i18n.t('Seen by')],
    [/^\/practitioner\/role$/, () => i18n.t('Role')],
    [/^\/patient\/identifiers(\/.*)?$/, () => i18n.t('Patient identifier')],
    [/^\/patient\/name\/given$/, () => i18n.t('Given name')],
    [/^\/patient\/name\/family$/, () => i18n.t('Family name')],
    [/^\/patient\/sex$/, () => i18n.t('Sex')],
    [/^\/patient\/birthDate$/, () => i18n.t('Birth date')],
    [/^\/patient\/birthDateEstimated$/, () => i18n.t('Birth date is estimated')],
    [/^\/patient\/estimatedAge(\/value)?$/, () => i18n.t('Age')],
    [/^\/patient\/estimatedAge\/unit$/, () => i18n.t('Age in')],
    [/^\/patient\/phone$/, () => i18n.t('Phone')],
    [/^\/patient\/village$/, () => i18n.t('Village or neighbourhood')],
    [/^\/patient\/coverage\/scheme$/, () => i18n.t('Mutual insurance scheme')],
    [/^\/patient\/coverage\/memberId$/, () => i18n.t('Member number')],
    [/^\/patient\/coverage\/validUntil$/, () => i18n.t('Membership valid until')],
    [/^\/vitals\/temperatureC$/, () => i18n.t('Temperature (°C)')],
    [/^\/vitals\/weightKg$/, () => i18n.t('Weight (kg)')],
    [/^\/vitals\/heightCm$/, () => i18n.t('Height (cm)')],
    [/^\/vitals\/systolicMmHg$/, () => i18n.t('Blood pressure, systolic (mmHg)')],
    [/^\/vitals\/diastolicMmHg$/, () => i18n.t('Blood pressure, diastolic (mmHg)')],
    [/^\/vitals\/pulseBpm$/, () => i18n.t('Pulse (beats/min)')],
    [/^\/vitals\/respiratoryRate$/, () => i18n.t('Respiratory rate (breaths/min)')],
    [/^\/vitals\/spo2Percent$/, () => i18n.t('Oxygen saturation (%)')],
    [/^\/vitals\/muacMm$/, () => i18n.t('Mid-upper arm circumference (mm)')],
    [/^\/diagnoses$/, () => i18n.t('Diagnoses')],
    [/^\/diagnoses\/(\d+)(\/code)?$/, (index) => i18n.t('Diagnosis {{number}}', { number: index + 1 })],
    [/^\/diagnoses\/(\d+)\/text$/, (index) => i18n.t('Note on diagnosis {{number}}', { number: index + 1 })],
    [/^\/treatments(\/\d+)?$/, () => i18n.t('Treatments given')],
    [/^\/anc$/, () => i18n.t('Antenatal visit')],
    [/^\/anc\/visitNumber$/, () => i18n.t('Antenatal visit number')],
    [/^\/anc\/gestationalAgeWeeks$/, () => i18n.t('Gestational age (weeks)')],
    [/^\/anc\/iptpDose$/, () => i18n.t('IPTp-SP dose given')],
    [/^\/anc\/hemoglobinGdl$/, () => i18n.t('Haemoglobin (g/dL)')],
    [/^\/anc\/llinGiven$/, () => i18n.t('Insecticide-treated net given')],
    [/^\/delivery$/, () => i18n.t('Delivery')],
    [/^\/delivery\/mode$/, () => i18n.t('Mode of delivery')],
    [/^\/delivery\/place$/, () => i18n.t('Place of delivery')],
    [/^\/delivery\/gestationalAgeWeeks$/, () => i18n.t('Gestational age at birth (weeks)')],
    [/^\/delivery\/outcomes$/, () => i18n.t('Outcomes')],
    [/^\/delivery\/outcomes\/(\d+)(\/outcome)?$/, (index) => i18n.t('Outcome, baby {{number}}', { number: index + 1 })],
    [/^\/delivery\/outcomes\/(\d+)\/sex$/, (index) => i18n.t('Sex, baby {{number}}', { number: index + 1 })],
    [/^\/delivery\/outcomes\/(\d+)\/birthWeightGrams$/, (index) => i18n.t('Birth weight (g), baby {{number}}', { number: index + 1 })],
    [/^\/postnatal$/, () => i18n.t('Postnatal visit')],
    [/^\/postnatal\/daysAfterDelivery$/, () => i18n.t('Days since the delivery')],
    [/^\/postnatal\/subject$/, () => i18n.t('Who is seen')],
    [/^\/malaria$/, () => i18n.t('Malaria')],
    [/^\/malaria\/suspected$/, () => i18n.t('Malaria suspected')],
    [/^\/malaria\/test(\/method)?$/, () => i18n.t('Test')],
    [/^\/malaria\/test\/result$/, () => i18n.t('Test result')],
    [/^\/malaria\/severe$/, () => i18n.t('Severe malaria')],
    [/^\/malaria\/treatment$/, () => i18n.t('Antimalarial treatment')],
    [/^\/immunization$/, () => i18n.t('Immunization')],
    [/^\/immunization\/doses$/, () => i18n.t('Vaccine doses')],
    [/^\/immunization\/doses\/(\d+)(\/vaccine)?$/, (index) => i18n.t('Vaccine {{number}}', { number: index + 1 })],
    [/^\/immunization\/doses\/(\d+)\/doseNumber$/, (index) => i18n.t('Dose number, vaccine {{number}}', { number: index + 1 })],
    [/^\/immunization\/pregnant$/, () => i18n.t('Pregnant')],
    [/^\/familyPlanning$/, () => i18n.t('Family planning')],
    [/^\/familyPlanning\/method$/, () => i18n.t('Method')],
    [/^\/familyPlanning\/newUser$/, () => i18n.t('First time using modern contraception')],
    [/^\/referral$/, () => i18n.t('Referral')],
    [/^\/referral\/target(\/name)?$/, () => i18n.t('Referred to (facility name)')],
    [/^\/referral\/target\/code$/, () => i18n.t('Facility code, if known')],
    [/^\/referral\/urgency$/, () => i18n.t('Urgency')],
    [/^\/referral\/reason$/, () => i18n.t('Reason')],
]

/** The field's name, or undefined for a part of the encounter no health worker fills in (id, source…). */
export function fieldLabel(pointer: string): string | undefined {
    for (const [pattern, label] of LABELS) {
        const match = pattern.exec(pointer)
        if (match) {
            return label(Number(match[1]?.replace('/', '') ?? 0))
        }
    }
    return undefined
}

/** The label of a field the form always shows (a programming error otherwise). */
export const labelOf = (pointer: string): string => fieldLabel(pointer) ?? pointer
