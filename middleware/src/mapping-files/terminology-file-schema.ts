// What integrators write in mappings/fhir/ (DESIGN.md §4, "terminology tables drive the FHIR codings"): the
// code systems, codes and identifier systems the FHIR mapping emits, as zod schemas. Every file in
// mappings/fhir/ is checked against TerminologyFileSchema (its JSON Schema is published as
// mappings/schemas/fhir-terminology.schema.json); a file may carry any of the sections, and the loader
// (terminology.ts) merges them and checks that together they cover every code the contract can send.
import { z } from 'zod';
import { ENCOUNTER_TYPES, FP_METHODS, TREATMENTS, VACCINES } from '@smc-bridge/contract';

const uri = z
  .string()
  .regex(/^[a-z][a-z0-9+.-]*:[^\s]+$/, 'must be an absolute URI such as http://loinc.org')
  .describe('an absolute URI');

const CodingSchema = z.strictObject({
  system: uri.describe('code system URI, e.g. http://loinc.org'),
  code: z.string().min(1).regex(/^[^\s](.*[^\s])?$/, 'must not start or end with a space'),
  display: z.string().min(1).optional(),
});

const ConceptSchema = z
  .strictObject({
    coding: z.array(CodingSchema).min(1),
    text: z.string().min(1).optional(),
  })
  .describe('a FHIR CodeableConcept: one or more codings of the same meaning');

const UnitSchema = z
  .strictObject({
    system: uri.describe('http://unitsofmeasure.org (UCUM)'),
    code: z.string().min(1).describe('UCUM code, e.g. kg, Cel, mm[Hg], /min, g/dL, wk'),
    unit: z.string().min(1).describe('human-readable unit'),
  })
  .describe('a Quantity unit');

/** The observations the FHIR mapping can emit, by the contract field behind each. */
export const OBSERVATION_KEYS = [
  'bodyTemperature',
  'bodyWeight',
  'bodyHeight',
  'bloodPressure',
  'systolicBloodPressure',
  'diastolicBloodPressure',
  'heartRate',
  'respiratoryRate',
  'oxygenSaturation',
  'midUpperArmCircumference',
  'gestationalAge',
  'hemoglobin',
  'birthWeight',
  'malariaRdt',
  'malariaMicroscopy',
  'contraceptiveMethod',
  'contraceptiveNewUser',
  'birthOutcome',
  'newbornSex',
] as const;
export type ObservationKey = (typeof OBSERVATION_KEYS)[number];

const ObservationSchema = z.strictObject({
  code: ConceptSchema,
  ancCoding: z.array(CodingSchema).min(1).optional().describe('codings added to the code in an antenatal (ANC) encounter: the WHO SMART ANC data element'),
  category: ConceptSchema.optional().describe('Observation.category (components of a panel have none)'),
  unit: UnitSchema.optional().describe('for numeric observations'),
  bodySite: ConceptSchema.optional().describe('Observation.bodySite, where the measurement is taken'),
  profile: uri.optional().describe('meta.profile: the profile the observation is built to meet (e.g. an R4 vital-signs profile)'),
});

/** Medicines the contract can name: its treatments, the malaria treatments, and IPTp-SP. */
export const MALARIA_TREATMENTS = ['act', 'artesunate_injectable', 'quinine'] as const;
export const MEDICATION_KEYS = [...TREATMENTS, ...MALARIA_TREATMENTS, 'iptp_sp'] as const;
export type MedicationKey = (typeof MEDICATION_KEYS)[number];

const MedicationSchema = z.strictObject({
  resource: z
    .enum(['MedicationAdministration', 'MedicationRequest', 'Immunization', 'none'])
    .describe(
      'MedicationAdministration when the health worker gives it at the visit; MedicationRequest (status completed) when it is handed over at the visit for the patient to take; Immunization for a preventive dose modelled so by WHO SMART ANC (IPTp-SP); none to emit nothing',
    ),
  code: ConceptSchema.optional().describe('required unless resource is none'),
  doseCoding: z
    .record(z.string().regex(/^[1-9]$/, 'must be a dose number 1–9'), z.array(CodingSchema).min(1))
    .optional()
    .describe('codings added to the code for a given dose number (SMART ANC IPTp-SP dose 1, 2, 3)'),
  doseProfile: z.record(z.string().regex(/^[1-9]$/, 'must be a dose number 1–9'), uri).optional().describe('meta.profile per dose number'),
  targetDisease: z.array(ConceptSchema).min(1).optional().describe('Immunization.protocolApplied.targetDisease, for resource Immunization'),
});

