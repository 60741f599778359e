// Assembles the running service from the configuration: the HTTP API, the pipeline's workers, or both
// (`serve` runs both; `worker` only workers, to scale out on more processes or machines). The steps and
// their order are the pipeline's (pipeline.ts); this module only connects them to Redis, HTTP and the
// targets the configuration names, and closes everything in order: HTTP, then workers, then queues.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Config } from './config/config.js';
import { createApp, createHttpServer } from './api/app.js';
import { loadTerminology } from './fhir/terminology.js';
import { EncounterStore } from './ingest/encounter-store.js';
import { addIngestJob } from './ingest/ingest-queue.js';
import { createBatchValidator } from './ingest/validation-threads.js';
import { Dhis2Client } from './dhis2/dhis2-client.js';
import { UserFacilities } from './dhis2/user-facilities.js';
import { Ledger } from './ledger/ledger.js';
import { PatientIndex } from './patients/patient-index.js';
import type { Logger } from './logging/logger.js';
import { loadMappings } from './mapping/load-mappings.js';
import { startMetricsServer } from './metrics/metrics-server.js';
import { ServiceMetrics } from './metrics/service-metrics.js';
import { startPipelineWorkers } from './pipeline.js';
import { QualityFlags } from './quality/flag-store.js';
import { ScorecardStore } from './quality/scorecard-store.js';
import { openQueues, unfinishedJobs } from './queue-registry.js';
import { createRedis, waitUntilReady } from './redis/connection.js';
import { checkRedisDurability } from './redis/durability.js';
import { RedisKeys } from './redis/keys.js';

export interface ServiceOptions {
  http: boolean;
  workers: boolean;
  now?: () => Date;
}

export interface RunningService {
  /** Base URL of the HTTP API, when it runs. */
  url?: string;
  /** Where a worker-only process serves its metrics. */
  metricsUrl?: string;
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
  const connect = (name: string, mode: 'wait' | 'fail-fast' = 'wait') => {
    const connection = createRedis(config.redisUrl, name, mode);
    connection.on('error', (error: Error) => logger.debug({ connection: name, err: error.message }, 'redis connection error'));
    return connection;
  };
  const redis = connect('smc-bridge', 'fail-fast');
  try {
    await waitUntilReady(redis, config.redisUrl);
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  for (const warning of await checkRedisDurability(redis)) logger.warn(warning);

  const keys = new RedisKeys(config.redisPrefix);
  const store = new EncounterStore(redis, keys);
  const ledger = new Ledger(redis, keys);
  const patients = new PatientIndex(redis, keys);
  // The queues on a connection of their own: BullMQ defines its 60-odd scripts on the connection it is given,
  // and ioredis copies every script of a connection into each pipeline made on it (about 30 µs a pipeline
  // with BullMQ's beside ours, against a few without), and the ledger makes several pipelines per push.
  const queueConnection = connect('smc-bridge-queues', 'fail-fast');
  const queues = openQueues(queueConnection, keys, { dhis2: config.dhis2 !== undefined, fhir: config.fhir !== undefined });
  const flags = new QualityFlags(redis, keys);
  const metrics = new ServiceMetrics(() => queues.all(), () => store.inboxSize(), () => flags.countsByRule());
  // Closed in this order: stop taking requests, let workers finish their jobs, then the queues and Redis.
  const stopHttp: (() => Promise<void>)[] = [];
  let stopWorkers: () => Promise<void> = async () => undefined;

  let url: string | undefined;
  let metricsUrl: string | undefined;
  if (options.http) {
    const validator = createBatchValidator({ threads: config.ingestThreads, facilities: mappings.facilities });
    const app = createApp({
      apiKeys: config.apiKeys,
      bodyLimitBytes: config.bodyLimitBytes,
      maxBatch: config.maxBatch,
      redis,
      store,
      ledger,
      flags,
      scorecards: new ScorecardStore(redis, keys),
      mappings,
      patients,
      ...(config.dhis2 ? { facilities: new UserFacilities(new Dhis2Client(config.dhis2)) } : {}),
      queues: () => queues.all(),
      ingest: { store, enqueue: (refs) => addIngestJob(queues.ingest, refs) },
      validator,
      metrics,
      logger,
      ...(options.now ? { now: options.now } : {}),
    });
    const server = await listen(createHttpServer(app, { apiKeys: config.apiKeys, bodyLimitBytes: config.bodyLimitBytes }), config.port, config.host);
    const address = server.address() as AddressInfo;
    const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    url = `http://${host}:${address.port}`;
    stopHttp.push(() => new Promise((resolve) => server.close(() => resolve())));
    stopHttp.push(() => validator.close());
    logger.info({ url }, 'HTTP API listening');
  } else {
    const served = await startMetricsServer(metrics, config.metricsPort, config.host, logger);
    metricsUrl = served.url;
    stopHttp.push(served.close);
  }

  if (options.workers) {
    stopWorkers = startPipelineWorkers({ config, keys, store, ledger, patients, mappings, ...(terminology ? { terminology } : {}), queues, logger, metrics, connect, redis });
  }

  return {
    ...(url !== undefined ? { url } : {}),
    ...(metricsUrl !== undefined ? { metricsUrl } : {}),
    store,
    ledger,
    async pendingPushes() {
      const dirty = (await ledger.dirtyGroups(1000)).length;
      return dirty + (queues.dhis2Push ? await unfinishedJobs(queues.dhis2Push) : 0);
    },
    async pendingFhirUploads() {
      return queues.fhir ? unfinishedJobs(queues.fhir) : 0;
    },
    async close() {
      for (const stop of stopHttp) await stop().catch(() => undefined);
      await stopWorkers();
      await queues.close().catch(() => undefined);
      await queueConnection.quit().catch(() => undefined);
      await redis.quit().catch(() => undefined);
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('listening', () => resolve(server));
    server.once('error', reject);
    server.listen(port, host);
  });
}
