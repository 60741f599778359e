// Family planning: mostly women of reproductive age coming for a method or a resupply (returning users keep
// their method), some men collecting condoms. The new-user flag means first-ever use of modern contraception.
import { ageInYears, createPerson, type FamilyPlanningMethod, type Person } from './people.js';
import { isPregnant } from './pregnancy.js';
import type { WeightedChoices } from './random.js';
import { measureVitals } from './vitals.js';
import type { ClinicalRecord, Visit } from './visit.js';

const METHODS_FOR_WOMEN: WeightedChoices<FamilyPlanningMethod> = [
  ['injectable', 32],
  ['implant', 22],
  ['pill', 16],
  ['iud', 6],
  ['male_condom', 6],
  ['lam', 4],
  ['fertility_awareness', 4],
  ['female_condom', 2],
  ['emergency', 2],
  ['female_sterilization', 1],
];

const WOMEN_AGES: WeightedChoices<readonly [number, number]> = [
  [[15, 19], 16],
  [[20, 24], 24],
  [[25, 29], 22],
  [[30, 34], 17],
  [[35, 39], 12],
  [[40, 49], 9],
];

const MALE_SHARE = 0.1;
/** Among clients new to this facility: how many never used modern contraception before. */
const FIRST_TIME_SHARE = 0.45;

function isReturningClient(person: Person, date: string): boolean {
  const years = ageInYears(person, date);
  return (
    person.sex === 'female' &&
    years >= 15 &&
    years <= 49 &&
    !isPregnant(person, date) &&
    person.familyPlanningMethod !== undefined
  );
}

export function familyPlanning(visit: Visit): ClinicalRecord {
  const { random, register, date } = visit;
  let person: Person | undefined;
  let newUser = false;
  let method: FamilyPlanningMethod;

  if (random.chance(MALE_SHARE)) {
    person = createPerson(visit, { sex: 'male', age: { years: [18, 55] } });
    method = 'male_condom';
    newUser = random.chance(0.3);
  } else {
    person = random.chance(0.45) ? register.findReturning(random, (candidate) => isReturningClient(candidate, date), 12) : undefined;
    if (person?.familyPlanningMethod !== undefined) {
      // Resupply; a few switch method.
      method = random.chance(0.9) ? person.familyPlanningMethod : random.weighted(METHODS_FOR_WOMEN);
    } else {
      person = createPerson(visit, { sex: 'female', age: { years: random.weighted(WOMEN_AGES) } });
      method = random.weighted(METHODS_FOR_WOMEN);
      newUser = random.chance(FIRST_TIME_SHARE);
    }
  }
  person.familyPlanningMethod = method;

  const vitals = measureVitals(random, person, date, { bloodPressure: person.sex === 'female' ? 0.6 : 0.1, weight: 0.5 });
  return {
    person,
    staffRoles: ['midwife', 'nurse', 'chw'],
    ...(vitals ? { vitals } : {}),
    diagnoses: [
      newUser
        ? { code: 'Z30.0', text: 'General counselling and advice on contraception' }
        : { code: 'Z30.4', text: 'Surveillance of contraceptive drugs' },
    ],
    familyPlanning: { method, newUser },
  };
}
