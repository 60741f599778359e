// Backlog benchmark: a district (or a ministry's replay) sends a large backlog while no worker runs; then 2
// worker processes drain it into DHIS2. Prints, every tenth of the drain, how much is left and the resident
// memory of the api and worker processes and of Redis, to show memory stays flat in the backlog size; then
// the peaks and the rates. Cost growth: the time per encounter while the ledger holds about 10 k, 100 k and
// (at the end) 1 M encounters, and the time one encounter alone at a facility of its own takes from its
// post until DHIS2 holds it, with an empty ledger and with the whole backlog in it: a push costs what its
// group holds, not what the ledger holds. Runs on a Redis of its own (bench/lib/private-redis.ts).
//
//   npx tsx bench/backlog.ts [encounters=1000000] [workers=2] [--probes 15]
import { encounterStream } from '@smc-bridge/generator';
import { DEFAULT_PERSONAL_ACCESS_TOKEN, startDhis2StandInServer, standInMetadata } from '@smc-bridge/stand-ins';
import { Queue } from 'bullmq';
import { createApiKey } from '../middleware/src/config/api-keys.js';
import { EncounterStore } from '../middleware/src/ingest/encounter-store.js';
import { INGEST_QUEUE } from '../middleware/src/ingest/ingest-queue.js';
import { Ledger } from '../middleware/src/ledger/ledger.js';
import { openQueues, unfinishedJobs } from '../middleware/src/queue-registry.js';
import { createRedis } from '../middleware/src/redis/connection.js';
import { RedisKeys } from '../middleware/src/redis/keys.js';
import { numberFlag } from './lib/args.js';
import { BATCH } from './lib/batches.js';
import { rssMbOf } from './lib/cpu.js';
import { startPrivateRedis } from './lib/private-redis.js';
import { freePort, startMiddleware, waitForHealth, type WatchedProcess } from './lib/processes.js';

const total = Number(process.argv[2] ?? 1_000_000);
const workerCount = Number(process.argv[3] ?? 2);
const FACILITIES = 200;
const prefix = 'smc-backlog';
/** The facility of the single-encounter probes: no backlog encounter touches its groups. */
const PROBE_FACILITY = 'BENCH_PROBE_CSI';
// --probes N: single-encounter probes before and after the backlog (their median is printed).
const PROBES = numberFlag('probes', 15);
// Short, so that a probe's time is its own work rather than the wait for changes to coalesce.
const PUSH_DELAY_MS = 100;

const privateRedis = await startPrivateRedis();
const redis = createRedis(privateRedis.url, 'bench');
const keys = new RedisKeys(prefix);
// Every facility of the generator's world, known to the DHIS2 stand-in before the first encounter.
const orgUnits = [...new Set([...encounterStream({ seed: 3, facilityCount: FACILITIES, encounterCount: 20_000, endDate: '2026-10-31', days: 365 })].flatMap((e) => (e.facility.code ? [e.facility.code] : [])))];
const standIn = await startDhis2StandInServer({ metadata: standInMetadata([...orgUnits, PROBE_FACILITY]) });
const { key, entry } = createApiKey('smc-platform');
const port = await freePort();
const settings = { DHIS2_URL: standIn.url, DHIS2_TOKEN: DEFAULT_PERSONAL_ACCESS_TOKEN, REDIS_URL: privateRedis.url, REDIS_PREFIX: prefix, LOG_LEVEL: 'error', API_KEYS: entry, HOST: '127.0.0.1', METRICS_PORT: '0', INBOX_SWEEP_AFTER_SECONDS: '86400', DHIS2_PUSH_DELAY_MS: String(PUSH_DELAY_MS) };
const api = startMiddleware('api', 'api', { ...settings, PORT: String(port) });
const apiUrl = `http://127.0.0.1:${port}`;
await waitForHealth(`${apiUrl}/health`, api);

const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };

