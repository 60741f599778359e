// The ingest worker and the inbox sweeper, run directly against the real Redis (no HTTP).
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { EncounterStore } from '../../src/ingest/encounter-store.js';
import { sweepInbox } from '../../src/ingest/inbox-sweeper.js';
import { createIngestQueue, execIngestJob, type EncounterStep, type IngestJobData } from '../../src/ingest/ingest-queue.js';
import { skipPractice } from '../../src/ingest/skip-steps.js';
import { RedisKeys } from '../../src/redis/keys.js';
import { ancEncounter } from '../support/fixtures.js';
import { deleteKeysOf, TEST_REDIS_URL, uniquePrefix } from '../support/redis.js';

const prefix = uniquePrefix('worker');
let redis: Redis;
let store: EncounterStore;
let queue: Queue<IngestJobData>;
const now = new Date('2026-11-01T12:00:00Z');
const hashOf = (text: string) => text.padEnd(64, '0');

beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL);
  const keys = new RedisKeys(prefix);
  store = new EncounterStore(redis, keys);
  queue = createIngestQueue(redis, keys);
});
afterAll(async () => {
  await queue.close();
  redis.disconnect();
  await deleteKeysOf(prefix);
});

test('a job hands the steps only current versions, and running it twice changes nothing more', async () => {
  const v1 = ancEncounter({ id: 'w-1', version: 1 });
  const v2 = ancEncounter({ id: 'w-1', version: 2, status: 'entered-in-error' });
  const other = ancEncounter({ id: 'w-2' });
  await store.accept([{ encounter: v1, contentHash: hashOf('a') }, { encounter: other, contentHash: hashOf('b') }], now);
  await store.accept([{ encounter: v2, contentHash: hashOf('c') }], now);

  const seen: string[] = [];
  const recorder: EncounterStep = async (encounters) => {
    for (const { ref } of encounters) seen.push(`${ref.id}@${ref.version}`);
  };
  const job = { refs: [{ source: 'smc-platform', id: 'w-1', version: 1 }, { source: 'smc-platform', id: 'w-2', version: 1 }] };
  expect(await execIngestJob(job, store, [recorder])).toEqual({ processed: 1, superseded: 1 });
  expect(seen).toEqual(['w-2@1']);
  expect(await execIngestJob(job, store, [recorder])).toEqual({ processed: 1, superseded: 1 });

  // v1 is done with (superseded); v2 still waits in the inbox for its own job.
  const waiting = await store.unprocessedSince(new Date(now.getTime() + 1), 100);
  expect(waiting).toEqual([{ source: 'smc-platform', id: 'w-1', version: 2 }]);
  expect((await store.read('smc-platform', 'w-2'))?.processedVersion).toBe(1);
  expect((await store.read('smc-platform', 'w-1'))?.processedVersion).toBe(1);
});

test('training encounters are marked skipped for every target', async () => {
  const training = ancEncounter({ id: 'w-training', training: true });
  await store.accept([{ encounter: training, contentHash: hashOf('d') }], now);
  await execIngestJob({ refs: [{ source: 'smc-platform', id: 'w-training', version: 1 }] }, store, [skipPractice(store)]);
  const stored = await store.read('smc-platform', 'w-training');
  expect(stored?.targets.dhis2).toMatchObject({ state: 'skipped', version: 1, reason: expect.stringMatching(/training/) });
  expect(stored?.targets.fhir).toMatchObject({ state: 'skipped', version: 1 });
});

test('a target state never goes back to an older version', async () => {
  const ref = { source: 'smc-platform', id: 'w-states', version: 1 };
  await store.accept([{ encounter: ancEncounter({ id: 'w-states', version: 3 }), contentHash: hashOf('e') }], now);
  await store.setTargetState({ ...ref, version: 3 }, 'dhis2', { state: 'delivered', at: now.toISOString() });
  await store.setTargetState(ref, 'dhis2', { state: 'failed', reason: 'late retry of version 1', at: now.toISOString() });
  expect((await store.read('smc-platform', 'w-states'))?.targets.dhis2).toMatchObject({ state: 'delivered', version: 3 });
});

test('the sweeper queues versions a crash left stored but never queued', async () => {
  // Stored as the HTTP handler would, but the process "died" before queueing.
  await store.accept([{ encounter: ancEncounter({ id: 'w-orphan' }), contentHash: hashOf('f') }], now);
  const jobsBefore = (await queue.getJobs(['waiting'])).length;
  expect(await sweepInbox(store, queue, new Date(now.getTime() - 1))).toBe(0);
  const swept = await sweepInbox(store, queue, new Date(now.getTime() + 1));
  expect(swept).toBeGreaterThanOrEqual(1);
  const ids = (await queue.getJobs(['waiting'])).map((job) => job.id);
  expect(ids).toContain('enc~smc-platform~w-orphan~1');
  // Sweeping again adds no second job for the same version.
  await sweepInbox(store, queue, new Date(now.getTime() + 1));
  expect((await queue.getJobs(['waiting'])).length).toBe(jobsBefore + swept);
});
