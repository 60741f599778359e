// Every Redis key the middleware writes, in one place: no other module builds a key. `prefix` isolates
// deployments (and tests) that share a Redis; BullMQ's prefix is wrapped in {} so a Redis Cluster keeps each
// queue's keys on one shard.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { groupKeyOf, type CellGroup } from '../domain/cells.js';

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 40);

export class RedisKeys {
  constructor(readonly prefix: string) {}

  // The encounter store (ingest/encounter-store.ts)

  /** Hash holding the latest accepted version of one encounter and its per-target states. */
  encounter(source: string, id: string): string {
    return `${this.prefix}:enc:${source}:${id}`;
  }

  /** Sorted set of accepted versions not yet processed by a worker (score: acceptance time, ms). */
  inbox(): string {
    return `${this.prefix}:inbox`;
  }

  // The ledger (ledger/ledger.ts)

  /** Hash: the version whose contributions the ledger holds for an encounter, and the fields it wrote. */
  ledgerEncounter(source: string, id: string): string {
    return `${this.prefix}:ledger:enc:${source}:${id}`;
  }

  /** Set: the cell groups an encounter's latest version changed that DHIS2 has not confirmed yet. */
  ledgerUnconfirmed(source: string, id: string): string {
    return `${this.prefix}:ledger:unconfirmed:${source}:${id}`;
  }

  /** Prefix of the hash of a group's contributions (the Lua script appends the group key). */
  ledgerGroupPrefix(): string {
    return `${this.prefix}:ledger:group:`;
  }

  ledgerGroup(group: CellGroup): string {
    return this.ledgerGroupPrefix() + groupKeyOf(group);
  }

  /** Prefix of the hash of a group's awaiting encounter versions (the Lua script appends the group key). */
  ledgerAwaitingPrefix(): string {
    return `${this.prefix}:ledger:awaiting:`;
  }

  /** Hash: the encounter versions that changed a group and that DHIS2 has not confirmed yet, [source, id] → version. */
  ledgerAwaiting(group: CellGroup): string {
    return this.ledgerAwaitingPrefix() + groupKeyOf(group);
  }

  /** The lease of the push carrying a group now (its token), so that no two pushes of one group overlap. */
  ledgerPushLease(group: CellGroup): string {
    return `${this.prefix}:ledger:push-lease:${digest(groupKeyOf(group))}`;
  }

  /** Set of cell groups waiting to be pushed to DHIS2. */
  ledgerDirty(): string {
    return `${this.prefix}:ledger:dirty`;
  }

  /** Prefix of the hash of the values DHIS2 may hold for a group's cells (the group key follows). */
  ledgerPushedPrefix(): string {
    return `${this.prefix}:ledger:pushed:`;
  }

  /** Hash: the values DHIS2 may hold for a group's cells. */
  ledgerPushed(group: CellGroup): string {
    return this.ledgerPushedPrefix() + groupKeyOf(group);
  }

  // DHIS2 delivery (delivery/dhis2/push-queue.ts)

  /** Set: the ids of a group's push jobs that failed for good (its dead letters). */
  deadPushes(group: CellGroup): string {
    return `${this.prefix}:dhis2:dead-pushes:${digest(groupKeyOf(group))}`;
  }

  // Data-quality screening (quality/)

  /** Hash: the data-quality flags standing on one facility's cells in one period, of every data set. */
  qualityFlags(orgUnit: string, period: string): string {
    return `${this.prefix}:quality:flags:${orgUnit}:${period}`;
  }

  /** Set: the periods of a facility in which flags stand. */
  qualityFlaggedPeriods(orgUnit: string): string {
    return `${this.prefix}:quality:flagged-periods:${orgUnit}`;
  }

  /** Hash: how many flags stand, by rule id (for /metrics). */
  qualityFlagCounts(): string {
    return `${this.prefix}:quality:flag-counts`;
  }

  /** Hash: the district scorecard of one year, as the nightly job last computed it (district → its scores as JSON). */
  qualityScorecard(year: number): string {
    return `${this.prefix}:quality:scorecard:${year}`;
  }

