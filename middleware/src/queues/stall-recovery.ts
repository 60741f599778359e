// How the workers recover the jobs of a worker that died (SIGKILL, power cut, out of memory).
//
// BullMQ locks an active job to its worker and renews the lock while the worker lives. When the lock runs out,
// the job is "stalled" and goes back to the queue. BullMQ's default fails a job after one stall; ours are
// idempotent, so a stalled job is run again instead. That matters most for a DHIS2 push job, which has
// already claimed its group's dirty mark: failing it would leave the group unpushed until someone replays it.
// The limit stays finite so that a job which itself kills its worker every time ends in the dead-letter list.
import type { WorkerOptions } from 'bullmq';

export const MAX_STALLS = 25;

export function stallRecovery(lockMs: number): Pick<WorkerOptions, 'lockDuration' | 'stalledInterval' | 'maxStalledCount'> {
  return { lockDuration: lockMs, stalledInterval: lockMs, maxStalledCount: MAX_STALLS };
}
