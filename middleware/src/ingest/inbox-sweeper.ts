// Re-queues accepted versions that no worker has finished long after they were accepted. The gap it closes:
// a process that stored an encounter and died before queueing it. Re-queueing is harmless when the original
// job is only slow, because processing is idempotent and the job id of a single version is fixed.
import type { Queue } from 'bullmq';
import type { Logger } from '../logging/logger.js';
import type { EncounterStore } from './encounter-store.js';
import { addIngestJobsOneEach, type IngestJobData } from './ingest-queue.js';

const SWEEP_PAGE = 1000;

export async function sweepInbox(
  store: EncounterStore,
  queue: Queue<IngestJobData>,
  olderThan: Date,
): Promise<number> {
  const refs = await store.unprocessedSince(olderThan, SWEEP_PAGE);
  await addIngestJobsOneEach(queue, refs);
  return refs.length;
}

/** Sweeps now and then every `everyMs`; returns a function that stops it. */
export function startInboxSweeper(options: {
  store: EncounterStore;
  queue: Queue<IngestJobData>;
  sweepAfterMs: number;
  logger: Logger;
}): () => void {
  const everyMs = Math.min(60_000, Math.max(1000, options.sweepAfterMs / 2));
  const sweep = async () => {
    try {
      const requeued = await sweepInbox(options.store, options.queue, new Date(Date.now() - options.sweepAfterMs));
      if (requeued > 0) options.logger.warn({ requeued }, 're-queued accepted encounters that no worker had finished');
    } catch (error) {
      options.logger.error({ err: (error as Error).message }, 'inbox sweep failed');
    }
  };
  void sweep();
  const timer = setInterval(() => void sweep(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
