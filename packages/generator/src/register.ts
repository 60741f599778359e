// What one facility remembers between encounters: its patients (so people come back), ongoing pregnancies
// (ANC visits in order, then delivery), recent deliveries (postnatal care) and children due for their next
// vaccination. Every list is capped, so memory stays flat however long the stream runs.
import { addDays } from './calendar.js';
import type { Facility } from './facilities.js';
import { MinHeap } from './heap.js';
import type { Person } from './people.js';
import type { Random } from './random.js';

export interface Pregnancy {
  mother: Person;
  /** Last menstrual period: gestational age is counted from it. */
  lmp: string;
  ancVisits: number;
  lastAncDate?: string;
  iptpDoses: number;
  lastIptpDate?: string;
  nextAncDue: string;
  /** Delivered (or lost to follow-up); removed from the queue when it reaches the top. */
  ended: boolean;
}

export interface DeliveryRecord {
  mother: Person;
  date: string;
  lastPostnatalDate?: string;
}

export interface ChildSchedule {
  child: Person;
  /** Index into the EPI schedule of the next contact. */
  nextContact: number;
  due: string;
}

const MAX_RETURNING_PATIENTS = 800;
const MAX_PREGNANCIES = 1500;
const MAX_DELIVERIES = 400;
const MAX_CHILDREN = 2500;
/** Postnatal care covers the 42 days after delivery. */
export const POSTNATAL_DAYS = 42;

export class FacilityRegister {
  private patientCount = 0;
  private readonly patients: Person[] = [];
  readonly pregnancies = new MinHeap<Pregnancy>((a, b) => a.nextAncDue < b.nextAncDue);
  readonly children = new MinHeap<ChildSchedule>((a, b) => a.due < b.due);
  private readonly deliveries: DeliveryRecord[] = [];

  constructor(readonly facility: Facility) {}

  newPatientIdentifier(): string {
    this.patientCount += 1;
    return `${this.facility.code}-${String(this.patientCount).padStart(6, '0')}`;
  }

  /** Keeps a patient for return visits; when full, someone at random is forgotten. */
  remember(random: Random, person: Person): void {
    if (this.patients.length < MAX_RETURNING_PATIENTS) this.patients.push(person);
    else this.patients[random.int(0, MAX_RETURNING_PATIENTS - 1)] = person;
  }

  /** A remembered patient who fits, if a few random tries find one. */
  findReturning(random: Random, fits: (person: Person) => boolean, tries = 8): Person | undefined {
    if (this.patients.length === 0) return undefined;
    for (let attempt = 0; attempt < tries; attempt++) {
      const person = random.pick(this.patients);
      if (fits(person)) return person;
    }
    return undefined;
  }

  /** Follows a pregnancy through its ANC visits, unless the register is full. */
  trackPregnancy(pregnancy: Pregnancy): void {
    if (this.pregnancies.size < MAX_PREGNANCIES) this.pregnancies.push(pregnancy);
  }

  /** A few ongoing pregnancies picked at random (for deliveries and Td doses). */
  samplePregnancies(random: Random, count: number): Pregnancy[] {
    const sample: Pregnancy[] = [];
    const size = this.pregnancies.size;
    for (let i = 0; i < count && size > 0; i++) {
      const pregnancy = this.pregnancies.at(random.int(0, size - 1));
      if (pregnancy !== undefined && !pregnancy.ended) sample.push(pregnancy);
    }
    return sample;
  }

  recordDelivery(record: DeliveryRecord): void {
    this.deliveries.push(record);
    if (this.deliveries.length > MAX_DELIVERIES) this.deliveries.shift();
  }

  /** A delivery still inside the postnatal period on `date`, if a few random tries find one. */
  findRecentDelivery(random: Random, date: string, tries = 12): DeliveryRecord | undefined {
    const oldest = addDays(date, -POSTNATAL_DAYS);
    while (this.deliveries.length > 0 && (this.deliveries[0] as DeliveryRecord).date < oldest) this.deliveries.shift();
    if (this.deliveries.length === 0) return undefined;
    for (let attempt = 0; attempt < tries; attempt++) {
      const record = random.pick(this.deliveries);
      if (record.date >= oldest && record.date <= date && (record.lastPostnatalDate ?? '') < date) return record;
    }
    return undefined;
  }

  scheduleChild(schedule: ChildSchedule): void {
    if (this.children.size < MAX_CHILDREN) this.children.push(schedule);
  }
}
