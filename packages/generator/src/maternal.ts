// Maternal care: antenatal visits that follow each pregnancy (visit numbers rising with gestational age,
// IPTp-SP from 13 weeks at monthly visits), deliveries with their outcomes, and postnatal checks.
import type { Encounter } from '@smc-bridge/contract';
import { addDays, daysBetween } from './calendar.js';
import { createPerson, type Person } from './people.js';
import { canConceive, createMother, gestationalAgeWeeks, startPregnancy } from './pregnancy.js';
import type { Random, WeightedChoices } from './random.js';
import type { Pregnancy } from './register.js';
import { measureVitals } from './vitals.js';
import type { ClinicalRecord, Diagnosis, Treatment, Visit } from './visit.js';

type DeliverySection = NonNullable<Encounter['delivery']>;
type BirthOutcome = DeliverySection['outcomes'][number];

export const MAX_ANC_VISITS = 8;
const IPTP_FROM_WEEKS = 13;
const IPTP_MIN_DAYS_APART = 28;
const MAX_IPTP_DOSES = 5;
/** A pregnancy not delivered here by 42 weeks delivered elsewhere. */
const LOST_AFTER_WEEKS = 41;

const FIRST_VISIT_WEEKS: WeightedChoices<readonly [number, number]> = [
  [[8, 11], 15],
  [[12, 16], 40],
  [[17, 20], 25],
  [[21, 28], 15],
  [[29, 34], 5],
];

function between(random: Random, [min, max]: readonly [number, number]): number {
  return random.int(min, max);
}

/** The pregnancy whose next ANC visit is due, if any (sometimes a new one walks in first). */
function duePregnancy(visit: Visit): Pregnancy | undefined {
  const { register, date, random } = visit;
  for (;;) {
    const next = register.pregnancies.peek();
    if (next === undefined) return undefined;
    if (next.ended || gestationalAgeWeeks(next, date) > LOST_AFTER_WEEKS) {
      register.pregnancies.pop();
      next.ended = true;
      continue;
    }
    if (next.nextAncDue > date || random.chance(0.15)) return undefined;
    register.pregnancies.pop();
    return next;
  }
}

function newAncPregnancy(visit: Visit): Pregnancy {
  const { random, register, date } = visit;
  const mother =
    (random.chance(0.3) ? register.findReturning(random, (person) => canConceive(person, date)) : undefined) ??
    createMother(visit);
  return startPregnancy(visit, between(random, random.weighted(FIRST_VISIT_WEEKS)), mother);
}

/** Weeks until the next contact: monthly early on, every 2–4 weeks in the third trimester. */
function weeksToNextVisit(random: Random, weeks: number): number {
  if (weeks < 20) return random.int(4, 8);
  if (weeks < 28) return random.int(3, 6);
  return random.int(2, 4);
}

export function anc(visit: Visit): ClinicalRecord {
  const { random, register, date } = visit;
  const due = duePregnancy(visit);
  const pregnancy = due ?? newAncPregnancy(visit);
  const weeks = gestationalAgeWeeks(pregnancy, date);
  pregnancy.ancVisits += 1;
  pregnancy.lastAncDate = date;

  const section: NonNullable<Encounter['anc']> = { visitNumber: pregnancy.ancVisits, gestationalAgeWeeks: weeks };
  const iptpDue =
    weeks >= IPTP_FROM_WEEKS &&
    pregnancy.iptpDoses < MAX_IPTP_DOSES &&
    (pregnancy.lastIptpDate === undefined || daysBetween(pregnancy.lastIptpDate, date) >= IPTP_MIN_DAYS_APART);
  if (iptpDue && random.chance(0.88)) {
    pregnancy.iptpDoses += 1;
    pregnancy.lastIptpDate = date;
    section.iptpDose = pregnancy.iptpDoses;
  }
  const hbChance = pregnancy.ancVisits === 1 ? 0.5 : weeks >= 24 && weeks <= 30 ? 0.35 : 0.12;
  if (random.chance(hbChance)) section.hemoglobinGdl = Math.round(random.clampedNormal(11, 1.4, 6, 15.5) * 10) / 10;
  if (pregnancy.ancVisits === 1 && random.chance(0.75)) section.llinGiven = true;

  // Next contact, or (after the last one) keep the pregnancy around until term for its delivery.
  const interval = weeksToNextVisit(random, weeks);
  pregnancy.nextAncDue =
    pregnancy.ancVisits >= MAX_ANC_VISITS || weeks + interval > 40
      ? addDays(pregnancy.lmp, 42 * 7)
      : addDays(date, interval * 7 + random.int(0, 3));
  if (due !== undefined) register.pregnancies.push(pregnancy);
  else register.trackPregnancy(pregnancy);

  const preEclampsia = weeks >= 20 && random.chance(0.03);
  const diagnoses: Diagnosis[] = [];
  if (section.hemoglobinGdl !== undefined && section.hemoglobinGdl < 9) {
    diagnoses.push({ code: 'O99.0', text: 'Anaemia complicating pregnancy' });
  }
  if (preEclampsia) diagnoses.push({ code: 'O14.9', text: 'Pre-eclampsia, unspecified' });
  if (diagnoses.length === 0 && random.chance(0.35)) diagnoses.push({ code: 'Z34.9', text: 'Supervision of normal pregnancy' });
  const treatments: Treatment[] = [];
  if (random.chance(0.85)) treatments.push('iron_folic_acid');
  if (weeks >= 14 && random.chance(0.2)) treatments.push('mebendazole');

  const vitals = measureVitals(
    random,
    pregnancy.mother,
    date,
    { weight: 0.9, bloodPressure: preEclampsia ? 1 : 0.9, temperature: 0.4, pulse: 0.3, muac: pregnancy.ancVisits === 1 ? 0.3 : 0 },
    { gestationalAgeWeeks: weeks, hypertension: preEclampsia },
  );
  return {
    person: pregnancy.mother,
    staffRoles: ['midwife', 'nurse'],
    ...(vitals ? { vitals } : {}),
    ...(diagnoses.length > 0 ? { diagnoses } : {}),
    ...(treatments.length > 0 ? { treatments } : {}),
    anc: section,
  };
}

