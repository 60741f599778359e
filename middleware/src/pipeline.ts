// The pipeline: what happens to an encounter version from the moment it is accepted, step by step, and
// where it fans out. Read this file first; each step lives in the folder of its stage.
//
//   api/ingest-routes.ts      POST /api/v1/encounters: validate each encounter against the contract
//   ingest/                   store each new version durably (and in the inbox) before the 202, queue one job
//                             per request on the ingest queue
//   ingest worker, per job, on the versions still current, in order:
//     1. skipPractice         practice versions: both targets "skipped"; they never count anywhere
//     2. indexPatients        patients/ files the patient under its facility for the DHIS2 app (practice
//                             patients apart)
//     3. mapToLedger          mapping/ turns the version into contributions; ledger/ replaces the ones it had;
//                             every changed cell group ──► DHIS2 push queue                 (fan-out 1)
//     4. queueForFhir         the version ──► FHIR queue                                      (fan-out 2)
//   DHIS2 push worker         delivery/dhis2/: one cell group at a time, recomputed from the ledger, its changed
//                             cells screened by quality/ against the facility's history (flags recorded, never
//                             blocking; followup marks where configured), and posted whole to dataValueSets;
//                             once DHIS2 accepts it ──► its mADX MeasureReport on the FHIR queue, when
//                             MADX_ENABLED                                                   (fan-out 3)
//   FHIR worker               delivery/fhir/: one transaction Bundle per version, one patient at a time; the
//                             uploads of different patients running at once share transactions and searches
//   status/                   every target state each step records, readable by GET /api/v1/encounters/…
//
// Every step is safe to run twice (jobs are delivered at least once), and a job carries references only.
import type { RedisClient } from './redis/connection.js';
import type { Config } from './config/config.js';
import type { CellGroup } from './domain/cells.js';
import { isPractice } from './domain/practice.js';
import { PendingPushes } from './delivery/dhis2/pending-pushes.js';
import { addPushJobs, initPushWorker, startDirtySweeper } from './delivery/dhis2/push-queue.js';
import { addFhirJobs, addMeasureReportJob, initFhirWorker } from './delivery/fhir/fhir-queue.js';
import { CombinedFhirRequests } from './delivery/fhir/combined-requests.js';
import { SentRecords } from './delivery/fhir/sent-records.js';
import { UploadLocks } from './delivery/fhir/upload-lock.js';
import { Dhis2Client } from './dhis2/dhis2-client.js';
import { prepareFhirValidators } from './fhir/validate-resources.js';
import { FhirClient } from './fhir/fhir-client.js';
import { ValidatedShapes, validatorGeneration } from './fhir/validated-shapes.js';
import { RedisSharedShapes } from './delivery/fhir/shared-shapes.js';
import type { Terminology } from './fhir/terminology.js';
import { EncounterStore } from './ingest/encounter-store.js';
import { startInboxSweeper } from './ingest/inbox-sweeper.js';
import { initIngestWorker, type EncounterStep } from './ingest/ingest-queue.js';
import { skipPractice, skipTarget } from './ingest/skip-steps.js';
import type { Ledger } from './ledger/ledger.js';
import type { Logger } from './logging/logger.js';
import type { Mappings } from './mapping/load-mappings.js';
import type { PatientIndex } from './patients/patient-index.js';
import { mapToLedger } from './mapping/map-to-ledger.js';
import type { ServiceMetrics } from './metrics/service-metrics.js';
import type { QueueRegistry } from './queue-registry.js';
import { CellGroupScreening } from './quality/cell-group-screening.js';
import { QualityFlags } from './quality/flag-store.js';
import { loadScreeningConfig } from './quality/screening-config.js';
import { districtScorecard } from './quality/district-scorecard.js';
import { CACHE_SECONDS, districtByCode, OrgUnitDistricts } from './quality/org-unit-districts.js';
import type { Campaign } from './mapping-files/campaigns-file.js';
import { initScorecardWorker, scheduleScorecard } from './quality/scorecard-job.js';
import { ScorecardStore } from './quality/scorecard-store.js';
import type { RedisKeys } from './redis/keys.js';

/** How often groups left dirty (a push that ran out of attempts, a change during a push) are queued again. */
export const DIRTY_SWEEP_EVERY_MS = 5000;

export interface PipelineParts {
  config: Config;
  keys: RedisKeys;
  store: EncounterStore;
  ledger: Ledger;
  patients: PatientIndex;
  mappings: Mappings;
  terminology?: Terminology;
  queues: QueueRegistry;
  logger: Logger;
  metrics?: ServiceMetrics;
  /** A new Redis connection for a worker (BullMQ workers block on theirs). */
  connect: (name: string) => RedisClient;
  /** The connection shared by non-blocking commands (locks, records). */
  redis: RedisClient;
}

