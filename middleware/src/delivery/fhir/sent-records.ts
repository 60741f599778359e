// What the FHIR server was last sent for each encounter: the conditional criteria of its records (its own
// Encounter, Observations, Conditions, …; not the shared Patient, facility or practitioner). When a newer
// version no longer carries a record (a diagnosis corrected away, a dose removed), the upload deletes it by
// the same criteria, so the server holds what the latest version says and nothing the source withdrew.
// Per patient, it also keeps when the encounter that last set the Patient's demographics happened, so only
// a more recent encounter (or a correction of that one) replaces them.
// Per shared record (a mutual-insurance Coverage), it keeps which encounters assert it and the resource last
// sent, so the record is marked entered-in-error once no live encounter asserts it, and never deleted.
import type { Resource } from '@medplum/fhirtypes';
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../../redis/keys.js';
import type { EncounterRef } from '../../domain/encounter-ref.js';

export class SentRecords {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}


  /** The criteria last delivered for this encounter (empty when nothing was). */
  async criteria(ref: Pick<EncounterRef, 'source' | 'id'>): Promise<string[]> {
    const stored = await this.redis.get(this.keys.fhirSent(ref.source, ref.id));
    return stored === null ? [] : (JSON.parse(stored) as { criteria: string[] }).criteria;
  }

  async record(ref: EncounterRef, criteria: readonly string[]): Promise<void> {
    await this.redis.set(this.keys.fhirSent(ref.source, ref.id), JSON.stringify({ version: ref.version, criteria }));
  }


  /** Whether an encounter at `occurredAt` is at least as recent as the one that last set the Patient. */
  async isLatestForPatient(patientKey: string, occurredAt: string): Promise<boolean> {
    const latest = await this.redis.get(this.keys.fhirPatientLatest(patientKey));
    return latest === null || Date.parse(occurredAt) >= Number(latest);
  }

  async recordLatestForPatient(patientKey: string, occurredAt: string): Promise<void> {
    await this.redis.set(this.keys.fhirPatientLatest(patientKey), String(Date.parse(occurredAt)));
  }


  /** This encounter asserts the shared record (as `resource`, sent by `criteria`). */
  async assertShared(criteria: string, ref: Pick<EncounterRef, 'source' | 'id'>, resource: Resource): Promise<void> {
    await this.redis.multi().sadd(this.keys.fhirSharedUsers(criteria), `${ref.source}~${ref.id}`).set(this.keys.fhirSharedResource(criteria), JSON.stringify(resource)).exec();
  }

  /**
   * This encounter no longer asserts the shared record. Returns the resource last sent when no encounter
   * asserts it any more (so the caller marks it entered-in-error), else undefined.
   */
  async releaseShared<T extends Resource>(criteria: string, ref: Pick<EncounterRef, 'source' | 'id'>): Promise<T | undefined> {
    const users = this.keys.fhirSharedUsers(criteria);
    const [, [, remaining], [, json]] = (await this.redis.multi().srem(users, `${ref.source}~${ref.id}`).scard(users).get(this.keys.fhirSharedResource(criteria)).exec()) as [unknown, [unknown, number], [unknown, string | null]];
    return remaining === 0 && json !== null ? (JSON.parse(json) as T) : undefined;
  }
}
