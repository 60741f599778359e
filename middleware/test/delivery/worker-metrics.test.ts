// A worker process (no HTTP API) serves Prometheus metrics on its own port: queue counts, job durations and
// delivery outcomes per target and code, once jobs have run.
import { jest } from '@jest/globals';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { DEFAULT_PERSONAL_ACCESS_TOKEN, startDhis2StandInServer, standInMetadata, type Dhis2StandInServer } from '@smc-bridge/stand-ins';
import { loadConfig } from '../../src/config/config.js';
import { EncounterStore } from '../../src/ingest/encounter-store.js';
import { addIngestJob, createIngestQueue } from '../../src/ingest/ingest-queue.js';
import { createLogger } from '../../src/logging/logger.js';
import { RedisKeys } from '../../src/redis/keys.js';
import { startService, type RunningService } from '../../src/service.js';
import { settled } from '../support/settled.js';
import { ancEncounter } from '../support/fixtures.js';
import { deleteKeysOf, TEST_REDIS_URL, uniquePrefix } from '../support/redis.js';

jest.setTimeout(60_000);
const prefix = uniquePrefix('worker-metrics');
let dhis2: Dhis2StandInServer;
let worker: RunningService;
let redis: Redis;

beforeAll(async () => {
  dhis2 = await startDhis2StandInServer({ metadata: standInMetadata(['CM_NW_BAM_CSI001']) });
  const config = loadConfig({
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    HOST: '127.0.0.1',
    METRICS_PORT: '0',
    DHIS2_URL: dhis2.url,
    DHIS2_TOKEN: DEFAULT_PERSONAL_ACCESS_TOKEN,
    DHIS2_PUSH_DELAY_MS: '20',
  });
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  worker = await startService(config, createLogger('warn', quiet), { http: false, workers: true });
  redis = new Redis(TEST_REDIS_URL);
});
afterAll(async () => {
  redis.disconnect();
  await worker.close();
  await dhis2.close();
  await deleteKeysOf(prefix);
});

test('a worker serves /metrics on its own port, with job durations and DHIS2 delivery outcomes', async () => {
  expect(worker.url).toBeUndefined();
  expect(worker.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
  const keys = new RedisKeys(prefix);
  const store = new EncounterStore(redis, keys);
  const queue = createIngestQueue(redis, keys);
  const encounter = ancEncounter({ id: 'metrics-1' });
  await store.accept([{ encounter, contentHash: 'a'.repeat(64) }], new Date());
  await addIngestJob(queue, [{ source: encounter.source, id: encounter.id, version: 1 }]);
  await settled(worker);
  await queue.close();

  const text = await (await fetch(worker.metricsUrl as string)).text();
  expect(text).toMatch(/smc_job_duration_seconds_count\{queue="ingest",outcome="completed"\} [1-9]/);
  expect(text).toMatch(/smc_job_duration_seconds_count\{queue="dhis2-push",outcome="completed"\} [1-9]/);
  expect(text).toMatch(/smc_deliveries_total\{target="dhis2",outcome="delivered",code=""\} [1-9]/);
  expect(text).toMatch(/smc_queue_jobs\{queue="dhis2-push",state="failed"\} 0/);
  expect((await fetch((worker.metricsUrl as string).replace('/metrics', '/other'))).status).toBe(404);
});
