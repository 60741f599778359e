// FHIR leg benchmark (issue 13): generated encounters, stored as the ingest stores them, are turned into
// transaction Bundles, validated by the two validators and sent by the real FHIR delivery workers
// (`smc-bridge worker` processes, BullMQ on a real Redis of the benchmark's own, prefix smc-bench-fhir) to
//   (a) a null FHIR server (bench/lib/null-fhir.ts) that answers every request at once, so what is measured
//       is our own cost: mapping, validation, Redis, BullMQ, HTTP; and
//   (b) the Medplum-based FHIR stand-in over HTTP (which validates every write itself), alongside.
// Prints encounters/s until every FHIR job is finished, how many were delivered, the round trips the server
// saw, CPU µs per encounter of each worker process, of Redis and of this process (the server), and peak
// resident memory per worker. Before the runs, the mapping and the validation alone are timed on one core in
// this process, over the same encounters, to split the workers' CPU: mapping, validation, and the rest
// (Redis, BullMQ, HTTP, merging).
//
//   npx tsx bench/fhir.ts [encounters=5000] [worker processes=2] [stand-in encounters=1000] [--sample 2000]
//
// FHIR_CONCURRENCY (default 16 here) sets the uploads each worker process runs at once, FHIR_COMBINE_UPLOADS
// (default 20) how many of them one transaction may carry (1: each alone), FHIR_JOB_ENCOUNTERS (default 16)
// how many one queued job carries (1: a job each, as before 2026-12-03); 0 stand-in encounters skips run (b).
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import type { Encounter } from '@smc-bridge/contract';
import { encounterStream } from '@smc-bridge/generator';
import { FhirStandIn, startFhirStandInServer } from '@smc-bridge/stand-ins';
import { addFhirJobs, createFhirQueue, FHIR_QUEUE } from '../middleware/src/delivery/fhir/fhir-queue.js';
import type { EncounterRef } from '../middleware/src/domain/encounter-ref.js';
import { encounterToBundle } from '../middleware/src/fhir/encounter-bundle.js';
import { loadTerminology } from '../middleware/src/fhir/terminology.js';
import { validateFhirBundle } from '../middleware/src/fhir/validate-resources.js';
import { ValidatedShapes } from '../middleware/src/fhir/validated-shapes.js';
import { EncounterStore } from '../middleware/src/ingest/encounter-store.js';
import { unfinishedJobs } from '../middleware/src/queue-registry.js';
import { createRedis } from '../middleware/src/redis/connection.js';
import { deleteKeysWithPrefix, RedisKeys } from '../middleware/src/redis/keys.js';
import { numberFlag } from './lib/args.js';
import { cpuSecondsOf, redisPid } from './lib/cpu.js';
import { startNullFhirServer } from './lib/null-fhir.js';
import { startPrivateRedis } from './lib/private-redis.js';
import { startMiddleware, type WatchedProcess } from './lib/processes.js';

const total = Number(process.argv[2] ?? 5000);
const workerProcesses = Number(process.argv[3] ?? 2);
const standInTotal = Number(process.argv[4] ?? 1000);
const concurrency = process.env['FHIR_CONCURRENCY'] ?? '16';
const combine = process.env['FHIR_COMBINE_UPLOADS'] ?? '20';
const perJob = process.env['FHIR_JOB_ENCOUNTERS'] ?? '16';
const prefix = 'smc-bench-fhir';
// A Redis of its own (bench/lib/private-redis.ts), so that its CPU is this benchmark's alone on a shared
// machine; REDIS_URL runs against that Redis instead.
const privateRedis = process.env['REDIS_URL'] === undefined ? await startPrivateRedis() : undefined;
const redisUrl = process.env['REDIS_URL'] ?? privateRedis!.url;
const MAPPINGS = fileURLToPath(new URL('../mappings', import.meta.url));

/** Generated encounters, first versions only (a correction's job would only find itself superseded), no practice data. */
function encountersOf(count: number, seed: number): Encounter[] {
  const encounters: Encounter[] = [];
  for (const encounter of encounterStream({ seed, facilityCount: 50, encounterCount: Math.ceil(count * 1.05), endDate: '2026-10-31', days: 365, updateRate: 0, enteredInErrorRate: 0 })) {
    if (encounter.training === true) continue;
    encounters.push(encounter);
    if (encounters.length === count) break;
  }
  return encounters;
}

