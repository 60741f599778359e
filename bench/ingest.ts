// Ingest benchmark: generated encounters posted over HTTP in batches of 1,000, several requests in flight;
// prints throughput until the API has answered (202s), until the workers have mapped everything into the
// ledger, and until DHIS2 holds every value (checked cell by cell against the encounters mapped on their
// own); the CPU each process spent per encounter (Redis included: it shares the cores); peak memory; and
// each rate as a fraction of the floor (the same batches through HTTP, JSON parse and one pipelined Redis
// write per encounter, nothing else: bench/lib/floor.ts). DHIS2 is the stand-in over HTTP in this process,
// unless DHIS2_URL points at a real one.
//
//   npx tsx bench/ingest.ts [encounters=50000] [in flight=4] [workers=0] [--days 365] [--cluster]
//
// workers 0: API and workers in this process (the quickest loop). N > 0: the deployment's shape, an
// `smc-bridge api` process and N `smc-bridge worker` processes. `none`: the `smc-bridge api` process alone,
// no worker running (ingest alone). --days spreads the encounters over that many days before 2026-10-31 (50
// facilities): fewer days, more encounters per facility-month, as in a national replay. --cluster runs on a
// Redis Cluster of the benchmark's own (three masters on loopback ports; Redis CPU summed over them).
import { Queue } from 'bullmq';
import { createApiKey } from '../middleware/src/config/api-keys.js';
import { loadConfig } from '../middleware/src/config/config.js';
import { EncounterStore } from '../middleware/src/ingest/encounter-store.js';
import { INGEST_QUEUE } from '../middleware/src/ingest/ingest-queue.js';
import { Ledger } from '../middleware/src/ledger/ledger.js';
import { createLogger } from '../middleware/src/logging/logger.js';
import { loadMappings } from '../middleware/src/mapping/load-mappings.js';
import { openQueues, unfinishedJobs } from '../middleware/src/queue-registry.js';
import { createRedis } from '../middleware/src/redis/connection.js';
import { deleteKeysWithPrefix, RedisKeys } from '../middleware/src/redis/keys.js';
import { startService, type RunningService } from '../middleware/src/service.js';
import { DEFAULT_PERSONAL_ACCESS_TOKEN, startDhis2StandInServer, standInMetadata } from '@smc-bridge/stand-ins';
import { numberFlag } from './lib/args.js';
import { BATCH, generatedBatches, postAll } from './lib/batches.js';
import { cpuSecondsOf, redisPids } from './lib/cpu.js';
import { type CodedMetadata, differences, expectedValues } from './lib/expected.js';
import { startFloorServer } from './lib/floor.js';
import { startPrivateCluster, startPrivateRedis } from './lib/private-redis.js';
import { freePort, startMiddleware, waitForHealth, type WatchedProcess } from './lib/processes.js';

const positional = process.argv.slice(2).filter((arg, i, all) => !arg.startsWith('--') && all[i - 1] !== '--days');
const onCluster = process.argv.includes('--cluster');
const total = Number(positional[0] ?? 50_000);
const inFlight = Number(positional[1] ?? 4);
const ingestOnly = positional[2] === 'none';
const workerProcesses = ingestOnly ? 0 : Number(positional[2] ?? 0);
const separate = ingestOnly || workerProcesses > 0;
const days = numberFlag('days', 365);
const prefix = 'smc-bench';
// A Redis of the benchmark's own unless REDIS_URL names one: what else runs against the shared Redis (a test
// suite, another benchmark) would otherwise slow every round trip and the figures with it.
const privateRedis = onCluster ? await startPrivateCluster() : process.env['REDIS_URL'] === undefined ? await startPrivateRedis() : undefined;
const redisUrl = privateRedis?.url ?? process.env['REDIS_URL']!;

const { batches, orgUnits } = generatedBatches(total, { days });
const redis = createRedis(redisUrl, 'bench');
const keys = new RedisKeys(prefix);
await deleteKeysWithPrefix(redis, prefix);

const floor = await startFloorServer(redisUrl, prefix);
const floorSeconds = await postAll(floor.url, { 'content-type': 'application/json' }, batches, inFlight);
await floor.close();
await deleteKeysWithPrefix(redis, prefix);

const { key, entry } = createApiKey('smc-platform');
const metadata = standInMetadata(orgUnits);
const standIn = process.env['DHIS2_URL'] === undefined ? await startDhis2StandInServer({ metadata }) : undefined;
const settings: Record<string, string> = {
  ...(standIn ? { DHIS2_URL: standIn.url, DHIS2_TOKEN: DEFAULT_PERSONAL_ACCESS_TOKEN } : {}),
  REDIS_URL: redisUrl,
  REDIS_PREFIX: prefix,
  LOG_LEVEL: 'error',
  DHIS2_PUSH_DELAY_MS: process.env['DHIS2_PUSH_DELAY_MS'] ?? '500',
  API_KEYS: entry,
  HOST: '127.0.0.1',
  METRICS_PORT: '0',
};
const config = loadConfig({ ...process.env, ...settings, PORT: '0' });

