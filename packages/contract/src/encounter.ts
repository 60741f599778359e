// The SMC encounter contract (DESIGN.md §3): the one definition of what a clinic encounter is. The TypeScript
// types, the published JSON Schema and the OpenAPI description are all derived from this module.
//
// Structural rules (types, enums, ranges) live in the schema; rules that relate several fields (birth date
// before the encounter, plausible ages, the section a type requires) live in `checkEncounterRules`, so the
// JSON Schema stays a faithful, if looser, picture of the same contract. Rules that depend on the clock
// ("not in the future") are in validate.ts, because they need an injectable `now`; validate.ts applies all.
import { z } from 'zod';
import { ageAt, localDateOf, type AgeAtEncounter, type TimeZone } from './age.js';

export const SCHEMA_VERSION = '1.0';

export const ENCOUNTER_TYPES = [
  'consultation',
  'anc',
  'delivery',
  'postnatal',
  'malaria',
  'immunization',
  'family_planning',
  'referral',
] as const;

export const VACCINES = [
  'bcg',
  'hepb_birth',
  'opv',
  'ipv',
  'penta',
  'pcv',
  'rota',
  'mr',
  'yf',
  'mena',
  'malaria',
  'hpv',
  'td',
] as const;

export const FP_METHODS = [
  'pill',
  'injectable',
  'implant',
  'iud',
  'male_condom',
  'female_condom',
  'female_sterilization',
  'male_sterilization',
  'lam',
  'emergency',
  'fertility_awareness',
] as const;

export const TREATMENTS = [
  'amoxicillin',
  'cotrimoxazole',
  'ors',
  'zinc',
  'paracetamol',
  'iron_folic_acid',
  'mebendazole',
  'vitamin_a',
  'other',
] as const;

/** Earliest encounter date the contract accepts: older records are almost surely a wrong device clock. */
export const EARLIEST_ENCOUNTER_DATE = '2000-01-01';
export const MAX_AGE_YEARS = 120;
export const MATERNAL_AGE_YEARS = { min: 10, max: 60 } as const;
/** Family planning counts clients from 10 years (the toolkit's youngest band is 10–14): a child's is a slip. */
export const FAMILY_PLANNING_MIN_AGE_YEARS = 10;
export const MAX_POSTNATAL_NEWBORN_DAYS = 60;

const identifierText = (max: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, ".", "_" or "-", starting with a letter or digit')
    .max(max);

/**
 * Printable text: no control characters other than tab and line breaks, and no lone UTF-16 surrogates.
 * FHIR strings allow nothing else (`[ \r\n\t\S]+`), so anything else accepted here could never be delivered.
 */
const PRINTABLE = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uD800-\uDFFF]*$/u;

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max).regex(PRINTABLE, 'must not contain control characters or invalid Unicode');

const range = (min: number, max: number, unit: string) =>
  z
    .number()
    .min(min, `below the plausible range ${min}–${max} ${unit}`)
    .max(max, `above the plausible range ${min}–${max} ${unit}`);

const wholeRange = (min: number, max: number, unit: string) => range(min, max, unit).int('must be a whole number');

// What FHIR's dateTime allows (and so what can be delivered): at most 9 fractional digits of a second and a
// UTC offset within ±14:00 (`(Z|(+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))`).
const dateTimeWithOffset = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date-time with seconds and a UTC offset, e.g. 2026-10-02T09:30:00+01:00', abort: true })
  .regex(/^[^.]*(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/, { error: 'must have at most 9 fractional digits of a second', abort: true })
  .regex(/(Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))$/, 'must have a UTC offset between -14:00 and +14:00');
const calendarDate = z.iso
  .date({ error: 'must be a calendar date YYYY-MM-DD', abort: true })
  .regex(/^(1[89]|2\d)\d\d-/, 'must be a date between the years 1800 and 2999');

export const FacilitySchema = z
  .strictObject({
    code: text(50).optional().describe('DHIS2 organisation unit code (or a code the alias table maps to one)'),
    uid: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9]{10}$/, 'must be a DHIS2 uid: a letter then 10 letters or digits')
      .optional()
      .describe('DHIS2 organisation unit uid'),
    name: text(230).optional(),
  })
  .describe('The facility where the encounter happened; at least one of code or uid.');

