// FHIR delivery (DESIGN.md §1, reference/fhir.md): each encounter version's upload turns the stored
// encounter into one transaction Bundle and sends it. A job carries up to FHIR_JOB_ENCOUNTERS uploads of one
// ingest batch (one alone has a job of its own, id fhirJobId), because BullMQ's own cost per job (its
// scripts in Redis, above all the one that finishes a job) outweighed an upload's; an upload of such a job
// that fails or finds its patient busy is handed back as a job of its own (handBack), so retries, backoff
// and the dead-letter list stay per encounter. Conditional create and conditional PUT on
// deterministic identifiers make a resend change nothing, so at-least-once jobs give exactly-once records.
// Shared data is never overwritten or deleted (shared-records.ts): the Patient is merged (only what this
// source owns) and updated with If-Match; a record an encounter no longer carries, or a shared Coverage no
// live encounter asserts, is read back and marked entered-in-error. A 409/412 to an If-Match update means the
// resource changed meanwhile: the job is retried, and reads and merges again.
//
// Network errors, timeouts, 429 and 5xx are retried with exponential backoff. A 4xx (400 invalid, 412 the
// criteria matched several resources) needs a person: the job fails at once and stays in the dead-letter
// list with the server's message, replayable. Uploads of one patient go one at a time: a job that finds its
// patient busy waits a moment without spending an attempt. A job whose version was superseded does nothing,
// because the newer version has a job of its own.
//
// With MADX_ENABLED the same queue carries IHE mADX MeasureReports: after each DHIS2 push of a cell group, a
// job reads the group's current cells from the ledger and upserts its MeasureReport (fhir/madx.ts), with an
// explicit zero for each cell an earlier report carried that fell to nothing; the Measure the report cites
// is published first, once per canonical url and version.
import { createHash } from 'node:crypto';
import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { RedisClient } from '../../redis/connection.js';
import type { Encounter } from '@smc-bridge/contract';
import { encounterToBundle } from '../../fhir/encounter-bundle.js';
import { FhirRequestError, type FhirClient } from '../../fhir/fhir-client.js';
import type { Terminology } from '../../fhir/terminology.js';
import { describeIssues, validateFhirBundle } from '../../fhir/validate-resources.js';
import type { ValidatedShapes } from '../../fhir/validated-shapes.js';
import type { EncounterStore, StoredEncounter } from '../../ingest/encounter-store.js';
import type { Logger } from '../../logging/logger.js';
import type { ServiceMetrics } from '../../metrics/service-metrics.js';
import { watchWorker } from '../../queues/worker-events.js';
import type { RedisKeys } from '../../redis/keys.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { Mappings } from '../../mapping/load-mappings.js';
import { cellGroupToMeasureReport, measureBundle, measureOf, MeasureReportError, reportedCellKey, sendMeasureReport } from '../../fhir/madx.js';
import { nextAttemptOf, type NextAttempt } from '../../queues/retry-timing.js';
import pLimit, { type LimitFunction } from 'p-limit';
import { stallRecovery } from '../../queues/stall-recovery.js';
import { scrubUpstreamText } from '../../status/scrub.js';
import { targetStates } from '../../status/target-states.js';
import { isPractice, PRACTICE_REASON } from '../../domain/practice.js';
import type { UploadLocks } from './upload-lock.js';
import type { SentRecords } from './sent-records.js';
import type { Bundle, BundleEntry, Patient } from '@medplum/fhirtypes';
import { AmbiguousPatientError, planPatient, withdrawalEntries, type PatientPlan } from './shared-records.js';
import type { EncounterRef } from '../../domain/encounter-ref.js';
import { type CellGroup, groupKeyOf } from '../../domain/cells.js';

export const FHIR_QUEUE = 'fhir';

export type FhirJobData =
  /**
   * One upload. Handed back by a job of several: `earlierAttempts` after an attempt that failed there, and
   * `refused` when the server (or the validation) refused it for good there: the job then fails at once with
   * that reason, into the dead-letter list, and a replay drops it (dead-letters.ts) and uploads again.
   */
  | { kind: 'encounter'; ref: EncounterRef; earlierAttempts?: number; refused?: { reason: string; status?: number } }
  | { kind: 'encounters'; refs: EncounterRef[] }
  | { kind: 'measure-report'; group: CellGroup };

/** Uploads one job carries at most. */
export const FHIR_JOB_ENCOUNTERS = 16;

