// Every Redis key the middleware writes, in one place: no other module builds a key. `prefix` isolates
// deployments (and tests) that share a Redis.
//
// Redis Cluster: a key's slot is decided by its hash tag (the text in {}), and a script or MULTI may only
// touch keys of one slot. So every key carries one of three kinds of tag:
// - {fN}, the facility's bucket (N = a hash of the org unit, of FACILITY_BUCKETS): everything of a facility's
//   cell groups (contributions, awaiting versions, pushed values, lease, dirty set, pending index, dead pushes),
//   its data-quality flags and flag counts, and its patient index. An encounter's contributions all belong to
//   its facility, so the ledger's write of one encounter version stays in one slot.
// - {eN}, the encounter's bucket (N = a hash of source and id, of ENCOUNTER_BUCKETS): the stored encounter,
//   the inbox bucket it waits in, the ledger's record of which version it decided and which groups may hold
//   its contributions, its unconfirmed groups, and where it is filed in the patient index.
// - {prefix}, BullMQ's prefix: every queue's keys in one slot (BullMQ's scripts need it).
// - {scorecard}: the stored scorecards and their runs (written together).
// What used to be one key for all (the inbox, the dirty set, the flag counts) is one key per bucket; readers
// walk the buckets. A fixed number of buckets (not one key per facility) keeps those walks short and spreads
// the buckets over the nodes (16384 slots, 128 tags: every node of a small cluster holds dozens).
import { createHash } from 'node:crypto';
import { groupKeyOf, type CellGroup } from '../domain/cells.js';
import { nodesOf, type RedisClient } from './connection.js';

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 40);

export const FACILITY_BUCKETS = 128;
export const ENCOUNTER_BUCKETS = 128;

/** FNV-1a, 32 bits: cheap, stable across processes and versions (a bucket must never move). */
function bucketOf(text: string, buckets: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % buckets;
}

/** The bucket of a facility's keys (by its org unit; the patient index by its facility key). */
export function facilityBucketOf(orgUnit: string): number {
  return bucketOf(orgUnit, FACILITY_BUCKETS);
}

/** The bucket of an encounter's own keys. */
export function encounterBucketOf(source: string, id: string): number {
  return bucketOf(`${source}\n${id}`, ENCOUNTER_BUCKETS);
}

const facilityTag = (bucket: number) => `{f${bucket}}`;
const encounterTag = (source: string, id: string) => `{e${encounterBucketOf(source, id)}}`;
const groupTag = (group: Pick<CellGroup, 'orgUnit'>) => facilityTag(facilityBucketOf(group.orgUnit));

