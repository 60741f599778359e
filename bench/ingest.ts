// Ingest benchmark: generated encounters posted over HTTP in batches of 1,000, several requests in flight,
// into the service (API and workers: mapping, ledger and the DHIS2 push); prints throughput, memory and each
// figure as a fraction of the floor (the same batches through HTTP, JSON parse and one pipelined Redis write
// per encounter, nothing else: bench/lib/floor.ts). DHIS2 is the stand-in over HTTP in this process, unless
// DHIS2_URL points at a real one.
// With a third argument N > 0, the workers run as N separate `smc-bridge worker` processes (the scale-out
// DESIGN.md §9 describes) and this process serves only the API and the stand-in; with `none`, no worker runs
// at all and only the ingest is measured (the API process alone).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createApiKey } from '../middleware/src/config/api-keys.js';
import { loadConfig } from '../middleware/src/config/config.js';
import { createLogger } from '../middleware/src/logging/logger.js';
import { createRedis } from '../middleware/src/redis/connection.js';
import { deleteKeysWithPrefix } from '../middleware/src/redis/keys.js';
import { startService } from '../middleware/src/service.js';
import { DEFAULT_PERSONAL_ACCESS_TOKEN, startDhis2StandInServer, standInMetadata } from '@smc-bridge/stand-ins';
import { BATCH, generatedBatches, postAll } from './lib/batches.js';
import { startFloorServer } from './lib/floor.js';

const total = Number(process.argv[2] ?? 50_000);
const inFlight = Number(process.argv[3] ?? 4);
const ingestOnly = process.argv[4] === 'none';
const workerProcesses = ingestOnly ? 0 : Number(process.argv[4] ?? 0);
const prefix = 'smc-bench';

const { batches, orgUnits } = generatedBatches(total);
const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const cleaner = createRedis(redisUrl, 'bench');
await deleteKeysWithPrefix(cleaner, prefix);

const floor = await startFloorServer(redisUrl, prefix);
const floorSeconds = await postAll(floor.url, { 'content-type': 'application/json' }, batches, inFlight);
await floor.close();
await deleteKeysWithPrefix(cleaner, prefix);

const { key, entry } = createApiKey('smc-platform');
const standIn = process.env['DHIS2_URL'] === undefined ? await startDhis2StandInServer({ metadata: standInMetadata(orgUnits) }) : undefined;
const dhis2Env = standIn ? { DHIS2_URL: standIn.url, DHIS2_TOKEN: DEFAULT_PERSONAL_ACCESS_TOKEN } : {};
const settings = { ...dhis2Env, REDIS_URL: redisUrl, REDIS_PREFIX: prefix, LOG_LEVEL: 'error', DHIS2_PUSH_DELAY_MS: '500' };
const config = loadConfig({ ...process.env, ...settings, PORT: '0', HOST: '127.0.0.1', API_KEYS: entry });

const service = await startService(config, createLogger('error'), { http: true, workers: workerProcesses === 0 && !ingestOnly });
const workers = Array.from({ length: workerProcesses }, () =>
  spawn(process.execPath, [fileURLToPath(new URL('../middleware/bin/smc-bridge.js', import.meta.url)), 'worker'], { env: { ...process.env, ...settings }, stdio: 'inherit' }),
);
const outcomes = { accepted: 0, duplicate: 0, stale: 0, rejected: 0 };
const started = performance.now();
const ingestSeconds = await postAll(`${service.url}/api/v1/encounters`, { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, batches, inFlight, (answer) => {
  const { counts } = answer as { counts: typeof outcomes };
  for (const name of Object.keys(outcomes) as (keyof typeof outcomes)[]) outcomes[name] += counts[name];
});
if (ingestOnly) await finish(`ingest alone (HTTP 202s, no worker running): ${ingestSeconds.toFixed(2)} s, ${Math.round(total / ingestSeconds)} encounters/s, ${((100 * floorSeconds) / ingestSeconds).toFixed(0)} % of the floor (${floorSeconds.toFixed(2)} s); peak resident memory ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
while ((await service.store.inboxSize()) > 0) await new Promise((resolve) => setTimeout(resolve, 20));
const processedSeconds = (performance.now() - started) / 1000;
while ((await service.pendingPushes()) > 0) await new Promise((resolve) => setTimeout(resolve, 20));
const deliveredSeconds = (performance.now() - started) / 1000;
const peakMb = process.resourceUsage().maxRSS / 1024;

const rate = (seconds: number) => Math.round(total / seconds);
const ofFloor = (seconds: number) => `${((100 * floorSeconds) / seconds).toFixed(0)} % of the floor`;
// With several requests in flight a later version can overtake an earlier one: the earlier is then stale.
console.log(`encounters posted:           ${total} in batches of ${BATCH}, ${inFlight} in flight, workers ${workerProcesses === 0 ? 'in this process' : `in ${workerProcesses} worker processes`}: ${JSON.stringify(outcomes)}`);
console.log(`floor (HTTP, parse, 1 write): ${floorSeconds.toFixed(2)} s, ${rate(floorSeconds)} encounters/s`);
console.log(`ingest (HTTP 202s):          ${ingestSeconds.toFixed(2)} s, ${rate(ingestSeconds)} encounters/s, ${ofFloor(ingestSeconds)}`);
console.log(`ingest + worker processing:  ${processedSeconds.toFixed(2)} s, ${rate(processedSeconds)} encounters/s`);
console.log(`… + DHIS2 holds every value: ${deliveredSeconds.toFixed(2)} s, ${rate(deliveredSeconds)} encounters/s, ${ofFloor(deliveredSeconds)}` + (standIn ? ` (${standIn.standIn.allValues().length} values in the stand-in, ${standIn.standIn.requests.filter((r) => r.path.endsWith('/dataValueSets')).length} posts)` : ''));
console.log(`peak resident memory (API${workerProcesses === 0 ? ' + workers' : ''}): ${peakMb.toFixed(0)} MB`);

await finish();

async function finish(line?: string): Promise<never> {
  if (line !== undefined) console.log(line);
  for (const worker of workers) worker.kill('SIGTERM');
  await service.close();
  await standIn?.close();
  await deleteKeysWithPrefix(cleaner, prefix);
  cleaner.disconnect();
  process.exit(0);
}
