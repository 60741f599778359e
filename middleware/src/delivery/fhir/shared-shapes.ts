// The resource shapes found valid (fhir/validated-shapes.ts), shared by every worker process through Redis:
// one set of shape digests per validator generation, so each shape is validated in full once per deployment,
// not once per process, and a process that starts (or restarts) does not validate again what the others
// already did. The set expires 30 days after its last addition (the shapes an encounter can take are few,
// but a generation no process uses any more should go).
import type { RedisClient } from '../../redis/connection.js';
import type { SharedShapes } from '../../fhir/validated-shapes.js';
import type { RedisKeys } from '../../redis/keys.js';

const KEEP_MS = 30 * 24 * 3600 * 1000;

export class RedisSharedShapes implements SharedShapes {
  private readonly key: string;

  constructor(
    private readonly redis: RedisClient,
    keys: RedisKeys,
    generation: string,
  ) {
    this.key = keys.fhirValidShapes(generation);
  }

  async known(digests: readonly string[]): Promise<boolean[]> {
    if (digests.length === 0) return [];
    return (await this.redis.smismember(this.key, ...digests)).map((member) => member === 1);
  }

  async add(digests: readonly string[]): Promise<void> {
    if (digests.length === 0) return;
    await Promise.all([this.redis.sadd(this.key, ...digests), this.redis.pexpire(this.key, KEEP_MS)]);
  }
}
