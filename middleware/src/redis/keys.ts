// Every Redis key the middleware writes, in one place. `prefix` isolates deployments (and tests) that share
// a Redis; BullMQ's prefix is wrapped in {} so a Redis Cluster keeps each queue's keys on one shard.
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
