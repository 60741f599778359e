// Synthetic people: who a patient is (name, sex, birth, village, phone, mutuelle), what the generator
// remembers about them between visits, and how they are written into an encounter's `patient` on a date.
import type { Encounter, Patient } from '@smc-bridge/contract';
import { addToDate, daysBetween, yearsBetween } from './calendar.js';
import { COUNTRY_PROFILES, phoneNumber, type Country } from './countries.js';
import { NAME_BOOKS } from './names.js';
import type { Visit } from './visit.js';

export type Sex = 'female' | 'male';
export type FamilyPlanningMethod = NonNullable<Encounter['familyPlanning']>['method'];

/** How the patient's age is written down: a known birth date, a guessed one, or just an age in years. */
export type AgeRecording = 'birthDate' | 'estimatedBirthDate' | 'estimatedAge';

export interface Person {
  identifier: string;
  country: Country;
  sex: Sex;
  given: string;
  family: string;
  /** The true birth date; what is recorded depends on `ageRecording`. */
  birthDate: string;
  ageRecording: AgeRecording;
  phone?: string;
  village: string;
  coverage?: NonNullable<Patient['coverage']>;
  /** Body size relative to the median for age and sex; stays with the person from visit to visit. */
  build: number;
  chronicCondition?: 'hypertension';
  /** While pregnant (to the expected or actual delivery date). */
  pregnantUntil?: string;
  /** No new pregnancy starts before this date (birth spacing). */
  nextPregnancyFrom?: string;
  tdDoses: number;
  lastTdDate?: string;
  familyPlanningMethod?: FamilyPlanningMethod;
}

/** An age range in completed years, or in days for infants. */
export type AgeSpec = { years: readonly [number, number] } | { days: readonly [number, number] };

export interface PersonSpec {
  sex: Sex;
  age: AgeSpec;
  /** Known birth date (newborns), overriding `age`. */
  birthDate?: string;
  phone?: string;
  family?: string;
}

export const ADULT_AGE_YEARS = 15;

function birthDateFor(visit: Visit, age: AgeSpec): string {
  const { random, date } = visit;
  if ('days' in age) return addToDate(date, { days: -random.int(age.days[0], age.days[1]) });
  // Completed years plus 0–364 days keeps the age in whole years exactly as drawn.
  return addToDate(date, { years: -random.int(age.years[0], age.years[1]), days: -random.int(0, 364) });
}

function ageRecordingFor(visit: Visit, ageYears: number): AgeRecording {
  if (ageYears >= ADULT_AGE_YEARS) {
    return visit.random.weighted<AgeRecording>([
      ['birthDate', 40],
      ['estimatedBirthDate', 30],
      ['estimatedAge', 30],
    ]);
  }
  return ageYears >= 2 && visit.random.chance(0.08) ? 'estimatedBirthDate' : 'birthDate';
}

/** A new patient registered at the visit's facility (and remembered there for return visits). */
export function createPerson(visit: Visit, spec: PersonSpec): Person {
  const { random, facility, register } = visit;
  const country = facility.country;
  const names = NAME_BOOKS[country];
  const birthDate = spec.birthDate ?? birthDateFor(visit, spec.age);
  const ageYears = yearsBetween(birthDate, visit.date);
  const villages = facility.catchmentVillages;
  const person: Person = {
    identifier: register.newPatientIdentifier(),
    country,
    sex: spec.sex,
    given: random.pick(spec.sex === 'female' ? names.female : names.male),
    family: spec.family ?? random.pick(names.family),
    birthDate,
    ageRecording: ageRecordingFor(visit, ageYears),
    village: random.chance(0.5) ? (villages[0] as string) : random.pick(villages),
    build: random.clampedNormal(1, 0.1, 0.75, 1.35),
    tdDoses: 0,
  };
  const hasPhone = random.chance(ageYears >= ADULT_AGE_YEARS ? 0.65 : 0.45); // a child's is the caregiver's
  const phone = spec.phone ?? (hasPhone ? phoneNumber(random, country) : undefined);
  if (phone !== undefined) person.phone = phone;
  const profile = COUNTRY_PROFILES[country];
  if (random.chance(profile.mutualCoverageRate)) {
    const scheme = random.pick(profile.mutualSchemes);
    person.coverage = {
      scheme: scheme.name,
      memberId: `${scheme.code}-${String(random.int(1, 999_999)).padStart(6, '0')}`,
      ...(random.chance(0.6) ? { validUntil: `${visit.date.slice(0, 4)}-12-31` } : {}),
    };
  }
  register.remember(random, person);
  return person;
}

export function ageInDays(person: Person, date: string): number {
  return daysBetween(person.birthDate, date);
}

export function ageInYears(person: Person, date: string): number {
  return yearsBetween(person.birthDate, date);
}

/** The contract's `patient` for this person at an encounter on `date`. */
export function toPatient(person: Person, date: string): Patient {
  const patient: Patient = {
    identifiers: [{ system: 'smc-patient', value: person.identifier }],
    name: { given: person.given, family: person.family },
    sex: person.sex,
  };
  switch (person.ageRecording) {
    case 'birthDate':
      patient.birthDate = person.birthDate;
      break;
    case 'estimatedBirthDate':
      // A guessed birth year, written as 1 January: never after the true birth date.
      patient.birthDate = `${person.birthDate.slice(0, 4)}-01-01`;
      patient.birthDateEstimated = true;
      break;
    case 'estimatedAge': {
      // Told ages from 30 on cluster on multiples of five, as they do in real registers.
      const years = ageInYears(person, date);
      patient.estimatedAge = { value: years >= 30 ? Math.round(years / 5) * 5 : years, unit: 'years' };
      break;
    }
  }
  if (person.phone !== undefined) patient.phone = person.phone;
  patient.village = person.village;
  if (person.coverage !== undefined) patient.coverage = { ...person.coverage };
  return patient;
}

/** Age bands as clinics count them: under 1, 1–4, 5–14, 15–49, 50 and over. */
export type AgeGroup = 'infant' | 'young' | 'school' | 'adult' | 'older';

export const AGE_GROUP_SPECS: Record<AgeGroup, AgeSpec> = {
  infant: { days: [1, 364] },
  young: { years: [1, 4] },
  school: { years: [5, 14] },
  adult: { years: [15, 49] },
  older: { years: [50, 85] },
};

export function ageGroupOf(person: Person, date: string): AgeGroup {
  const years = ageInYears(person, date);
  if (years < 1) return 'infant';
  if (years < 5) return 'young';
  if (years < ADULT_AGE_YEARS) return 'school';
  return years < 50 ? 'adult' : 'older';
}

/** A new patient of a given age group; adults are more often women, as in clinic attendance. */
export function createPersonOfGroup(visit: Visit, group: AgeGroup, femaleShareOfAdults = 0.6): Person {
  const adult = group === 'adult' || group === 'older';
  const sex: Sex = visit.random.chance(adult ? femaleShareOfAdults : 0.5) ? 'female' : 'male';
  return createPerson(visit, { sex, age: AGE_GROUP_SPECS[group] });
}