const cpuMicros = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

// 1. Mapping and validation alone, on one core in this process.
const terminology = loadTerminology(MAPPINGS);
// --sample N: how many encounters this one-core part times (default: all, at most 2,000).
const sample = encountersOf(Math.min(total, numberFlag('sample', 2000)), 7);
validateFhirBundle(encounterToBundle(sample[0]!, terminology).bundle!); // definitions indexed, validators built
let startedCpu = cpuMicros();
const bundles = sample.map((encounter) => encounterToBundle(encounter, terminology).bundle!);
const mappingUs = (cpuMicros() - startedCpu) / sample.length;
startedCpu = cpuMicros();
let invalid = 0;
for (const bundle of bundles) if (validateFhirBundle(bundle).length > 0) invalid++;
const validationUs = (cpuMicros() - startedCpu) / sample.length;
const shapes = new ValidatedShapes();
startedCpu = cpuMicros();
for (const bundle of bundles) if (shapes.validateBundle(bundle).length > 0) invalid++;
const byShapeColdUs = (cpuMicros() - startedCpu) / sample.length;
startedCpu = cpuMicros();
for (const bundle of bundles) if (shapes.validateBundle(bundle).length > 0) invalid++;
const byShapeWarmUs = (cpuMicros() - startedCpu) / sample.length;
const entries = bundles.reduce((sum, bundle) => sum + (bundle.entry?.length ?? 0), 0) / bundles.length;
console.log(`one core, this process:       mapping ${mappingUs.toFixed(0)} µs, validation in full ${validationUs.toFixed(0)} µs, by shape ${byShapeColdUs.toFixed(0)} µs (first pass) and ${byShapeWarmUs.toFixed(0)} µs (again) per encounter (${entries.toFixed(1)} entries per Bundle, ${invalid} invalid)`);

const redis = createRedis(redisUrl, 'bench');
const keys = new RedisKeys(prefix);
const store = new EncounterStore(redis, keys);
const redisProcess = await redisPid(redis);

interface Run {
  label: string;
  baseUrl: string;
  requests: () => string;
}

