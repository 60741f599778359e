// One upload at a time per patient (reference/fhir.md recommendation 3): two transactions that both
// conditionally create the same Patient can, on some servers, create it twice. MeasureReports use the same
// lock per cell group. The lock is a Redis key with a token and an expiry, so a worker killed while holding
// it blocks that patient (or group) only until the expiry.
import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../../redis/connection.js';
import type { RedisKeys } from '../../redis/keys.js';

const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

interface ReleaseClient {
  smcReleasePatientLock(key: string, token: string): Promise<number>;
}

export class UploadLocks {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly ttlMs: number,
  ) {
    redis.defineCommand('smcReleasePatientLock', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
  }

  /** Runs `work` holding the patient's lock; returns `busy` at once when another upload holds it. */
  async withLock<T>(patientKey: string, work: () => Promise<T>): Promise<{ busy: true } | { busy: false; result: T }> {
    const token = randomUUID();
    const taken = await this.redis.set(this.keys.fhirUploadLock(patientKey), token, 'PX', this.ttlMs, 'NX');
    if (taken !== 'OK') return { busy: true };
    try {
      return { busy: false, result: await work() };
    } finally {
      await (this.redis as unknown as ReleaseClient).smcReleasePatientLock(this.keys.fhirUploadLock(patientKey), token);
    }
  }
}