export const FHIR_JOB_OPTIONS = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: false, // failed jobs are the dead-letter list, with the FHIR server's message; replayable
} as const;

export function fhirJobId(ref: EncounterRef): string {
  return `fhir~${ref.source}~${ref.id}~${ref.version}`;
}

export function createFhirQueue(connection: RedisClient, keys: RedisKeys): Queue<FhirJobData> {
  return new Queue<FhirJobData>(FHIR_QUEUE, { connection, prefix: keys.bullPrefix(), defaultJobOptions: FHIR_JOB_OPTIONS });
}

/** The id of a job carrying several uploads: fixed by its versions, so queuing the same ones again is a no-op. */
export function fhirJobsId(refs: readonly EncounterRef[]): string {
  return `fhirs~${createHash('sha256').update(refs.map((ref) => `${ref.source}\n${ref.id}\n${ref.version}`).join('\n')).digest('hex').slice(0, 32)}`;
}

/**
 * Queues the FHIR upload of each encounter version, `perJob` to a job (a job's id is fixed by the versions it
 * carries: adding the same ones twice is a no-op).
 */
export async function addFhirJobs(queue: Queue<FhirJobData>, refs: readonly EncounterRef[], perJob = FHIR_JOB_ENCOUNTERS): Promise<void> {
  const jobs = [];
  for (let at = 0; at < refs.length; at += perJob) {
    const chunk = refs.slice(at, at + perJob);
    jobs.push(
      chunk.length === 1
        ? { name: 'bundle', data: { kind: 'encounter' as const, ref: chunk[0]! }, opts: { jobId: fhirJobId(chunk[0]!) } }
        : { name: 'bundles', data: { kind: 'encounters' as const, refs: chunk }, opts: { jobId: fhirJobsId(chunk) } },
    );
  }
  if (jobs.length > 0) await queue.addBulk(jobs);
}

/** Which patient an encounter's upload belongs to: the source and the patient's first identifier, hashed. */
export function patientKeyOf(encounter: Encounter): string {
  const [first] = encounter.patient.identifiers;
  return createHash('sha256').update(`${encounter.source}\n${first?.system ?? ''}\n${first?.value ?? ''}`).digest('hex').slice(0, 32);
}

/**
 * Queues the MeasureReport of a cell group DHIS2 has just accepted. Each push gets its own job (no shared id),
 * because a job reads the group when it runs: a later job always sends what is current.
 */
export async function addMeasureReportJob(queue: Queue<FhirJobData>, group: CellGroup): Promise<void> {
  const groupHash = createHash('sha256').update(groupKeyOf(group)).digest('hex').slice(0, 32);
  await queue.add('measure-report', { kind: 'measure-report', group }, { jobId: `madx~${groupHash}~${Date.now()}`, removeOnComplete: true });
}

export type FhirJobOutcome = 'delivered' | 'superseded' | 'skipped' | 'patient-busy';

export interface FhirDeliveryDeps {
  store: EncounterStore;
  client: Pick<FhirClient, 'transaction' | 'search'>;
  terminology: Terminology;
  locks: UploadLocks;
  sent: SentRecords;
  /** For MeasureReports: the current cells of a group, and the mappings that say what they mean. */
  ledger?: Pick<Ledger, 'cellsOf'>;
  mappings?: Mappings;
  /** Where MeasureReport jobs keep the cells each group's reports carried and the Measures published. */
  redis?: RedisClient;
  keys?: RedisKeys;
  /** Validation by shape (fhir/validated-shapes.ts) for the encounter Bundles; without it both validators run in full on every resource. */
  shapes?: ValidatedShapes;
}

export async function execFhirJob(data: Exclude<FhirJobData, { kind: 'encounters' }>, deps: FhirDeliveryDeps): Promise<FhirJobOutcome> {
  return data.kind === 'encounter' ? uploadEncounter(data.ref, await deps.store.read(data.ref.source, data.ref.id), deps) : execMeasureReportJob(data.group, deps);
}

/** What became of one upload of a job of several: its outcome, or the error it failed with. */
export type UploadResult = { ref: EncounterRef; outcome: FhirJobOutcome } | { ref: EncounterRef; error: unknown };

/**
 * The uploads of a job of several, the stored encounters read in one round trip: those of one patient one
 * after another in the order given, different patients' at once (so they can share round trips). Never
 * throws for one upload: each result says what became of it. Only reading the store can fail the whole job.
 * `slots` bounds the uploads running at once in the process.
 */