export const MALARIA_RESULTS = ['positive', 'negative', 'invalid'] as const;
const MalariaResultSchema = z
  .strictObject({
    value: ConceptSchema.optional().describe('Observation.valueCodeableConcept'),
    dataAbsentReason: ConceptSchema.optional().describe('when the test gave no result'),
  })
  .describe('exactly one of value or dataAbsentReason');

export const DELIVERY_MODES = ['normal', 'assisted', 'caesarean'] as const;
export const DELIVERY_PLACES = ['facility', 'home', 'in_transit'] as const;
export const BIRTH_OUTCOMES = ['live_birth', 'fresh_stillbirth', 'macerated_stillbirth'] as const;
export const REFERRAL_URGENCIES = ['routine', 'urgent', 'emergency'] as const;

const IdentifierSystemsSchema = z.strictObject({
  patient: uri.optional().describe('base; a patient register "x" of source "s" becomes <base>/s/x (absolute URIs are kept)'),
  record: uri.optional().describe('system of the records made from an encounter; value <source>/<encounter-id>/<element>'),
  practitioner: uri.optional().describe('base; practitioner ids of source "s" get the system <base>/s'),
  orgUnitCode: uri.optional().describe('system of DHIS2 organisation unit codes (facilities)'),
  orgUnitUid: uri.optional().describe('system of DHIS2 organisation unit uids'),
  insuranceScheme: uri.optional().describe('system of mutual-insurance scheme names or codes (the Coverage payor)'),
  insuranceMember: uri.optional().describe('base; member ids of scheme "m" get the system <base>/m'),
});
export const IDENTIFIER_SYSTEM_KEYS = IdentifierSystemsSchema.keyof().options;

const ExtensionsSchema = z.strictObject({
  birthDateEstimated: uri.optional().describe('extension (valueBoolean) on Patient.birthDate when the date is an estimate'),
  ancContactNumber: uri.optional().describe('extension (valueInteger) on an ANC Encounter: the contact number'),
  attributeOptionCombo: uri.optional().describe('extension (valueCodeableConcept) on an mADX MeasureReport: the DHIS2 attribute option combo it reports'),
});
export const EXTENSION_KEYS = ExtensionsSchema.keyof().options;

const EncounterTypeSchema = z.strictObject({
  class: CodingSchema.describe('Encounter.class (v3 ActCode: AMB, IMP, HH …)'),
  classByPlace: z
    .partialRecord(z.enum(DELIVERY_PLACES), CodingSchema)
    .optional()
    .describe('Encounter.class by the place of delivery (facility, home, in transit), where it differs from class'),
  type: ConceptSchema.describe('Encounter.type'),
  newbornType: ConceptSchema.optional().describe('Encounter.type when the newborn is the patient (a postnatal check of the baby)'),
  reasonCode: z
    .strictObject({ first: ConceptSchema, followUp: ConceptSchema })
    .optional()
    .describe('Encounter.reasonCode by contact: the first contact, or a later one (SMART ANC ANC.B5.DE2 / DE3)'),
  profile: uri.optional().describe('meta.profile of the Encounter'),
});

const ConditionCodesSchema = z.strictObject({
  system: uri.optional().describe('the ICD-10 system of the contract diagnosis codes'),
  category: ConceptSchema.optional(),
  clinicalStatus: ConceptSchema.optional().describe('of a recorded diagnosis'),
  verificationStatus: ConceptSchema.optional().describe('of a recorded diagnosis: confirmed'),
  provisional: ConceptSchema.optional().describe('verificationStatus of a diagnosis that needs a test and has no positive one (presumed)'),
  refuted: ConceptSchema.optional().describe('verificationStatus of a diagnosis that needs a test whose test was negative'),
  testConfirmed: z
    .array(z.string().regex(/^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$/, 'must be an ICD-10 code or category'))
    .min(1)
    .optional()
    .describe('ICD-10 codes (and categories, matching their subcodes) confirmed only by a positive parasitological test (malaria)'),
  enteredInError: ConceptSchema.optional().describe('verificationStatus of a withdrawn diagnosis'),
  displays: z.record(z.string().regex(/^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$/, 'must be an ICD-10 code'), z.string().min(1)).optional(),
});
export const CONDITION_KEYS = ['system', 'category', 'clinicalStatus', 'verificationStatus', 'provisional', 'refuted', 'testConfirmed', 'enteredInError'] as const;

const ReferralSchema = z.strictObject({
  code: ConceptSchema.optional().describe('ServiceRequest.code'),
  priority: z.partialRecord(z.enum(REFERRAL_URGENCIES), z.enum(['routine', 'urgent', 'asap', 'stat'])).optional(),
});