export const PatientSchema = z.strictObject({
  identifiers: z
    .array(
      z.strictObject({
        system: text(100).describe('Which register issued the identifier, e.g. "smc-patient" or a URI'),
        value: text(64),
      }),
    )
    .min(1, 'at least one identifier is required')
    .max(10),
  name: z
    .strictObject({
      given: text(100).optional(),
      family: text(100).optional(),
    })
    .optional(),
  sex: z.enum(['female', 'male', 'other', 'unknown']),
  birthDate: calendarDate.optional(),
  birthDateEstimated: z.boolean().optional().describe('true when the birth date itself is an estimate'),
  estimatedAge: z
    .strictObject({
      value: wholeRange(0, 150, ''),
      unit: z.enum(['years', 'months', 'weeks', 'days']),
    })
    .optional()
    .describe('Age as told at the encounter, when no birth date is known'),
  phone: z
    .string()
    .regex(/^\+?[0-9][0-9 ]{5,19}$/, 'must be a phone number of 6–20 digits, optionally starting with +')
    .optional(),
  village: text(100).optional(),
  coverage: z
    .strictObject({
      scheme: text(100).describe('Mutual-insurance scheme (mutuelle) name or code'),
      memberId: text(64),
      validUntil: calendarDate.optional(),
    })
    .optional(),
});

export const PractitionerSchema = z.strictObject({
  id: identifierText(64).optional(),
  name: text(100).optional(),
  role: z.enum(['doctor', 'nurse', 'midwife', 'clinical_officer', 'chw', 'other']).optional(),
});

export const VitalsSchema = z.strictObject({
  temperatureC: range(30, 45, '°C').optional(),
  weightKg: range(0.3, 300, 'kg').optional(),
  heightCm: range(20, 250, 'cm').optional(),
  systolicMmHg: wholeRange(50, 300, 'mmHg').optional(),
  diastolicMmHg: wholeRange(20, 200, 'mmHg').optional(),
  pulseBpm: wholeRange(20, 250, 'beats/min').optional(),
  respiratoryRate: wholeRange(5, 120, 'breaths/min').optional(),
  spo2Percent: range(50, 100, '%').optional(),
  muacMm: wholeRange(50, 400, 'mm').optional(),
});

export const DiagnosisSchema = z.strictObject({
  code: z
    .string()
    .regex(/^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$/, 'must be an ICD-10 code such as B54 or A09.0'),
  text: text(200).optional(),
});

export const AncSchema = z.strictObject({
  visitNumber: wholeRange(1, 12, 'visits'),
  gestationalAgeWeeks: wholeRange(4, 45, 'weeks'),
  iptpDose: wholeRange(1, 5, 'doses').optional().describe('IPTp-SP dose given at this visit'),
  hemoglobinGdl: range(2, 25, 'g/dL').optional(),
  llinGiven: z.boolean().optional().describe('long-lasting insecticidal net given'),
});

export const DeliverySchema = z.strictObject({
  mode: z.enum(['normal', 'assisted', 'caesarean']),
  place: z.enum(['facility', 'home', 'in_transit']),
  gestationalAgeWeeks: wholeRange(4, 45, 'weeks').optional(),
  outcomes: z
    .array(
      z.strictObject({
        outcome: z.enum(['live_birth', 'fresh_stillbirth', 'macerated_stillbirth']),
        sex: z.enum(['female', 'male', 'unknown']).optional(),
        birthWeightGrams: wholeRange(300, 7000, 'g').optional(),
      }),
    )
    .min(1, 'a delivery has at least one outcome')
    .max(6),
});

export const PostnatalSchema = z.strictObject({
  daysAfterDelivery: wholeRange(0, 42, 'days'),
  subject: z.enum(['mother', 'newborn']).optional().describe('whose check this is; default mother'),
});

export const MalariaSchema = z.strictObject({
  suspected: z.boolean(),
  test: z
    .strictObject({
      method: z.enum(['rdt', 'microscopy']),
      result: z.enum(['positive', 'negative', 'invalid']),
    })
    .optional(),
  severe: z.boolean().optional(),
  treatment: z.enum(['act', 'artesunate_injectable', 'quinine', 'none']).optional(),
});