// Single encounters that count in DHIS2, moved to the probe facility; each is posted alone and followed until
// DHIS2 holds it.
const probeSource = encounterStream({ seed: 11, facilityCount: 5, encounterCount: 2_000, endDate: '2026-10-31', days: 365 })[Symbol.iterator]();
let probeCount = 0;
async function probeSeconds(): Promise<number> {
  const times: number[] = [];
  // The first few warm the processes up (the JIT, connections) and are not counted.
  while (times.length < PROBES + 3) {
    const next = probeSource.next();
    if (next.done) throw new Error('the probe stream ran out');
    const encounter = next.value;
    if (encounter.training || encounter.status !== 'completed' || !['malaria', 'anc', 'immunization'].includes(encounter.type) || encounter.version !== 1) continue;
    const id = `probe-${++probeCount}`;
    const started = performance.now();
    const response = await fetch(`${apiUrl}/api/v1/encounters`, { method: 'POST', headers, body: JSON.stringify({ ...encounter, id, facility: { code: PROBE_FACILITY } }) });
    if (response.status !== 202) throw new Error(`probe: HTTP ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
    for (;;) {
      const status = (await (await fetch(`${apiUrl}/api/v1/encounters/smc-platform/${id}`, { headers })).json()) as { targets?: { dhis2?: { state: string } } };
      const state = status.targets?.dhis2?.state;
      if (state === 'delivered') break;
      if (state === 'skipped' || state === 'failed') throw new Error(`probe ${id}: ${state}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    times.push((performance.now() - started) / 1000);
  }
  const counted = times.slice(3).sort((a, b) => a - b);
  return counted[Math.floor(counted.length / 2)]!;
}
const startWorkers = async (): Promise<WatchedProcess[]> => {
  const started = Array.from({ length: workerCount }, (_, n) => startMiddleware('worker', `worker ${n + 1}`, settings));
  const ingestQueue = new Queue(INGEST_QUEUE, { connection: redis, prefix: keys.bullPrefix() });
  while ((await ingestQueue.getWorkersCount()) < workerCount) await new Promise((resolve) => setTimeout(resolve, 100));
  await ingestQueue.close();
  return started;
};

const probeWorkers = await startWorkers();
const probeEmpty = await probeSeconds();
await Promise.all(probeWorkers.map((p) => p.stop()));
console.log(`one encounter alone, post to DHIS2 holding it (median of ${PROBES}), empty ledger: ${(probeEmpty * 1000).toFixed(0)} ms`);

// The backlog: generated lazily, a batch at a time, 4 requests in flight.
const stream = encounterStream({ seed: 3, facilityCount: FACILITIES, encounterCount: total, endDate: '2026-10-31', days: 365 })[Symbol.iterator]();
const nextBatch = (): string | undefined => {
  const batch: unknown[] = [];
  for (let next = stream.next(); !next.done; next = stream.next()) {
    batch.push(next.value);
    if (batch.length === BATCH) break;
  }
  return batch.length === 0 ? undefined : JSON.stringify({ encounters: batch });
};
const postStarted = performance.now();
await Promise.all(
  Array.from({ length: 4 }, async () => {
    for (let body = nextBatch(); body !== undefined; body = nextBatch()) {
      const response = await fetch(`${apiUrl}/api/v1/encounters`, { method: 'POST', headers, body });
      if (response.status !== 202) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
    }
  }),
);
const postSeconds = (performance.now() - postStarted) / 1000;
const store = new EncounterStore(redis, keys);
const backlog = await store.inboxSize();
const redisMb = () => rssMbOf(privateRedis.pid);
console.log(`backlog: ${backlog} encounter versions accepted in ${postSeconds.toFixed(0)} s (${Math.round(total / postSeconds)}/s) with no worker running; api ${api.peakRssMb.toFixed(0)} MB peak, Redis ${redisMb().toFixed(0)} MB`);

const workers = await startWorkers();
const drainStarted = performance.now();
// When the ledger (the versions processed so far) passed each count, to read the time per encounter around it.
const passed: { processed: number; seconds: number }[] = [{ processed: 0, seconds: 0 }];
const rss = () => [api, ...workers].map((p) => `${p.role} ${rssMbOf(p.child.pid!).toFixed(0)}`).join(', ');
let reported = 0;
for (let left = backlog; left > 0; left = await store.inboxSize()) {
  const tenth = Math.floor((10 * (backlog - left)) / backlog);
  if (tenth > reported) {
    reported = tenth;
    console.log(`  ${String(tenth * 10).padStart(3)} % drained after ${((performance.now() - drainStarted) / 1000).toFixed(0).padStart(4)} s: ${left} left; RSS MB: ${rss()}, Redis ${redisMb().toFixed(0)}`);
  }
  passed.push({ processed: backlog - left, seconds: (performance.now() - drainStarted) / 1000 });
  await new Promise((resolve) => setTimeout(resolve, 200));
}
const processedSeconds = (performance.now() - drainStarted) / 1000;
passed.push({ processed: backlog, seconds: processedSeconds });
/** µs per encounter over the polls between the ledger holding `from` and `to` encounters. */
const microsPerEncounter = (from: number, to: number): string => {
  const start = passed.findLast((p) => p.processed <= from) ?? passed[0]!;
  const end = passed.find((p) => p.processed >= to) ?? passed[passed.length - 1]!;
  return end.processed > start.processed ? ((1e6 * (end.seconds - start.seconds)) / (end.processed - start.processed)).toFixed(0) : 'n/a';
};
// Jobs carry batches of 1,000 and eight run at once, so the ledger grows in steps: each window spans several.
console.log(
  `time per encounter (µs, wall, ${workerCount} workers) with the ledger at 0-20 k: ${microsPerEncounter(0, 20_000)}, ` +
    `80-120 k: ${microsPerEncounter(80_000, 120_000)}, the last 40 k before ${Math.round(backlog / 1000)} k: ${microsPerEncounter(backlog - 40_000, backlog)}`,
);
const ledger = new Ledger(redis, keys);
const queues = openQueues(redis, keys, { dhis2: true, fhir: false });
while ((await ledger.dirtyGroups(1)).length > 0 || (await unfinishedJobs(queues.dhis2Push!)) > 0) await new Promise((resolve) => setTimeout(resolve, 200));
const deliveredSeconds = (performance.now() - drainStarted) / 1000;
console.log(`drained: processed in ${processedSeconds.toFixed(0)} s (${Math.round(backlog / processedSeconds)}/s), DHIS2 holds every value after ${deliveredSeconds.toFixed(0)} s (${Math.round(backlog / deliveredSeconds)}/s)`);
console.log(`peak resident memory (MB): ${[api, ...workers].map((p) => `${p.role} ${p.peakRssMb.toFixed(0)}`).join(', ')}; Redis now ${redisMb().toFixed(0)}`);
const probeFull = await probeSeconds();
console.log(`one encounter alone, post to DHIS2 holding it (median of ${PROBES}), ${backlog} encounters in the ledger: ${(probeFull * 1000).toFixed(0)} ms (empty ledger: ${(probeEmpty * 1000).toFixed(0)} ms)`);

await Promise.all([api, ...workers].map((p) => p.stop()));
await queues.close();
await standIn.close();
redis.disconnect();
await privateRedis.stop();