export async function execEncountersJob(refs: readonly EncounterRef[], deps: FhirDeliveryDeps, slots: LimitFunction = pLimit(refs.length || 1)): Promise<UploadResult[]> {
  const stored = await deps.store.readMany(refs);
  const byPatient = new Map<string, number[]>();
  refs.forEach((ref, index) => {
    const record = stored[index];
    const key = record === undefined ? `~${index}` : patientKeyOf(record.encounter);
    byPatient.set(key, [...(byPatient.get(key) ?? []), index]);
  });
  const results: UploadResult[] = [];
  await Promise.all(
    [...byPatient.values()].map(async (indexes) => {
      for (const index of indexes) {
        const ref = refs[index]!;
        try {
          results[index] = { ref, outcome: await slots(() => uploadEncounter(ref, stored[index], deps)) };
        } catch (error) {
          results[index] = { ref, error };
        }
      }
    }),
  );
  return results;
}

async function execMeasureReportJob(group: CellGroup, deps: FhirDeliveryDeps): Promise<FhirJobOutcome> {
  if (!deps.ledger || !deps.mappings) throw new UnrecoverableError('MeasureReport jobs need the ledger and the mappings');
  const { ledger, mappings } = deps;
  // One report of a group at a time, read inside the lock, so the last one written is the newest.
  const sent = await deps.locks.withLock(`madx:${groupKeyOf(group)}`, async () => {
    const cells = await ledger.cellsOf(group);
    // The cells earlier reports carried: one that fell to nothing is reported as an explicit zero.
    const reportedKey = deps.keys?.madxReportedCells(groupKeyOf(group));
    const reported = reportedKey && deps.redis ? await deps.redis.smembers(reportedKey) : [];
    if (cells.length === 0 && reported.length === 0) return 'skipped' as const;
    try {
      await publishMeasure(group.dataSet, mappings, deps);
      await sendMeasureReport(deps.client, cellGroupToMeasureReport(group, cells, mappings, deps.terminology, { reported }));
    } catch (error) {
      if (error instanceof MeasureReportError) throw new UnrecoverableError(error.message);
      if (error instanceof FhirRequestError && !error.retryable) throw new UnrecoverableError(`the FHIR server refused the MeasureReport: ${scrubUpstreamText(serverMessage(error))}`);
      throw error;
    }
    if (reportedKey && deps.redis && cells.length > 0) await deps.redis.sadd(reportedKey, ...cells.map(reportedCellKey));
    return 'delivered' as const;
  });
  return sent.busy ? 'patient-busy' : sent.result;
}

/**
 * Publishes the Measure (and its ValueSets) a data set's reports cite, once per canonical url and version:
 * before the first report of a version, and again only if the mappings change it. Done here rather than at
 * start-up, so a FHIR server that is down at start still gets the Measure before any report citing it.
 */
async function publishMeasure(dataSet: string, mappings: Mappings, deps: FhirDeliveryDeps): Promise<void> {
  const measure = measureOf(dataSet, mappings, deps.terminology);
  const key = deps.keys?.madxPublishedMeasure(`${measure.url}|${measure.version}`);
  if (key && deps.redis && (await deps.redis.exists(key)) === 1) return;
  const bundle = measureBundle(dataSet, mappings, deps.terminology);
  const issues = validateFhirBundle(bundle);
  if (issues.length > 0) throw new MeasureReportError(`the mADX Measure of ${dataSet} is not valid FHIR R4:\n${describeIssues(issues)}`);
  await deps.client.transaction(bundle);
  if (key && deps.redis) await deps.redis.set(key, new Date().toISOString());
}