/** Stores the encounters, starts the workers, queues every upload and waits until every job is finished. */
async function run(target: Run, encounters: Encounter[]): Promise<void> {
  await deleteKeysWithPrefix(redis, prefix);
  const refs: EncounterRef[] = encounters.map((e) => ({ source: e.source, id: e.id, version: e.version }));
  for (let at = 0; at < encounters.length; at += 1000) {
    const chunk = encounters.slice(at, at + 1000);
    await store.accept(chunk.map((encounter) => ({ encounter, contentHash: createHash('sha256').update(JSON.stringify(encounter)).digest('hex') })), new Date());
  }
  // Already processed by the ingest (so no inbox sweeper re-queues them): only the FHIR leg runs.
  await store.markProcessed(refs);

  const settings: Record<string, string> = {
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: 'error',
    FHIR_URL: target.baseUrl,
    FHIR_CONCURRENCY: concurrency,
    FHIR_COMBINE_UPLOADS: combine,
    FHIR_JOB_ENCOUNTERS: perJob,
    METRICS_PORT: '0',
    INBOX_SWEEP_AFTER_SECONDS: '86400',
  };
  const workers: WatchedProcess[] = [];
  for (let n = 1; n <= workerProcesses; n++) workers.push(startMiddleware('worker', `worker ${n}`, settings));
  const queue = createFhirQueue(redis, keys);
  const probe = new Queue(FHIR_QUEUE, { connection: redis, prefix: keys.bullPrefix() });
  while ((await probe.getWorkersCount()) < workerProcesses) await new Promise((resolve) => setTimeout(resolve, 100));
  await probe.close();

  const cpu = () => ({ harness: cpuSecondsOf(process.pid), ...Object.fromEntries(workers.map((w) => [w.role, w.cpuSeconds()])), redis: redisProcess === undefined ? NaN : cpuSecondsOf(redisProcess) });
  const before: Record<string, number> = cpu();
  const started = performance.now();
  for (let at = 0; at < refs.length; at += 1000) await addFhirJobs(queue, refs.slice(at, at + 1000), Number(perJob));
  while ((await unfinishedJobs(queue)) > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  const seconds = (performance.now() - started) / 1000;
  const after: Record<string, number> = cpu();

  const stored = [];
  for (let at = 0; at < refs.length; at += 1000) stored.push(...(await store.readMany(refs.slice(at, at + 1000))));
  const states: Record<string, number> = {};
  for (const record of stored) {
    const state = record?.targets.fhir?.state ?? 'missing';
    states[state] = (states[state] ?? 0) + 1;
  }
  const usPer = (name: string) => Math.round(((after[name]! - before[name]!) * 1e6) / encounters.length);
  const workerUs = workers.reduce((sum, w) => sum + usPer(w.role), 0);
  console.log(`\n${target.label}: ${encounters.length} encounters, ${workerProcesses} worker processes, FHIR_CONCURRENCY ${concurrency}, FHIR_COMBINE_UPLOADS ${combine}, FHIR_JOB_ENCOUNTERS ${perJob}`);
  console.log(`  delivered:                  ${seconds.toFixed(2)} s, ${Math.round(encounters.length / seconds)} encounters/s; fhir states ${JSON.stringify(states)}`);
  console.log(`  the server saw:             ${target.requests()}`);
  console.log(`  CPU per encounter (µs):     ${[...workers.map((w) => `${w.role} ${usPer(w.role)}`), `Redis ${usPer('redis')}`, `this process (the server) ${usPer('harness')}`].join(', ')}`);
  console.log(`  workers' CPU split (µs):    ${workerUs} in all = mapping ~${mappingUs.toFixed(0)} + validation by shape ~${byShapeColdUs.toFixed(0)} + Redis, BullMQ, HTTP and the rest ~${Math.max(0, workerUs - Math.round(mappingUs) - Math.round(byShapeColdUs))}`);
  const ownUs = workerUs + usPer('redis');
  console.log(`  our own cost:               ${ownUs} µs of CPU per encounter (workers and Redis): ${Math.round(2e6 / ownUs)} encounters/s if both cores were ours`);
  console.log(`  peak resident memory (MB):  ${workers.map((w) => `${w.role} ${w.peakRssMb.toFixed(0)}`).join(', ')}`);
  await Promise.all(workers.map((w) => w.stop()));
  await queue.close();
}

// 2. (a) the null server.
const nullServer = await startNullFhirServer();
const c = nullServer.counts;
await run(
  { label: 'null FHIR server (our own cost)', baseUrl: nullServer.baseUrl, requests: () => `${c.transactions} transactions, ${c.batches} batches, ${c.entries} entries, ${c.searches} searches` },
  encountersOf(total, 11),
);
await nullServer.close();

// 3. (b) the Medplum-based stand-in, in this process.
if (standInTotal > 0) {
  const standIn = new FhirStandIn();
  const seen = { transactions: 0, batches: 0, searches: 0, other: 0 };
  const handle = standIn.handle.bind(standIn);
  standIn.handle = (request) => {
    const kind = request.method === 'GET' ? 'searches' : request.method === 'POST' && request.path === '/' ? (request.body?.includes('"batch"') ? 'batches' : 'transactions') : 'other';
    seen[kind]++;
    return handle(request);
  };
  const fhir = await startFhirStandInServer({ standIn });
  const requests = () => `${seen.transactions} transactions, ${seen.batches} batches, ${seen.searches} searches, ${seen.other} other`;
  await run({ label: 'FHIR stand-in (Medplum FhirRouter, validating every write)', baseUrl: fhir.baseUrl, requests }, encountersOf(standInTotal, 13));
  const held = await fhir.standIn.all('Encounter');
  console.log(`  the stand-in holds:         ${held.length} Encounters, ${(await fhir.standIn.all('Patient')).length} Patients`);
  await fhir.close();
}

await deleteKeysWithPrefix(redis, prefix);
redis.disconnect();
await privateRedis?.stop();
