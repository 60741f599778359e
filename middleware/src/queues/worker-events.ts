// What every worker reports, the same way for every queue: each job's duration and outcome to the metrics,
// each failed attempt to the log (ids and attempt counts only, never the job's data or a message that may
// quote patient data), and every worker-level error, which BullMQ would otherwise throw away unseen.
import { UnrecoverableError, type Job, type Worker } from 'bullmq';
import type { Logger } from '../logging/logger.js';
import type { ServiceMetrics } from '../metrics/service-metrics.js';

export interface WorkerWatch {
  logger: Logger;
  metrics?: ServiceMetrics;
  /** What of a failure may be logged; default: the error's message. */
  describeFailure?: (error: Error) => Record<string, unknown>;
}

const secondsOf = (job: Job | undefined) => (job?.processedOn ? (Date.now() - job.processedOn) / 1000 : 0);

/** Whether a failed attempt was the job's last: unrecoverable, or out of attempts. */
export function isFinalFailure(job: Pick<Job, 'attemptsMade' | 'opts'>, error: Error): boolean {
  return error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
}

export function watchWorker<T>(worker: Worker<T>, watch: WorkerWatch): Worker<T> {
  const queue = worker.name;
  worker.on('completed', (job) => watch.metrics?.observeJob(queue, 'completed', secondsOf(job)));
  worker.on('failed', (job, error) => {
    const final = job ? isFinalFailure(job, error) : true;
    watch.metrics?.observeJob(queue, final ? 'failed' : 'retried', secondsOf(job));
    const detail = watch.describeFailure ? watch.describeFailure(error) : { err: error.message };
    watch.logger.warn({ queue, jobId: job?.id, attempts: job?.attemptsMade, final, ...detail }, `${queue} job failed`);
  });
  worker.on('error', (error) => watch.logger.error({ queue, err: error.message }, `${queue} worker error`));
  return worker;
}
