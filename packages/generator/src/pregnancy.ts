// Pregnancies: who can become pregnant, how gestational age is counted from the last menstrual period, and
// starting one when a woman first shows up pregnant (at ANC, for a Td dose, or already in labour).
import { addDays, daysBetween } from './calendar.js';
import { ageInYears, createPerson, type Person } from './people.js';
import type { WeightedChoices } from './random.js';
import type { Pregnancy } from './register.js';
import type { Visit } from './visit.js';

/** Age bands of pregnant women, as completed years. */
const MATERNAL_AGES: WeightedChoices<readonly [number, number]> = [
  [[15, 19], 18],
  [[20, 24], 28],
  [[25, 29], 24],
  [[30, 34], 16],
  [[35, 39], 10],
  [[40, 44], 4],
];

const BIRTH_SPACING_DAYS = 365;

export function gestationalAgeWeeks(pregnancy: Pregnancy, date: string): number {
  return Math.floor(daysBetween(pregnancy.lmp, date) / 7);
}

/** Not pregnant, of childbearing age and not just delivered. */
export function canConceive(person: Person, date: string): boolean {
  if (person.sex !== 'female') return false;
  const years = ageInYears(person, date);
  return (
    years >= 16 &&
    years <= 42 &&
    (person.pregnantUntil === undefined || person.pregnantUntil < date) &&
    (person.nextPregnancyFrom === undefined || person.nextPregnancyFrom <= date)
  );
}

export function isPregnant(person: Person, date: string): boolean {
  return person.pregnantUntil !== undefined && person.pregnantUntil >= date;
}

/** A new woman of childbearing age. */
export function createMother(visit: Visit): Person {
  return createPerson(visit, { sex: 'female', age: { years: visit.random.weighted(MATERNAL_AGES) } });
}

/**
 * A pregnancy first seen on the visit date at `weeks` of gestation. Not tracked: the caller decides
 * whether the facility follows it.
 */
export function startPregnancy(visit: Visit, weeks: number, mother: Person): Pregnancy {
  const lmp = addDays(visit.date, -(weeks * 7 + visit.random.int(0, 6)));
  mother.pregnantUntil = addDays(lmp, 42 * 7);
  mother.nextPregnancyFrom = addDays(lmp, 40 * 7 + BIRTH_SPACING_DAYS);
  return { mother, lmp, ancVisits: 0, iptpDoses: 0, nextAncDue: visit.date, ended: false };
}
