// The DHIS2 push queue: one job per dirty cell group (dataSet, orgUnit, period, attributeOptionCombo).
//
// The job carries only the group. It claims the group's dirty mark and reads the group in one snapshot
// (ledger.snapshotForPush), recomputes every cell of the group from it and posts them all, with an explicit "0" for each cell that DHIS2 holds but that fell to
// nothing: DHIS2 stores that zero when zero is significant for the element and deletes the value otherwise
// (reference/dhis2-web-api.md §1.7). Delivery never increments, so running a job twice changes nothing.
// The "pushed" record per group over-approximates what DHIS2 may hold, so a lost answer cannot strand a value.
//
// A post carries the facility's other waiting groups too (riders, from the facility's pending index), up to
// DHIS2_PUSH_RIDERS: after weeks offline a district has dozens of months and weeks waiting, and DHIS2 takes
// them in one request as well as in one each. A carried group is settled only when DHIS2 took it whole;
// otherwise it goes back to its own job, which owns its failures. Every group is taken under a lease, so
// no two posts of one group ever overlap (the later could carry older values), and a group's own job that
// finds its values already confirmed by another post sends nothing.
//
// One job per group at a time, by BullMQ deduplication on the group (not a fixed job id): adding a push while
// one waits is a no-op, so changes coalesce; adding one while one runs queues exactly one follow-up; and a
// job that failed for good (the dead-letter list) does not hold the group back: the next change pushes at
// once. Once a push of the group succeeds, its older dead letters are superseded and removed.
import { createHash, randomUUID } from 'node:crypto';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { RedisClient } from '../../redis/connection.js';
import { Dhis2Client, type DataValue } from '../../dhis2/dhis2-client.js';
import { isRetryableConflict, type ImportConflict } from '../../dhis2/import-answer.js';
import type { EncounterStore } from '../../ingest/encounter-store.js';
import type { AwaitingEncounter, EncounterVersion, Ledger, PushLease, PushSnapshot } from '../../ledger/ledger.js';
import { PendingPushes } from './pending-pushes.js';
import type { Logger } from '../../logging/logger.js';
import type { ServiceMetrics } from '../../metrics/service-metrics.js';
import { watchWorker } from '../../queues/worker-events.js';
import type { PushScreening } from '../../quality/cell-group-screening.js';
import type { RedisKeys } from '../../redis/keys.js';
import { nextAttemptOf, type NextAttempt } from '../../queues/retry-timing.js';
import { stallRecovery } from '../../queues/stall-recovery.js';
import { targetStates, type StateUpdate } from '../../status/target-states.js';
import { type CellGroup, cellInGroupKeyOf, type CellValue, groupKeyOf } from '../../domain/cells.js';

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

/** The deduplication id of a group's pushes: one waiting (and one running) per group. */
export function pushDeduplicationId(group: CellGroup): string {
  return `push~${createHash('sha256').update(groupKeyOf(group)).digest('hex').slice(0, 40)}`;
}

export function createPushQueue(connection: RedisClient, keys: RedisKeys): Queue<PushJobData> {
  return new Queue<PushJobData>(PUSH_QUEUE, { connection, prefix: keys.bullPrefix(), defaultJobOptions: PUSH_JOB_OPTIONS });
}

/** Queues a push for each group (and files it in its facility's pending index, when given, so other posts can carry it). */
export async function addPushJobs(queue: Queue<PushJobData>, groups: readonly CellGroup[], delayMs: number, pending?: PendingPushes): Promise<void> {
  if (groups.length === 0) return;
  await pending?.add(groups);
  await queue.addBulk(
    groups.map((group) => ({
      name: 'push',
      data: { group },
      opts: { delay: delayMs, deduplication: { id: pushDeduplicationId(group), keepLastIfActive: true } },
    })),
  );
}

/** How a push attempt went wrong in a way time may fix, for the status of the encounters behind it. */
export interface PushAttempt {
  /** Set when another attempt will follow: which this was and when the next is due. */
  next?: NextAttempt;
}

