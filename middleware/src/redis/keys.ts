// Every Redis key the middleware writes, in one place. `prefix` isolates deployments (and tests) that share
// a Redis; BullMQ's prefix is wrapped in {} so a Redis Cluster keeps each queue's keys on one shard.
import type { Redis } from 'ioredis';

export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** Hash holding the latest accepted version of one encounter and its per-target states. */
  encounter(source: string, id: string): string {
    return `${this.prefix}:enc:${source}:${id}`;
  }

  /** Sorted set of accepted versions not yet processed by a worker (score: acceptance time, ms). */
  inbox(): string {
    return `${this.prefix}:inbox`;
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
