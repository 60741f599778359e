// "Nothing accepted is lost" holds only if Redis itself keeps what it acknowledged (DESIGN.md §2). This
// reads the settings that decide it and says, in words an operator can act on, what is weaker than needed.
import type { RedisClient } from './connection.js';

async function configValue(redis: RedisClient, name: string): Promise<string | undefined> {
  const reply = (await redis.config('GET', name)) as string[];
  return reply[1];
}

/** Warnings about Redis settings weaker than the durability the middleware promises; [] when all is well. */
export async function checkRedisDurability(redis: RedisClient): Promise<string[]> {
  try {
    const [appendonly, appendfsync, evictionPolicy] = await Promise.all([
      configValue(redis, 'appendonly'),
      configValue(redis, 'appendfsync'),
      configValue(redis, 'maxmemory-policy'),
    ]);
    const warnings: string[] = [];
    if (appendonly !== 'yes') {
      warnings.push('Redis runs with appendonly no: accepted encounters are lost if Redis restarts (set appendonly yes)');
    } else if (appendfsync !== 'always') {
      warnings.push(`Redis runs with appendfsync ${appendfsync ?? '?'}: a power cut can lose up to ~2 s of accepted encounters (set appendfsync always)`);
    }
    if (evictionPolicy !== 'noeviction') {
      warnings.push(`Redis maxmemory-policy is ${evictionPolicy ?? '?'}: Redis may evict queued work (set maxmemory-policy noeviction)`);
    }
    return warnings;
  } catch {
    return ['could not read the Redis configuration (CONFIG GET is disabled); check appendonly, appendfsync and maxmemory-policy by hand'];
  }
}