export interface PushDeps {
  ledger: Ledger;
  client: Pick<Dhis2Client, 'postDataValues'>;
  store: EncounterStore;
  /** Told about each cell group DHIS2 accepted in full (MeasureReports follow it). */
  onDelivered?: (group: CellGroup) => Promise<void>;
  /** Data-quality screening of the values before they are sent (which it never stops). */
  screening?: PushScreening;
  /**
   * Other waiting groups of the same facility that one post may carry along with its own (DHIS2_PUSH_RIDERS),
   * and how to hand one back to its own job when DHIS2 does not take it whole. None when absent.
   */
  riders?: { max: number; pending: PendingPushes; handBack: (groups: readonly CellGroup[]) => Promise<void> };
  /** How long a push may hold a group before another may take it (a worker that died mid-push). */
  leaseMs?: number;
}

/** What one push job did: how many values it sent for how many groups; busy when another push holds its group. */
export interface PushJobResult {
  sent: number;
  groups: number;
  busy?: true;
}

/** One group as a push carries it: what the snapshot read and the values it sends. */
interface CarriedGroup {
  group: CellGroup;
  snapshot: PushSnapshot;
  cells: CellValue[];
}

const DEFAULT_LEASE_MS = 120_000;

export async function execPushJob(data: PushJobData, deps: PushDeps, attempt: PushAttempt = {}): Promise<PushJobResult> {
  const { group } = data;
  const lease: PushLease = { token: randomUUID(), ms: deps.leaseMs ?? DEFAULT_LEASE_MS };
  const [snapshot] = await deps.ledger.snapshotForPush([group], lease);
  if (snapshot === 'leased' || snapshot === undefined) return { sent: 0, groups: 0, busy: true };
  const leased: CellGroup[] = [group];
  try {
    const own: CarriedGroup = { group, snapshot, cells: cellsToSend(snapshot) };
    // Nothing changed since DHIS2 confirmed the group (another push carried it along): nothing to send.
    if (!snapshot.claimed && snapshot.awaiting.length === 0 && sameValues(snapshot.cells, snapshot.pushed)) {
      return { sent: 0, groups: 0 };
    }
    await deps.riders?.pending.forget([group]);
    if (own.cells.length === 0) {
      // DHIS2 holds nothing of this group, which is what the ledger says: any withdrawal in it is complete.
      await settle(deps, group, snapshot.awaiting, [], { kind: 'accepted', rejected: new Map() });
      return { sent: 0, groups: 1 };
    }
    let riders = await takeRiders(group, deps, lease, leased);
    for (;;) {
      const carried = [own, ...riders];
      const { dataValues, partOf } = await valuesToSend(carried, deps);
      // DHIS2 may store the values and still fail to answer (a proxy timeout, a reset). So every cell sent is
      // recorded as possibly held before the post; a cell leaves the record only when DHIS2 confirms its zero.
      // Otherwise a cell that later fell to nothing would get no zero, and DHIS2 would keep a stale value.
      await Promise.all(carried.map((part) => deps.ledger.recordPushed(part.group, part.snapshot.cells)));
      const outcome = await deps.client.postDataValues(dataValues);
      if (outcome.kind === 'retryable') {
        await handBack(riders, deps);
        await deps.ledger.markDirty(group);
        await settle(deps, group, snapshot.awaiting, [], { kind: 'retrying', reason: outcome.message, ...attempt });
        throw new Error(outcome.message);
      }
      if (outcome.kind === 'refused' || outcome.kind === 'aborted') {
        if (riders.length > 0) {
          // Whatever DHIS2 refused, the group's own values are sent again alone, so another group's values cannot cost it.
          await handBack(riders, deps);
          riders = [];
          continue;
        }
        await settle(deps, group, snapshot.awaiting, [], { kind: 'refused', reason: `DHIS2 refused the values of ${group.dataSet} ${group.orgUnit} ${group.period}: ${outcome.message}` });
        throw new UnrecoverableError(outcome.message);
      }

      // Which cells DHIS2 turned down, and why, group by group.
      const rejectedIn = carried.map(() => new Map<string, ImportConflict>());
      for (const conflict of outcome.conflicts) {
        for (const index of conflict.indexes ?? []) {
          const at = partOf[index];
          if (at) rejectedIn[at.part]!.set(cellInGroupKeyOf(at.cell), conflict);
        }
      }
      // A carried group DHIS2 took whole is settled here; any other goes back to its own job, which owns its failures.
      const returned = riders.filter((_, i) => rejectedIn[i + 1]!.size > 0);
      await handBack(returned, deps);
      const delivered = riders.filter((_, i) => rejectedIn[i + 1]!.size === 0);

      const rejected = rejectedIn[0]!;
      const laterOk = [...rejected.values()].some(isRetryableConflict);
      if (laterOk) await deps.ledger.markDirty(group);
      const taken = own.cells.filter((cell) => !rejected.has(cellInGroupKeyOf(cell)));
      // The carried groups settled together, in as few round trips as one.
      await settleAll(deps, [
        ...delivered.map((rider): Settling => ({ group: rider.group, awaiting: rider.snapshot.awaiting, taken: rider.cells, result: { kind: 'accepted', rejected: new Map() } })),
        { group, awaiting: snapshot.awaiting, taken, result: { kind: 'accepted', rejected, ...(laterOk ? attempt : {}) } },
      ]);
      for (const rider of delivered) await deps.onDelivered?.(rider.group);
      if (laterOk) {
        throw new Error(`DHIS2 will accept some values later: ${[...rejected.values()].map((c) => c.value).join('; ')}`);
      }
      if (rejected.size > 0) {
        throw new UnrecoverableError(`DHIS2 rejected ${rejected.size} value(s): ${[...new Set([...rejected.values()].map((c) => `${c.errorCode ?? ''} ${c.value}`.trim()))].join('; ')}`);
      }
      await deps.onDelivered?.(group);
      return { sent: dataValues.length, groups: carried.length - returned.length };
    }
  } finally {
    await deps.ledger.releasePushLeases(leased, lease);
  }
}