/** A followed pregnancy near term (37–42 weeks, sometimes 34–36) whose last ANC visit is before the delivery date. */
function pregnancyAtTerm(visit: Visit): Pregnancy | undefined {
  const { random, register, date } = visit;
  // About one birth in ten is preterm.
  const earliestWeeks = random.chance(0.1) ? 34 : 37;
  let best: Pregnancy | undefined;
  let bestWeeks = 0;
  for (const pregnancy of register.samplePregnancies(random, 24)) {
    const weeks = gestationalAgeWeeks(pregnancy, date);
    const visitedBefore = pregnancy.lastAncDate === undefined || pregnancy.lastAncDate < date;
    if (weeks >= earliestWeeks && weeks <= 42 && visitedBefore && weeks > bestWeeks) {
      best = pregnancy;
      bestWeeks = weeks;
    }
  }
  return best;
}

function birthOutcome(random: Random, weeks: number, twins: boolean): BirthOutcome {
  const outcome = random.weighted<BirthOutcome['outcome']>([
    ['live_birth', 97],
    ['fresh_stillbirth', 1.5],
    ['macerated_stillbirth', 1.5],
  ]);
  const result: BirthOutcome = { outcome };
  const sex = outcome === 'macerated_stillbirth' && random.chance(0.2) ? 'unknown' : random.chance(0.49) ? 'female' : 'male';
  result.sex = sex;
  if (random.chance(outcome === 'live_birth' ? 0.96 : 0.7)) {
    // Around 3.2 kg at 40 weeks, a little less at early term, much less when preterm.
    const mean =
      3200 -
      110 * Math.max(0, 40 - weeks) -
      250 * Math.max(0, 37 - weeks) -
      (twins ? 550 : 0) -
      (outcome === 'macerated_stillbirth' ? 500 : 0);
    result.birthWeightGrams = Math.round(random.clampedNormal(mean, 420, 700, 5200) / 10) * 10;
  }
  return result;
}

function deliveryDiagnoses(section: DeliverySection): Diagnosis[] {
  const live = section.outcomes.filter((baby) => baby.outcome === 'live_birth').length;
  const twins = section.outcomes.length === 2;
  const mode: Diagnosis = twins
    ? { code: 'O84.9', text: 'Multiple delivery, unspecified' }
    : section.mode === 'caesarean'
      ? { code: 'O82.9', text: 'Delivery by caesarean section, unspecified' }
      : section.mode === 'assisted'
        ? { code: 'O81.4', text: 'Vacuum extractor delivery' }
        : { code: 'O80.9', text: 'Single spontaneous delivery, unspecified' };
  const outcome: Diagnosis = twins
    ? live === 2
      ? { code: 'Z37.2', text: 'Twins, both liveborn' }
      : live === 1
        ? { code: 'Z37.3', text: 'Twins, one liveborn and one stillborn' }
        : { code: 'Z37.4', text: 'Twins, both stillborn' }
    : live === 1
      ? { code: 'Z37.0', text: 'Single live birth' }
      : { code: 'Z37.1', text: 'Single stillbirth' };
  return [mode, outcome];
}

