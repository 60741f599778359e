// `smc-bridge replay [--list] [--all] [job ids…]`: shows the dead-letter list, or puts failed jobs back in
// their queues once their cause is fixed: the ones named, or every one with --all (never by default).
import { loadConfig } from '../config/config.js';
import { listDeadLetters, replayDeadLetters } from '../delivery/dead-letters.js';
import { openQueues } from '../queue-registry.js';
import { createRedis, waitUntilReady } from '../redis/connection.js';
import { RedisKeys } from '../redis/keys.js';

export async function runReplay(jobIds: string[], options: { list: boolean; all: boolean }): Promise<void> {
  if (!options.list && !options.all && jobIds.length === 0) throw new Error('name the jobs to replay (see --list), or give --all');
  if (options.all && jobIds.length > 0) throw new Error('give either job ids or --all, not both');
  const config = loadConfig();
  const redis = createRedis(config.redisUrl, 'smc-bridge-replay', 'fail-fast');
  try {
    await waitUntilReady(redis, config.redisUrl);
    const registry = openQueues(redis, new RedisKeys(config.redisPrefix), { dhis2: true, fhir: true });
    const queues = registry.all();
    if (options.list) {
      const letters = await listDeadLetters(queues);
      if (letters.length === 0) console.log('The dead-letter list is empty.');
      for (const letter of letters) console.log(`${letter.queue} ${letter.jobId} (${letter.attempts} attempts, ${letter.failedAt ?? '?'}): ${letter.reason}`);
    } else {
      const replayed = await replayDeadLetters(queues, options.all ? undefined : jobIds);
      console.log(`${replayed} job(s) put back in their queues.`);
    }
    await registry.close();
  } finally {
    redis.disconnect();
  }
}
