// The DHIS2 push queue: one job per dirty cell group (dataSet, orgUnit, period, attributeOptionCombo).
//
// The job carries only the group. It claims the group's dirty mark, recomputes every cell of the group from
// the ledger and posts them all, with an explicit "0" for each cell that DHIS2 holds but that fell to
// nothing: DHIS2 stores that zero when zero is significant for the element and deletes the value otherwise
// (reference/dhis2-web-api.md §1.7). Delivery never increments, so running a job twice changes nothing.
// The "pushed" record per group over-approximates what DHIS2 may hold, so a lost answer cannot strand a value.
// Adding a job while one for the same group waits is a no-op (fixed job id, a short delay): changes coalesce.
// A change during a running push marks the group dirty again; the dirty sweeper queues it after.
import { createHash } from 'node:crypto';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { Dhis2Client, type DataValue } from '../../dhis2/dhis2-client.js';
import { isRetryableConflict, type ImportConflict } from '../../dhis2/import-summary.js';
import type { EncounterStore } from '../../ingest/encounter-store.js';
import { cellKeyOf, groupKeyOf, type CellGroup, type CellValue, type Ledger } from '../../ledger/ledger.js';
import type { Logger } from '../../logging/logger.js';
import { stallRecovery } from '../../queue/stall-recovery.js';

export const PUSH_QUEUE = 'dhis2-push';

export interface PushJobData {
  group: CellGroup;
}

export const PUSH_JOB_OPTIONS = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: true,
  removeOnFail: false, // failed jobs are the dead-letter list, with DHIS2's message; replayable
} as const;

export function pushJobId(group: CellGroup): string {
  return `push~${createHash('sha256').update(groupKeyOf(group)).digest('hex').slice(0, 40)}`;
}

export function createPushQueue(connection: Redis, prefix: string): Queue<PushJobData> {
  return new Queue<PushJobData>(PUSH_QUEUE, { connection, prefix, defaultJobOptions: PUSH_JOB_OPTIONS });
}

export async function addPushJobs(queue: Queue<PushJobData>, groups: readonly CellGroup[], delayMs: number): Promise<void> {
  if (groups.length === 0) return;
  await queue.addBulk(groups.map((group) => ({ name: 'push', data: { group }, opts: { jobId: pushJobId(group), delay: delayMs } })));
}

export async function execPushJob(
  data: PushJobData,
  deps: { ledger: Ledger; client: Pick<Dhis2Client, 'postDataValues'>; store: EncounterStore; onDelivered?: (group: CellGroup) => Promise<void> },
): Promise<{ sent: number; conflicts: number }> {
  const { group } = data;
  await deps.ledger.claimDirty(group);
  const current = await deps.ledger.cellsOf(group);
  const currentKeys = new Set(current.map(cellKeyOf));
  const fellToNothing = (await deps.ledger.pushedValues(group))
    .filter((cell) => !currentKeys.has(cellKeyOf(cell)))
    .map((cell): CellValue => ({ ...cell, value: 0 }));
  const cells = [...current, ...fellToNothing];
  if (cells.length === 0) return { sent: 0, conflicts: 0 };
  const dataValues: DataValue[] = cells.map((cell) => ({
    dataElement: cell.dataElement,
    period: group.period,
    orgUnit: group.orgUnit,
    categoryOptionCombo: cell.categoryOptionCombo,
    attributeOptionCombo: group.attributeOptionCombo,
    value: String(cell.value),
  }));

  // DHIS2 may store the values and still fail to answer (a proxy timeout, a reset). So every cell sent is
  // recorded as possibly held before the post; a cell leaves the record only when DHIS2 confirms its zero.
  // Otherwise a cell that later fell to nothing would get no zero, and DHIS2 would keep a stale value.
  await deps.ledger.recordPushed(group, current);
  const outcome = await deps.client.postDataValues(dataValues);
  if (outcome.kind === 'retryable') {
    await deps.ledger.markDirty(group);
    throw new Error(outcome.message);
  }
  if (outcome.kind === 'refused' || outcome.kind === 'aborted') {
    await markEncounters(deps, group, new Map(), `DHIS2 refused the values of ${group.dataSet} ${group.orgUnit} ${group.period}: ${outcome.message}`);
    throw new UnrecoverableError(outcome.message);
  }

  // Which cells DHIS2 turned down, and why.
  const rejected = new Map<string, ImportConflict>();
  for (const conflict of outcome.conflicts) {
    for (const index of conflict.indexes ?? []) {
      const cell = cells[index];
      if (cell) rejected.set(cellKeyOf(cell), conflict);
    }
  }
  await deps.ledger.recordPushed(group, cells.filter((cell) => !rejected.has(cellKeyOf(cell))));
  await markEncounters(deps, group, rejected);
  if ([...rejected.values()].some(isRetryableConflict)) {
    await deps.ledger.markDirty(group);
    throw new Error(`DHIS2 will accept some values later: ${[...rejected.values()].map((c) => c.value).join('; ')}`);
  }
  if (rejected.size > 0) {
    throw new UnrecoverableError(`DHIS2 rejected ${rejected.size} value(s): ${[...new Set([...rejected.values()].map((c) => `${c.errorCode ?? ''} ${c.value}`.trim()))].join('; ')}`);
  }
  await deps.onDelivered?.(group);
  return { sent: dataValues.length, conflicts: 0 };
}