function registerNewborn(visit: Visit, mother: Person, baby: BirthOutcome): void {
  const sex = baby.sex === 'female' || baby.sex === 'male' ? baby.sex : 'female';
  const child = createPerson(visit, {
    sex,
    age: { days: [0, 0] },
    birthDate: visit.date,
    ...(mother.phone !== undefined ? { phone: mother.phone } : {}),
    ...(visit.random.chance(0.5) ? { family: mother.family } : {}),
  });
  visit.register.scheduleChild({ child, nextContact: 0, due: visit.date });
}

export function delivery(visit: Visit): ClinicalRecord {
  const { random, register, date } = visit;
  const followed = random.chance(0.85) ? pregnancyAtTerm(visit) : undefined;
  // Women who had no ANC here arrive in labour: mostly at term, some preterm.
  const pregnancy = followed ?? startPregnancy(visit, random.chance(0.9) ? random.int(37, 41) : random.int(32, 36), createMother(visit));
  const weeks = gestationalAgeWeeks(pregnancy, date);
  const mother = pregnancy.mother;
  pregnancy.ended = true;
  mother.pregnantUntil = date;
  mother.nextPregnancyFrom = addDays(date, 365);

  const place = random.weighted<DeliverySection['place']>([
    ['facility', 94],
    ['home', 3.5],
    ['in_transit', 2.5],
  ]);
  const mode: DeliverySection['mode'] =
    place === 'facility'
      ? random.weighted<DeliverySection['mode']>([
          ['normal', 85],
          ['assisted', 5],
          ['caesarean', 10.5],
        ])
      : 'normal';
  const twins = random.chance(0.015);
  const outcomes = Array.from({ length: twins ? 2 : 1 }, () => birthOutcome(random, weeks, twins));
  const section: DeliverySection = { mode, place, ...(random.chance(0.85) ? { gestationalAgeWeeks: weeks } : {}), outcomes };

  for (const baby of outcomes) if (baby.outcome === 'live_birth') registerNewborn(visit, mother, baby);
  register.recordDelivery({ mother, date });

  const preEclampsia = random.chance(0.04);
  const vitals = measureVitals(
    random,
    mother,
    date,
    { bloodPressure: 0.8, pulse: 0.6, temperature: 0.5 },
    { hypertension: preEclampsia },
  );
  const treatments: Treatment[] = random.chance(0.6) ? ['other'] : []; // uterotonic for the third stage
  if (random.chance(0.3)) treatments.push('iron_folic_acid');
  return {
    person: mother,
    staffRoles: mode === 'caesarean' ? ['doctor', 'midwife'] : ['midwife', 'nurse'],
    ...(vitals ? { vitals } : {}),
    diagnoses: deliveryDiagnoses(section),
    ...(treatments.length > 0 ? { treatments } : {}),
    delivery: section,
  };
}

const DAYS_SINCE_DELIVERY: WeightedChoices<readonly [number, number]> = [
  [[0, 2], 40],
  [[3, 7], 30],
  [[8, 14], 15],
  [[15, 42], 15],
];

export function postnatal(visit: Visit): ClinicalRecord {
  const { random, register, date } = visit;
  let record = random.chance(0.8) ? register.findRecentDelivery(random, date) : undefined;
  if (record === undefined) {
    // Delivered at home or elsewhere, first seen here after the birth.
    const mother = createMother(visit);
    const deliveredOn = addDays(date, -between(random, random.weighted(DAYS_SINCE_DELIVERY)));
    mother.pregnantUntil = deliveredOn;
    mother.nextPregnancyFrom = addDays(deliveredOn, 365);
    record = { mother, date: deliveredOn };
    register.recordDelivery(record);
  }
  record.lastPostnatalDate = date;

  const vitals = measureVitals(random, record.mother, date, { bloodPressure: 0.7, temperature: 0.6, pulse: 0.4, weight: 0.3 });
  return {
    person: record.mother,
    staffRoles: ['midwife', 'nurse'],
    ...(vitals ? { vitals } : {}),
    ...(random.chance(0.5) ? { diagnoses: [{ code: 'Z39.2', text: 'Routine postpartum follow-up' }] } : {}),
    ...(random.chance(0.5) ? { treatments: ['iron_folic_acid' as const] } : {}),
    postnatal: { daysAfterDelivery: daysBetween(record.date, date) },
  };
}