async function uploadEncounter(ref: EncounterRef, stored: StoredEncounter | undefined, deps: FhirDeliveryDeps): Promise<FhirJobOutcome> {
  if (stored === undefined || stored.version !== ref.version) return 'superseded';
  const { encounter } = stored;
  if (isPractice(encounter)) {
    const built = encounterToBundle(encounter, deps.terminology);
    await deps.store.setTargetState(ref, 'fhir', targetStates.skipped(built.reason ?? PRACTICE_REASON));
    return 'skipped';
  }
  const patientKey = patientKeyOf(encounter);
  const refuse = async (reason: string, status?: number): Promise<never> => {
    await deps.store.setTargetState(ref, 'fhir', targetStates.failed(reason));
    throw Object.assign(new UnrecoverableError(reason), status === undefined ? {} : { status });
  };
  // A refusal no retry can fix (4xx) is the job's permanent failure, with the server's words scrubbed of
  // patient data; anything else (network, timeout, 429, 5xx) is retried.
  const refusedByServer = async (error: unknown): Promise<never> => {
    if (error instanceof FhirRequestError && !error.retryable) return refuse(`the FHIR server refused the bundle: ${scrubUpstreamText(serverMessage(error), encounter)}`, error.status);
    throw error;
  };
  const sent = await deps.locks.withLock(patientKey, async () => {
    const built = encounterToBundle(encounter, deps.terminology);
    if (built.bundle === null) {
      await deps.store.setTargetState(ref, 'fhir', targetStates.skipped(built.reason));
      return 'skipped' as const;
    }
    const entries = built.bundle.entry ?? [];

    // What this upload reads from Redis, in one round trip: whether this is the patient's most recent
    // encounter, what this source owns on the Patient, and what the encounter's earlier version sent.
    const withdrawn = encounter.status === 'entered-in-error';
    const [latest, owned, earlier] = await Promise.all([
      withdrawn ? false : deps.sent.isLatestForPatient(patientKey, encounter.occurredAt),
      deps.sent.ownedOnPatient(patientKey),
      deps.sent.criteria(ref),
    ]);

    // Records an earlier version had and this one has not are marked entered-in-error in the same
    // transaction, never deleted; a shared record (the Coverage) only once no live encounter asserts it.
    const records = recordCriteria(built.bundle);
    const sharedNow = sharedEntries(built.bundle).map((entry) => entry.request!.url);
    const toWithdraw = earlier.filter((criteria) => !records.includes(criteria) && !isSharedCriteria(criteria));
    const released = await Promise.all(earlier.filter((c) => isSharedCriteria(c) && !sharedNow.includes(c)).map(async (criteria) => ((await deps.sent.releaseShared(criteria, ref)) ? criteria : undefined)));
    toWithdraw.push(...released.filter((criteria): criteria is string => criteria !== undefined));
    await Promise.all(sharedNow.map((criteria) => deps.sent.assertShared(criteria, ref)));

    // The shared Patient: matched on every identifier; the patient's most recent encounter merges what this
    // source owns into the server's copy (an older one, arriving late, leaves it be). Its search and those of
    // the records to withdraw go out together (so one batch can carry them).
    const patientIndex = entries.findIndex((entry) => entry.resource?.resourceType === 'Patient');
    const [planned, withdrawing] = await Promise.allSettled([
      planPatient(deps.client, entries[patientIndex] as BundleEntry<Patient>, latest, owned),
      withdrawalEntries(deps.client, toWithdraw, deps.terminology),
    ]);
    if (planned.status === 'rejected') {
      if (planned.reason instanceof AmbiguousPatientError) return refuse(`the FHIR server refused the bundle: ${planned.reason.message}`);
      return refusedByServer(planned.reason);
    }
    if (withdrawing.status === 'rejected') return refusedByServer(withdrawing.reason);
    const plan = planned.value;
    const withdrawals = withdrawing.value;

    const bundle: Bundle = {
      ...built.bundle,
      entry: [...entries.map((entry, index) => (index === patientIndex ? plan.entry : entry)), ...withdrawals],
    };
    const issues = deps.shapes ? await deps.shapes.validateBundleSharing(bundle) : validateFhirBundle(bundle);
    if (issues.length > 0) return refuse(`the FHIR resources made from this encounter are not valid: ${describeIssues(issues)}`);
    const versioned = plan.versioned || withdrawals.some((entry) => entry.request?.ifMatch !== undefined);
    let answer: Bundle;
    try {
      answer = await deps.client.transaction(bundle);
    } catch (error) {
      // A version-aware update refused: the Patient or a record changed on the server since it was read.
      // The next attempt reads it again and merges again.
      if (versioned && error instanceof FhirRequestError && isVersionConflict(error)) {
        throw new Error(`a resource this upload updates changed on the FHIR server meanwhile (HTTP ${error.status}); it will be read and merged again`);
      }
      return refusedByServer(error);
    }
    // What this source now owns on the Patient: all it sent when the server created it, else the merge's.
    const patientStatus = answer.entry?.[patientIndex]?.response?.status ?? '';
    const ownedNow = patientStatus.startsWith('201') ? plan.owned.created : plan.owned.existing;
    // The writes in one round trip, the status with them (still under the lock, after the server took it);
    // the owned slots only when they changed (read under this lock, so still what Redis holds).
    await Promise.all([
      deps.sent.record(ref, records),
      ownedNow === undefined || JSON.stringify(ownedNow) === JSON.stringify(owned) ? undefined : deps.sent.recordOwnedOnPatient(patientKey, ownedNow),
      latest ? deps.sent.recordLatestForPatient(patientKey, encounter.occurredAt) : undefined,
      deps.store.setTargetState(ref, 'fhir', targetStates.delivered()),
    ]);
    return 'delivered' as const;
  });
  if (sent.busy) return 'patient-busy';
  return sent.result;
}