const MadxSchema = z
  .strictObject({
    measureBase: uri.optional().describe('canonical base of the Measures: data set "S" is measured by <base>/Measure/S'),
    report: uri.optional().describe('identifier system of the MeasureReports; value <dataSet>/<orgUnit>/<period>/<attributeOptionCombo>, each percent-encoded'),
    dataElement: uri.optional().describe('code system of DHIS2 data element codes (MeasureReport.group.code)'),
    categoryCombo: uri.optional().describe('code system of DHIS2 category combo codes (group.stratifier.code)'),
    category: uri.optional().describe('code system of DHIS2 category codes (stratum.component.code: which dimension)'),
    categoryOption: uri
      .optional()
      .describe('base; options of category "X" that are neither age bands nor sexes are coded in the system <base>/X'),
    ageBand: uri.optional().describe('code system of ISO 8601 age bands such as P0Y--P5Y (IHE mADX ISO8601DerivedPeriods)'),
    sex: uri.optional().describe('code system of sex options (http://hl7.org/fhir/administrative-gender)'),
    population: ConceptSchema.optional().describe('group.population.code of the reported count (measure-population initial-population)'),
    openAgeBound: z
      .string()
      .regex(/^P[0-9]+Y$/, 'must be an ISO 8601 duration in years such as P9999Y')
      .optional()
      .describe('the one upper bound written for an age band open above (any DHIS2 upper bound of 150 years or more)'),
    attributeOptionCombo: uri.optional().describe('code system of DHIS2 attribute option combo codes (the report extension)'),
    valueSetBase: uri.optional().describe('canonical base of the ValueSets of each category\'s options: category "X" → <base>/ValueSet/X'),
    reportProfile: uri.optional().describe('meta.profile of the MeasureReports (IHE mADX MeasureReport)'),
    measureProfile: uri.optional().describe('meta.profile of the Measures (IHE mADX Measure)'),
    publisher: z.string().min(1).optional().describe('Measure.publisher and ValueSet.publisher'),
    subjectType: CodingSchema.optional().describe('Measure.subjectCodeableConcept: the resource type a report is about (Location)'),
    scoring: ConceptSchema.optional().describe('Measure.scoring (cohort: a count)'),
  })
  .describe('IHE mADX MeasureReports made from the DHIS2 cell groups (reference/fhir.md §1.5)');
export const MADX_KEYS = MadxSchema.keyof().options;

export const TerminologyFileSchema = z.strictObject({
  description: z.string().optional(),
  identifierSystems: IdentifierSystemsSchema.optional(),
  extensions: ExtensionsSchema.optional(),
  participantType: ConceptSchema.optional().describe('Encounter.participant.type of the practitioner'),
  encounterTypes: z.partialRecord(z.enum(ENCOUNTER_TYPES), EncounterTypeSchema).optional(),
  observations: z.partialRecord(z.enum(OBSERVATION_KEYS), ObservationSchema).optional(),
  malariaResults: z.partialRecord(z.enum(MALARIA_RESULTS), MalariaResultSchema).optional(),
  conditions: ConditionCodesSchema.optional(),
  vaccines: z
    .partialRecord(
      z.enum(VACCINES),
      z.strictObject({ code: ConceptSchema.describe('Immunization.vaccineCode'), targetDisease: z.array(ConceptSchema).min(1) }),
    )
    .optional(),
  medications: z.partialRecord(z.enum(MEDICATION_KEYS), MedicationSchema).optional(),
  familyPlanningMethods: z.partialRecord(z.enum(FP_METHODS), ConceptSchema).optional(),
  deliveryModes: z.partialRecord(z.enum(DELIVERY_MODES), ConceptSchema).optional().describe('Procedure.code of the delivery'),
  birthOutcomes: z.partialRecord(z.enum(BIRTH_OUTCOMES), ConceptSchema).optional().describe('the value of the birthOutcome observation of each baby'),
  referral: ReferralSchema.optional(),
  madx: MadxSchema.optional(),
});

export type TerminologyFile = z.infer<typeof TerminologyFileSchema>;
export type CodingEntry = z.infer<typeof CodingSchema>;
export type EncounterTypeEntry = z.infer<typeof EncounterTypeSchema>;
export type ConceptEntry = z.infer<typeof ConceptSchema>;
export type UnitEntry = z.infer<typeof UnitSchema>;
export type ObservationEntry = z.infer<typeof ObservationSchema>;
export type MedicationEntry = z.infer<typeof MedicationSchema>;
export type MalariaResultEntry = z.infer<typeof MalariaResultSchema>;
export type MadxEntry = z.infer<typeof MadxSchema>;
