// Words for the choices the encounter sections offer, in the order they are offered.
import i18n from '@dhis2/d2-i18n'
import type { Encounter } from '@smc-bridge/contract'

type Section<K extends keyof Encounter> = NonNullable<Encounter[K]>
export type Option<T extends string> = { value: T; label: string }

export type Role = NonNullable<Section<'practitioner'>['role']>
export const roleOptions = (): Option<Role>[] => [
    { value: 'nurse', label: i18n.t('Nurse') },
    { value: 'midwife', label: i18n.t('Midwife') },
    { value: 'doctor', label: i18n.t('Doctor') },
    { value: 'clinical_officer', label: i18n.t('Clinical officer') },
    { value: 'chw', label: i18n.t('Community health worker') },
    { value: 'other', label: i18n.t('Other') },
]

export type Vaccine = Section<'immunization'>['doses'][number]['vaccine']
export const vaccineOptions = (): Option<Vaccine>[] => [
    { value: 'bcg', label: i18n.t('BCG') },
    { value: 'hepb_birth', label: i18n.t('Hepatitis B birth dose') },
    { value: 'opv', label: i18n.t('Polio, oral (OPV)') },
    { value: 'ipv', label: i18n.t('Polio, injectable (IPV)') },
    { value: 'penta', label: i18n.t('Pentavalent (DTP-HepB-Hib)') },
    { value: 'pcv', label: i18n.t('Pneumococcal (PCV)') },
    { value: 'rota', label: i18n.t('Rotavirus') },
    { value: 'mr', label: i18n.t('Measles-rubella (MR)') },
    { value: 'yf', label: i18n.t('Yellow fever') },
    { value: 'mena', label: i18n.t('Meningitis A') },
    { value: 'malaria', label: i18n.t('Malaria vaccine') },
    { value: 'hpv', label: i18n.t('HPV') },
    { value: 'td', label: i18n.t('Tetanus-diphtheria (Td)') },
]

export type FpMethod = Section<'familyPlanning'>['method']
export const fpMethodOptions = (): Option<FpMethod>[] => [
    { value: 'pill', label: i18n.t('Pill') },
    { value: 'injectable', label: i18n.t('Injectable') },
    { value: 'implant', label: i18n.t('Implant') },
    { value: 'iud', label: i18n.t('IUD') },
    { value: 'male_condom', label: i18n.t('Male condom') },
    { value: 'female_condom', label: i18n.t('Female condom') },
    { value: 'female_sterilization', label: i18n.t('Female sterilization') },
    { value: 'male_sterilization', label: i18n.t('Male sterilization') },
    { value: 'lam', label: i18n.t('Lactational amenorrhoea (LAM)') },
    { value: 'emergency', label: i18n.t('Emergency contraception') },
    { value: 'fertility_awareness', label: i18n.t('Fertility awareness') },
]

export type Treatment = NonNullable<Encounter['treatments']>[number]
export const treatmentOptions = (): Option<Treatment>[] => [
    { value: 'paracetamol', label: i18n.t('Paracetamol') },
    { value: 'amoxicillin', label: i18n.t('Amoxicillin') },
    { value: 'cotrimoxazole', label: i18n.t('Cotrimoxazole') },
    { value: 'ors', label: i18n.t('Oral rehydration salts (ORS)') },
    { value: 'zinc', label: i18n.t('Zinc') },
    { value: 'iron_folic_acid', label: i18n.t('Iron and folic acid') },
    { value: 'mebendazole', label: i18n.t('Mebendazole') },
    { value: 'vitamin_a', label: i18n.t('Vitamin A') },
    { value: 'other', label: i18n.t('Other treatment') },
]

export type DeliveryMode = Section<'delivery'>['mode']
export const deliveryModeOptions = (): Option<DeliveryMode>[] => [
    { value: 'normal', label: i18n.t('Normal (vaginal)') },
    { value: 'assisted', label: i18n.t('Assisted (vacuum, forceps)') },
    { value: 'caesarean', label: i18n.t('Caesarean section') },
]

export type DeliveryPlace = Section<'delivery'>['place']
export const deliveryPlaceOptions = (): Option<DeliveryPlace>[] => [
    { value: 'facility', label: i18n.t('In this facility') },
    { value: 'home', label: i18n.t('At home') },
    { value: 'in_transit', label: i18n.t('On the way') },
]

export type BirthOutcome = Section<'delivery'>['outcomes'][number]['outcome']
export const birthOutcomeOptions = (): Option<BirthOutcome>[] => [
    { value: 'live_birth', label: i18n.t('Live birth') },
    { value: 'fresh_stillbirth', label: i18n.t('Fresh stillbirth') },
    { value: 'macerated_stillbirth', label: i18n.t('Macerated stillbirth') },
]

export type NewbornSex = NonNullable<Section<'delivery'>['outcomes'][number]['sex']>
export const newbornSexOptions = (): Option<NewbornSex>[] => [
    { value: 'female', label: i18n.t('Girl') },
    { value: 'male', label: i18n.t('Boy') },
    { value: 'unknown', label: i18n.t('Unknown') },
]

export type PostnatalSubject = NonNullable<Section<'postnatal'>['subject']>
export const postnatalSubjectOptions = (): Option<PostnatalSubject>[] => [
    { value: 'mother', label: i18n.t('The mother') },
    { value: 'newborn', label: i18n.t('The newborn') },
]

export type TestMethod = NonNullable<Section<'malaria'>['test']>['method']
export const testMethodOptions = (): Option<TestMethod>[] => [
    { value: 'rdt', label: i18n.t('Rapid diagnostic test (RDT)') },
    { value: 'microscopy', label: i18n.t('Microscopy') },
]

export type TestResult = NonNullable<Section<'malaria'>['test']>['result']
export const testResultOptions = (): Option<TestResult>[] => [
    { value: 'positive', label: i18n.t('Positive') },
    { value: 'negative', label: i18n.t('Negative') },
    { value: 'invalid', label: i18n.t('Invalid test') },
]

export type MalariaTreatment = NonNullable<Section<'malaria'>['treatment']>
export const malariaTreatmentOptions = (): Option<MalariaTreatment>[] => [
    { value: 'act', label: i18n.t('ACT (artemisinin combination)') },
    { value: 'artesunate_injectable', label: i18n.t('Injectable artesunate') },
    { value: 'quinine', label: i18n.t('Quinine') },
    { value: 'none', label: i18n.t('No antimalarial') },
]

export type Urgency = Section<'referral'>['urgency']
export const urgencyOptions = (): Option<Urgency>[] => [
    { value: 'routine', label: i18n.t('Routine') },
    { value: 'urgent', label: i18n.t('Urgent') },
    { value: 'emergency', label: i18n.t('Emergency') },
]
