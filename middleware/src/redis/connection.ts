// Redis connections. Workers block on theirs and must wait through a Redis restart (BullMQ requires
// `maxRetriesPerRequest: null`); the HTTP side must fail fast instead, so a client gets a 503 and retries
// rather than a request that hangs while Redis is away.
import { Redis } from 'ioredis';

export function createRedis(url: string, connectionName: string, mode: 'wait' | 'fail-fast' = 'wait'): Redis {
  return mode === 'wait'
    ? new Redis(url, { maxRetriesPerRequest: null, connectionName })
    : new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectionName });
}

/** Resolves when the connection is ready; rejects with a plain message when Redis does not answer. */
export async function waitUntilReady(redis: Redis, url: string, timeoutMs = 5000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis does not answer at ${redactUrl(url)}`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off('ready', onReady);
    };
    redis.on('ready', onReady);
  });
}

export function redactUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/**
 * True when Redis answers PING within the timeout. A connection still being made is waited for (within the
 * same timeout): a fail-fast connection has no offline queue, so a PING sent before it is ready would fail.
 */
export async function redisAnswers(redis: Redis, timeoutMs = 1000): Promise<boolean> {
  try {
    const ready = redis.status === 'ready' ? Promise.resolve() : new Promise<void>((resolve) => redis.once('ready', () => resolve()));
    const answer = await Promise.race([
      ready.then(() => redis.ping()),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref()),
    ]);
    return answer === 'PONG';
  } catch {
    return false;
  }
}
