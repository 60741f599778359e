// Immunization following the EPI schedule: children get the doses due for their age (birth, 6/10/14
// weeks, 6–7 months, 9, 15 and 24 months) and come back for the next contact; pregnant women get Td.
import type { Encounter } from '@smc-bridge/contract';
import { addDays, addToDate, daysBetween, laterDate } from './calendar.js';
import { ageInDays, createPerson, type Person } from './people.js';
import { createMother, gestationalAgeWeeks, startPregnancy } from './pregnancy.js';
import type { Random } from './random.js';
import type { ChildSchedule, Pregnancy } from './register.js';
import { measureVitals } from './vitals.js';
import type { ClinicalRecord, Treatment, Visit } from './visit.js';

type ImmunizationSection = NonNullable<Encounter['immunization']>;
export type Dose = ImmunizationSection['doses'][number];
export type Vaccine = Dose['vaccine'];

export interface EpiContact {
  label: string;
  age: { unit: 'weeks' | 'months'; value: number };
  doses: readonly Dose[];
  /** Relative share of children first seen here at this contact. */
  firstSeenWeight: number;
}

const dose = (vaccine: Vaccine, doseNumber: number): Dose => ({ vaccine, doseNumber });

export const EPI_SCHEDULE: readonly EpiContact[] = [
  { label: 'birth', age: { unit: 'weeks', value: 0 }, doses: [dose('bcg', 1), dose('opv', 0), dose('hepb_birth', 1)], firstSeenWeight: 18 },
  { label: '6 weeks', age: { unit: 'weeks', value: 6 }, doses: [dose('penta', 1), dose('opv', 1), dose('pcv', 1), dose('rota', 1)], firstSeenWeight: 16 },
  { label: '10 weeks', age: { unit: 'weeks', value: 10 }, doses: [dose('penta', 2), dose('opv', 2), dose('pcv', 2), dose('rota', 2)], firstSeenWeight: 14 },
  {
    label: '14 weeks',
    age: { unit: 'weeks', value: 14 },
    doses: [dose('penta', 3), dose('opv', 3), dose('pcv', 3), dose('rota', 3), dose('ipv', 1)],
    firstSeenWeight: 14,
  },
  { label: '6 months', age: { unit: 'months', value: 6 }, doses: [dose('malaria', 1)], firstSeenWeight: 6 },
  { label: '7 months', age: { unit: 'months', value: 7 }, doses: [dose('malaria', 2)], firstSeenWeight: 5 },
  { label: '9 months', age: { unit: 'months', value: 9 }, doses: [dose('mr', 1), dose('yf', 1), dose('malaria', 3), dose('ipv', 2)], firstSeenWeight: 14 },
  { label: '15 months', age: { unit: 'months', value: 15 }, doses: [dose('mr', 2), dose('mena', 1)], firstSeenWeight: 8 },
  { label: '24 months', age: { unit: 'months', value: 24 }, doses: [dose('malaria', 4)], firstSeenWeight: 5 },
];

/** The date a child born on `birthDate` becomes due for a contact. */
export function contactDueDate(birthDate: string, contact: EpiContact): string {
  return addToDate(birthDate, { [contact.age.unit]: contact.age.value });
}

const MIN_DAYS_BETWEEN_CONTACTS = 28;
const CONTINUES_SCHEDULE = 0.85;
const FIVE_YEARS_DAYS = 5 * 365;
const TD_SHARE = 0.12;
const HPV_SHARE = 0.02;

/** The contact's doses, minus the odd vaccine out of stock (at least one dose is always given). */
function dosesGiven(random: Random, contact: EpiContact): Dose[] {
  const given = contact.doses.filter((_, index) => index === 0 || !random.chance(0.03));
  return given.map((d) => ({ ...d }));
}

function dueChild(visit: Visit): ChildSchedule | undefined {
  const { register, date, random } = visit;
  const next = register.children.peek();
  if (next === undefined || next.due > date || random.chance(0.35)) return undefined;
  register.children.pop();
  return next;
}

