// Tests share the machine's real Redis; each one works under its own key prefix and removes its keys after.
import { randomBytes } from 'node:crypto';
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