/** 0 … n-1. */
export function allBuckets(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

export class RedisKeys {
  constructor(readonly prefix: string) {}

  // The encounter store (ingest/encounter-store.ts)

  /** Hash holding the latest accepted version of one encounter and its per-target states. */
  encounter(source: string, id: string): string {
    return `${this.prefix}:enc:${encounterTag(source, id)}:${source}:${id}`;
  }

  /** Sorted set of accepted versions not yet processed by a worker (score: acceptance time, ms), of one encounter bucket. */
  inbox(bucket: number): string {
    return `${this.prefix}:inbox:{e${bucket}}`;
  }

  /** The inbox bucket an encounter waits in (the slot of its encounter hash). */
  inboxOf(source: string, id: string): string {
    return this.inbox(encounterBucketOf(source, id));
  }

  // The ledger (ledger/ledger.ts)

  /**
   * Hash, in the encounter's slot: the latest version the ledger decided for an encounter, the groups that may
   * hold its contributions, the groups that version changes, whether it withdrew every count.
   */
  ledgerEncounter(source: string, id: string): string {
    return `${this.prefix}:ledger:enc:${encounterTag(source, id)}:${source}:${id}`;
  }

  /** Set, in the encounter's slot: the cell groups an encounter's latest version changed that DHIS2 has not confirmed yet. */
  ledgerUnconfirmed(source: string, id: string): string {
    return `${this.prefix}:ledger:unconfirmed:${encounterTag(source, id)}:${source}:${id}`;
  }

  /** Hash, in a facility bucket's slot: the version of an encounter whose contributions that bucket holds, and their fields. */
  ledgerHeldAt(bucket: number, source: string, id: string): string {
    return `${this.prefix}:ledger:held:${facilityTag(bucket)}:${source}:${id}`;
  }

  /** Hash: a group's contributions, [dataElement, categoryOptionCombo, source, id] → value. */
  ledgerGroup(group: CellGroup): string {
    return `${this.prefix}:ledger:group:${groupTag(group)}:${groupKeyOf(group)}`;
  }

  /** Hash: the encounter versions that changed a group and that DHIS2 has not confirmed yet, [source, id] → version. */
  ledgerAwaiting(group: CellGroup): string {
    return `${this.prefix}:ledger:awaiting:${groupTag(group)}:${groupKeyOf(group)}`;
  }

  /** The lease of the push carrying a group now (its token), so that no two pushes of one group overlap. */
  ledgerPushLease(group: CellGroup): string {
    return `${this.prefix}:ledger:push-lease:${groupTag(group)}:${digest(groupKeyOf(group))}`;
  }

  /** Set of the cell groups of one facility bucket waiting to be pushed to DHIS2. */
  ledgerDirty(bucket: number): string {
    return `${this.prefix}:ledger:dirty:${facilityTag(bucket)}`;
  }

  ledgerDirtyOf(group: CellGroup): string {
    return this.ledgerDirty(facilityBucketOf(group.orgUnit));
  }

  /** What every pushed-values key starts with (for a scan of them all); the group key follows its tag. */
  ledgerPushedPrefix(): string {
    return `${this.prefix}:ledger:pushed:`;
  }

  /** Hash: the values DHIS2 may hold for a group's cells. */
  ledgerPushed(group: CellGroup): string {
    return `${this.ledgerPushedPrefix()}${groupTag(group)}:${groupKeyOf(group)}`;
  }

  /** The group key in a pushed-values key (the inverse of `ledgerPushed`). */
  groupKeyOfPushed(key: string): string {
    return key.slice(key.indexOf('}:', this.ledgerPushedPrefix().length) + 2);
  }

  // DHIS2 delivery (delivery/dhis2/push-queue.ts)

  /** Set: the ids of a group's push jobs that failed for good (its dead letters). */
  deadPushes(group: CellGroup): string {
    return `${this.prefix}:dhis2:dead-pushes:${groupTag(group)}:${digest(groupKeyOf(group))}`;
  }

  // Data-quality screening (quality/)

  /** Hash: the data-quality flags standing on one facility's cells in one period, of every data set. */
  qualityFlags(orgUnit: string, period: string): string {
    return `${this.prefix}:quality:flags:${groupTag({ orgUnit })}:${orgUnit}:${period}`;
  }

  /** Set: the periods of a facility in which flags stand. */
  qualityFlaggedPeriods(orgUnit: string): string {
    return `${this.prefix}:quality:flagged-periods:${groupTag({ orgUnit })}:${orgUnit}`;
  }

  /** Hash: how many flags stand on the facilities of one bucket, by rule id (for /metrics, summed over the buckets). */
  qualityFlagCounts(bucket: number): string {
    return `${this.prefix}:quality:flag-counts:${facilityTag(bucket)}`;
  }

  qualityFlagCountsOf(orgUnit: string): string {
    return this.qualityFlagCounts(facilityBucketOf(orgUnit));
  }

  /** Hash: the district scorecard of one year, as the nightly job last computed it (district → its scores as JSON). */
  qualityScorecard(year: number): string {
    return `${this.prefix}:quality:scorecard:{scorecard}:${year}`;
  }

  /** Hash: for each year with a stored scorecard, how and when it was computed (year → JSON); the slot of the scorecards (one MULTI writes both). */
  qualityScorecardRuns(): string {
    return `${this.prefix}:quality:scorecard-runs:{scorecard}`;
  }

  /** String (JSON, expires): each org unit code's district as DHIS2's hierarchy placed it, for one district level. */
  qualityOrgUnitDistricts(level: string): string {
    return `${this.prefix}:quality:org-unit-districts:${level}`;
  }

  /** Set: a facility's cell groups that may be waiting for a push, so one post can carry several of them. */
  pendingPushesAt(orgUnit: string): string {
    return `${this.prefix}:dhis2:pending:${groupTag({ orgUnit })}:${digest(orgUnit)}`;
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

  /** Hash: the patients filed at a facility, by patient key (in the facility's bucket, by its facility key). */
  patientsOf(facility: string, practice: boolean): string {
    return `${this.prefix}:patients:${groupTag({ orgUnit: facility })}:${practice ? 'practice' : 'real'}:${facility}`;
  }

  /** Hash: one patient's encounters at a facility, by source and id (the same slot as `patientsOf`). */
  patientEncounters(facility: string, practice: boolean, patientKey: string): string {
    return `${this.prefix}:patient-encounters:${groupTag({ orgUnit: facility })}:${practice ? 'practice' : 'real'}:${facility}:${patientKey}`;
  }

  /** Where an encounter is filed in the patient index now, and where it may still be listed (in the encounter's slot). */
  patientFiling(source: string, id: string): string {
    return `${this.prefix}:patient-filing:${encounterTag(source, id)}:${source}:${id}`;
  }

  bullPrefix(): string {
    return `{${this.prefix}}`;
  }
}

/** Deletes every key of a prefix, our own and BullMQ's (for the demo's fresh start and for tests). */
export async function deleteKeysWithPrefix(redis: RedisClient, prefix: string): Promise<number> {
  const keys = new RedisKeys(prefix);
  let deleted = 0;
  for (const pattern of [`${keys.prefix}:*`, `${keys.bullPrefix()}:*`]) {
    for await (const found of scanKeys(redis, pattern)) {
      // One DEL per key: on a Cluster a DEL of several keys must stay in one slot.
      const replies = await Promise.all(found.map((key) => redis.del(key)));
      deleted += replies.reduce((sum, n) => sum + n, 0);
    }
  }
  return deleted;
}

/** Every key matching a pattern, in pages, on every node (a SCAN sees one node's keys only). */
export async function* scanKeys(redis: RedisClient, pattern: string): AsyncGenerator<string[]> {
  for (const node of nodesOf(redis)) {
    let cursor = '0';
    do {
      const [next, found] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (found.length > 0) yield found;
      cursor = next;
    } while (cursor !== '0');
  }
}