function newChild(visit: Visit): ChildSchedule {
  const { random, date } = visit;
  const nextContact = random.weighted(EPI_SCHEDULE.map((contact, index) => [index, contact.firstSeenWeight] as const));
  const contact = EPI_SCHEDULE[nextContact] as EpiContact;
  const delayDays = contact.age.value === 0 ? random.int(0, 13) : random.chance(0.85) ? random.int(0, 28) : random.int(29, 120);
  const birthDate = addDays(addToDate(date, { [contact.age.unit]: -contact.age.value }), -delayDays);
  const child = createPerson(visit, { sex: random.chance(0.5) ? 'female' : 'male', age: { days: [0, 0] }, birthDate });
  return { child, nextContact, due: contactDueDate(birthDate, contact) };
}

function childImmunization(visit: Visit): ClinicalRecord {
  const { random, register, date } = visit;
  const schedule = dueChild(visit) ?? newChild(visit);
  const contact = EPI_SCHEDULE[schedule.nextContact] as EpiContact;
  const child = schedule.child;

  const following = EPI_SCHEDULE[schedule.nextContact + 1];
  if (following !== undefined && random.chance(CONTINUES_SCHEDULE)) {
    const due = laterDate(contactDueDate(child.birthDate, following), addDays(date, MIN_DAYS_BETWEEN_CONTACTS));
    if (daysBetween(child.birthDate, due) < FIVE_YEARS_DAYS) {
      register.scheduleChild({ child, nextContact: schedule.nextContact + 1, due });
    }
  }

  const days = ageInDays(child, date);
  const treatments: Treatment[] = [];
  if (days >= 180 && random.chance(0.7) && ['6 months', '15 months'].includes(contact.label)) treatments.push('vitamin_a');
  if (days >= 365 && random.chance(0.5)) treatments.push('mebendazole');
  const vitals = measureVitals(random, child, date, { weight: 0.85, height: 0.1, temperature: 0.15, muac: 0.3 });
  return {
    person: child,
    staffRoles: ['nurse', 'chw', 'midwife'],
    ...(vitals ? { vitals } : {}),
    ...(treatments.length > 0 ? { treatments } : {}),
    immunization: { doses: dosesGiven(random, contact) },
  };
}

function tdCandidate(visit: Visit): Pregnancy | undefined {
  const { random, register, date } = visit;
  return register.samplePregnancies(random, 8).find((pregnancy) => {
    const weeks = gestationalAgeWeeks(pregnancy, date);
    const mother: Person = pregnancy.mother;
    return (
      weeks >= 8 &&
      weeks <= 38 &&
      mother.tdDoses < 5 &&
      (mother.lastTdDate === undefined || daysBetween(mother.lastTdDate, date) >= MIN_DAYS_BETWEEN_CONTACTS)
    );
  });
}

/** Tetanus–diphtheria for a pregnant woman; one not yet followed here is sent on to ANC. */
function tdImmunization(visit: Visit): ClinicalRecord {
  const { random, register, date } = visit;
  let pregnancy = tdCandidate(visit);
  if (pregnancy === undefined) {
    const mother = createMother(visit);
    mother.tdDoses = random.weighted([
      [0, 50],
      [1, 20],
      [2, 20],
      [3, 10],
    ]);
    pregnancy = startPregnancy(visit, random.int(8, 28), mother);
    register.trackPregnancy(pregnancy);
  }
  const mother = pregnancy.mother;
  mother.tdDoses += 1;
  mother.lastTdDate = date;
  return {
    person: mother,
    staffRoles: ['midwife', 'nurse'],
    immunization: { doses: [dose('td', mother.tdDoses)], pregnant: true },
  };
}

/** Single-dose HPV vaccination of a girl aged 9–14. */
function hpvImmunization(visit: Visit): ClinicalRecord {
  const girl = createPerson(visit, { sex: 'female', age: { years: [9, 14] } });
  return { person: girl, staffRoles: ['nurse', 'chw'], immunization: { doses: [dose('hpv', 1)] } };
}

export function immunization(visit: Visit): ClinicalRecord {
  const draw = visit.random.float();
  if (draw < TD_SHARE) return tdImmunization(visit);
  if (draw < TD_SHARE + HPV_SHARE) return hpvImmunization(visit);
  return childImmunization(visit);
}
