// `smc-bridge demo` (the quick start): starts the service on embedded defaults, feeds it generated
// encounters over HTTP exactly as a clinic system would, and reports what happened to them. It works in its
// own Redis prefix (`smc-demo`), emptied at start, so it can be run again and again.
import { Writable } from 'node:stream';
import { SingleBar, Presets } from 'cli-progress';
import { createApiKey } from '../config/api-keys.js';
import { DEFAULT_DHIS2_API_VERSION, loadConfig, type Config } from '../config/config.js';
import type { Encounter } from '@smc-bridge/contract';
import type { IngestAnswer, EncounterStatus } from '../http/api-schemas.js';
import {
  byUid,
  cellLabel,
  DEFAULT_PERSONAL_ACCESS_TOKEN,
  facilitiesOf,
  nonZeroValues,
  orgUnitsPayload,
  startDhis2StandInServer,
  startFhirStandInServer,
  type Dhis2StandInServer,
  type FhirStandInServer,
} from '@smc-bridge/stand-ins';
import { Dhis2Client } from '../dhis2/dhis2-client.js';
import { pushPackage, statsText } from '../metadata/metadata-push.js';
import { loadCheckedPackage } from '../metadata/package-rules.js';
import { loadMappings, type Mappings } from '../mapping/load-mappings.js';
import { latestVersions, recomputeCells } from '../mapping/recompute.js';
import { createLogger } from '../logging/logger.js';
import { createRedis, redactUrl, waitUntilReady } from '../redis/connection.js';
import { deleteKeysWithPrefix } from '../redis/keys.js';
import { startService, type RunningService } from '../service.js';
import { generateEncounters } from '@smc-bridge/generator';
import { APP_NAME, builtClinicianApp, openClinicianApp } from './demo-clinician-app.js';
import { yesterday } from './yesterday.js';

export interface DemoOptions {
  encounters: number;
  facilities: number;
  seed: number;
  batchSize: number;
  keepRunning: boolean;
}

const SOURCE = 'smc-platform';
const DEMO_PREFIX = 'smc-demo';

/** Shows each warning the service logs as one plain line, and nothing else. */
function warningsToConsole(): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        const { msg } = JSON.parse(line) as { msg?: string };
        if (msg) console.log(`  ! ${msg}`);
      }
      done();
    },
  });
}

function progress(label: string, total: number): { update(value: number): void; stop(): void } {
  if (process.stdout.isTTY) {
    const bar = new SingleBar({ format: `  ${label} [{bar}] {value}/{total}`, hideCursor: true }, Presets.shades_classic);
    bar.start(total, 0);
    return { update: (value) => bar.update(value), stop: () => bar.stop() };
  }
  let lastShown = -1;
  return {
    update(value) {
      const tenth = Math.floor((value / total) * 10);
      if (tenth !== lastShown) {
        lastShown = tenth;
        console.log(`  ${label}: ${value}/${total}`);
      }
    },
    stop() {},
  };
}

