// What the FHIR server was last sent for each encounter: the conditional criteria of its records (its own
// Encounter, Observations, Conditions, …; not the shared Patient, facility or practitioner). When a newer
// version no longer carries a record (a diagnosis corrected away, a dose removed), the upload marks it
// entered-in-error (never deletes it), so the server says what the latest version says and keeps a trace of
// what the source withdrew.
// Per patient, it keeps when the encounter that last set the Patient's demographics happened, so only a more
// recent encounter (or a correction of that one) replaces them, and what this source owns on that Patient
// (fhir/patient-merge.ts), so an update touches only that.
// A record is either the encounter's own (one user: the encounter) or shared by several encounters (a
// mutual-insurance Coverage): for a shared one it keeps which encounters assert it, so the record is marked
// entered-in-error only once no live encounter asserts it, and never deleted.
import type { RedisClient } from '../../redis/connection.js';
import type { RedisKeys } from '../../redis/keys.js';
import type { EncounterRef } from '../../domain/encounter-ref.js';
import type { OwnedPatientSlots } from '../../fhir/patient-merge.js';

export class SentRecords {
  constructor(
    private readonly redis: RedisClient,
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

  /** What this source owns on the patient's Patient resource; undefined when it never wrote it. */
  async ownedOnPatient(patientKey: string): Promise<OwnedPatientSlots | undefined> {
    const stored = await this.redis.get(this.keys.fhirPatientOwned(patientKey));
    return stored === null ? undefined : (JSON.parse(stored) as OwnedPatientSlots);
  }

  async recordOwnedOnPatient(patientKey: string, owned: OwnedPatientSlots): Promise<void> {
    await this.redis.set(this.keys.fhirPatientOwned(patientKey), JSON.stringify(owned));
  }


  /** This encounter asserts the shared record sent by `criteria`. */
  async assertShared(criteria: string, ref: Pick<EncounterRef, 'source' | 'id'>): Promise<void> {
    await this.redis.sadd(this.keys.fhirSharedUsers(criteria), `${ref.source}~${ref.id}`);
  }

  /**
   * This encounter no longer asserts the shared record. True when no encounter asserts it any more (so the
   * caller marks it entered-in-error), false while another still does.
   */
  async releaseShared(criteria: string, ref: Pick<EncounterRef, 'source' | 'id'>): Promise<boolean> {
    const users = this.keys.fhirSharedUsers(criteria);
    const [, [, remaining]] = (await this.redis.multi().srem(users, `${ref.source}~${ref.id}`).scard(users).exec()) as [unknown, [unknown, number]];
    return remaining === 0;
  }
}