/** The ingest worker's steps, in order (fan-outs 1 and 2). */
export function ingestSteps(parts: Pick<PipelineParts, 'store' | 'ledger' | 'patients' | 'mappings' | 'queues' | 'config' | 'redis' | 'keys'>): EncounterStep[] {
  const { store, ledger, patients, mappings, queues, config } = parts;
  const { dhis2Push, fhir } = queues;
  const pending = new PendingPushes(parts.redis, parts.keys);
  return [
    skipPractice(store),
    async (encounters) => patients.record(encounters),
    mapToLedger({ mappings, ledger, store, onDirty: async (groups) => (dhis2Push ? addPushJobs(dhis2Push, groups, config.dhis2PushDelayMs, pending) : undefined) }),
    fhir
      ? async (encounters) => addFhirJobs(fhir, encounters.filter(({ encounter }) => !isPractice(encounter)).map(({ ref }) => ref), config.fhir?.jobEncounters)
      : skipTarget(store, 'fhir', 'no FHIR server is configured (FHIR_URL)'),
  ];
}

/** What follows a cell group DHIS2 accepted in full (fan-out 3): its mADX MeasureReport, when enabled. */
function afterDhis2Accepted(parts: Pick<PipelineParts, 'queues' | 'config'>): ((group: CellGroup) => Promise<void>) | undefined {
  const fhir = parts.queues.fhir;
  return parts.config.fhir?.madx && fhir ? (group) => addMeasureReportJob(fhir, group) : undefined;
}

/**
 * Where the push screening places facilities for campaigns declared by district: DHIS2's hierarchy, loaded
 * (and reloaded every CACHE_SECONDS) in the background, by code until it is; only when a campaign names districts.
 */
function campaignDistricts(parts: PipelineParts, campaigns: readonly Campaign[], stops: (() => Promise<unknown> | void)[]): { of: (orgUnit: string) => string } {
  const current = { of: districtByCode };
  if (!campaigns.some((campaign) => campaign.districts !== undefined)) return current;
  const { config, keys, logger } = parts;
  const loader = new OrgUnitDistricts({ redis: parts.redis, keys, level: config.dataQuality.districtLevel, ...(config.dhis2 ? { client: new Dhis2Client(config.dhis2) } : {}) });
  const load = () =>
    loader
      .load()
      .then((districts) => void (current.of = (orgUnit) => districts.of(orgUnit)))
      .catch((error: Error) => logger.warn({ err: error.message }, "campaign districts: DHIS2's hierarchy could not be read; facilities placed by their code"));
  void load();
  const timer = setInterval(() => void load(), CACHE_SECONDS * 1000);
  timer.unref();
  stops.push(() => clearInterval(timer));
  return current;
}

/**
 * The nightly district scorecard: its schedule upserted (or removed, with DATA_QUALITY_SCORECARD_CRON=off) and
 * a worker that computes and stores it, on connections of its own (a run reads the whole ledger).
 */
function startScorecardWorker(parts: PipelineParts): () => Promise<void> {
  const { config, keys, mappings, queues, logger, metrics } = parts;
  const timeZone = config.dataQuality.scorecardTimeZone ?? mappings.facilities.defaultTimeZone;
  const cron = config.dataQuality.scorecardCron;
  scheduleScorecard(queues.scorecard, { ...(cron !== undefined ? { cron } : {}), timeZone }).catch((error: Error) => logger.error({ err: error.message }, 'the nightly scorecard could not be scheduled'));
  if (cron === undefined) return async () => undefined;
  const connection = parts.connect('smc-bridge-scorecard');
  const reads = parts.connect('smc-bridge-scorecard-reads');
  const districts = new OrgUnitDistricts({ redis: reads, keys, level: config.dataQuality.districtLevel, ...(config.dhis2 ? { client: new Dhis2Client(config.dhis2) } : {}) });
  const store = new ScorecardStore(reads, keys);
  const screening = loadScreeningConfig(config.mappingsDir);
  const worker = initScorecardWorker({
    connection,
    keys,
    timeZone,
    run: async (year) => {
      const result = await districtScorecard({ redis: reads, keys, screening, districts: await districts.load(), campaigns: mappings.campaigns ?? [] }, { year });
      await store.save(result);
      return result;
    },
    logger,
    ...(metrics ? { metrics } : {}),
  });
  logger.info({ cron, timeZone }, 'nightly data-quality scorecard scheduled');
  return async () => {
    await worker.close();
    await connection.quit().catch(() => undefined);
    await reads.quit().catch(() => undefined);
  };
}