/** 409 (HAPI's version conflict) or a 412 that is not about criteria matching several resources. */
function isVersionConflict(error: FhirRequestError): boolean {
  if (error.status === 409) return true;
  if (error.status !== 412) return false;
  const issues = error.outcome?.issue ?? [];
  return !issues.some((issue) => issue.code === 'multiple-matches' || /match(ed)? (\d+|multiple|several)/i.test(`${issue.diagnostics ?? ''} ${issue.details?.text ?? ''}`));
}

/** Records shared by several encounters of the patient (one Coverage per membership): never withdrawn by one. */
const SHARED_TYPES = ['Coverage'];

function isSharedCriteria(criteria: string): boolean {
  return SHARED_TYPES.some((type) => criteria.startsWith(`${type}?`));
}

/** The shared records a bundle asserts (as conditional PUTs). */
function sharedEntries(bundle: Bundle): BundleEntry[] {
  return (bundle.entry ?? []).filter((entry) => entry.request?.method === 'PUT' && isSharedCriteria(entry.request.url) && entry.resource);
}

/**
 * The criteria of the encounter's records in a bundle: its conditional PUTs. The Patient, shared with the
 * patient's other encounters, is never one of them.
 */
function recordCriteria(bundle: Bundle): string[] {
  return (bundle.entry ?? []).flatMap((entry) =>
    entry.request?.method === 'PUT' && entry.request.url.includes('?') && entry.resource?.resourceType !== 'Patient' ? [entry.request.url] : [],
  );
}

/** The status and the OperationOutcome's own words (diagnostics, else details text), as the server gave them. */
function serverMessage(error: FhirRequestError): string {
  const texts = (error.outcome?.issue ?? []).map((issue) => issue.diagnostics ?? issue.details?.text ?? issue.code).filter((text): text is string => Boolean(text));
  return `HTTP ${error.status ?? '?'}${texts.length > 0 ? `: ${texts.join('; ')}` : ''}`;
}

