// Accepted encounters survive a hard kill of the middleware process, and the restarted process finishes
// the work the killed one had in hand.
import { jest } from '@jest/globals';
import { createApiKey } from '../../src/config/api-keys.js';
import { ancEncounter } from '../support/fixtures.js';
import { freePort, restartableServiceEnv, startChild, type ChildService } from '../support/child-service.js';
import { deleteKeysOf, uniquePrefix } from '../support/redis.js';

// Four service start-ups and a sweep: well over a minute on a loaded 2-core machine.
jest.setTimeout(180_000);

const prefix = uniquePrefix('restart');
const { key, entry } = createApiKey('smc-platform');
let child: ChildService | undefined;

afterAll(async () => {
  await child?.kill();
  await deleteKeysOf(prefix);
});

test('encounters accepted before a SIGKILL are all there, and processed, after a restart', async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = restartableServiceEnv(port, prefix, entry, { INBOX_SWEEP_AFTER_SECONDS: '10' });
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const ids: string[] = [];

  for (let round = 0; round < 3; round++) {
    child = await startChild('serve', env, `${base}/health`);
    // Batches go in while the workers run; the process is killed right after the last 202.
    for (let batch = 0; batch < 5; batch++) {
      const encounters = Array.from({ length: 40 }, (_, n) => ancEncounter({ id: `r${round}-b${batch}-n${n}` }));
      const response = await fetch(`${base}/api/v1/encounters`, { method: 'POST', headers, body: JSON.stringify({ encounters }) });
      expect(response.status).toBe(202);
      const answer = (await response.json()) as { counts: { accepted: number } };
      expect(answer.counts.accepted).toBe(40);
      ids.push(...encounters.map((e) => e.id));
    }
    await child.kill();
  }

  child = await startChild('serve', env, `${base}/health`);
  const statusOf = async (id: string) =>
    (await (await fetch(`${base}/api/v1/encounters/smc-platform/${id}`, { headers })).json()) as { version?: number; processed?: boolean };

  const statuses = await Promise.all(ids.map(statusOf));
  expect(statuses.filter((status) => status.version === 1)).toHaveLength(ids.length);

  // The killed processes' unfinished jobs are swept back into the queue and finished.
  const deadline = Date.now() + 90_000;
  let unprocessed = ids;
  while (unprocessed.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await Promise.all(unprocessed.map(async (id) => [id, (await statusOf(id)).processed] as const));
    unprocessed = now.filter(([, processed]) => processed !== true).map(([id]) => id);
  }
  expect(unprocessed).toEqual([]);
  expect(child.output()).not.toMatch(/Aminata|Traoré|P-000123/);
});