/** Every cell of the group as the ledger sums it, and an explicit 0 for each cell DHIS2 may hold that fell to nothing. */
function cellsToSend(snapshot: PushSnapshot): CellValue[] {
  return [...snapshot.cells, ...fellToNothing(snapshot)];
}

function fellToNothing(snapshot: PushSnapshot): CellValue[] {
  const current = new Set(snapshot.cells.map(cellInGroupKeyOf));
  return snapshot.pushed.filter((cell) => !current.has(cellInGroupKeyOf(cell))).map((cell): CellValue => ({ ...cell, value: 0 }));
}

/** The same cells with the same values (so, too, no cell of `b` that `a` lacks). */
function sameValues(a: readonly CellValue[], b: readonly CellValue[]): boolean {
  if (a.length !== b.length) return false;
  const values = new Map(b.map((cell) => [cellInGroupKeyOf(cell), cell.value]));
  return a.every((cell) => values.get(cellInGroupKeyOf(cell)) === cell.value);
}

/** Other groups of the facility that are waiting and that no other push holds, leased and read for this post. */
async function takeRiders(group: CellGroup, deps: PushDeps, lease: PushLease, leased: CellGroup[]): Promise<CarriedGroup[]> {
  if (!deps.riders || deps.riders.max <= 0) return [];
  const candidates = await deps.riders.pending.others(group, deps.riders.max);
  const snapshots = await deps.ledger.snapshotForPush(candidates, lease);
  const riders: CarriedGroup[] = [];
  snapshots.forEach((snapshot, i) => {
    if (snapshot === 'leased') return;
    leased.push(candidates[i]!);
    // Only a group with changes waiting rides along; one already pushed just leaves the index.
    if (snapshot.claimed) riders.push({ group: candidates[i]!, snapshot, cells: cellsToSend(snapshot) });
  });
  await deps.riders.pending.forget(candidates.filter((_, i) => snapshots[i] !== 'leased'));
  return riders;
}

/** Carried groups DHIS2 did not take whole go back to their own jobs: dirty again, and queued. */
async function handBack(riders: readonly CarriedGroup[], deps: PushDeps): Promise<void> {
  if (riders.length === 0) return;
  for (const rider of riders) await deps.ledger.markDirty(rider.group);
  await deps.riders?.handBack(riders.map((rider) => rider.group));
}

