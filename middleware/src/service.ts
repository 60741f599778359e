// Assembles the running service from the configuration: the HTTP API, the ingest workers, or both
// (`serve` runs both; `worker` only workers, to scale out on more processes or machines).
import type { AddressInfo } from 'node:net';
import type { Queue } from 'bullmq';
import type { Server } from 'node:http';
import type { Config } from './config/config.js';
import { EncounterStore } from './ingest/encounter-store.js';
import { startInboxSweeper } from './ingest/inbox-sweeper.js';
import { addIngestJob, createIngestQueue, initIngestWorker, type EncounterStep } from './ingest/ingest-queue.js';
import { skipTrainingEncounters } from './ingest/training-step.js';
import { createApp, createHttpServer } from './http/app.js';
import { Ledger } from './ledger/ledger.js';
import { Dhis2Client } from './dhis2/dhis2-client.js';
import { addPushJobs, createPushQueue, initPushWorker, startDirtySweeper } from './delivery/dhis2/push-queue.js';
import { loadMappings } from './mapping/load-mappings.js';
import { addMeasureReportJob, createFhirQueue, initFhirWorker, queueFhirDelivery } from './delivery/fhir/fhir-queue.js';
import { UploadLocks } from './delivery/fhir/upload-lock.js';
import { SentRecords } from './delivery/fhir/sent-records.js';
import { indexFhirDefinitions } from './fhir/definitions.js';
import { FhirClient } from './fhir/fhir-client.js';
import { loadTerminology } from './fhir/terminology.js';
import { skipTarget } from './ingest/skip-target.js';
import { mapToLedger } from './mapping/map-to-ledger.js';
import { ServiceMetrics } from './http/metrics.js';
import type { Logger } from './logging/logger.js';
import { createRedis, waitUntilReady } from './redis/connection.js';
import { checkRedisDurability } from './redis/durability.js';
import { RedisKeys } from './redis/keys.js';
import type { CellGroup } from './domain/cells.js';

/** How often groups left dirty (a push that ran out of attempts, a change during a push) are queued again. */
const DIRTY_SWEEP_EVERY_MS = 5000;

export interface ServiceOptions {
  http: boolean;
  workers: boolean;
  now?: () => Date;
}

export interface RunningService {
  /** Base URL of the HTTP API, when it runs. */
  url?: string;
  store: EncounterStore;
  ledger: Ledger;
  /** Cell groups waiting for a push to DHIS2 (dirty, or with a push job waiting or running). */
  pendingPushes(): Promise<number>;
  /** FHIR uploads waiting, delayed or running (0 when no FHIR server is configured). */
  pendingFhirUploads(): Promise<number>;
  close(): Promise<void>;
}