  /** Hash: for each year with a stored scorecard, how and when it was computed (year → JSON). */
  qualityScorecardRuns(): string {
    return `${this.prefix}:quality:scorecard-runs`;
  }

  /** String (JSON, expires): each org unit code's district as DHIS2's hierarchy placed it, for one district level. */
  qualityOrgUnitDistricts(level: string): string {
    return `${this.prefix}:quality:org-unit-districts:${level}`;
  }

  /** Set: a facility's cell groups that may be waiting for a push, so one post can carry several of them. */
  pendingPushesAt(orgUnit: string): string {
    return `${this.prefix}:dhis2:pending:${digest(orgUnit)}`;
  }

  // FHIR delivery (delivery/fhir/)

  /** What the FHIR server was last sent for an encounter (its records' criteria). */
  fhirSent(source: string, id: string): string {
    return `${this.prefix}:fhir:sent:${source}:${id}`;
  }

  /** When the encounter that last set a patient's demographics happened. */
  fhirPatientLatest(patientKey: string): string {
    return `${this.prefix}:fhir:patient-latest:${patientKey}`;
  }

  /** Set: the encounters that assert a shared record (a Coverage), by its criteria. */
  fhirSharedUsers(criteria: string): string {
    return `${this.prefix}:fhir:shared-users:${digest(criteria)}`;
  }

  /** What this source owns on a patient's shared Patient resource (fhir/patient-merge.ts), as JSON. */
  fhirPatientOwned(patientKey: string): string {
    return `${this.prefix}:fhir:patient-owned:${patientKey}`;
  }

  /** Set: digests of the resource shapes both validators accepted, under one validator generation (fhir/validated-shapes.ts). */
  fhirValidShapes(generation: string): string {
    return `${this.prefix}:fhir:valid-shapes:${generation}`;
  }

  /** Set: the cells (dataElement, categoryOptionCombo) an mADX report of a cell group has carried. */
  madxReportedCells(groupKey: string): string {
    return `${this.prefix}:fhir:madx-cells:${digest(groupKey)}`;
  }

  /** The canonical url|version of an mADX Measure already published to the FHIR server. */
  madxPublishedMeasure(canonical: string): string {
    return `${this.prefix}:fhir:madx-measure:${digest(canonical)}`;
  }

  /** One upload at a time per patient (or mADX report per cell group). */
  fhirUploadLock(lockName: string): string {
    return `${this.prefix}:fhir:upload-lock:${lockName}`;
  }

  // The patient index (patients/patient-index.ts): per facility, real and practice patients apart.

  /** Hash: the patients filed at a facility, by patient key. */
  patientsOf(facility: string, practice: boolean): string {
    return `${this.prefix}:patients:${practice ? 'practice' : 'real'}:${facility}`;
  }

  /** Prefix of the hashes of a patient's encounters (the Lua script appends where an encounter was filed). */
  patientEncountersPrefix(): string {
    return `${this.prefix}:patient-encounters:`;
  }

  /** Where one patient's encounters are filed, after the prefix. */
  patientEncountersSuffix(facility: string, practice: boolean, patientKey: string): string {
    return `${practice ? 'practice' : 'real'}:${facility}:${patientKey}`;
  }

  /** Hash: one patient's encounters at a facility, by source and id. */
  patientEncounters(facility: string, practice: boolean, patientKey: string): string {
    return this.patientEncountersPrefix() + this.patientEncountersSuffix(facility, practice, patientKey);
  }

  /** Where an encounter is filed in the patient index now. */
  patientFiling(source: string, id: string): string {
    return `${this.prefix}:patient-filing:${source}:${id}`;
  }

  bullPrefix(): string {
    return `{${this.prefix}}`;
  }
}

/** Deletes every key of a prefix, our own and BullMQ's (for the demo's fresh start and for tests). */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  const keys = new RedisKeys(prefix);
  let deleted = 0;
  for (const pattern of [`${keys.prefix}:*`, `${keys.bullPrefix()}:*`]) {
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (found.length > 0) deleted += await redis.del(...found);
      cursor = next;
    } while (cursor !== '0');
  }
  return deleted;
}