/** The data values of every carried group, each screened first, and for each value the group and cell it is. */
async function valuesToSend(carried: readonly CarriedGroup[], deps: PushDeps): Promise<{ dataValues: DataValue[]; partOf: { part: number; cell: CellValue }[] }> {
  // Data-quality screening (quality/) records its flags and never holds the values back. The post's groups
  // are screened together: a month is judged against the months before it, those this post sends included.
  const followups: (ReadonlySet<string> | undefined)[] = deps.screening
    ? await deps.screening.screen(carried.map(({ group, cells, snapshot }) => ({ group, sending: cells, lastSent: snapshot.pushed })))
    : carried.map(() => undefined);
  const dataValues: DataValue[] = [];
  const partOf: { part: number; cell: CellValue }[] = [];
  carried.forEach(({ group, cells }, part) => {
    for (const cell of cells) {
      dataValues.push({
        dataElement: cell.dataElement,
        period: group.period,
        orgUnit: group.orgUnit,
        categoryOptionCombo: cell.categoryOptionCombo,
        attributeOptionCombo: group.attributeOptionCombo,
        value: String(cell.value),
        ...(followups[part]?.has(cellInGroupKeyOf(cell)) ? { followup: true } : {}),
      });
      partOf.push({ part, cell });
    }
  });
  return { dataValues, partOf };
}

/** What DHIS2 made of a push, as the encounters behind the group hear it. */
type PushResult =
  /** DHIS2 answered with an import summary: every cell not rejected is in. */
  | ({ kind: 'accepted'; rejected: Map<string, ImportConflict> } & PushAttempt)
  /** No usable answer (5xx, timeout…): the push will be tried again. */
  | ({ kind: 'retrying'; reason: string } & PushAttempt)
  /** Refused as a whole. */
  | { kind: 'refused'; reason: string };

const conflictText = (conflict: ImportConflict) => `${conflict.errorCode ?? ''} ${conflict.value}`.trim();

/**
 * Records what DHIS2 took of the push (`taken`) and sets the dhis2 state of the encounter versions the push
 * carried (those whose change to the group DHIS2 had not confirmed: counted in it, withdrawn or moved out).
 * An encounter reads "delivered" once DHIS2 holds every group its latest version changed; "retrying" or
 * "failed" only for its own changes in this group (another encounter's failed push does not undo a delivery
 * that happened). Encounters confirmed by an earlier push are not touched again.
 */
async function settle(deps: Pick<PushDeps, 'ledger' | 'store'>, group: CellGroup, awaiting: readonly AwaitingEncounter[], taken: readonly CellValue[], result: PushResult): Promise<void> {
  await settleAll(deps, [{ group, awaiting, taken, result }]);
}

/** One group's part in `settleAll`: what the push carried of it, what DHIS2 took and made of it. */
interface Settling {
  group: CellGroup;
  awaiting: readonly AwaitingEncounter[];
  taken: readonly CellValue[];
  result: PushResult;
}

/** `settle` for several groups at once; each encounter's states are set in the order of the groups. */
async function settleAll(deps: Pick<PushDeps, 'ledger' | 'store'>, parts: readonly Settling[]): Promise<void> {
  const refOf = (e: EncounterVersion) => ({ source: e.source, id: e.id, version: e.version });
  const updatesOf: StateUpdate[][] = parts.map(() => []);
  const pushes: { part: number; group: CellGroup; pushed: readonly CellValue[]; confirmed: AwaitingEncounter[] }[] = [];
  parts.forEach(({ group, awaiting, taken, result }, part) => {
    if (result.kind !== 'accepted') {
      for (const encounter of awaiting) {
        updatesOf[part]!.push({ ref: refOf(encounter), target: 'dhis2', state: result.kind === 'retrying' ? targetStates.retrying(`DHIS2 has not taken the values yet: ${result.reason}`, result.next) : targetStates.failed(result.reason) });
      }
      return;
    }
    const confirmed: AwaitingEncounter[] = [];
    for (const encounter of awaiting) {
      const conflict = encounter.cells.map((cell) => result.rejected.get(cell)).find((c) => c !== undefined);
      if (conflict === undefined) confirmed.push(encounter);
      else updatesOf[part]!.push({ ref: refOf(encounter), target: 'dhis2', state: isRetryableConflict(conflict) ? targetStates.retrying(conflictText(conflict), result.next) : targetStates.failed(conflictText(conflict)) });
    }
    pushes.push({ part, group, pushed: taken, confirmed });
  });
  const settled = await deps.ledger.settlePushes(pushes);
  pushes.forEach(({ part, confirmed }, n) => {
    confirmed.forEach((encounter, i) => {
      const { waitingFor, withdrew } = settled[n]![i]!;
      if (waitingFor !== 0) return; // other groups of its latest version are still on their way (or a newer version came)
      updatesOf[part]!.push({ ref: refOf(encounter), target: 'dhis2', state: targetStates.delivered(withdrew ? 'its counts were removed from DHIS2' : undefined) });
    });
  });
  await deps.store.setTargetStates(updatesOf.flat());
}

