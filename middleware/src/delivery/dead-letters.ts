// The dead-letter list: jobs that failed for good (BullMQ keeps them in the failed set), each with the reason
// a person can act on (DHIS2's own message). After the cause is fixed, replay puts them back in their queue;
// the jobs re-read the current state, so a replay delivers what is true now, not what was true then.
import type { Queue } from 'bullmq';

export interface DeadLetter {
  queue: string;
  jobId: string;
  reason: string;
  attempts: number;
  failedAt: string | undefined;
  data: unknown;
}

export async function listDeadLetters(queues: readonly Queue[], limit = 1000): Promise<DeadLetter[]> {
  const letters: DeadLetter[] = [];
  for (const queue of queues) {
    for (const job of await queue.getFailed(0, limit - 1)) {
      letters.push({
        queue: queue.name,
        jobId: String(job.id),
        reason: job.failedReason,
        attempts: job.attemptsMade,
        failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : undefined,
        data: job.data,
      });
    }
  }
  return letters;
}

/** Puts failed jobs back in their queues (all of them, or those with the given ids); returns how many. */
export async function replayDeadLetters(queues: readonly Queue[], jobIds?: readonly string[]): Promise<number> {
  let replayed = 0;
  for (const queue of queues) {
    for (const job of await queue.getFailed(0, -1)) {
      if (jobIds && !jobIds.includes(String(job.id))) continue;
      // A job that carries the refusal it was handed back with (fhir-queue.ts) fails with it at once: the
      // replay drops it, so the work is done again.
      if (typeof job.data === 'object' && job.data !== null && 'refused' in job.data) {
        const { refused: _refused, ...data } = job.data as Record<string, unknown>;
        await job.updateData(data);
      }
      await job.retry('failed');
      replayed += 1;
    }
  }
  return replayed;
}