export async function startService(config: Config, logger: Logger, options: ServiceOptions): Promise<RunningService> {
  // Mapping files are checked before anything starts: a broken file stops the process with its errors.
  const mappings = loadMappings(config.mappingsDir);
  const terminology = config.fhir ? loadTerminology(config.mappingsDir) : undefined;
  const redis = createRedis(config.redisUrl, 'smc-bridge', 'fail-fast');
  redis.on('error', (error: Error) => logger.debug({ err: error.message }, 'redis connection error'));
  const closers: (() => Promise<unknown>)[] = [];
  try {
    await waitUntilReady(redis, config.redisUrl);
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  closers.push(() => redis.quit());
  for (const warning of await checkRedisDurability(redis)) logger.warn(warning);

  const keys = new RedisKeys(config.redisPrefix);
  const store = new EncounterStore(redis, keys);
  const queue = createIngestQueue(redis, keys.bullPrefix());
  const ledger = new Ledger(redis, config.redisPrefix);
  const pushQueue = config.dhis2 ? createPushQueue(redis, keys.bullPrefix()) : undefined;
  if (pushQueue) closers.unshift(() => pushQueue.close());
  const fhirQueue = config.fhir ? createFhirQueue(redis, keys.bullPrefix()) : undefined;
  if (fhirQueue) closers.unshift(() => fhirQueue.close());
  const deliveryQueues = [queue, ...(pushQueue ? [pushQueue] : []), ...(fhirQueue ? [fhirQueue] : [])];
  closers.unshift(() => queue.close());

  let url: string | undefined;
  if (options.http) {
    const metrics = new ServiceMetrics(deliveryQueues, () => store.inboxSize());
    const app = createApp({
      apiKeys: config.apiKeys,
      bodyLimitBytes: config.bodyLimitBytes,
      maxBatch: config.maxBatch,
      redis,
      store,
      ledger,
      mappings,
      deadLetterQueues: deliveryQueues,
      ingest: { store, enqueue: (refs) => addIngestJob(queue, refs), timeZoneOf: (facility) => mappings.facilities.timeZoneOf(facility) },
      metrics,
      logger,
      ...(options.now ? { now: options.now } : {}),
    });
    const server = await listen(createHttpServer(app, { apiKeys: config.apiKeys, bodyLimitBytes: config.bodyLimitBytes }), config.port, config.host);
    const address = server.address() as AddressInfo;
    const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    url = `http://${host}:${address.port}`;
    closers.unshift(() => new Promise((resolve) => server.close(resolve)));
    logger.info({ url }, 'HTTP API listening');
  }

  if (options.workers) {
    const workerRedis = createRedis(config.redisUrl, 'smc-bridge-worker', 'wait');
    workerRedis.on('error', (error: Error) => logger.debug({ err: error.message }, 'redis connection error'));
    const steps: EncounterStep[] = [
      skipTrainingEncounters(store),
      mapToLedger({
        mappings,
        ledger,
        store,
        onDirty: async (groups) => {
          if (pushQueue) await addPushJobs(pushQueue, groups, config.dhis2PushDelayMs);
        },
      }),
      fhirQueue ? queueFhirDelivery(fhirQueue) : skipTarget(store, 'fhir', 'no FHIR server is configured (FHIR_URL)'),
    ];
    const worker = initIngestWorker({
      connection: workerRedis,
      prefix: keys.bullPrefix(),
      concurrency: config.workerConcurrency,
      jobLockMs: config.jobLockMs,
      store,
      steps,
      logger,
    });
    const stopSweeper = startInboxSweeper({ store, queue, sweepAfterMs: config.inboxSweepAfterMs, logger });
    closers.unshift(async () => {
      stopSweeper();
      await worker.close();
      await workerRedis.quit();
    });
    if (config.dhis2 && pushQueue) {
      const client = new Dhis2Client(config.dhis2.url, config.dhis2.auth);
      const pushRedis = createRedis(config.redisUrl, 'smc-bridge-dhis2-push', 'wait');
      pushRedis.on('error', (error: Error) => logger.debug({ err: error.message }, 'redis connection error'));
      const madxQueue = config.fhir?.madx ? fhirQueue : undefined;
      const pushWorker = initPushWorker({
        connection: pushRedis,
        prefix: keys.bullPrefix(),
        queue: pushQueue,
        resweepMs: DIRTY_SWEEP_EVERY_MS + config.dhis2PushDelayMs,
        ledger,
        client,
        store,
        jobLockMs: config.jobLockMs,
        logger,
        ...(madxQueue ? { onDelivered: (group: CellGroup) => addMeasureReportJob(madxQueue, group) } : {}),
      });
      const stopDirtySweeper = startDirtySweeper({ ledger, queue: pushQueue, everyMs: DIRTY_SWEEP_EVERY_MS, delayMs: config.dhis2PushDelayMs, logger });
      closers.unshift(async () => {
        stopDirtySweeper();
        await pushWorker.close();
        await pushRedis.quit();
      });
      logger.info({ dhis2: config.dhis2.url }, 'DHIS2 push workers running');
    }
    if (config.fhir && fhirQueue && terminology) {
      indexFhirDefinitions();
      const fhirRedis = createRedis(config.redisUrl, 'smc-bridge-fhir', 'wait');
      fhirRedis.on('error', (error: Error) => logger.debug({ err: error.message }, 'redis connection error'));
      const client = new FhirClient({ baseUrl: config.fhir.url, timeoutMs: config.fhir.timeoutMs, ...(config.fhir.token ? { bearerToken: config.fhir.token } : {}) });
      const fhirWorker = initFhirWorker({
        connection: fhirRedis,
        prefix: keys.bullPrefix(),
        deps: { store, client, terminology, locks: new UploadLocks(redis, config.redisPrefix, 60_000), sent: new SentRecords(redis, config.redisPrefix), ledger, mappings },
        concurrency: config.fhir.concurrency,
        jobLockMs: config.jobLockMs,
        logger,
      });
      closers.unshift(async () => {
        await fhirWorker.close();
        await fhirRedis.quit();
      });
      logger.info({ fhir: config.fhir.url }, 'FHIR delivery workers running');
    }
    logger.info({ concurrency: config.workerConcurrency }, 'ingest workers running');
  }

  return {
    ...(url !== undefined ? { url } : {}),
    store,
    ledger,
    async pendingPushes() {
      const dirty = (await ledger.dirtyGroups(1000)).length;
      return dirty + (pushQueue ? await unfinishedJobs(pushQueue) : 0);
    },
    async pendingFhirUploads() {
      return fhirQueue ? unfinishedJobs(fhirQueue) : 0;
    },
    async close() {
      for (const close of closers) await close().catch(() => undefined);
    },
  };
}

/** Jobs of a queue that are waiting, delayed or running. */
async function unfinishedJobs(queue: Queue): Promise<number> {
  const jobs = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
  return Object.values(jobs).reduce((sum, count) => sum + count, 0);
}

function listen(server: Server, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('listening', () => resolve(server));
    server.once('error', reject);
    server.listen(port, host);
  });
}