/**
 * Sets the dhis2 state of every encounter in the group: delivered, or failed with the conflict behind it.
 * Encounters withdrawn from the group (entered in error, say) are delivered once their removal went through.
 */
async function markEncounters(
  deps: { ledger: Ledger; store: EncounterStore },
  group: CellGroup,
  rejected: Map<string, ImportConflict>,
  failedAll?: string,
): Promise<void> {
  const at = new Date().toISOString();
  const [encounters, withdrawn] = await Promise.all([deps.ledger.encountersIn(group), deps.ledger.withdrawnFrom(group)]);
  const counted = encounters.map((encounter) => {
    const ref = { source: encounter.source, id: encounter.id, version: encounter.version };
    const conflict = encounter.cells.map((cell) => rejected.get(cell)).find((c) => c !== undefined);
    if (failedAll !== undefined) return { ref, target: 'dhis2' as const, state: { state: 'failed' as const, reason: failedAll, at } };
    if (conflict) return { ref, target: 'dhis2' as const, state: { state: 'failed' as const, reason: `${conflict.errorCode ?? ''} ${conflict.value}`.trim(), at } };
    return { ref, target: 'dhis2' as const, state: { state: 'delivered' as const, at } };
  });
  const removed = withdrawn.map((ref) => ({
    ref,
    target: 'dhis2' as const,
    state: failedAll !== undefined ? { state: 'failed' as const, reason: failedAll, at } : { state: 'delivered' as const, reason: 'its counts were removed from DHIS2', at },
  }));
  await deps.store.setTargetStates([...counted, ...removed]);
  if (failedAll === undefined) await deps.ledger.forgetWithdrawn(group, withdrawn);
}

export function initPushWorker(options: {
  connection: Redis;
  prefix: string;
  ledger: Ledger;
  client: Dhis2Client;
  store: EncounterStore;
  jobLockMs: number;
  logger: Logger;
  /** Told about each cell group DHIS2 accepted in full (MeasureReports follow it). */
  onDelivered?: (group: CellGroup) => Promise<void>;
}): Worker<PushJobData> {
  const worker = new Worker<PushJobData>(PUSH_QUEUE, async (job: Job<PushJobData>) => execPushJob(job.data, options), {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: 4,
    ...stallRecovery(options.jobLockMs),
  });
  worker.on('failed', (job, error) => {
    options.logger.warn({ jobId: job?.id, attempts: job?.attemptsMade, err: error.message }, 'DHIS2 push failed');
  });
  return worker;
}

/** Queues a push for every dirty group, now and then every `everyMs`; returns a function that stops it. */
export function startDirtySweeper(options: { ledger: Ledger; queue: Queue<PushJobData>; everyMs: number; delayMs: number; logger: Logger }): () => void {
  const sweep = async () => {
    try {
      await addPushJobs(options.queue, await options.ledger.dirtyGroups(1000), options.delayMs);
    } catch (error) {
      options.logger.error({ err: (error as Error).message }, 'dirty group sweep failed');
    }
  };
  void sweep();
  const timer = setInterval(() => void sweep(), options.everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