export const ImmunizationSchema = z.strictObject({
  doses: z
    .array(
      z.strictObject({
        vaccine: z.enum(VACCINES),
        doseNumber: wholeRange(0, 5, '').describe('0 only for the birth dose of OPV (OPV0); BCG and HepB birth dose are dose 1'),
      }),
    )
    .min(1, 'at least one dose is required')
    .max(12),
  pregnant: z.boolean().optional().describe('for tetanus-diphtheria (Td) doses'),
});

export const FamilyPlanningSchema = z.strictObject({
  method: z.enum(FP_METHODS),
  newUser: z.boolean().describe('first time ever using modern contraception'),
});

export const ReferralSchema = z.strictObject({
  target: z
    .strictObject({
      code: text(50).optional().describe('DHIS2 org unit code of the facility referred to'),
      name: text(230).optional(),
    })
    .describe('the facility referred to; at least one of code or name'),
  urgency: z.enum(['routine', 'urgent', 'emergency']),
  reason: text(200).optional(),
});

/** Which section each encounter type must carry. */
export const REQUIRED_SECTION = {
  consultation: undefined,
  anc: 'anc',
  delivery: 'delivery',
  postnatal: 'postnatal',
  malaria: 'malaria',
  immunization: 'immunization',
  family_planning: 'familyPlanning',
  referral: 'referral',
} as const satisfies Record<(typeof ENCOUNTER_TYPES)[number], string | undefined>;

const EncounterShape = z.strictObject({
  schemaVersion: z.literal(SCHEMA_VERSION, { error: `must be "${SCHEMA_VERSION}"` }),
  id: identifierText(64).describe('Stable identifier of the encounter within its source'),
  version: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be 1 or more')
    .max(Number.MAX_SAFE_INTEGER)
    .describe('Increases with every change; a lower version than the one held is ignored as stale'),
  source: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'use lowercase letters, digits and "-" (at most 40)')
    .describe('The system that recorded the encounter; must match the API key'),
  facility: FacilitySchema,
  occurredAt: dateTimeWithOffset.describe("When the encounter happened, with a UTC offset; periods and ages follow the facility's time zone whatever the offset"),
  recordedAt: dateTimeWithOffset.optional(),
  type: z.enum(ENCOUNTER_TYPES),
  status: z.enum(['completed', 'entered-in-error']),
  training: z.boolean().optional().describe('Practice data: never reaches DHIS2 or the FHIR server'),
  patient: PatientSchema,
  practitioner: PractitionerSchema.optional(),
  vitals: VitalsSchema.optional(),
  diagnoses: z.array(DiagnosisSchema).max(20).optional(),
  treatments: z.array(z.enum(TREATMENTS)).max(20).optional(),
  anc: AncSchema.optional(),
  delivery: DeliverySchema.optional(),
  postnatal: PostnatalSchema.optional(),
  malaria: MalariaSchema.optional(),
  immunization: ImmunizationSchema.optional(),
  familyPlanning: FamilyPlanningSchema.optional(),
  referral: ReferralSchema.optional(),
});

export type Encounter = z.infer<typeof EncounterShape>;
export type EncounterType = Encounter['type'];
export type Patient = Encounter['patient'];

export type RuleIssue = { path: (string | number)[]; message: string };

/**
 * Rules that relate several fields of one encounter. Pure: no clock. Dates are compared on the encounter's
 * local date in the facility's time zone (the offset `occurredAt` carries when no zone is given).
 */