async function startOnFreePort(config: Config, logger: ReturnType<typeof createLogger>): Promise<RunningService> {
  try {
    return await startService(config, logger, { http: true, workers: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    console.log(`  port ${config.port} is taken; using a free one`);
    return startService({ ...config, port: 0 }, logger, { http: true, workers: true });
  }
}

export async function runDemo(options: DemoOptions): Promise<void> {
  const env: Record<string, string | undefined> = { REDIS_PREFIX: DEMO_PREFIX, HOST: '127.0.0.1', ...process.env };
  const { key, entry } = createApiKey(SOURCE);
  const app = createApiKey('dhis2-app', 'app');
  const config = loadConfig({ ...env, API_KEYS: [env['API_KEYS'], entry, app.entry].filter(Boolean).join(',') });
  const started = Date.now();

  console.log(`SMC bridge demo: ${options.encounters} generated encounters from ${options.facilities} facilities (seed ${options.seed})`);
  console.log(`  Redis ${redactUrl(config.redisUrl)}, key prefix "${config.redisPrefix}" (emptied first)`);
  const cleaner = createRedis(config.redisUrl, 'smc-bridge-demo-cleaner', 'fail-fast');
  cleaner.on('error', () => undefined); // the message below says it
  try {
    await waitUntilReady(cleaner, config.redisUrl);
    await deleteKeysWithPrefix(cleaner, config.redisPrefix);
  } catch {
    throw new Error(
      `Redis does not answer at ${redactUrl(config.redisUrl)}. Start one (redis-server --daemonize yes) or set REDIS_URL.`,
    );
  } finally {
    cleaner.disconnect();
  }

  const encounters = generateEncounters({
    seed: options.seed,
    facilityCount: options.facilities,
    encounterCount: options.encounters,
    endDate: yesterday(),
  });
  const mappings = loadMappings(config.mappingsDir);
  // Without a DHIS2 of its own, the demo delivers to the DHIS2 stand-in: the metadata package is pushed into
  // it as into a real DHIS2 (smc-bridge metadata push), and the facilities become its org units.
  // Kept running, the stand-in also serves the clinicians' app, so a newcomer can sign in and enter a visit.
  const appDirectory = config.dhis2 === undefined && options.keepRunning ? builtClinicianApp((line) => console.log(line)) : undefined;
  const standIn = config.dhis2 === undefined ? await startDhis2StandInServer(appDirectory ? { apps: [{ name: APP_NAME, directory: appDirectory }] } : {}) : undefined;
  const dhis2 = config.dhis2 ?? { url: standIn!.url, auth: { kind: 'token' as const, token: DEFAULT_PERSONAL_ACCESS_TOKEN }, apiVersion: DEFAULT_DHIS2_API_VERSION, timeoutMs: 30_000 };
  console.log(`  DHIS2: ${standIn ? `the built-in DHIS2 Web API stand-in at ${dhis2.url}` : dhis2.url}`);
  if (standIn) {
    const pushed = await pushPackage(new Dhis2Client(dhis2), loadCheckedPackage());
    if (!pushed.ok) throw new Error(`the metadata package did not import into the stand-in: ${pushed.message}`);
    console.log(`  metadata package metadata/smc-metadata.json imported (VALIDATE, then COMMIT): ${statsText(pushed.commit.stats)}`);
    standIn.standIn.loadMetadata(orgUnitsPayload(facilitiesOf(encounters)));
  }

  // Likewise FHIR: the built-in FHIR server (Medplum's router over HTTP) unless FHIR_URL names a real one.
  const fhirStandIn = config.fhir === undefined ? await startFhirStandInServer() : undefined;
  const fhir = config.fhir ?? { url: fhirStandIn!.baseUrl, concurrency: 4, combineUploads: 20, jobEncounters: 16, timeoutMs: 30_000, madx: false };
  console.log(`  FHIR: ${fhirStandIn ? `the built-in FHIR R4 server at ${fhir.url}` : fhir.url}`);

  const service = await startOnFreePort({ ...config, dhis2, fhir, dhis2PushDelayMs: 200 }, createLogger('warn', warningsToConsole()));
  const base = service.url as string;
  console.log(`  service listening on ${base} with ingest, DHIS2 push and FHIR delivery workers running\n`);
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const post = async (body: unknown): Promise<{ status: number; answer: IngestAnswer }> => {
    const response = await fetch(`${base}/api/v1/encounters`, { method: 'POST', headers, body: JSON.stringify(body) });
    return { status: response.status, answer: (await response.json()) as IngestAnswer };
  };

  try {
    const totals = { accepted: 0, duplicate: 0, stale: 0, rejected: 0 };
    const posting = progress('posting  ', encounters.length);
    const postStarted = Date.now();
    for (let start = 0; start < encounters.length; start += options.batchSize) {
      const { answer } = await post({ encounters: encounters.slice(start, start + options.batchSize) });
      for (const [outcome, count] of Object.entries(answer.counts)) totals[outcome as keyof typeof totals] += count;
      posting.update(Math.min(start + options.batchSize, encounters.length));
    }
    posting.stop();
    const postSeconds = (Date.now() - postStarted) / 1000;
    console.log(
      `  ${totals.accepted} accepted, ${totals.duplicate} duplicate, ${totals.stale} stale, ${totals.rejected} rejected ` +
        `in ${postSeconds.toFixed(1)} s (${Math.round(encounters.length / postSeconds)} encounters/s over HTTP)\n`,
    );

    console.log('What a clinic system sees when things go wrong:');
    const resend = await post({ encounters: encounters.slice(0, options.batchSize) });
    const { duplicate, stale } = resend.answer.counts;
    console.log(`  the first batch sent again (a reply lost on a bad link): ${duplicate} duplicate, ${stale} stale (a newer version is held); nothing queued`);
    const updated = encounters.find((encounter) => encounter.version > 1);
    if (updated) {
      const older = encounters.find((encounter) => encounter.id === updated.id && encounter.version < updated.version) as Encounter;
      const stale = await post(older);
      console.log(`  version ${older.version} of ${older.id} arriving after version ${updated.version}: ${stale.answer.results[0]?.status}`);
    }
    const first = encounters[0] as Encounter;
    const bad = { ...first, id: 'demo-bad-1', patient: { ...first.patient, birthDate: '2099-01-01', estimatedAge: undefined } };
    const rejected = await post(bad);
    const error = rejected.answer.results[0]?.errors?.[0];
    console.log(`  an encounter with a birth date in 2099: HTTP ${rejected.status}, ${error?.path} ${error?.message}\n`);

    const inboxAtStart = await service.store.inboxSize();
    if (inboxAtStart > 0) {
      const processing = progress('processing', inboxAtStart);
      for (let waiting = inboxAtStart; waiting > 0; waiting = await service.store.inboxSize()) {
        processing.update(inboxAtStart - waiting);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      processing.update(inboxAtStart);
      processing.stop();
    }

    const statusOf = async (id: string) =>
      (await (await fetch(`${base}/api/v1/encounters/${SOURCE}/${id}`, { headers })).json()) as EncounterStatus;
    const sample = await statusOf(first.id);
    console.log(`\nAll ${totals.accepted} accepted encounters were processed by the workers. Status of ${first.id}:`);
    console.log(`  version ${sample.version}, ${sample.type}, processed: ${sample.processed}, dhis2: ${sample.targets.dhis2?.state}, fhir: ${sample.targets.fhir?.state}`);
    const training = encounters.find((encounter) => encounter.training === true);
    if (training) {
      const state = await statusOf(training.id);
      console.log(`  training encounter ${training.id}: dhis2 ${state.targets.dhis2?.state} (${state.targets.dhis2?.reason})`);
    }
    for (let pending = await service.pendingPushes(); pending > 0; pending = await service.pendingPushes()) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const counted = encounters.find((e) => e.type === 'anc' && e.status === 'completed' && e.training !== true) ?? first;
    const delivered = await statusOf(counted.id);
    console.log(`  after the push, ${counted.type} encounter ${counted.id}: dhis2 ${delivered.targets.dhis2?.state}`);
    if (standIn) reportDhis2Values(standIn, mappings, encounters);
    await reportFhir(service, fhirStandIn, encounters, statusOf);
    console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s.`);

    if (!options.keepRunning) {
      console.log('Run `npx smc-bridge demo --keep-running` to explore the API afterwards.');
    } else {
      console.log(`The service keeps running (Ctrl-C stops it): ${base}/health  ${base}/metrics  ${base}/api/v1/openapi.json`);
      console.log(`Demo API key (valid until it stops): ${key}`);
      if (standIn && appDirectory) {
        const clinician = await openClinicianApp({ dhis2: standIn, middlewareUrl: base, appKey: app.key, facilityCodes: facilitiesOf(encounters).map((facility) => facility.code) });
        console.log(`\nThe clinicians' DHIS2 app: open ${clinician.url} and sign in as ${clinician.username} / ${clinician.password}`);
        console.log('  what you enter there goes through the DHIS2 Route to this middleware, and on to the DHIS2 values and the FHIR server above.');
      }
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    }
  } finally {
    await service.close();
    await standIn?.close();
    await fhirStandIn?.close();
  }
}

/** Waits for the FHIR uploads, then says what the FHIR server holds and where one encounter stands. */
async function reportFhir(
  service: RunningService,
  fhirStandIn: FhirStandInServer | undefined,
  posted: readonly Encounter[],
  statusOf: (id: string) => Promise<EncounterStatus>,
): Promise<void> {
  const waiting = await service.pendingFhirUploads();
  const uploading = progress('FHIR     ', waiting);
  for (let pending = waiting; pending > 0; pending = await service.pendingFhirUploads()) {
    uploading.update(waiting - Math.min(waiting, pending));
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  uploading.update(waiting);
  uploading.stop();
  const states = new Map<string, number>();
  for (const e of latestVersions(posted)) {
    const state = (await statusOf(e.id)).targets.fhir?.state ?? 'unknown';
    states.set(state, (states.get(state) ?? 0) + 1);
  }
  console.log(`\nFHIR: ${[...states].map(([state, count]) => `${count} ${state}`).join(', ')} (training encounters are never sent).`);
  if (fhirStandIn) {
    const counts = [];
    for (const type of ['Patient', 'Encounter', 'Observation', 'Condition', 'Immunization', 'MedicationAdministration', 'ServiceRequest'] as const) {
      counts.push(`${(await fhirStandIn.standIn.all(type)).length} ${type}`);
    }
    console.log(`  the FHIR server holds ${counts.join(', ')}; each encounter once, however often it was sent.`);
  }
  if ((states.get('failed') ?? 0) > 0) process.exitCode = 1;
}

/** Compares what the stand-in holds with an independent recomputation, and prints a few values by name. */
function reportDhis2Values(standIn: Dhis2StandInServer, mappings: Mappings, posted: readonly Encounter[]): void {
  const expected = recomputeCells(posted, mappings);
  const held = nonZeroValues(standIn.standIn);
  const expectedByUid = byUid(expected.values());
  let matching = 0;
  for (const [key, value] of expectedByUid) if (held.get(key) === value) matching += 1;
  const exact = matching === expected.size && held.size === expected.size;
  console.log(
    `\nDHIS2 holds ${held.size} non-zero values; a from-scratch recomputation from the latest version of every encounter gives ${expected.size}: ` +
      (exact ? 'every one equal.' : `${matching} equal, ${expected.size - matching} different.`),
  );
  const facilityNames = new Map(facilitiesOf(posted).map((facility) => [facility.code, facility.name ?? facility.code]));
  // The largest value of a few different rules.
  const monthly = [...expected.values()].filter((cell) => cell.dataSet === 'SMC_MONTHLY').sort((a, b) => b.value - a.value);
  const largestPerRule = new Map<string, (typeof monthly)[number]>();
  for (const cell of monthly) {
    const rule = [...cell.rules][0] as string;
    if (!largestPerRule.has(rule)) largestPerRule.set(rule, cell);
  }
  for (const cell of [...largestPerRule.values()].slice(0, 8)) {
    console.log(`  ${cellLabel(cell)}, ${facilityNames.get(cell.orgUnit) ?? cell.orgUnit}, ${cell.period} = ${cell.value}`);
  }
  if (!exact) process.exitCode = 1;
}
