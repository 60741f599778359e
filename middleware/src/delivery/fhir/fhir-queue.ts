// FHIR delivery (DESIGN.md §1, reference/fhir.md): one job per encounter version, which turns the stored
// encounter into one transaction Bundle and sends it. Conditional create and conditional PUT on
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
import type { EncounterStore } from '../../ingest/encounter-store.js';
import type { Logger } from '../../logging/logger.js';
import type { ServiceMetrics } from '../../metrics/service-metrics.js';
import { watchWorker } from '../../queues/worker-events.js';
import type { RedisKeys } from '../../redis/keys.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { Mappings } from '../../mapping/load-mappings.js';
import { cellGroupToMeasureReport, measureBundle, measureOf, MeasureReportError, reportedCellKey, sendMeasureReport } from '../../fhir/madx.js';
import { nextAttemptOf } from '../../queues/retry-timing.js';
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

export type FhirJobData = { kind: 'encounter'; ref: EncounterRef } | { kind: 'measure-report'; group: CellGroup };

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

/** Queues the FHIR upload of each encounter version (a version's job id is fixed: adding it twice is a no-op). */
export async function addFhirJobs(queue: Queue<FhirJobData>, refs: readonly EncounterRef[]): Promise<void> {
  if (refs.length === 0) return;
  await queue.addBulk(refs.map((ref) => ({ name: 'bundle', data: { kind: 'encounter' as const, ref }, opts: { jobId: fhirJobId(ref) } })));
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

export async function execFhirJob(data: FhirJobData, deps: FhirDeliveryDeps): Promise<FhirJobOutcome> {
  return data.kind === 'encounter' ? execEncounterJob(data.ref, deps) : execMeasureReportJob(data.group, deps);
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

async function execEncounterJob(ref: EncounterRef, deps: FhirDeliveryDeps): Promise<FhirJobOutcome> {
  const stored = await deps.store.read(ref.source, ref.id);
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
  deps: FhirDeliveryDeps;
  concurrency: number;
  jobLockMs: number;
  logger: Logger;
  metrics?: ServiceMetrics;
}): Worker<FhirJobData> {
  const worker = new Worker<FhirJobData>(
    FHIR_QUEUE,
    async (job: Job<FhirJobData>, token?: string) => {
      const target = job.data.kind === 'encounter' ? 'fhir' : 'madx';
      let outcome: FhirJobOutcome;
      try {
        outcome = await execFhirJob(job.data, options.deps);
      } catch (error) {
        const permanent = error instanceof UnrecoverableError;
        options.metrics?.countDelivery(target, permanent ? 'refused' : 'retried', statusOf(error));
        if (!permanent && job.data.kind === 'encounter') {
          // A failure time may fix (network, timeout, 429, 5xx): the status says so from the first one on.
          const message = scrubUpstreamText((error as Error).message);
          const next = nextAttemptOf(job);
          await options.deps.store.setTargetState(
            job.data.ref,
            'fhir',
            next ? targetStates.retrying(`the FHIR server has not taken the bundle yet: ${message}`, next) : targetStates.failed(`not delivered after ${job.attemptsMade + 1} attempts: ${message}`),
          );
        }
        throw error;
      }
      if (outcome === 'patient-busy') {
        // Another upload of the same patient is running: try again shortly, without spending an attempt.
        await job.moveToDelayed(Date.now() + 200 + Math.floor(Math.random() * 300), token);
        throw new DelayedError();
      }
      if (outcome === 'delivered' || outcome === 'skipped') options.metrics?.countDelivery(target, outcome);
      return outcome;
    },
    { connection: options.connection, prefix: options.keys.bullPrefix(), concurrency: options.concurrency, ...stallRecovery(options.jobLockMs) },
  );
  // The message may quote the server's diagnostics, which can carry identifiers: only the status is logged.
  return watchWorker(worker, { ...options, describeFailure: (error) => ({ status: statusOf(error), permanent: error instanceof UnrecoverableError }) });
}

/** The HTTP status a FHIR failure came with ('' for no answer). */
function statusOf(error: unknown): string {
  const status = (error as { status?: number }).status;
  return status === undefined ? '' : String(status);
}
