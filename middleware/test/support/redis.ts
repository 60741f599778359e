// Tests share the machine's real Redis; each one works under its own key prefix and removes its keys after.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createRedis } from '../../src/redis/connection.js';
import { deleteKeysWithPrefix } from '../../src/redis/keys.js';

export const TEST_REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

export function uniquePrefix(label: string): string {
  return `t-${label}-${randomBytes(4).toString('hex')}`;
}

export async function deleteKeysOf(prefix: string, url = TEST_REDIS_URL): Promise<void> {
  const redis = createRedis(url, 'test-cleanup');
  try {
    await deleteKeysWithPrefix(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

/**
 * For one test file: a connection to the test Redis, open from before its first test, and a key prefix of
 * its own whose keys are removed, with the connection, after its last.
 */
export function redisForTestFile(label: string): { base: string; connection: () => Redis } {
  const base = uniquePrefix(label);
  let redis: Redis | undefined;
  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL);
  });
  afterAll(async () => {
    if (redis === undefined) return;
    await deleteKeysWithPrefix(redis, base);
    redis.disconnect();
  });
  return {
    base,
    connection: () => {
      if (redis === undefined) throw new Error('the test Redis is opened in beforeAll: ask for it inside a test');
      return redis;
    },
  };
}
