// Outpatient consultations: the everyday illnesses of a rural health centre by age group, with the
// treatments national guidelines give for them (amoxicillin for child pneumonia, ORS + zinc for diarrhoea).
import { ageGroupOf, ageInDays, createPersonOfGroup, type AgeGroup, type Person } from './people.js';
import type { Random, WeightedChoices } from './random.js';
import type { Condition, VitalsProfile } from './vitals.js';
import { measureVitals } from './vitals.js';
import { uniqueTreatments, type ClinicalRecord, type Diagnosis, type Treatment, type Visit } from './visit.js';

interface Illness {
  code: string;
  text: string;
  /** Relative frequency per age group (under 1, 1–4, 5–14, 15–49, 50+). */
  frequency: readonly [number, number, number, number, number];
  minAgeDays?: number;
  condition?: Condition;
  treat: (random: Random, underFive: boolean) => Treatment[];
}

const maybe = (random: Random, p: number, treatment: Treatment): Treatment[] => (random.chance(p) ? [treatment] : []);

const ILLNESSES: readonly Illness[] = [
  { code: 'B54', text: 'Malaria, unspecified (clinical)', frequency: [8, 12, 12, 10, 6], condition: { fever: true }, treat: (r) => maybe(r, 0.7, 'paracetamol') },
  { code: 'J06.9', text: 'Acute upper respiratory infection', frequency: [22, 20, 16, 10, 6], treat: (r) => maybe(r, 0.6, 'paracetamol') },
  {
    code: 'J18.9',
    text: 'Pneumonia, unspecified',
    frequency: [14, 10, 3, 3, 5],
    minAgeDays: 7,
    condition: { fever: true, pneumonia: true },
    treat: (r, underFive) =>
      underFive ? ['amoxicillin', ...maybe(r, 0.5, 'paracetamol')] : [r.chance(0.75) ? 'amoxicillin' : 'other', ...maybe(r, 0.5, 'paracetamol')],
  },
  { code: 'A09.9', text: 'Gastroenteritis and colitis of unspecified origin', frequency: [18, 16, 6, 5, 4], treat: (_r, underFive) => (underFive ? ['ors', 'zinc'] : ['ors']) },
  { code: 'L08.9', text: 'Local infection of skin and subcutaneous tissue', frequency: [6, 8, 10, 6, 4], treat: (r) => [r.chance(0.35) ? 'cotrimoxazole' : 'other'] },
  { code: 'K29.7', text: 'Gastritis, unspecified', frequency: [0, 0, 2, 12, 10], treat: () => ['other'] },
  { code: 'I10', text: 'Essential (primary) hypertension', frequency: [0, 0, 0, 4, 18], minAgeDays: 25 * 365, condition: { hypertension: true }, treat: () => ['other'] },
  { code: 'B82.9', text: 'Intestinal parasitism, unspecified', frequency: [0, 8, 10, 3, 2], minAgeDays: 365, treat: () => ['mebendazole'] },
  { code: 'H66.9', text: 'Otitis media, unspecified', frequency: [4, 5, 3, 1, 0], treat: (r) => ['amoxicillin', ...maybe(r, 0.4, 'paracetamol')] },
  { code: 'H10.9', text: 'Conjunctivitis, unspecified', frequency: [5, 4, 4, 3, 3], treat: () => ['other'] },
  { code: 'E44.0', text: 'Moderate protein-energy malnutrition', frequency: [3, 4, 0, 0, 0], minAgeDays: 183, condition: { wasting: true }, treat: (r) => ['vitamin_a', ...maybe(r, 0.5, 'other')] },
  { code: 'D64.9', text: 'Anaemia, unspecified', frequency: [3, 4, 3, 4, 3], minAgeDays: 90, treat: () => ['iron_folic_acid'] },
  { code: 'N39.0', text: 'Urinary tract infection, site not specified', frequency: [0, 1, 2, 8, 6], treat: (r) => [r.chance(0.3) ? 'cotrimoxazole' : 'other'] },
  { code: 'M54.5', text: 'Low back pain', frequency: [0, 0, 0, 8, 12], treat: () => ['paracetamol'] },
  { code: 'R51', text: 'Headache', frequency: [0, 0, 4, 6, 4], treat: () => ['paracetamol'] },
  { code: 'A01.0', text: 'Typhoid fever', frequency: [0, 1, 3, 4, 2], condition: { fever: true }, treat: (r) => ['other', ...maybe(r, 0.6, 'paracetamol')] },
  { code: 'E11.9', text: 'Type 2 diabetes mellitus without complications', frequency: [0, 0, 0, 2, 6], minAgeDays: 30 * 365, treat: () => ['other'] },
  { code: 'B35.4', text: 'Tinea corporis', frequency: [1, 3, 6, 2, 1], treat: () => ['other'] },
];

