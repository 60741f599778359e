// Referrals to the district hospital (Cameroon) or CSRef (Mali) for what a health centre cannot manage,
// each reason with the patients it plausibly concerns and its usual urgency.
import type { Encounter } from '@smc-bridge/contract';
import { ageInYears, createPerson, type Person, type Sex } from './people.js';
import type { WeightedChoices } from './random.js';
import { measureVitals, type Condition } from './vitals.js';
import type { ClinicalRecord, Visit } from './visit.js';

type Urgency = NonNullable<Encounter['referral']>['urgency'];

interface ReferralReason {
  code: string;
  text: string;
  /** Completed years, inclusive. */
  ages: readonly [number, number];
  sex?: Sex;
  urgency: WeightedChoices<Urgency>;
  condition?: Condition;
}

const REASONS: WeightedChoices<ReferralReason> = [
  [{ code: 'B50.8', text: 'Severe malaria', ages: [0, 80], urgency: [['emergency', 6], ['urgent', 4]], condition: { fever: true, severe: true } }, 20],
  [{ code: 'J18.9', text: 'Severe pneumonia', ages: [0, 4], urgency: [['urgent', 6], ['emergency', 4]], condition: { fever: true, pneumonia: true, severe: true } }, 12],
  [{ code: 'E43', text: 'Severe acute malnutrition', ages: [0, 4], urgency: [['urgent', 7], ['routine', 3]], condition: { wasting: true } }, 8],
  [{ code: 'O66.9', text: 'Obstructed labour', ages: [16, 44], sex: 'female', urgency: [['emergency', 1]] }, 8],
  [{ code: 'O14.9', text: 'Pre-eclampsia', ages: [16, 44], sex: 'female', urgency: [['emergency', 6], ['urgent', 4]], condition: { hypertension: true } }, 6],
  [{ code: 'O72.1', text: 'Postpartum haemorrhage', ages: [16, 44], sex: 'female', urgency: [['emergency', 1]] }, 4],
  [{ code: 'I10', text: 'Uncontrolled hypertension', ages: [35, 85], urgency: [['routine', 7], ['urgent', 3]], condition: { hypertension: true } }, 10],
  [{ code: 'E11.9', text: 'Diabetes for specialist review', ages: [30, 85], urgency: [['routine', 1]] }, 5],
  [{ code: 'A16.9', text: 'Suspected tuberculosis', ages: [15, 80], urgency: [['routine', 8], ['urgent', 2]] }, 7],
  [{ code: 'T14.2', text: 'Suspected fracture', ages: [2, 80], urgency: [['urgent', 7], ['routine', 3]] }, 8],
  [{ code: 'T63.0', text: 'Snake bite', ages: [3, 70], urgency: [['emergency', 1]] }, 4],
  [{ code: 'H26.9', text: 'Cataract', ages: [50, 85], urgency: [['routine', 1]] }, 4],
];

function fits(reason: ReferralReason, person: Person, date: string): boolean {
  const years = ageInYears(person, date);
  return years >= reason.ages[0] && years <= reason.ages[1] && (reason.sex === undefined || reason.sex === person.sex);
}

export function referral(visit: Visit): ClinicalRecord {
  const { random, register, facility, date } = visit;
  const reason = random.weighted(REASONS);
  const person =
    (random.chance(0.3) ? register.findReturning(random, (candidate) => fits(reason, candidate, date)) : undefined) ??
    createPerson(visit, {
      sex: reason.sex ?? (random.chance(0.5) ? 'female' : 'male'),
      age: reason.ages[0] === 0 ? { days: [30, reason.ages[1] * 365 + 364] } : { years: reason.ages },
    });
  const vitals = measureVitals(
    random,
    person,
    date,
    { temperature: 0.7, bloodPressure: 0.5, pulse: 0.6, respiratoryRate: 0.3, weight: 0.4 },
    reason.condition ?? {},
  );
  return {
    person,
    staffRoles: ['nurse', 'clinical_officer', 'doctor', 'midwife'],
    ...(vitals ? { vitals } : {}),
    diagnoses: [{ code: reason.code, text: reason.text }],
    referral: { target: { code: facility.referralTarget.code, name: facility.referralTarget.name }, urgency: random.weighted(reason.urgency), reason: reason.text },
  };
}