export function initFhirWorker(options: {
  connection: RedisClient;
  keys: RedisKeys;
  /** Where a job of several uploads hands back those that failed or found their patient busy. */
  queue: Queue<FhirJobData>;
  deps: FhirDeliveryDeps;
  /** Uploads this process runs at once, whatever the jobs carrying them. */
  concurrency: number;
  jobLockMs: number;
  logger: Logger;
  metrics?: ServiceMetrics;
}): Worker<FhirJobData> {
  const { deps, metrics } = options;
  const uploadSlots = pLimit(options.concurrency);

  // A failure time may fix (network, timeout, 429, 5xx): the status says so from the first one on.
  const recordRetry = async (ref: EncounterRef, error: unknown, next: NextAttempt | undefined, attempts: number): Promise<void> => {
    const message = scrubUpstreamText((error as Error).message);
    await deps.store.setTargetState(
      ref,
      'fhir',
      next ? targetStates.retrying(`the FHIR server has not taken the bundle yet: ${message}`, next) : targetStates.failed(`not delivered after ${attempts} attempts: ${message}`),
    );
  };

  const runOne = async (job: Job<FhirJobData>, data: Exclude<FhirJobData, { kind: 'encounters' }>, token?: string): Promise<FhirJobOutcome> => {
    const target = data.kind === 'encounter' ? 'fhir' : 'madx';
    // Counted, and its status set, when the job of several it came from was refused.
    if (data.kind === 'encounter' && data.refused) throw Object.assign(new UnrecoverableError(data.refused.reason), data.refused.status === undefined ? {} : { status: data.refused.status });
    let outcome: FhirJobOutcome;
    try {
      outcome = data.kind === 'encounter' ? await uploadSlots(() => execFhirJob(data, deps)) : await execFhirJob(data, deps);
    } catch (error) {
      const permanent = error instanceof UnrecoverableError;
      metrics?.countDelivery(target, permanent ? 'refused' : 'retried', statusOf(error));
      if (!permanent && data.kind === 'encounter') {
        const earlier = data.earlierAttempts ?? 0;
        const next = nextAttemptOf(job);
        await recordRetry(data.ref, error, next && { ...next, attempt: next.attempt + earlier }, job.attemptsMade + 1 + earlier);
      }
      throw error;
    }
    if (outcome === 'patient-busy') {
      // Another upload of the same patient is running: try again shortly, without spending an attempt.
      await job.moveToDelayed(Date.now() + busyDelayMs(), token);
      throw new DelayedError();
    }
    if (outcome === 'delivered' || outcome === 'skipped') metrics?.countDelivery(target, outcome);
    return outcome;
  };

  // Each upload of a job of several is settled on its own: one that failed (after its first attempt) or found
  // its patient busy goes back to the queue as a job of its own, which retries, backs off and dead-letters it
  // exactly as if it had always had one. Its id names the job it came from, so a rerun of that job (its worker
  // died after handing back) adds nothing twice.
  const runSeveral = async (job: Job<FhirJobData>, refs: readonly EncounterRef[]): Promise<Record<string, number>> => {
    const results = await execEncountersJob(refs, deps, uploadSlots);
    const handedBack: { name: string; data: FhirJobData; opts: { jobId: string; delay: number; attempts: number } }[] = [];
    const counts: Record<string, number> = {};
    for (const result of results) {
      const { ref } = result;
      const jobId = `${fhirJobId(ref)}~${job.id ?? ''}`;
      if (!('error' in result)) {
        counts[result.outcome] = (counts[result.outcome] ?? 0) + 1;
        if (result.outcome === 'delivered' || result.outcome === 'skipped') metrics?.countDelivery('fhir', result.outcome);
        if (result.outcome === 'patient-busy') handedBack.push({ name: 'bundle', data: { kind: 'encounter', ref }, opts: { jobId, delay: busyDelayMs(), attempts: FHIR_JOB_OPTIONS.attempts } });
        continue;
      }
      const { error } = result;
      const permanent = error instanceof UnrecoverableError;
      metrics?.countDelivery('fhir', permanent ? 'refused' : 'retried', statusOf(error));
      counts[permanent ? 'refused' : 'retried'] = (counts[permanent ? 'refused' : 'retried'] ?? 0) + 1;
      if (permanent) {
        // Its status already says why; the dead-letter list gets it at once, with the same words.
        const status = (error as { status?: number }).status;
        const refused = { reason: error.message, ...(status === undefined ? {} : { status }) };
        handedBack.push({ name: 'bundle', data: { kind: 'encounter', ref, refused }, opts: { jobId, delay: 0, attempts: 1 } });
        continue;
      }
      const next = nextAttemptOf({ attemptsMade: 0, opts: FHIR_JOB_OPTIONS }, new Date());
      await recordRetry(ref, error, next, 1);
      const delay = next === undefined ? 0 : Math.max(0, Date.parse(next.nextAttemptAt) - Date.now());
      handedBack.push({ name: 'bundle', data: { kind: 'encounter', ref, earlierAttempts: 1 }, opts: { jobId, delay, attempts: FHIR_JOB_OPTIONS.attempts - 1 } });
    }
    if (handedBack.length > 0) await options.queue.addBulk(handedBack);
    return counts;
  };

  const worker = new Worker<FhirJobData>(
    FHIR_QUEUE,
    async (job: Job<FhirJobData>, token?: string) => (job.data.kind === 'encounters' ? runSeveral(job, job.data.refs) : runOne(job, job.data, token)),
    { connection: options.connection, prefix: options.keys.bullPrefix(), concurrency: options.concurrency, ...stallRecovery(options.jobLockMs) },
  );
  // The message may quote the server's diagnostics, which can carry identifiers: only the status is logged.
  return watchWorker(worker, { ...options, describeFailure: (error) => ({ status: statusOf(error), permanent: error instanceof UnrecoverableError }) });
}

/** How long an upload that found its patient busy waits before it tries again. */
function busyDelayMs(): number {
  return 200 + Math.floor(Math.random() * 300);
}

/** The HTTP status a FHIR failure came with ('' for no answer). */
function statusOf(error: unknown): string {
  const status = (error as { status?: number }).status;
  return status === undefined ? '' : String(status);
}
