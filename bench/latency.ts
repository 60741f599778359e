// Latency benchmark: encounters posted at a steady rate (default 200/s, in batches of 20 every 100 ms, as
// many clinics syncing at once would), into an `smc-bridge api` process and 2 worker processes with the
// default push delay; prints, from each encounter's own status record, the time from its acceptance to
// DHIS2 holding its values (p50, p95, p99, max), and checks DHIS2 holds the exact values.
//
//   npx tsx bench/latency.ts [rate=200] [seconds=30] [workers=2]
import { createApiKey } from '../middleware/src/config/api-keys.js';
import { loadConfig } from '../middleware/src/config/config.js';
import { EncounterStore } from '../middleware/src/ingest/encounter-store.js';
import { Ledger } from '../middleware/src/ledger/ledger.js';
import { loadMappings } from '../middleware/src/mapping/load-mappings.js';
import { openQueues, unfinishedJobs } from '../middleware/src/queue-registry.js';
import { createRedis } from '../middleware/src/redis/connection.js';
import { deleteKeysWithPrefix, RedisKeys } from '../middleware/src/redis/keys.js';
import { DEFAULT_PERSONAL_ACCESS_TOKEN, startDhis2StandInServer, standInMetadata } from '@smc-bridge/stand-ins';
import { type CodedMetadata, differences, expectedValues } from './lib/expected.js';
import { startPrivateRedis } from './lib/private-redis.js';
import { freePort, startMiddleware, waitForHealth, type WatchedProcess } from './lib/processes.js';
import { encounterStream } from '@smc-bridge/generator';
import { Queue } from 'bullmq';
import { INGEST_QUEUE } from '../middleware/src/ingest/ingest-queue.js';

const rate = Number(process.argv[2] ?? 200);
const seconds = Number(process.argv[3] ?? 30);
const workerCount = Number(process.argv[4] ?? 2);
const TICK_MS = 100;
const perTick = Math.max(1, Math.round((rate * TICK_MS) / 1000));
const total = Math.round(rate * seconds);
const prefix = 'smc-bench-latency';
// A Redis of the benchmark's own unless REDIS_URL names one: what else runs against the shared Redis (a test
// suite, another benchmark) would otherwise slow every round trip and the figures with it.
const privateRedis = process.env['REDIS_URL'] === undefined ? await startPrivateRedis() : undefined;
const redisUrl = process.env['REDIS_URL'] ?? privateRedis!.url;

const encounters = [...encounterStream({ seed: 11, facilityCount: 50, encounterCount: total, endDate: '2026-10-31', days: 90 })];
const ticks: string[] = [];
for (let i = 0; i < encounters.length; i += perTick) ticks.push(JSON.stringify({ encounters: encounters.slice(i, i + perTick) }));
const orgUnits = [...new Set(encounters.flatMap((e) => (e.facility.code === undefined ? [] : [e.facility.code])))];

const redis = createRedis(redisUrl, 'bench');
const keys = new RedisKeys(prefix);
await deleteKeysWithPrefix(redis, prefix);
const metadata = standInMetadata(orgUnits);
const standIn = await startDhis2StandInServer({ metadata });
const { key, entry } = createApiKey('smc-platform');
const port = await freePort();
const settings = { DHIS2_URL: standIn.url, DHIS2_TOKEN: DEFAULT_PERSONAL_ACCESS_TOKEN, REDIS_URL: redisUrl, REDIS_PREFIX: prefix, LOG_LEVEL: 'error', API_KEYS: entry, HOST: '127.0.0.1', METRICS_PORT: '0' };
const config = loadConfig({ ...process.env, ...settings });
const processes: WatchedProcess[] = [startMiddleware('api', 'api', { ...settings, PORT: String(port) })];
for (let n = 1; n <= workerCount; n++) processes.push(startMiddleware('worker', `worker ${n}`, settings));
const apiUrl = `http://127.0.0.1:${port}`;
await waitForHealth(`${apiUrl}/health`, processes[0]!);
const ingestQueue = new Queue(INGEST_QUEUE, { connection: redis, prefix: keys.bullPrefix() });
while ((await ingestQueue.getWorkersCount()) < workerCount) await new Promise((resolve) => setTimeout(resolve, 100));
await ingestQueue.close();

// A steady rate: batch n leaves at start + n ticks, whatever the answers' timing (a late answer does not delay the next).
const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
const started = performance.now();
let late = 0;
const posts = ticks.map(async (body, n) => {
  const due = started + n * TICK_MS;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
  if (performance.now() - due > TICK_MS) late += 1;
  const response = await fetch(`${apiUrl}/api/v1/encounters`, { method: 'POST', headers, body });
  if (response.status !== 202) throw new Error(`HTTP ${response.status}`);
  await response.arrayBuffer();
});
await Promise.all(posts);
const postedSeconds = (performance.now() - started) / 1000;

const store = new EncounterStore(redis, keys);
const ledger = new Ledger(redis, keys);
const queues = openQueues(redis, keys, { dhis2: true, fhir: false });
const sleep = () => new Promise((resolve) => setTimeout(resolve, 50));
while ((await store.inboxSize()) > 0 || (await ledger.dirtyGroups(1)).length > 0 || (await unfinishedJobs(queues.dhis2Push!)) > 0) await sleep();

const latest = new Map(encounters.map((e) => [`${e.source}\u0000${e.id}`, e]));
for (const e of encounters) if (latest.get(`${e.source}\u0000${e.id}`)!.version < e.version) latest.set(`${e.source}\u0000${e.id}`, e);
const records = await store.readMany([...latest.values()].map((e) => ({ source: e.source, id: e.id, version: e.version })));
const latencies: number[] = [];
const notDelivered = new Map<string, number>();
for (const record of records) {
  const dhis2 = record?.targets.dhis2;
  if (record === undefined || dhis2 === undefined) continue;
  if (dhis2.state !== 'delivered') {
    notDelivered.set(dhis2.state, (notDelivered.get(dhis2.state) ?? 0) + 1);
    continue;
  }
  latencies.push(Date.parse(dhis2.at) - Date.parse(record.acceptedAt));
}
latencies.sort((a, b) => a - b);
const quantile = (q: number) => (latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]! / 1000).toFixed(2);
const { cells, differing } = differences(standIn.standIn.allValues(), expectedValues(ticks, loadMappings(config.mappingsDir)), metadata as unknown as CodedMetadata);

console.log(`posted:                  ${total} encounters at ${rate}/s (${perTick} every ${TICK_MS} ms) over ${postedSeconds.toFixed(1)} s, ${late} batches sent late; an api process and ${workerCount} worker processes, DHIS2_PUSH_DELAY_MS ${config.dhis2PushDelayMs}`);
console.log(`accepted → DHIS2 holds:  p50 ${quantile(0.5)} s, p95 ${quantile(0.95)} s, p99 ${quantile(0.99)} s, max ${(latencies.at(-1)! / 1000).toFixed(2)} s over ${latencies.length} encounters` + (notDelivered.size > 0 ? `; not delivered (other states): ${JSON.stringify(Object.fromEntries(notDelivered))}` : ''));
console.log(`DHIS2 holds the exact values: ${differing === 0 ? `yes, all ${cells} cells` : `NO: ${differing} of ${cells} cells differ`}`);
console.log(`peak resident memory (MB): ${processes.map((p) => `${p.role} ${p.peakRssMb.toFixed(0)}`).join(', ')}`);

await Promise.all(processes.map((p) => p.stop()));
await queues.close();
await standIn.close();
await deleteKeysWithPrefix(redis, prefix);
redis.disconnect();
await privateRedis?.stop();
