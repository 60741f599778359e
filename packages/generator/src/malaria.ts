// Malaria test-and-treat: every suspected (febrile) case should be tested, by RDT mostly or microscopy;
// confirmed cases get an ACT, severe ones injectable artesunate. Positivity is highest in children and in
// the rainy season.
import type { Encounter } from '@smc-bridge/contract';
import { ageGroupOf, createPersonOfGroup, type AgeGroup } from './people.js';
import type { Random, WeightedChoices } from './random.js';
import { measureVitals } from './vitals.js';
import type { ClinicalRecord, Diagnosis, Treatment, Visit } from './visit.js';

type MalariaSection = NonNullable<Encounter['malaria']>;
type MalariaTreatment = NonNullable<MalariaSection['treatment']>;
type TestOutcome = 'positive' | 'negative' | 'invalid' | 'untested';

export const TEST_RATE = 0.9;
const MICROSCOPY_SHARE = 0.15;
const INVALID_TEST_RATE = 0.01;

const FEVER_CASES_BY_AGE: WeightedChoices<AgeGroup> = [
  ['infant', 12],
  ['young', 28],
  ['school', 25],
  ['adult', 27],
  ['older', 8],
];

function positivity(group: AgeGroup, rainySeason: boolean): number {
  const base = group === 'infant' || group === 'young' ? 0.48 : group === 'school' ? 0.44 : 0.3;
  return base * (rainySeason ? 1.1 : 0.75);
}

function treatmentFor(random: Random, result: TestOutcome, severe: boolean): MalariaTreatment {
  if (severe) return random.chance(0.85) ? 'artesunate_injectable' : 'quinine';
  switch (result) {
    case 'positive':
      return random.chance(0.95) ? 'act' : 'none'; // the rest: ACT stock-out
    case 'negative':
      return random.chance(0.06) ? 'act' : 'none';
    case 'invalid':
      return random.chance(0.5) ? 'act' : 'none';
    case 'untested':
      return random.chance(0.75) ? 'act' : 'none';
  }
}

function diagnosisFor(result: TestOutcome, method: 'rdt' | 'microscopy' | undefined, severe: boolean): Diagnosis {
  if (severe) return { code: 'B50.8', text: 'Severe falciparum malaria' };
  if (result === 'positive') {
    return method === 'microscopy'
      ? { code: 'B50.9', text: 'Plasmodium falciparum malaria, unspecified' }
      : { code: 'B54', text: 'Malaria, confirmed by RDT' };
  }
  if (result === 'untested') return { code: 'B54', text: 'Malaria, clinical (not tested)' };
  return { code: 'R50.9', text: 'Fever, unspecified' };
}

export function malaria(visit: Visit): ClinicalRecord {
  const { random, register, date, rainySeason } = visit;
  const person =
    (random.chance(0.25) ? register.findReturning(random, () => true) : undefined) ??
    createPersonOfGroup(visit, random.weighted(FEVER_CASES_BY_AGE));
  const group = ageGroupOf(person, date);
  const underFive = group === 'infant' || group === 'young';

  const section: MalariaSection = { suspected: true };
  let result: TestOutcome = 'untested';
  let method: 'rdt' | 'microscopy' | undefined;
  if (random.chance(TEST_RATE)) {
    method = random.chance(MICROSCOPY_SHARE) ? 'microscopy' : 'rdt';
    result = random.chance(INVALID_TEST_RATE) ? 'invalid' : random.chance(positivity(group, rainySeason)) ? 'positive' : 'negative';
    section.test = { method, result };
  }
  const severe = (result === 'positive' || result === 'untested') && random.chance(underFive ? 0.1 : 0.05);
  if (result === 'positive' || result === 'untested') section.severe = severe;
  section.treatment = treatmentFor(random, result, severe);

  const vitals = measureVitals(
    random,
    person,
    date,
    { temperature: 0.95, weight: 0.9, pulse: severe ? 0.9 : 0.4, respiratoryRate: severe ? 0.8 : 0.2, spo2: severe ? 0.5 : 0.05 },
    { fever: severe || random.chance(0.85), severe },
  );
  const treatments: Treatment[] = random.chance(0.7) ? ['paracetamol'] : [];
  return {
    person,
    staffRoles: ['nurse', 'clinical_officer', 'doctor', 'chw'],
    ...(vitals ? { vitals } : {}),
    diagnoses: [diagnosisFor(result, method, severe)],
    ...(treatments.length > 0 ? { treatments } : {}),
    malaria: section,
  };
}