const AGE_GROUP_INDEX: Record<AgeGroup, number> = { infant: 0, young: 1, school: 2, adult: 3, older: 4 };

const ATTENDANCE_BY_AGE: WeightedChoices<AgeGroup> = [
  ['infant', 10],
  ['young', 22],
  ['school', 18],
  ['adult', 35],
  ['older', 15],
];

const HYPERTENSION = ILLNESSES.find((illness) => illness.code === 'I10') as Illness;

function chooseIllness(random: Random, person: Person, date: string, except?: Illness): Illness {
  const group = AGE_GROUP_INDEX[ageGroupOf(person, date)];
  const days = ageInDays(person, date);
  const choices = ILLNESSES.filter((illness) => illness !== except && days >= (illness.minAgeDays ?? 0)).map(
    (illness) => [illness, illness.frequency[group] ?? 0] as const,
  );
  return random.weighted(choices);
}

function mergeConditions(illnesses: readonly Illness[], random: Random): Condition {
  const condition: Condition = {};
  for (const illness of illnesses) Object.assign(condition, illness.condition);
  // Not every respiratory infection comes with a measured fever.
  if (!condition.fever && illnesses.some((illness) => illness.code === 'J06.9') && random.chance(0.4)) condition.fever = true;
  return condition;
}

export function consultation(visit: Visit): ClinicalRecord {
  const { random, register, date } = visit;
  const person =
    (random.chance(0.35) ? register.findReturning(random, () => true) : undefined) ??
    createPersonOfGroup(visit, random.weighted(ATTENDANCE_BY_AGE));

  const followUp = person.chronicCondition === 'hypertension' && random.chance(0.7);
  const main = followUp ? HYPERTENSION : chooseIllness(random, person, date);
  const illnesses = [main];
  if (random.chance(0.12)) illnesses.push(chooseIllness(random, person, date, main));
  if (illnesses.includes(HYPERTENSION)) person.chronicCondition = 'hypertension';

  const days = ageInDays(person, date);
  const underFive = days < 5 * 365;
  const condition = mergeConditions(illnesses, random);
  const child = days < 15 * 365;
  const profile: VitalsProfile = {
    temperature: 0.9,
    weight: child ? 0.95 : 0.7,
    height: child ? 0.3 : 0.1,
    bloodPressure: condition.hypertension ? 1 : 0.6,
    pulse: 0.5,
    respiratoryRate: condition.pneumonia ? 0.9 : child ? 0.5 : 0.2,
    spo2: condition.pneumonia ? 0.6 : 0.15,
    muac: !underFive ? 0 : condition.wasting ? 1 : 0.5,
  };
  const vitals = measureVitals(random, person, date, profile, condition);
  const diagnoses: Diagnosis[] = illnesses.map(({ code, text }) => ({ code, text }));
  const treatments = uniqueTreatments(illnesses.flatMap((illness) => illness.treat(random, underFive)));
  return {
    person,
    staffRoles: ['nurse', 'clinical_officer', 'doctor'],
    ...(vitals ? { vitals } : {}),
    diagnoses,
    ...(treatments.length > 0 ? { treatments } : {}),
  };
}