export function checkEncounterRules(encounter: Encounter, timeZone?: TimeZone): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const { patient, occurredAt, facility } = encounter;
  const postnatalNewborn = encounter.postnatal?.subject === 'newborn';

  if (facility.code === undefined && facility.uid === undefined) {
    issues.push({ path: ['facility'], message: 'needs a DHIS2 org unit code or uid' });
  }
  if (localDateOf(occurredAt, timeZone) < EARLIEST_ENCOUNTER_DATE) {
    issues.push({ path: ['occurredAt'], message: `is before ${EARLIEST_ENCOUNTER_DATE}; check the device clock` });
  }

  if (patient.birthDate === undefined && patient.estimatedAge === undefined) {
    issues.push({ path: ['patient', 'birthDate'], message: 'is required when there is no estimatedAge' });
  } else if (patient.birthDate !== undefined && patient.estimatedAge !== undefined) {
    issues.push({
      path: ['patient', 'estimatedAge'],
      message: 'give either birthDate (with birthDateEstimated when unsure) or estimatedAge, not both',
    });
  } else {
    const { days, years } = ageAt(patient, occurredAt, timeZone) as Required<AgeAtEncounter>;
    const agePath = patient.birthDate !== undefined ? 'birthDate' : 'estimatedAge';
    if (days < 0) {
      issues.push({ path: ['patient', agePath], message: 'is after the encounter date' });
    } else if (years > MAX_AGE_YEARS) {
      issues.push({ path: ['patient', agePath], message: `implies an age over ${MAX_AGE_YEARS} years` });
    } else if (postnatalNewborn) {
      if (days > MAX_POSTNATAL_NEWBORN_DAYS) {
        issues.push({ path: ['patient', agePath], message: `implies a newborn older than ${MAX_POSTNATAL_NEWBORN_DAYS} days` });
      }
    } else if (['anc', 'delivery', 'postnatal'].includes(encounter.type) || encounter.anc || encounter.delivery || encounter.postnatal) {
      if (years < MATERNAL_AGE_YEARS.min || years > MATERNAL_AGE_YEARS.max) {
        issues.push({
          path: ['patient', agePath],
          message: `implies a maternal age of ${years} years, outside ${MATERNAL_AGE_YEARS.min}–${MATERNAL_AGE_YEARS.max}`,
        });
      }
    } else if (encounter.type === 'family_planning' || encounter.familyPlanning) {
      if (years < FAMILY_PLANNING_MIN_AGE_YEARS) {
        issues.push({ path: ['patient', agePath], message: `implies a family planning client of ${years} years, under ${FAMILY_PLANNING_MIN_AGE_YEARS}` });
      }
    }
  }

  const pregnancyRelated =
    ['anc', 'delivery'].includes(encounter.type) ||
    (encounter.type === 'postnatal' && !postnatalNewborn) ||
    encounter.anc ||
    encounter.delivery ||
    (encounter.postnatal && !postnatalNewborn) ||
    encounter.immunization?.pregnant;
  if (pregnancyRelated && patient.sex !== 'female') {
    issues.push({ path: ['patient', 'sex'], message: 'must be female for pregnancy, delivery or postnatal care' });
  }

  const section = REQUIRED_SECTION[encounter.type];
  if (section !== undefined && encounter[section] === undefined) {
    issues.push({ path: [section], message: `is required for an encounter of type "${encounter.type}"` });
  }

  const vitals = encounter.vitals;
  if (vitals?.systolicMmHg !== undefined && vitals.diastolicMmHg !== undefined) {
    if (vitals.diastolicMmHg >= vitals.systolicMmHg) {
      issues.push({ path: ['vitals', 'diastolicMmHg'], message: 'must be lower than systolicMmHg' });
    }
  }

  const referral = encounter.referral;
  if (referral && referral.target.code === undefined && referral.target.name === undefined) {
    issues.push({ path: ['referral', 'target'], message: 'needs the code or the name of the facility referred to' });
  }

  const malaria = encounter.malaria;
  if (malaria?.test && !malaria.suspected) {
    issues.push({ path: ['malaria', 'suspected'], message: 'must be true when a malaria test was done' });
  }

  if (encounter.recordedAt !== undefined && Date.parse(encounter.recordedAt) < Date.parse(occurredAt)) {
    issues.push({ path: ['recordedAt'], message: 'is before occurredAt' });
  }
  return issues;
}

/**
 * The structure of the contract as a zod schema. The cross-field rules are not attached to it: zod runs
 * refinements even after a field failed, and the rules need well-formed dates. `validateEncounter` applies
 * both, in that order.
 */
export const EncounterSchema = EncounterShape.describe(`SMC clinic encounter, contract version ${SCHEMA_VERSION}`);
