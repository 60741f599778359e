// Ingest against the real Redis: what is accepted is stored before the answer, a duplicate queues nothing,
// a lower version is stale, a batch accepts its good items, and the status endpoint tells where each is.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { INGEST_QUEUE } from '../../src/ingest/ingest-queue.js';
import { RedisKeys } from '../../src/redis/keys.js';
import { ancEncounter } from '../support/fixtures.js';
import { TEST_REDIS_URL } from '../support/redis.js';
import { startTestService, type TestService } from '../support/service.js';

interface Answer {
  counts: Record<'accepted' | 'duplicate' | 'stale' | 'rejected', number>;
  results: { index: number; status: string; id?: string; version?: number; currentVersion?: number; errors?: { path: string; message: string }[] }[];
}

let api: TestService;
let redis: Redis;
let queue: Queue;

async function totalJobs(): Promise<number> {
  const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized');
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

async function postJson(body: unknown): Promise<{ status: number; answer: Answer }> {
  const response = await api.post(body);
  return { status: response.status, answer: (await response.json()) as Answer };
}

async function statusOf(id: string): Promise<Record<string, unknown>> {
  const response = await api.get(`/api/v1/encounters/smc-platform/${id}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  // Workers off: the tests look at the queue itself.
  api = await startTestService('ingest', {}, { workers: false });
  redis = new Redis(TEST_REDIS_URL);
  queue = new Queue(INGEST_QUEUE, { connection: redis, prefix: new RedisKeys(api.prefix).bullPrefix() });
});
afterAll(async () => {
  await queue.close();
  redis.disconnect();
  await api.stop();
});

test('an accepted encounter is in Redis when the 202 arrives, and queued once', async () => {
  const encounter = ancEncounter({ id: 'durable-1' });
  const jobsBefore = await totalJobs();
  const { status, answer } = await postJson(encounter);
  expect(status).toBe(202);
  expect(answer.results).toEqual([{ index: 0, source: 'smc-platform', id: 'durable-1', version: 1, status: 'accepted' }]);
  const stored = await redis.hgetall(new RedisKeys(api.prefix).encounter('smc-platform', 'durable-1'));
  expect(stored['version']).toBe('1');
  expect(JSON.parse(stored['body'] as string)).toEqual(encounter);
  expect(await totalJobs()).toBe(jobsBefore + 1);
  const [job] = await queue.getJobs(['waiting']);
  expect(job?.id).toBe('enc~smc-platform~durable-1~1');
});

test('a duplicate post answers duplicate and queues nothing', async () => {
  const encounter = ancEncounter({ id: 'dup-1' });
  expect((await postJson(encounter)).answer.results[0]?.status).toBe('accepted');
  const jobsAfterFirst = await totalJobs();
  // The same content with its keys in another order is the same encounter.
  const reordered = Object.fromEntries(Object.entries(encounter).reverse());
  const second = await postJson(reordered);
  expect(second.status).toBe(202);
  expect(second.answer.results[0]?.status).toBe('duplicate');
  expect(await totalJobs()).toBe(jobsAfterFirst);
});

test('a lower version is stale and changes nothing', async () => {
  expect((await postJson(ancEncounter({ id: 'ver-1', version: 3 }))).answer.results[0]?.status).toBe('accepted');
  const jobs = await totalJobs();
  const { status, answer } = await postJson(ancEncounter({ id: 'ver-1', version: 2, anc: { visitNumber: 2, gestationalAgeWeeks: 20 } }));
  expect(status).toBe(202);
  expect(answer.results[0]).toMatchObject({ status: 'stale', version: 2, currentVersion: 3 });
  expect(await totalJobs()).toBe(jobs);
  expect(await statusOf('ver-1')).toMatchObject({ version: 3 });
});

test('a higher version replaces the held one', async () => {
  await postJson(ancEncounter({ id: 'ver-2', version: 1 }));
  const { answer } = await postJson(ancEncounter({ id: 'ver-2', version: 2, status: 'entered-in-error' }));
  expect(answer.results[0]?.status).toBe('accepted');
  expect(await statusOf('ver-2')).toMatchObject({ version: 2, status: 'entered-in-error' });
});

test('the same version with other content is rejected, naming the version', async () => {
  await postJson(ancEncounter({ id: 'conflict-1' }));
  const { status, answer } = await postJson(ancEncounter({ id: 'conflict-1', vitals: { temperatureC: 39.1 } }));
  expect(status).toBe(422);
  expect(answer.results[0]?.errors).toEqual([{ path: '/version', message: expect.stringMatching(/already accepted with different content/) }]);
});

test('a batch accepts its good items and rejects the bad ones, in one queue job', async () => {
  const jobs = await totalJobs();
  const good = [1, 2, 3].map((n) => ancEncounter({ id: `batch-good-${n}` }));
  const bad = { ...ancEncounter({ id: 'batch-bad' }), occurredAt: 'last week' };
  const { status, answer } = await postJson({ encounters: [good[0], bad, good[1], good[2], good[0]] });
  expect(status).toBe(202);
  expect(answer.counts).toEqual({ accepted: 3, duplicate: 1, stale: 0, rejected: 1 });
  expect(answer.results.map((r) => r.status)).toEqual(['accepted', 'rejected', 'accepted', 'accepted', 'duplicate']);
  expect(answer.results[1]).toMatchObject({ id: 'batch-bad', errors: [{ path: '/encounters/1/occurredAt' }] });
  expect(await totalJobs()).toBe(jobs + 1);
  const batchJob = (await queue.getJobs(['waiting'])).find((job) => String(job.id).startsWith('batch~'));
  expect(batchJob?.data.refs.map((ref: { id: string }) => ref.id)).toEqual(['batch-good-1', 'batch-good-2', 'batch-good-3']);
});


test('an API key may only post for its own source', async () => {
  const response = await api.post(ancEncounter({ id: 'wrong-source' }), { key: api.otherSourceKey });
  expect(response.status).toBe(422);
  const answer = (await response.json()) as Answer;
  expect(answer.results[0]?.errors?.[0]).toEqual({ path: '/source', message: 'must be "other-emr", the source of this API key' });
});

test('status reports the latest version and its targets, without patient data', async () => {
  await postJson(ancEncounter({ id: 'status-1', version: 4 }));
  const status = await statusOf('status-1');
  expect(status).toMatchObject({
    source: 'smc-platform',
    id: 'status-1',
    version: 4,
    status: 'completed',
    type: 'anc',
    training: false,
    processed: false,
    targets: { dhis2: { state: 'accepted', version: 4 }, fhir: { state: 'accepted', version: 4 } },
  });
  const text = JSON.stringify(status);
  for (const secret of ['Aminata', 'Traoré', 'P-000123', '1999-04-11', '677']) expect(text).not.toContain(secret);
});

test('metrics count each outcome', async () => {
  const text = await (await fetch(`${api.url}/metrics`)).text();
  const count = (outcome: string) =>
    Number(new RegExp(`smc_encounters_ingested_total\\{outcome="${outcome}",source="smc-platform"\\} (\\d+)`).exec(text)?.[1] ?? 0);
  expect(count('accepted')).toBeGreaterThanOrEqual(10);
  expect(count('duplicate')).toBeGreaterThanOrEqual(2);
  expect(count('stale')).toBe(1);
  expect(count('rejected')).toBeGreaterThanOrEqual(2);
  expect(text).toMatch(/smc_queue_jobs\{queue="ingest",state="waiting"\} [1-9]/);
  expect(text).toContain('smc_http_request_duration_seconds_bucket');
});

test('a large batch over many encounter buckets: every answer at its own index, versions of one encounter decided in order', async () => {
  // Held before the batch: a version 2 (so an item at version 1 is stale) and a version 1 (an item with other content conflicts).
  await postJson({ encounters: [ancEncounter({ id: 'many-held-2', version: 2 }), ancEncounter({ id: 'many-held-1' })] });
  const fresh = Array.from({ length: 400 }, (_, n) => ancEncounter({ id: `many-${n}` }));
  const items: unknown[] = [];
  const expected: string[] = [];
  fresh.forEach((encounter, n) => {
    items.push(encounter);
    expected.push('accepted');
    if (n % 97 === 0) {
      items.push(ancEncounter({ id: 'many-held-2', version: 1 }), ancEncounter({ id: 'many-held-1', vitals: { temperatureC: 38.2 } }));
      expected.push('stale', 'rejected');
    }
  });
  // One encounter three times in the same request: 1 then 2 are accepted in order, 1 again is then stale, 2 again a duplicate.
  items.push(ancEncounter({ id: 'many-again' }), ancEncounter({ id: 'many-again', version: 2 }), ancEncounter({ id: 'many-again' }), ancEncounter({ id: 'many-again', version: 2 }));
  expected.push('accepted', 'accepted', 'stale', 'duplicate');
  const { status, answer } = await postJson({ encounters: items });
  expect(status).toBe(202);
  expect(answer.results.map((result) => result.status)).toEqual(expected);
  answer.results.forEach((result, index) => {
    expect(result.index).toBe(index);
    expect(result.id).toBe((items[index] as { id: string }).id);
  });
  expect(answer.results.at(-2)).toMatchObject({ status: 'stale', version: 1, currentVersion: 2 });
  const keys = new RedisKeys(api.prefix);
  const stored = await Promise.all(fresh.map((encounter) => redis.hget(keys.encounter('smc-platform', encounter.id), 'body')));
  expect(stored.map((body) => JSON.parse(body as string))).toEqual(fresh);
  expect(await statusOf('many-again')).toMatchObject({ version: 2 });
  expect(await statusOf('many-held-1')).not.toHaveProperty('vitals');
});