// The middleware: in this process, or as the deployment's processes.
let inProcess: RunningService | undefined;
const processes: WatchedProcess[] = [];
let apiUrl: string;
if (separate) {
  const port = await freePort();
  const api = startMiddleware('api', 'api', { ...settings, PORT: String(port) });
  processes.push(api);
  for (let n = 1; n <= workerProcesses; n++) processes.push(startMiddleware('worker', `worker ${n}`, settings));
  apiUrl = `http://127.0.0.1:${port}`;
  await waitForHealth(`${apiUrl}/health`, api);
} else {
  inProcess = await startService(config, createLogger('error'), { http: true, workers: true });
  apiUrl = inProcess.url!;
}
const store = new EncounterStore(redis, keys);
const ledger = new Ledger(redis, keys);
const queues = openQueues(redis, keys, { dhis2: true, fhir: false });
// Timing starts once every worker process listens on the ingest queue (their start-up is not the pipeline's cost).
const ingestQueue = new Queue(INGEST_QUEUE, { connection: redis, prefix: keys.bullPrefix() });
while ((await ingestQueue.getWorkersCount()) < workerProcesses) await new Promise((resolve) => setTimeout(resolve, 100));
await ingestQueue.close();

const redisProcesses = await redisPids(redis);
const cpu = () => ({
  harness: cpuSecondsOf(process.pid),
  ...Object.fromEntries(processes.map((p) => [p.role, p.cpuSeconds()])),
  redis: redisProcesses.length === 0 ? NaN : redisProcesses.reduce((sum, pid) => sum + cpuSecondsOf(pid), 0),
});
const cpuBefore: Record<string, number> = cpu();
const outcomes = { accepted: 0, duplicate: 0, stale: 0, rejected: 0 };
const started = performance.now();
const ingestSeconds = await postAll(`${apiUrl}/api/v1/encounters`, { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, batches, inFlight, (answer) => {
  const { counts } = answer as { counts: typeof outcomes };
  for (const name of Object.keys(outcomes) as (keyof typeof outcomes)[]) outcomes[name] += counts[name];
});
const sleep = () => new Promise((resolve) => setTimeout(resolve, 20));
let processedSeconds = NaN;
let deliveredSeconds = NaN;
if (!ingestOnly) {
  while ((await store.inboxSize()) > 0) await sleep();
  processedSeconds = (performance.now() - started) / 1000;
  while ((await ledger.dirtyGroups(1)).length > 0 || (await unfinishedJobs(queues.dhis2Push!)) > 0) await sleep();
  deliveredSeconds = (performance.now() - started) / 1000;
}
const cpuAfter: Record<string, number> = cpu();

const rate = (seconds: number) => Math.round(total / seconds);
const ofFloor = (seconds: number) => `${((100 * floorSeconds) / seconds).toFixed(0)} % of the floor`;
const where = ingestOnly ? 'no worker running' : separate ? `an api process and ${workerProcesses} worker processes` : 'API and workers in the benchmark process';
// With several requests in flight a later version can overtake an earlier one: the earlier is then stale.
console.log(`Redis:                        ${onCluster ? 'a 3-master Redis Cluster of its own' : privateRedis ? 'a Redis of its own' : 'REDIS_URL'}`);
console.log(`encounters posted:            ${total} over ${days} days, batches of ${BATCH}, ${inFlight} in flight, ${where}: ${JSON.stringify(outcomes)}`);
console.log(`floor (HTTP, parse, 1 write): ${floorSeconds.toFixed(2)} s, ${rate(floorSeconds)} encounters/s`);
console.log(`ingest (HTTP 202s):           ${ingestSeconds.toFixed(2)} s, ${rate(ingestSeconds)} encounters/s, ${ofFloor(ingestSeconds)}`);
if (!ingestOnly) {
  console.log(`ingest + worker processing:   ${processedSeconds.toFixed(2)} s, ${rate(processedSeconds)} encounters/s`);
  const posts = standIn ? ` (${standIn.standIn.requests.filter((r) => r.path.endsWith('/dataValueSets')).length} posts)` : '';
  console.log(`… + DHIS2 holds every value:  ${deliveredSeconds.toFixed(2)} s, ${rate(deliveredSeconds)} encounters/s, ${ofFloor(deliveredSeconds)}${posts}`);
  if (standIn) {
    const { cells, differing, examples } = differences(standIn.standIn.allValues(), expectedValues(batches, loadMappings(config.mappingsDir)), metadata as unknown as CodedMetadata);
    console.log(`DHIS2 holds the exact values: ${differing === 0 ? `yes, all ${cells} cells` : `NO: ${differing} of ${cells} cells differ, e.g.\n  ${examples.join('\n  ')}`}`);
  }
}
const usPer = (name: string) => Math.round(((cpuAfter[name]! - cpuBefore[name]!) * 1e6) / total);
const cpuLine = separate
  ? [...processes.map((p) => `${p.role} ${usPer(p.role)}`), `Redis ${usPer('redis')}`, `harness (client, stand-in) ${usPer('harness')}`]
  : [`this process (API, workers, client, stand-in) ${usPer('harness')}`, `Redis ${usPer('redis')}`];
console.log(`CPU per encounter (µs):       ${cpuLine.join(', ')}`);
const memory = separate ? processes.map((p) => `${p.role} ${p.peakRssMb.toFixed(0)}`).join(', ') : `this process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)}`;
console.log(`peak resident memory (MB):    ${memory}`);

await Promise.all(processes.map((p) => p.stop()));
await inProcess?.close();
await queues.close();
await standIn?.close();
await deleteKeysWithPrefix(redis, prefix);
redis.disconnect();
await privateRedis?.stop();
