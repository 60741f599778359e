// `smc-bridge api` serves the HTTP API and runs no worker: what it accepts waits, stored, until a separate
// `smc-bridge worker` process takes it up.
import { jest } from '@jest/globals';
import { createApiKey } from '../../src/config/api-keys.js';
import { ancEncounter } from '../support/fixtures.js';
import { freePort, startChild, type ChildService } from '../support/child-service.js';
import { deleteKeysOf, TEST_REDIS_URL, uniquePrefix } from '../support/redis.js';

jest.setTimeout(60_000);

const prefix = uniquePrefix('api-only');
const { key, entry } = createApiKey('smc-platform');
const children: ChildService[] = [];

afterAll(async () => {
  await Promise.all(children.map((child) => child.kill()));
  await deleteKeysOf(prefix);
});

test('the api process stores and answers; only a worker process processes', async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = { PORT: String(port), HOST: '127.0.0.1', REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, API_KEYS: entry, METRICS_PORT: '0' };
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const api = await startChild('api', env, `${base}/health`);
  children.push(api);

  const encounters = Array.from({ length: 5 }, (_, n) => ancEncounter({ id: `api-only-${n}` }));
  const response = await fetch(`${base}/api/v1/encounters`, { method: 'POST', headers, body: JSON.stringify({ encounters }) });
  expect(response.status).toBe(202);
  const statusOf = async (id: string) => (await (await fetch(`${base}/api/v1/encounters/smc-platform/${id}`, { headers })).json()) as { version?: number; processed?: boolean };

  await new Promise((resolve) => setTimeout(resolve, 1500));
  const waiting = await Promise.all(encounters.map((e) => statusOf(e.id)));
  expect(waiting.map((s) => [s.version, s.processed])).toEqual(encounters.map(() => [1, false]));

  children.push(await startChild('worker', env));
  const deadline = Date.now() + 30_000;
  let processed = 0;
  while (processed < encounters.length && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    processed = (await Promise.all(encounters.map((e) => statusOf(e.id)))).filter((s) => s.processed === true).length;
  }
  expect(processed).toBe(encounters.length);
});
