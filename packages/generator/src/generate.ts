// The synthetic encounter stream: realistic SMC encounters from many facilities, in arrival order, with the
// later corrections and withdrawals a real feed carries. Lazy and deterministic: the same options always give
// the same encounters, and memory stays flat (bounded registers and pending revisions), so benchmarks can
// stream millions.
import { DateTime } from 'luxon';
import { EARLIEST_ENCOUNTER_DATE, SCHEMA_VERSION, type Encounter, type EncounterType } from '@smc-bridge/contract';
import { isCalendarDate } from './calendar.js';
import { consultation } from './consultation.js';
import { isRainySeason } from './countries.js';
import { generateFacilities, type Facility } from './facilities.js';
import { familyPlanning } from './family-planning.js';
import { MinHeap } from './heap.js';
import { immunization } from './immunization.js';
import { malaria } from './malaria.js';
import { anc, delivery, postnatal } from './maternal.js';
import { toPatient } from './people.js';
import { createRandom, WeightedTable, type Random, type WeightedChoices } from './random.js';
import { referral } from './referral.js';
import { FacilityRegister } from './register.js';
import { revise, type Revision } from './corrections.js';
import { isoWithOffset, minutesLater, Timeline, type Slot } from './timeline.js';
import type { ClinicalRecord, ClinicalSections, Visit } from './visit.js';

export interface GeneratorOptions {
  /** 32-bit integer. */
  seed: number;
  facilityCount: number;
  /** Number of encounter versions yielded: originals plus their later revisions. */
  encounterCount: number;
  /** YYYY-MM-DD, the last day encounters may occur. */
  endDate: string;
  /** Window length in days, ending on endDate. Default 180. */
  days?: number;
  /** Default 'smc-platform'. */
  source?: string;
  /** Share of encounters corrected by a later version. Default 0.05. */
  updateRate?: number;
  /** Share of encounters later withdrawn as entered in error. Default 0.01. */
  enteredInErrorRate?: number;
  /** Share of encounters marked as training data. Default 0.01. */
  trainingRate?: number;
}

type Settings = Required<GeneratorOptions>;

/** Share of each encounter type among original encounters, as in a rural health centre's register. */
export const ENCOUNTER_TYPE_MIX: WeightedChoices<EncounterType> = [
  ['consultation', 35],
  ['malaria', 20],
  ['anc', 12],
  ['immunization', 15],
  ['family_planning', 7],
  ['delivery', 4],
  ['postnatal', 4],
  ['referral', 3],
];

const CARE: Record<EncounterType, (visit: Visit) => ClinicalRecord> = {
  consultation,
  malaria,
  anc,
  immunization,
  family_planning: familyPlanning,
  delivery,
  postnatal,
  referral,
};

const SECTION_KEYS = [
  'vitals',
  'diagnoses',
  'treatments',
  'anc',
  'delivery',
  'postnatal',
  'malaria',
  'immunization',
  'familyPlanning',
  'referral',
] as const satisfies readonly (keyof ClinicalSections)[];

const PRACTITIONER_RECORDED = 0.9;
/** Revisions come hours to two weeks later; the cap in slots bounds how many wait at once. */
const MAX_REVISION_LAG_SLOTS = 20_000;

interface PendingRevision {
  dueSlot: number;
  order: number;
  /** The latest version yielded (a private copy). */
  latest: Encounter;
  facility: Facility;
  remaining: Revision[];
}

function resolveOptions(options: GeneratorOptions): Settings {
  const settings: Settings = {
    seed: options.seed,
    facilityCount: options.facilityCount,
    encounterCount: options.encounterCount,
    endDate: options.endDate,
    days: options.days ?? 180,
    source: options.source ?? 'smc-platform',
    updateRate: options.updateRate ?? 0.05,
    enteredInErrorRate: options.enteredInErrorRate ?? 0.01,
    trainingRate: options.trainingRate ?? 0.01,
  };
  const { facilityCount, encounterCount, endDate, days, source } = settings;
  if (!Number.isInteger(facilityCount) || facilityCount < 1) throw new RangeError('facilityCount must be a positive integer');
  if (!Number.isSafeInteger(encounterCount) || encounterCount < 0) {
    throw new RangeError('encounterCount must be a non-negative integer');
  }
  if (!Number.isInteger(days) || days < 1) throw new RangeError('days must be a positive integer');
  if (!isCalendarDate(endDate)) throw new RangeError(`endDate must be a date YYYY-MM-DD, got ${endDate}`);
  if ((DateTime.fromISO(endDate).minus({ days: days - 1 }).toISODate() as string) < EARLIEST_ENCOUNTER_DATE) {
    throw new RangeError(`the window must start on or after ${EARLIEST_ENCOUNTER_DATE}`);
  }
  if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(source)) throw new RangeError(`source "${source}" is not a valid contract source`);
  for (const rate of ['updateRate', 'enteredInErrorRate', 'trainingRate'] as const) {
    if (!(settings[rate] >= 0 && settings[rate] <= 1)) throw new RangeError(`${rate} must be between 0 and 1`);
  }
  return settings;
}

