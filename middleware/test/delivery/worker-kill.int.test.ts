// Worker processes killed with SIGKILL in the middle of the pipeline, again and again, while encounters
// (new ones, corrections, withdrawals) keep arriving. After the last restart DHIS2 must hold exactly the
// from-scratch recomputation: no encounter lost, none counted twice, nothing left in the dead-letter list.
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Encounter } from '@smc-bridge/contract';
import { PUSH_QUEUE } from '../../src/delivery/dhis2/push-queue.js';
import { DEFAULT_PERSONAL_ACCESS_TOKEN, startDhis2StandInServer, type Dhis2StandInServer } from '@smc-bridge/stand-ins';
import { byUid, nonZeroValues, standInMetadata } from '@smc-bridge/stand-ins';
import { INGEST_QUEUE } from '../../src/ingest/ingest-queue.js';
import { loadMappings } from '../../src/mapping/load-mappings.js';
import { latestVersions, recomputeCells } from '../../src/mapping/recompute.js';
import { RedisKeys } from '../../src/redis/keys.js';
import { generateEncounters } from '@smc-bridge/generator';
import { startChild, type ChildService } from '../support/child-service.js';
import { TEST_REDIS_URL } from '../support/redis.js';
import { startTestService, type TestService } from '../support/service.js';

jest.setTimeout(240_000);

const KILLS = 8;
const mappings = loadMappings(fileURLToPath(new URL('../../../mappings', import.meta.url)));
const encounters = generateEncounters({ seed: 11, facilityCount: 4, encounterCount: 2400, endDate: '2026-10-31', days: 60, updateRate: 0.2, enteredInErrorRate: 0.05 });
const orgUnits = [...new Set(encounters.map((e) => e.facility.code as string))];

let dhis2: Dhis2StandInServer;
let api: TestService;
let redis: Redis;
let ingestQueue: Queue;
let pushQueue: Queue;
const workers: ChildService[] = [];

beforeAll(async () => {
  dhis2 = await startDhis2StandInServer({ metadata: standInMetadata(orgUnits) });
  // The API runs here without workers; the work is done by separate `smc-bridge worker` processes.
  api = await startTestService('worker-kill', { DHIS2_URL: dhis2.url, DHIS2_TOKEN: DEFAULT_PERSONAL_ACCESS_TOKEN }, { workers: false });
  redis = new Redis(TEST_REDIS_URL);
  const prefix = new RedisKeys(api.prefix).bullPrefix();
  ingestQueue = new Queue(INGEST_QUEUE, { connection: redis, prefix });
  pushQueue = new Queue(PUSH_QUEUE, { connection: redis, prefix });
});

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.kill()));
  await ingestQueue.close();
  await pushQueue.close();
  redis.disconnect();
  await api.stop();
  await dhis2.close();
});

const workerEnv = () => ({
  REDIS_URL: TEST_REDIS_URL,
  REDIS_PREFIX: api.prefix,
  DHIS2_URL: dhis2.url,
  DHIS2_TOKEN: DEFAULT_PERSONAL_ACCESS_TOKEN,
  DHIS2_PUSH_DELAY_MS: '50',
  JOB_LOCK_SECONDS: '2',
  INBOX_SWEEP_AFTER_SECONDS: '10',
  WORKER_CONCURRENCY: '4',
  LOG_LEVEL: 'warn',
});

const activeJobs = async () => (await ingestQueue.getActiveCount()) + (await pushQueue.getActiveCount());

async function settled(): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const inbox = await api.service.store.inboxSize();
    const pending = await api.service.pendingPushes();
    const ingestJobs = await ingestQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    if (inbox === 0 && pending === 0 && Object.values(ingestJobs).every((n) => n === 0)) return;
    if (Date.now() > deadline) throw new Error(`not settled: inbox ${inbox}, pending pushes ${pending}, ingest jobs ${JSON.stringify(ingestJobs)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

test(`${KILLS} SIGKILLs of a worker mid-pipeline lose nothing and count nothing twice`, async () => {
  workers.push(await startChild('worker', workerEnv()), await startChild('worker', workerEnv()));
  const batches: Encounter[][] = [];
  for (let i = 0; i < encounters.length; i += 60) batches.push(encounters.slice(i, i + 60));
  const perRound = Math.ceil(batches.length / KILLS);

  let killedMidJob = 0;
  for (let round = 0; round < KILLS; round++) {
    for (const batch of batches.slice(round * perRound, (round + 1) * perRound)) {
      const response = await api.post({ encounters: batch });
      expect(response.status).toBe(202);
    }
    // Wait until the workers are into the work, then kill one of them wherever it is.
    const deadline = Date.now() + 15_000;
    while ((await activeJobs()) === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, (round * 37) % 150));
    if ((await activeJobs()) > 0) killedMidJob++;
    const victim = round % workers.length;
    await workers[victim]!.kill();
    workers[victim] = await startChild('worker', workerEnv());
  }
  // The kills must have landed on running jobs, or this test would show nothing.
  expect(killedMidJob).toBeGreaterThanOrEqual(KILLS / 2);

  await settled();
  expect(byUid(recomputeCells(encounters, mappings).values())).toEqual(nonZeroValues(dhis2.standIn));

  // Every encounter's latest version is the one the ledger holds, and nothing was given up on.
  const latest = latestVersions(encounters);
  const applied = await Promise.all(latest.map((e) => api.service.ledger.appliedVersion(e.source, e.id)));
  expect(applied).toEqual(latest.map((e) => e.version));
  expect(await ingestQueue.getFailedCount()).toBe(0);
  expect(await pushQueue.getFailedCount()).toBe(0);
  for (const worker of workers) expect(worker.output()).not.toMatch(/"level":(50|60)/);
});
