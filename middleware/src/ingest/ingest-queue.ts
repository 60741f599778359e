// The ingest queue: accepted encounter versions waiting for a worker to carry them down the pipeline.
//
// One job per HTTP batch, not per encounter (DESIGN.md §9): a job carries only references
// (source, id, version); the worker re-reads the stored encounter and skips any version that a newer one has
// superseded, since the newer version has a job of its own. A job id derived from its references makes a
// repeated add of the same work a no-op. Every step is safe to run twice, because BullMQ delivers at least
// once: a killed worker's job is picked up again after its lock expires (queue/stall-recovery.ts).
import { createHash } from 'node:crypto';
import { Queue, Worker, type Job } from 'bullmq';
import type { RedisClient } from '../redis/connection.js';
import type { Logger } from '../logging/logger.js';
import type { ServiceMetrics } from '../metrics/service-metrics.js';
import { watchWorker } from '../queues/worker-events.js';
import type { RedisKeys } from '../redis/keys.js';
import { stallRecovery } from '../queues/stall-recovery.js';
import type { EncounterStore, StoredEncounter } from './encounter-store.js';
import type { EncounterRef } from '../domain/encounter-ref.js';

export const INGEST_QUEUE = 'ingest';

export interface IngestJobData {
  refs: EncounterRef[];
}

/** What the pipeline does with the current versions of one job's encounters (mapping, delivery, …). */
export type EncounterStep = (encounters: readonly (StoredEncounter & { ref: EncounterRef })[]) => Promise<void>;

export const INGEST_JOB_OPTIONS = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: false, // failed jobs are the dead-letter list
} as const;

/** `~` is in neither a source nor an id, so the id is unambiguous; BullMQ forbids `:` in job ids. */
export function ingestJobId(refs: readonly EncounterRef[]): string {
  if (refs.length === 1) {
    const [ref] = refs as [EncounterRef];
    return `enc~${ref.source}~${ref.id}~${ref.version}`;
  }
  const digest = createHash('sha256');
  for (const ref of refs) digest.update(`${ref.source}~${ref.id}~${ref.version}\n`);
  return `batch~${digest.digest('hex').slice(0, 40)}`;
}

export function createIngestQueue(connection: RedisClient, keys: RedisKeys): Queue<IngestJobData> {
  return new Queue<IngestJobData>(INGEST_QUEUE, { connection, prefix: keys.bullPrefix(), defaultJobOptions: INGEST_JOB_OPTIONS });
}

export async function addIngestJob(queue: Queue<IngestJobData>, refs: readonly EncounterRef[]): Promise<void> {
  if (refs.length === 0) return;
  await queue.add('encounters', { refs: [...refs] }, { jobId: ingestJobId(refs) });
}

/** Queues each ref as a job of its own (used to re-queue versions a crash may have left unqueued). */
export async function addIngestJobsOneEach(queue: Queue<IngestJobData>, refs: readonly EncounterRef[]): Promise<void> {
  if (refs.length === 0) return;
  await queue.addBulk(refs.map((ref) => ({ name: 'encounter', data: { refs: [ref] }, opts: { jobId: ingestJobId([ref]) } })));
}

export async function execIngestJob(
  data: IngestJobData,
  store: EncounterStore,
  steps: readonly EncounterStep[],
): Promise<{ processed: number; superseded: number }> {
  const stored = await store.readMany(data.refs);
  const current = data.refs.flatMap((ref, index) => {
    const record = stored[index];
    return record !== undefined && record.version === ref.version ? [{ ...record, ref }] : [];
  });
  for (const step of steps) await step(current);
  await store.markProcessed(data.refs);
  return { processed: current.length, superseded: data.refs.length - current.length };
}

export function initIngestWorker(options: {
  connection: RedisClient;
  keys: RedisKeys;
  concurrency: number;
  jobLockMs: number;
  store: EncounterStore;
  steps: readonly EncounterStep[];
  logger: Logger;
  metrics?: ServiceMetrics;
}): Worker<IngestJobData> {
  const worker = new Worker<IngestJobData>(
    INGEST_QUEUE,
    async (job: Job<IngestJobData>) => execIngestJob(job.data, options.store, options.steps),
    { connection: options.connection, prefix: options.keys.bullPrefix(), concurrency: options.concurrency, ...stallRecovery(options.jobLockMs) },
  );
  return watchWorker(worker, options);
}
