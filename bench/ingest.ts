// Ingest benchmark: generated encounters posted over HTTP in batches of 1,000, several requests in flight,
// into one in-process service (API and workers: mapping, ledger and the DHIS2 push); prints throughput and
// memory. DHIS2 is the stand-in over HTTP in this process, unless DHIS2_URL points at a real one.
// With a third argument N > 0, the workers run instead as N separate `smc-bridge worker` processes (the
// scale-out DESIGN.md §9 describes) and this process serves only the API and the stand-in.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createApiKey } from '../middleware/src/config/api-keys.js';
import { loadConfig } from '../middleware/src/config/config.js';
import { createLogger } from '../middleware/src/logging/logger.js';
import { createRedis } from '../middleware/src/redis/connection.js';
import { deleteKeysWithPrefix } from '../middleware/src/redis/keys.js';
import { startService } from '../middleware/src/service.js';
import { DEFAULT_PERSONAL_ACCESS_TOKEN, startDhis2StandInServer } from '@smc-bridge/stand-ins';
import { standInMetadata } from '@smc-bridge/stand-ins';
import { encounterStream } from '@smc-bridge/generator';

const total = Number(process.argv[2] ?? 50_000);
const inFlight = Number(process.argv[3] ?? 4);
const workerProcesses = Number(process.argv[4] ?? 0);
const BATCH = 1000;
const prefix = 'smc-bench';

const stream = encounterStream({ seed: 7, facilityCount: 50, encounterCount: total, endDate: '2026-10-31', days: 365 });
const batches: string[] = [];
const orgUnits = new Set<string>();
let batch: unknown[] = [];
for (const encounter of stream) {
  if (encounter.facility.code !== undefined) orgUnits.add(encounter.facility.code);
  batch.push(encounter);
  if (batch.length === BATCH) {
    batches.push(JSON.stringify({ encounters: batch }));
    batch = [];
  }
}
if (batch.length > 0) batches.push(JSON.stringify({ encounters: batch }));

const { key, entry } = createApiKey('smc-platform');
const standIn = process.env['DHIS2_URL'] === undefined ? await startDhis2StandInServer({ metadata: standInMetadata([...orgUnits]) }) : undefined;
const dhis2Env = standIn ? { DHIS2_URL: standIn.url, DHIS2_TOKEN: DEFAULT_PERSONAL_ACCESS_TOKEN } : {};
const config = loadConfig({ ...process.env, ...dhis2Env, REDIS_PREFIX: prefix, PORT: '0', HOST: '127.0.0.1', API_KEYS: entry, LOG_LEVEL: 'error', DHIS2_PUSH_DELAY_MS: '500' });
const cleaner = createRedis(config.redisUrl, 'bench');
await deleteKeysWithPrefix(cleaner, prefix);

const service = await startService(config, createLogger('error'), { http: true, workers: workerProcesses === 0 });
const workerEnv = { ...process.env, ...dhis2Env, REDIS_PREFIX: prefix, LOG_LEVEL: 'error', DHIS2_PUSH_DELAY_MS: '500' };
const workers = Array.from({ length: workerProcesses }, () =>
  spawn(process.execPath, [fileURLToPath(new URL('../middleware/bin/smc-bridge.js', import.meta.url)), 'worker'], { env: workerEnv, stdio: 'inherit' }),
);
const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
const started = performance.now();
let next = 0;
const outcomes = { accepted: 0, duplicate: 0, stale: 0, rejected: 0 };
async function sender(): Promise<void> {
  while (next < batches.length) {
    const body = batches[next++] as string;
    const response = await fetch(`${service.url}/api/v1/encounters`, { method: 'POST', headers, body });
    const answer = (await response.json()) as { counts: typeof outcomes };
    for (const name of Object.keys(outcomes) as (keyof typeof outcomes)[]) outcomes[name] += answer.counts[name];
  }
}
await Promise.all(Array.from({ length: inFlight }, sender));
const ingestSeconds = (performance.now() - started) / 1000;
while ((await service.store.inboxSize()) > 0) await new Promise((resolve) => setTimeout(resolve, 20));
const processedSeconds = (performance.now() - started) / 1000;
while ((await service.pendingPushes()) > 0) await new Promise((resolve) => setTimeout(resolve, 20));
const deliveredSeconds = (performance.now() - started) / 1000;
const peakMb = process.resourceUsage().maxRSS / 1024;

// With several requests in flight a later version can overtake an earlier one: the earlier is then stale.
console.log(`encounters posted:          ${total} in batches of ${BATCH}, ${inFlight} in flight, workers ${workerProcesses === 0 ? 'in this process' : `in ${workerProcesses} worker processes`}: ${JSON.stringify(outcomes)}`);
console.log(`ingest (HTTP 202s):         ${ingestSeconds.toFixed(2)} s, ${Math.round(total / ingestSeconds)} encounters/s`);
console.log(`ingest + worker processing: ${processedSeconds.toFixed(2)} s, ${Math.round(total / processedSeconds)} encounters/s`);
console.log(`… + DHIS2 holds every value: ${deliveredSeconds.toFixed(2)} s, ${Math.round(total / deliveredSeconds)} encounters/s` + (standIn ? ` (${standIn.standIn.allValues().length} values in the stand-in)` : ''));
console.log(`peak resident memory:       ${peakMb.toFixed(0)} MB`);

for (const worker of workers) worker.kill('SIGTERM');
await service.close();
await standIn?.close();
await deleteKeysWithPrefix(cleaner, prefix);
cleaner.disconnect();