function chooseStaff(random: Random, facility: Facility, record: ClinicalRecord): Encounter['practitioner'] {
  const suitable = facility.staff.filter((member) => record.staffRoles.includes(member.role));
  const member = random.pick(suitable.length > 0 ? suitable : facility.staff);
  return { id: member.id, name: member.name, role: member.role };
}

/** A birth any time in the 20 hours before it was recorded (but not before the window opens). */
function deliveryTime(random: Random, recorded: DateTime, windowStart: DateTime): DateTime {
  const minutesSinceWindowStart = Math.floor(recorded.diff(windowStart, 'minutes').minutes);
  return minutesLater(recorded, -random.int(10, Math.max(10, Math.min(20 * 60, minutesSinceWindowStart))));
}

/** How many slots later a revision arrives: the same day, within a few days, or up to two weeks. */
function revisionLag(random: Random, slotsPerDay: number): number {
  const days = random.weighted<readonly [number, number]>([
    [[0.05, 1], 30],
    [[1, 3], 40],
    [[3, 14], 30],
  ]);
  const lag = Math.round(random.between(days[0], days[1]) * slotsPerDay);
  return Math.min(MAX_REVISION_LAG_SLOTS, Math.max(1, lag));
}

/** The encounter versions, lazily, in arrival order. */
export function* encounterStream(options: GeneratorOptions): Generator<Encounter> {
  const settings = resolveOptions(options);
  const random = createRandom(settings.seed);
  const facilities = generateFacilities(random.fork(), settings.facilityCount);
  const facilityChoice = new WeightedTable(facilities.map((facility) => [facility, facility.activity] as const));
  const typeChoice = new WeightedTable(ENCOUNTER_TYPE_MIX);
  const timeline = new Timeline(settings.endDate, settings.days, settings.encounterCount);
  const registers = new Map<Facility, FacilityRegister>();
  const pending = new MinHeap<PendingRevision>((a, b) => a.dueSlot < b.dueSlot || (a.dueSlot === b.dueSlot && a.order < b.order));
  const slotsPerDay = settings.encounterCount / settings.days;
  const idPrefix = `enc-${(settings.seed >>> 0).toString(36)}-`;
  let originals = 0;
  let revisionsScheduled = 0;

  const schedule = (slotIndex: number, latest: Encounter, facility: Facility, remaining: Revision[]) => {
    pending.push({
      dueSlot: slotIndex + revisionLag(random, slotsPerDay),
      order: revisionsScheduled++,
      latest: structuredClone(latest),
      facility,
      remaining,
    });
  };

  const original = (slot: Slot): { encounter: Encounter; facility: Facility } => {
    const facility = facilityChoice.pick(random);
    let register = registers.get(facility);
    if (register === undefined) {
      register = new FacilityRegister(facility);
      registers.set(facility, register);
    }
    const type = typeChoice.pick(random);
    const arrival = timeline.localTime(slot, facility.timeZone);
    // Records are saved shortly after the visit; a delivery may have happened at any hour since the day before.
    const occurred =
      type === 'delivery'
        ? deliveryTime(random, arrival, timeline.windowStart(facility.timeZone))
        : minutesLater(arrival, -random.int(5, 45));
    const date = occurred.toISODate() as string;
    const visit: Visit = { random, facility, register, date, rainySeason: isRainySeason(facility.country, date) };
    const record = CARE[type](visit);

    const encounter: Encounter = {
      schemaVersion: SCHEMA_VERSION,
      id: idPrefix + (originals++).toString(36),
      version: 1,
      source: settings.source,
      facility: { code: facility.code, name: facility.name },
      occurredAt: isoWithOffset(occurred),
      recordedAt: isoWithOffset(arrival),
      type,
      status: 'completed',
      ...(random.chance(settings.trainingRate) ? { training: true } : {}),
      patient: toPatient(record.person, date),
      ...(random.chance(PRACTITIONER_RECORDED) ? { practitioner: chooseStaff(random, facility, record) } : {}),
    };
    for (const key of SECTION_KEYS) {
      if (record[key] !== undefined) Object.assign(encounter, { [key]: record[key] });
    }
    return { encounter, facility };
  };

  for (let index = 0; index < settings.encounterCount; index++) {
    const slot = timeline.slot(index);
    const due = pending.peek();
    if (due !== undefined && due.dueSlot <= index) {
      pending.pop();
      const [revision, ...rest] = due.remaining as [Revision, ...Revision[]];
      const recordedAt = isoWithOffset(timeline.localTime(slot, due.facility.timeZone));
      const next = revise(random, due.latest, revision, due.facility.country, recordedAt);
      if (rest.length > 0) schedule(index, next, due.facility, rest);
      yield next;
      continue;
    }
    const { encounter, facility } = original(slot);
    const revisions: Revision[] = [];
    if (random.chance(settings.updateRate)) revisions.push('correction');
    if (random.chance(settings.enteredInErrorRate)) revisions.push('entered-in-error');
    if (revisions.length > 0) schedule(index, encounter, facility, revisions);
    yield encounter;
  }
}

/** The whole stream as an array (for tests and small demos). */
export function generateEncounters(options: GeneratorOptions): Encounter[] {
  return Array.from(encounterStream(options));
}