/** Starts a worker for every queue of the pipeline; returns what stops them (workers first, then their connections). */
export function startPipelineWorkers(parts: PipelineParts): () => Promise<void> {
  const { config, keys, store, ledger, mappings, queues, logger, metrics } = parts;
  const stops: (() => Promise<unknown> | void)[] = [];
  const watched = { logger, ...(metrics ? { metrics } : {}) };

  const ingestConnection = parts.connect('smc-bridge-worker');
  const ingest = initIngestWorker({ connection: ingestConnection, keys, concurrency: config.workerConcurrency, jobLockMs: config.jobLockMs, store, steps: ingestSteps(parts), ...watched });
  const stopSweeper = startInboxSweeper({ store, queue: queues.ingest, sweepAfterMs: config.inboxSweepAfterMs, logger });
  stops.push(stopSweeper, () => ingest.close(), () => ingestConnection.quit());
  logger.info({ concurrency: config.workerConcurrency }, 'ingest workers running');

  if (config.dhis2 && queues.dhis2Push) {
    const pushConnection = parts.connect('smc-bridge-dhis2-push');
    const onDelivered = afterDhis2Accepted(parts);
    const campaigns = mappings.campaigns ?? [];
    const districts = campaignDistricts(parts, campaigns, stops);
    const screening = config.dataQuality.screening
      ? new CellGroupScreening({
          campaigns,
          districtOf: (orgUnit) => districts.of(orgUnit),
          redis: parts.redis,
          keys,
          ledger,
          flags: new QualityFlags(parts.redis, keys),
          config: loadScreeningConfig(config.mappingsDir),
          followupDataSets: config.dataQuality.followupDataSets,
          logger,
          ...(metrics ? { metrics } : {}),
        })
      : undefined;
    const pending = new PendingPushes(parts.redis, keys);
    const pushQueue = queues.dhis2Push;
    const push = initPushWorker({
      connection: pushConnection,
      keys,
      queue: queues.dhis2Push,
      resweepMs: DIRTY_SWEEP_EVERY_MS + config.dhis2PushDelayMs,
      ledger,
      client: new Dhis2Client(config.dhis2),
      store,
      jobLockMs: config.jobLockMs,
      concurrency: config.dhis2PushConcurrency,
      riders: { max: config.dhis2PushRiders, pending, handBack: (groups) => addPushJobs(pushQueue, groups, config.dhis2PushDelayMs, pending) },
      // Longer than any one post can take (the DHIS2 timeout), so a lease only runs out when its worker died.
      leaseMs: config.dhis2.timeoutMs * 2 + 10_000,
      ...watched,
      ...(onDelivered ? { onDelivered } : {}),
      ...(screening ? { screening } : {}),
    });
    const stopDirtySweeper = startDirtySweeper({ ledger, queue: queues.dhis2Push, pending, everyMs: DIRTY_SWEEP_EVERY_MS, delayMs: config.dhis2PushDelayMs, logger });
    stops.push(stopDirtySweeper, () => push.close(), () => pushConnection.quit());
    logger.info({ dhis2: config.dhis2.url, dataQualityScreening: screening !== undefined, followupDataSets: config.dataQuality.followupDataSets }, 'DHIS2 push workers running');
  }

  stops.push(startScorecardWorker(parts));

  if (config.fhir && queues.fhir && parts.terminology) {
    prepareFhirValidators();
    const fhirConnection = parts.connect('smc-bridge-fhir');
    const server = new FhirClient({ baseUrl: config.fhir.url, timeoutMs: config.fhir.timeoutMs, maxSockets: config.fhir.concurrency, ...(config.fhir.token ? { bearerToken: config.fhir.token } : {}) });
    // Uploads running at once are of different patients: their transactions and searches travel together.
    const client = config.fhir.combineUploads > 1 ? new CombinedFhirRequests(server, { maxRequests: config.fhir.combineUploads }) : server;
    // The uploads' own connection for their locks, records and statuses, auto-pipelined (ioredis reads the
    // option on each command): the uploads a combined request resumes together send their Redis reads and
    // writes in one round trip instead of one each.
    const records = parts.connect('smc-bridge-fhir-records');
    records.options.enableAutoPipelining = true;
    const fhir = initFhirWorker({
      connection: fhirConnection,
      keys,
      queue: queues.fhir,
      deps: {
        store: new EncounterStore(records, keys),
        client,
        terminology: parts.terminology,
        locks: new UploadLocks(records, keys, 60_000),
        sent: new SentRecords(records, keys),
        shapes: new ValidatedShapes(new RedisSharedShapes(records, keys, validatorGeneration())),
        ledger,
        mappings,
        redis: records,
        keys,
      },
      concurrency: config.fhir.concurrency,
      jobLockMs: config.jobLockMs,
      ...watched,
    });
    stops.push(() => fhir.close(), () => fhirConnection.quit(), () => records.quit(), () => server.close());
    logger.info({ fhir: config.fhir.url }, 'FHIR delivery workers running');
  }

  return async () => {
    for (const stop of stops) await Promise.resolve(stop()).catch(() => undefined);
  };
}
