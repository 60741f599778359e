// When a failed job will run again. BullMQ's exponential backoff waits `delay · 2^(n−1)` after the n-th
// failed attempt; the status records say so from the first failure on, so that anyone asking where an
// encounter stands while a target is down hears "retrying, attempt n, next at …" with the last reason.
import type { Job } from 'bullmq';

export interface NextAttempt {
  /** Attempts made so far, the one that just failed included. */
  attempt: number;
  /** When the next attempt is due (ISO 8601). */
  nextAttemptAt: string;
}

/** The attempt that just failed and when the next one is due; undefined when it was the last one. */
export function nextAttemptOf(job: Pick<Job, 'attemptsMade' | 'opts'>, now: Date = new Date()): NextAttempt | undefined {
  const attempt = job.attemptsMade + 1;
  if (attempt >= (job.opts.attempts ?? 1)) return undefined;
  const backoff = job.opts.backoff;
  const base = typeof backoff === 'number' ? backoff : (backoff?.delay ?? 0);
  const delayMs = typeof backoff === 'object' && backoff.type === 'exponential' ? base * 2 ** (attempt - 1) : base;
  return { attempt, nextAttemptAt: new Date(now.getTime() + delayMs).toISOString() };
}
