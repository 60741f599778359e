// Every queue of the middleware, opened in one place. The API's dead-letter list and queue board, the CLI's
// replay, the metrics and the shutdown all read this registry, so a queue added here is covered by each.
// A queue exists only where its target is configured (no DHIS2_URL: no push queue); the scorecard's always.
import type { Queue } from 'bullmq';
import type { RedisClient } from './redis/connection.js';
import { createPushQueue, type PushJobData } from './delivery/dhis2/push-queue.js';
import { createFhirQueue, type FhirJobData } from './delivery/fhir/fhir-queue.js';
import { createIngestQueue, type IngestJobData } from './ingest/ingest-queue.js';
import { createScorecardQueue, type ScorecardJobData } from './quality/scorecard-job.js';
import type { RedisKeys } from './redis/keys.js';

export interface QueueRegistry {
  ingest: Queue<IngestJobData>;
  dhis2Push?: Queue<PushJobData>;
  fhir?: Queue<FhirJobData>;
  /** The nightly data-quality scorecard (its job scheduler and runs). */
  scorecard: Queue<ScorecardJobData>;
  /** Every open queue, in pipeline order. */
  all(): Queue[];
  close(): Promise<void>;
}

export function openQueues(connection: RedisClient, keys: RedisKeys, targets: { dhis2: boolean; fhir: boolean }): QueueRegistry {
  const ingest = createIngestQueue(connection, keys);
  const dhis2Push = targets.dhis2 ? createPushQueue(connection, keys) : undefined;
  const fhir = targets.fhir ? createFhirQueue(connection, keys) : undefined;
  const scorecard = createScorecardQueue(connection, keys);
  const all = (): Queue[] => [ingest, ...(dhis2Push ? [dhis2Push] : []), ...(fhir ? [fhir] : []), scorecard];
  return {
    ingest,
    scorecard,
    ...(dhis2Push ? { dhis2Push } : {}),
    ...(fhir ? { fhir } : {}),
    all,
    async close() {
      await Promise.all(all().map((queue) => queue.close()));
    },
  };
}

/** Jobs of a queue that are waiting, delayed or running. */
export async function unfinishedJobs(queue: Queue): Promise<number> {
  const jobs = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
  return Object.values(jobs).reduce((sum, count) => sum + count, 0);
}
