// The synthetic encounter generator: every record it makes passes the contract, the output is reproducible
// from its seed, the stream is lazy, and the data has the shape of a rural health centre's register.
import { afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DateTime } from 'luxon';
import type { Encounter } from '@smc-bridge/contract';
import { validateEncounter } from '@smc-bridge/contract';
import {
  createRandom,
  encounterStream,
  generateEncounters,
  generateFacilities,
  type GeneratorOptions,
} from '../src/index.js';

const END_DATE = '2026-09-30';
const NOW = new Date(`${END_DATE}T23:59:59Z`);
const BASE: Omit<GeneratorOptions, 'seed' | 'encounterCount'> = { facilityCount: 10, endDate: END_DATE };

function take<T>(iterable: Iterable<T>, count: number): T[] {
  const taken: T[] = [];
  if (count <= 0) return taken;
  for (const item of iterable) {
    taken.push(item);
    if (taken.length === count) break;
  }
  return taken;
}

function share<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  return items.filter(predicate).length / items.length;
}

/** The latest version of each encounter, in stream order of first appearance. */
function latestVersions(encounters: readonly Encounter[]): Encounter[] {
  const latest = new Map<string, Encounter>();
  for (const encounter of encounters) latest.set(encounter.id, encounter);
  return [...latest.values()];
}

function patientKey(encounter: Encounter): string {
  return (encounter.patient.identifiers[0] as { value: string }).value;
}

function localDate(encounter: Encounter): string {
  return encounter.occurredAt.slice(0, 10);
}

const MILLIS_PER_DAY = 86_400_000;

/** Age in days on the local date of the encounter (both dates read as UTC midnights). */
function ageInDays(encounter: Encounter): number {
  return (Date.parse(`${localDate(encounter)}T00:00:00Z`) - Date.parse(`${encounter.patient.birthDate as string}T00:00:00Z`)) / MILLIS_PER_DAY;
}

let seedOne: Encounter[];
let otherSeed: Encounter[];
let large: Encounter[];

beforeAll(() => {
  seedOne = generateEncounters({ ...BASE, seed: 1, encounterCount: 5000 });
  otherSeed = generateEncounters({ ...BASE, seed: 20_260_930, encounterCount: 5000 });
  large = generateEncounters({ ...BASE, seed: 7, facilityCount: 8, encounterCount: 20_000 });
});

describe('contract validity', () => {
  it.each([
    ['seed 1', () => seedOne],
    ['seed 20260930', () => otherSeed],
  ])('every encounter from %s passes validateEncounter', (_label, encounters) => {
    const failures: { id: string; version: number; errors: unknown }[] = [];
    for (const encounter of encounters()) {
      const result = validateEncounter(encounter, NOW);
      if (!result.ok && failures.length < 3) failures.push({ id: encounter.id, version: encounter.version, errors: result.errors });
    }
    expect(failures).toEqual([]);
    expect(encounters()).toHaveLength(5000);
  });
});

describe('determinism', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('gives deep-equal output for the same options', () => {
    const again = generateEncounters({ ...BASE, seed: 1, encounterCount: 5000 });
    expect(again).toHaveLength(seedOne.length);
    // Compared item by item as JSON (fast), then the first difference, if any, with a readable diff.
    const firstDifference = again.findIndex((encounter, index) => JSON.stringify(encounter) !== JSON.stringify(seedOne[index]));
    if (firstDifference >= 0) expect(again[firstDifference]).toEqual(seedOne[firstDifference]);
    expect(firstDifference).toBe(-1);
  });

  it('gives different output for a different seed', () => {
    expect(otherSeed).not.toEqual(seedOne);
    const patients = (encounters: Encounter[]) => encounters.slice(0, 50).map((encounter) => encounter.patient.name);
    expect(patients(otherSeed)).not.toEqual(patients(seedOne));
  });

  it('depends neither on Math.random nor on the clock', () => {
    const options = { ...BASE, seed: 3, encounterCount: 500 };
    const today = generateEncounters(options);
    jest.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random was called');
    });
    // luxon reads the clock for defaults it then does not use; the output must not change with it.
    jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2041-06-15T03:00:00Z'));
    expect(generateEncounters(options)).toEqual(today);
  });

  it('does not let a consumer changing a yielded encounter change later versions', () => {
    const untouched = generateEncounters({ ...BASE, seed: 5, encounterCount: 800 });
    const tampered: Encounter[] = [];
    for (const encounter of encounterStream({ ...BASE, seed: 5, encounterCount: 800 })) {
      tampered.push(structuredClone(encounter));
      encounter.patient.village = 'changed by the consumer';
    }
    expect(tampered).toEqual(untouched);
  });
});

