// The nightly district scorecard: a BullMQ job scheduler on its own queue starts one job at each tick of
// DATA_QUALITY_SCORECARD_CRON (default 02:00) in DATA_QUALITY_SCORECARD_TZ (default the facility table's
// zone, the deployment's own); every worker process upserts the same scheduler, so there is one job per
// tick however many run, and `off` removes it. The job scores the previous calendar year (the WHO DQR's
// annual review; late reports and corrections to it keep arriving, hence every night), or the year its
// data names, and stores the result (scorecard-store.ts) for GET /api/v1/data-quality/scorecard.
import { Queue, Worker, type Job } from 'bullmq';
import type { RedisClient } from '../redis/connection.js';
import type { Logger } from '../logging/logger.js';
import type { ServiceMetrics } from '../metrics/service-metrics.js';
import { watchWorker } from '../queues/worker-events.js';
import type { RedisKeys } from '../redis/keys.js';
import type { DistrictScorecard } from './district-scorecard.js';

export const SCORECARD_QUEUE = 'data-quality-scorecard';
export const SCORECARD_SCHEDULER = 'nightly-district-scorecard';

export interface ScorecardJobData {
  /** The year to score; the previous calendar year (in the schedule's zone) when absent. */
  year?: number;
}

const SCORECARD_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 60_000 },
  removeOnComplete: { count: 14 },
  removeOnFail: { count: 30 },
} as const;

/** A run reads the whole ledger and scores it between awaits: its lock outlasts the longest district. */
const SCORECARD_LOCK_MS = 10 * 60_000;

export function createScorecardQueue(connection: RedisClient, keys: RedisKeys): Queue<ScorecardJobData> {
  return new Queue<ScorecardJobData>(SCORECARD_QUEUE, { connection, prefix: keys.bullPrefix(), defaultJobOptions: SCORECARD_JOB_OPTIONS });
}

/** Sets the nightly schedule (or removes it, without a pattern). */
export async function scheduleScorecard(queue: Queue<ScorecardJobData>, schedule: { cron?: string; timeZone: string }): Promise<void> {
  if (schedule.cron === undefined) {
    await queue.removeJobScheduler(SCORECARD_SCHEDULER);
    return;
  }
  await queue.upsertJobScheduler(SCORECARD_SCHEDULER, { pattern: schedule.cron, tz: schedule.timeZone }, { name: 'scorecard', data: {}, opts: SCORECARD_JOB_OPTIONS });
}

/** The calendar year before the given moment's, in a zone. */
export function previousYear(now: Date, timeZone: string): number {
  const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric' }).format(now));
  return year - 1;
}

export function initScorecardWorker(options: {
  connection: RedisClient;
  keys: RedisKeys;
  timeZone: string;
  /** Computes and stores the scorecard of one year. */
  run: (year: number) => Promise<DistrictScorecard>;
  logger: Logger;
  metrics?: ServiceMetrics;
  now?: () => Date;
}): Worker<ScorecardJobData> {
  const worker = new Worker<ScorecardJobData>(
    SCORECARD_QUEUE,
    async (job: Job<ScorecardJobData>) => {
      const year = job.data.year ?? previousYear(options.now?.() ?? new Date(), options.timeZone);
      const result = await options.run(year);
      const summary = { year, facilities: result.facilities, dataElements: result.dataElements, seconds: Number(result.seconds.toFixed(2)), districtsFrom: result.districts.source };
      options.logger.info(summary, 'data-quality scorecard stored');
      return summary;
    },
    { connection: options.connection, prefix: options.keys.bullPrefix(), concurrency: 1, lockDuration: SCORECARD_LOCK_MS, stalledInterval: SCORECARD_LOCK_MS, maxStalledCount: 1 },
  );
  return watchWorker(worker, { logger: options.logger, ...(options.metrics ? { metrics: options.metrics } : {}) });
}