/** How soon a push job whose group another post carries looks again. */
const BUSY_RETRY_MS = 1000;

export function initPushWorker(options: {
  connection: RedisClient;
  keys: RedisKeys;
  /** The push queue itself, to remove the dead letters a successful push supersedes. */
  queue: Queue<PushJobData>;
  ledger: Ledger;
  client: Pick<Dhis2Client, 'postDataValues'>;
  store: EncounterStore;
  jobLockMs: number;
  /** Cell groups one worker process pushes at once (DHIS2_PUSH_CONCURRENCY). */
  concurrency: number;
  /** How long until the dirty sweeper takes up a group again after its job ran out of attempts. */
  resweepMs: number;
  logger: Logger;
  metrics?: ServiceMetrics;
  onDelivered?: (group: CellGroup) => Promise<void>;
  screening?: PushScreening;
  riders?: PushDeps['riders'];
  leaseMs?: number;
}): Worker<PushJobData> {
  const deadLetters = new DeadPushes(options.connection, options.queue, options.keys);
  const worker = new Worker<PushJobData>(
    PUSH_QUEUE,
    async (job: Job<PushJobData>) => {
      const next = nextAttemptOf(job) ?? { attempt: job.attemptsMade + 1, nextAttemptAt: new Date(Date.now() + options.resweepMs).toISOString() };
      try {
        const sent = await execPushJob(job.data, options, { next });
        if (sent.busy) {
          // Another post carries the group right now: look again shortly (queued behind this job, which ends).
          await addPushJobs(options.queue, [job.data.group], BUSY_RETRY_MS);
          options.metrics?.countDelivery('dhis2', 'skipped');
          return sent;
        }
        await deadLetters.supersede(job.data.group, String(job.id));
        options.metrics?.countDelivery('dhis2', sent.sent > 0 ? 'delivered' : 'skipped');
        return sent;
      } catch (error) {
        const permanent = error instanceof UnrecoverableError;
        options.metrics?.countDelivery('dhis2', permanent ? 'refused' : 'retried', dhis2CodeOf((error as Error).message));
        if (permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await deadLetters.record(job.data.group, String(job.id));
        throw error;
      }
    },
    { connection: options.connection, prefix: options.keys.bullPrefix(), concurrency: options.concurrency, ...stallRecovery(options.jobLockMs) },
  );
  return watchWorker(worker, options);
}

/** The code a metric counts a failed push by: DHIS2's conflict code (E7612…) or the HTTP status. */
function dhis2CodeOf(message: string): string {
  return /\b(E\d{4})\b/.exec(message)?.[1] ?? /answered (\d{3})/.exec(message)?.[1] ?? 'no-answer';
}

/**
 * The dead letters of each group: push jobs that failed for good. They stay listed (and replayable) until
 * a later push of the same group succeeds, which supersedes them: DHIS2 then holds what the ledger says.
 */
class DeadPushes {
  constructor(
    private readonly redis: RedisClient,
    private readonly queue: Queue<PushJobData>,
    private readonly keys: RedisKeys,
  ) {}

  async record(group: CellGroup, jobId: string): Promise<void> {
    await this.redis.sadd(this.keys.deadPushes(group), jobId);
  }

  async supersede(group: CellGroup, succeededJobId: string): Promise<void> {
    const recorded = await this.redis.smembers(this.keys.deadPushes(group));
    if (recorded.length === 0) return;
    for (const id of recorded.filter((id) => id !== succeededJobId)) {
      const job = await this.queue.getJob(id);
      if (job && (await job.isFailed())) await job.remove();
    }
    await this.redis.del(this.keys.deadPushes(group));
  }
}

/** Queues a push for every dirty group, now and then every `everyMs`; returns a function that stops it. */
export function startDirtySweeper(options: { ledger: Ledger; queue: Queue<PushJobData>; pending?: PendingPushes; everyMs: number; delayMs: number; logger: Logger }): () => void {
  const sweep = async () => {
    try {
      await addPushJobs(options.queue, await options.ledger.dirtyGroups(1000), options.delayMs, options.pending);
    } catch (error) {
      options.logger.error({ err: (error as Error).message }, 'dirty group sweep failed');
    }
  };
  void sweep();
  const timer = setInterval(() => void sweep(), options.everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