describe('counts', () => {
  it.each([0, 1, 7, 333])('yields exactly %i encounters', (encounterCount) => {
    expect(generateEncounters({ ...BASE, seed: 11, encounterCount })).toHaveLength(encounterCount);
  });

  it('yields exactly encounterCount over a short window with one facility', () => {
    expect(generateEncounters({ seed: 2, facilityCount: 1, encounterCount: 1234, endDate: END_DATE, days: 3 })).toHaveLength(1234);
  });
});

describe('realism of the mix and key rates', () => {
  let originals: Encounter[];
  beforeAll(() => {
    originals = large.filter((encounter) => encounter.version === 1);
  });

  it('has the type mix of a rural health centre', () => {
    const expected = {
      consultation: 0.35,
      malaria: 0.2,
      anc: 0.12,
      immunization: 0.15,
      family_planning: 0.07,
      delivery: 0.04,
      postnatal: 0.04,
      referral: 0.03,
    };
    for (const [type, target] of Object.entries(expected)) {
      const actual = share(originals, (encounter) => encounter.type === type);
      expect({ type, close: Math.abs(actual - target) < 0.02, actual }).toEqual({ type, close: true, actual });
    }
  });

  it('tests most suspected malaria, mostly by RDT, with a plausible positivity', () => {
    const malaria = originals.filter((encounter) => encounter.type === 'malaria');
    const tested = malaria.filter((encounter) => encounter.malaria?.test !== undefined);
    expect(share(malaria, (encounter) => encounter.malaria?.suspected === true)).toBe(1);
    expect(tested.length / malaria.length).toBeGreaterThan(0.85);
    expect(tested.length / malaria.length).toBeLessThan(0.95);
    const rdt = share(tested, (encounter) => encounter.malaria?.test?.method === 'rdt');
    expect(rdt).toBeGreaterThan(0.78);
    expect(rdt).toBeLessThan(0.92);
    const positivity = share(tested, (encounter) => encounter.malaria?.test?.result === 'positive');
    expect(positivity).toBeGreaterThan(0.3);
    expect(positivity).toBeLessThan(0.52);
    const positives = tested.filter((encounter) => encounter.malaria?.test?.result === 'positive');
    const treatedWithAct = share(positives, (encounter) => encounter.malaria?.treatment === 'act');
    expect(treatedWithAct).toBeGreaterThan(0.8);
    for (const severe of positives.filter((encounter) => encounter.malaria?.severe)) {
      expect(['artesunate_injectable', 'quinine']).toContain(severe.malaria?.treatment);
    }
  });

  it('has plausible delivery modes and outcomes', () => {
    const deliveries = originals.flatMap((encounter) => (encounter.delivery ? [encounter.delivery] : []));
    expect(deliveries.length).toBeGreaterThan(500);
    const caesarean = share(deliveries, (delivery) => delivery.mode === 'caesarean');
    expect(caesarean).toBeGreaterThan(0.05);
    expect(caesarean).toBeLessThan(0.15);
    expect(share(deliveries, (delivery) => delivery.mode === 'normal')).toBeGreaterThan(0.78);
    const babies = deliveries.flatMap((delivery) => delivery.outcomes);
    expect(share(babies, (baby) => baby.outcome === 'live_birth')).toBeGreaterThan(0.94);
    const twins = share(deliveries, (delivery) => delivery.outcomes.length === 2);
    expect(twins).toBeLessThan(0.04);
    const weights = babies.flatMap((baby) => (baby.outcome === 'live_birth' && baby.birthWeightGrams ? [baby.birthWeightGrams] : []));
    const meanWeight = weights.reduce((sum, weight) => sum + weight, 0) / weights.length;
    expect(meanWeight).toBeGreaterThan(2700);
    expect(meanWeight).toBeLessThan(3400);
  });

  it('has about a third new family planning users, mostly women', () => {
    const clients = originals.filter((encounter) => encounter.type === 'family_planning');
    const newUsers = share(clients, (encounter) => encounter.familyPlanning?.newUser === true);
    expect(newUsers).toBeGreaterThan(0.25);
    expect(newUsers).toBeLessThan(0.45);
    expect(share(clients, (encounter) => encounter.patient.sex === 'female')).toBeGreaterThan(0.8);
    for (const man of clients.filter((encounter) => encounter.patient.sex === 'male')) {
      expect(man.familyPlanning?.method).toBe('male_condom');
    }
  });

  it('has the configured shares of corrections, withdrawals and training data', () => {
    const corrections = share(large, (encounter) => encounter.version > 1 && encounter.status === 'completed');
    expect(corrections).toBeGreaterThan(0.03);
    expect(corrections).toBeLessThan(0.065);
    const withdrawn = share(large, (encounter) => encounter.status === 'entered-in-error');
    expect(withdrawn).toBeGreaterThan(0.004);
    expect(withdrawn).toBeLessThan(0.02);
    const training = share(originals, (encounter) => encounter.training === true);
    expect(training).toBeGreaterThan(0.004);
    expect(training).toBeLessThan(0.02);
  });

  it('treats and measures patients in keeping with their age', () => {
    const withBirthDate = originals.filter((encounter) => encounter.patient.birthDate !== undefined && !encounter.patient.birthDateEstimated);
    const underFive = withBirthDate.filter((encounter) => ageInDays(encounter) < 5 * 365);
    const childPneumonia = underFive.filter((encounter) => encounter.type === 'consultation' && encounter.diagnoses?.some((d) => d.code === 'J18.9'));
    const childDiarrhoea = underFive.filter((encounter) => encounter.type === 'consultation' && encounter.diagnoses?.some((d) => d.code === 'A09.9'));
    expect(childPneumonia.length).toBeGreaterThan(20);
    expect(childDiarrhoea.length).toBeGreaterThan(20);
    expect(childPneumonia.filter((encounter) => !encounter.treatments?.includes('amoxicillin')).map((e) => e.id)).toEqual([]);
    expect(
      childDiarrhoea.filter((encounter) => !(encounter.treatments?.includes('ors') && encounter.treatments.includes('zinc'))).map((e) => e.id),
    ).toEqual([]);

    const infants = withBirthDate.filter((encounter) => ageInDays(encounter) < 365 && encounter.vitals?.weightKg !== undefined);
    expect(infants.length).toBeGreaterThan(100);
    expect(infants.filter((infant) => (infant.vitals?.weightKg as number) >= 13).map((e) => e.id)).toEqual([]);
    const pregnantWomen = originals.filter((encounter) => encounter.type === 'anc' && encounter.vitals?.weightKg !== undefined);
    expect(pregnantWomen.filter((woman) => (woman.vitals?.weightKg as number) <= 30).map((e) => e.id)).toEqual([]);
    const children = withBirthDate.filter((encounter) => ageInDays(encounter) < 12 * 365);
    expect(children.filter((child) => child.vitals?.systolicMmHg !== undefined).map((e) => e.id)).toEqual([]);
  });

  it('gives vaccines no earlier than the EPI schedule allows', () => {
    // Earliest age in days for each vaccine dose (6/10/14 weeks, 6/7/9/15/24 months).
    const earliest = (vaccine: string, dose: number): number => {
      if (['penta', 'pcv', 'rota'].includes(vaccine) || (vaccine === 'opv' && dose > 0)) return 42 + 28 * (dose - 1);
      const table: Record<string, number> = { ipv1: 98, ipv2: 270, mr1: 270, yf1: 270, mr2: 450, mena1: 450, malaria1: 180, malaria2: 210, malaria3: 270, malaria4: 720 };
      return table[`${vaccine}${dose}`] ?? 0;
    };
    const children = originals.filter(
      (encounter) => encounter.immunization && !encounter.immunization.pregnant && encounter.patient.birthDate && !encounter.patient.birthDateEstimated,
    );
    expect(children.length).toBeGreaterThan(1000);
    const tooEarly = children.flatMap((encounter) =>
      (encounter.immunization?.doses ?? [])
        .filter((dose) => ageInDays(encounter) < earliest(dose.vaccine, dose.doseNumber))
        .map((dose) => `${encounter.id} ${dose.vaccine} ${dose.doseNumber} at ${ageInDays(encounter)} days`),
    );
    expect(tooEarly).toEqual([]);
    const td = originals.filter((encounter) => encounter.immunization?.doses.some((dose) => dose.vaccine === 'td'));
    expect(td.length).toBeGreaterThan(50);
    for (const encounter of td) expect(encounter.immunization?.pregnant).toBe(true);
  });

  it('has patients who come back', () => {
    const visitsPerPatient = new Map<string, number>();
    for (const encounter of originals) visitsPerPatient.set(patientKey(encounter), (visitsPerPatient.get(patientKey(encounter)) ?? 0) + 1);
    const returning = [...visitsPerPatient.values()].filter((visits) => visits > 1).length;
    expect(returning / visitsPerPatient.size).toBeGreaterThan(0.1);
  });
});

describe('antenatal care', () => {
  it('numbers each woman’s ANC visits in increasing order, with gestational age and IPTp doses rising', () => {
    const visits = new Map<string, Encounter[]>();
    for (const encounter of latestVersions(large)) {
      if (encounter.type !== 'anc' || encounter.status === 'entered-in-error') continue;
      visits.set(patientKey(encounter), [...(visits.get(patientKey(encounter)) ?? []), encounter]);
    }
    let followedPregnancies = 0;
    const problems: string[] = [];
    for (const [patient, encounters] of visits) {
      const ordered = [...encounters].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
      if (ordered.length >= 3) followedPregnancies += 1;
      let previous: NonNullable<Encounter['anc']> | undefined;
      let lastIptp = 0;
      for (const { anc, occurredAt } of ordered) {
        const where = `${patient} on ${occurredAt}: ${JSON.stringify(anc)} after ${JSON.stringify(previous)}`;
        if (anc === undefined) {
          problems.push(`${where}: no anc section`);
          continue;
        }
        if (previous !== undefined && anc.visitNumber <= previous.visitNumber) problems.push(`${where}: visit number does not rise`);
        if (previous !== undefined && anc.gestationalAgeWeeks <= previous.gestationalAgeWeeks) problems.push(`${where}: gestational age does not rise`);
        if (anc.iptpDose !== undefined) {
          if (anc.gestationalAgeWeeks < 13) problems.push(`${where}: IPTp before 13 weeks`);
          if (anc.iptpDose <= lastIptp) problems.push(`${where}: IPTp dose does not rise`);
          lastIptp = anc.iptpDose;
        }
        if (anc.visitNumber > 8) problems.push(`${where}: more than 8 visits`);
        previous = anc;
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(followedPregnancies).toBeGreaterThan(50);
  });

  it('sees most women first between 12 and 20 weeks', () => {
    const firstVisits = large.filter((encounter) => encounter.version === 1 && encounter.anc?.visitNumber === 1);
    const inBand = share(firstVisits, (encounter) => (encounter.anc?.gestationalAgeWeeks ?? 0) >= 12 && (encounter.anc?.gestationalAgeWeeks ?? 0) <= 20);
    expect(inBand).toBeGreaterThan(0.5);
    expect(share(firstVisits, (encounter) => (encounter.anc?.gestationalAgeWeeks ?? 99) < 12)).toBeGreaterThan(0.05);
  });
});

describe('versions', () => {
  it.each([
    ['seed 1', () => seedOne],
    ['seed 7', () => large],
  ])('in %s, each later version follows the previous one of its id, one version at a time', (_label, encounters) => {
    const seen = new Map<string, Encounter>();
    const problems: string[] = [];
    let revisions = 0;
    for (const encounter of encounters()) {
      const previous = seen.get(encounter.id);
      const where = `${encounter.id} v${encounter.version}`;
      if (previous === undefined) {
        if (encounter.version !== 1) problems.push(`${where}: first appearance is not version 1`);
      } else {
        revisions += 1;
        if (previous.status !== 'completed') problems.push(`${where}: follows an entered-in-error version`);
        if (encounter.version !== previous.version + 1) problems.push(`${where}: follows v${previous.version}`);
        if (encounter.occurredAt !== previous.occurredAt) problems.push(`${where}: occurredAt changed`);
        if (Date.parse(encounter.recordedAt as string) < Date.parse(previous.recordedAt as string)) problems.push(`${where}: recorded before v${previous.version}`);
        const { version: _v, recordedAt: _r, status: _s, ...content } = encounter;
        const { version: _pv, recordedAt: _pr, status: _ps, ...previousContent } = previous;
        const unchanged = JSON.stringify(content) === JSON.stringify(previousContent);
        if (encounter.status === 'entered-in-error' && !unchanged) problems.push(`${where}: withdrawal changes the content`);
        if (encounter.status === 'completed' && unchanged) problems.push(`${where}: correction changes nothing`);
      }
      seen.set(encounter.id, encounter);
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(revisions).toBeGreaterThan(encounters().length * 0.03);
  });

  it('never repeats an (id, version) pair, and ids fit the contract pattern', () => {
    for (const encounters of [seedOne, otherSeed, large]) {
      expect(new Set(encounters.map((encounter) => `${encounter.id}#${encounter.version}`)).size).toBe(encounters.length);
      expect(encounters.filter(({ id }) => !/^enc-[0-9a-z]+-[0-9a-z]+$/.test(id)).map(({ id }) => id)).toEqual([]);
    }
  });
});

describe('time', () => {
  it.each([180, 30])('writes occurredAt with the facility country’s offset, inside a %i-day window', (days) => {
    const encounters = days === 180 ? large : generateEncounters({ ...BASE, seed: 13, encounterCount: 1500, days });
    const firstDay = DateTime.fromISO(END_DATE).minus({ days }).toISODate() as string;
    const offsets = new Set<string>();
    const problems: string[] = [];
    for (const encounter of encounters) {
      const where = `${encounter.id} at ${encounter.facility.code} on ${encounter.occurredAt}`;
      const offset = encounter.occurredAt.slice(-6);
      offsets.add(offset);
      if (offset !== (encounter.facility.code?.startsWith('CM_') ? '+01:00' : '+00:00')) problems.push(`${where}: wrong offset`);
      if (localDate(encounter) < firstDay || localDate(encounter) > END_DATE) problems.push(`${where}: outside the window`);
      if (Date.parse(encounter.occurredAt) > NOW.getTime()) problems.push(`${where}: after now`);
      const hour = Number(encounter.occurredAt.slice(11, 13));
      if (encounter.type !== 'delivery' && (hour < 7 || hour >= 17)) problems.push(`${where}: outside clinic hours`);
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect([...offsets].sort()).toEqual(['+00:00', '+01:00']);
  });

  it('has deliveries at night as well as by day', () => {
    const hours = new Set(large.filter((encounter) => encounter.type === 'delivery').map((encounter) => Number(encounter.occurredAt.slice(11, 13))));
    expect(hours.size).toBeGreaterThan(20);
  });

  it('streams in arrival order: originals arrive on non-decreasing dates', () => {
    const dates = large.filter((encounter) => encounter.version === 1).map((encounter) => (encounter.recordedAt as string).slice(0, 10));
    expect(dates).toEqual([...dates].sort());
  });
});

describe('laziness', () => {
  it('yields the first encounters of a ten-million stream without producing the rest', () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const stream = encounterStream({ ...BASE, seed: 17, encounterCount: 10_000_000 });
    const first = take(stream, 10);
    expect(first).toHaveLength(10);
    expect(first.every((encounter) => encounter.version === 1)).toBe(true);
    // The first arrivals are on the first day of the window, so nothing was generated ahead and sorted.
    const firstDay = DateTime.fromISO(END_DATE).minus({ days: 179 }).toISODate();
    expect(new Set(first.map((encounter) => (encounter.recordedAt as string).slice(0, 10)))).toEqual(new Set([firstDay]));
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(50_000_000);
  });

  it('counts what it yields: a stream stopped early yields no more', () => {
    const stream = encounterStream({ ...BASE, seed: 17, encounterCount: 10_000_000 });
    let yielded = 0;
    for (const _encounter of stream) if (++yielded === 25) break;
    expect(yielded).toBe(25);
    expect(stream.next().done).toBe(true);
  });
});

describe('facilities', () => {
  it('have unique DHIS2-style codes, both countries about 60/40, and their country’s time zone', () => {
    const facilities = generateFacilities(createRandom(5), 100);
    expect(new Set(facilities.map((facility) => facility.code)).size).toBe(100);
    for (const facility of facilities) {
      expect(facility.code).toMatch(/^(CM|ML)_[A-Z]{2,3}_[A-Z]{3}_(CSI|CMA|CSCOM)\d{3}$/);
      expect(facility.code.length).toBeLessThanOrEqual(50);
      expect(facility.code.startsWith(facility.country)).toBe(true);
      expect(facility.timeZone).toBe(facility.country === 'CM' ? 'Africa/Douala' : 'Africa/Bamako');
      expect(facility.name).toMatch(/^(CSI|CMA|CSCom) /);
      expect(facility.referralTarget.code).not.toBe(facility.code);
    }
    expect(share(facilities, (facility) => facility.country === 'CM')).toBeCloseTo(0.6, 1);
  });
});

describe('options', () => {
  it.each<[string, Partial<GeneratorOptions>]>([
    ['a fractional seed', { seed: 1.5 }],
    ['a malformed end date', { endDate: '30/09/2026' }],
    ['a source the contract rejects', { source: 'SMC Platform' }],
    ['no facilities', { facilityCount: 0 }],
    ['a rate above 1', { updateRate: 2 }],
    ['a window starting before 2000', { endDate: '2000-03-01', days: 365 }],
  ])('rejects %s', (_label, override) => {
    expect(() => generateEncounters({ ...BASE, seed: 1, encounterCount: 10, ...override })).toThrow(RangeError);
  });

  it('uses the given source', () => {
    expect(new Set(generateEncounters({ ...BASE, seed: 1, encounterCount: 50, source: 'demo-clinic' }).map((e) => e.source))).toEqual(
      new Set(['demo-clinic']),
    );
  });
});
