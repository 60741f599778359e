// FHIR delivery (DESIGN.md §1, reference/fhir.md): one job per encounter version, which turns the stored
// encounter into one transaction Bundle and sends it. Conditional create and conditional PUT on
// deterministic identifiers make a resend change nothing, so at-least-once jobs give exactly-once records.
//
// Network errors, timeouts, 429 and 5xx are retried with exponential backoff. A 4xx (400 invalid, 412 the
// criteria matched several resources) needs a person: the job fails at once and stays in the dead-letter
// list with the server's message, replayable. Uploads of one patient go one at a time: a job that finds its
// patient busy waits a moment without spending an attempt. A job whose version was superseded does nothing,
// because the newer version has a job of its own.
//
// With MADX_ENABLED the same queue carries IHE mADX MeasureReports: after each DHIS2 push of a cell group, a
// job reads the group's current cells from the ledger and upserts its MeasureReport (fhir/madx.ts).
import { createHash } from 'node:crypto';
import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Encounter } from '@smc-bridge/contract';
import { encounterToBundle } from '../../fhir/encounter-bundle.js';
import { FhirRequestError, type FhirClient } from '../../fhir/fhir-client.js';
import type { Terminology } from '../../fhir/terminology.js';
import { describeIssues, validateFhirBundle } from '../../fhir/validate-resources.js';
import type { EncounterStore } from '../../ingest/encounter-store.js';
import type { Logger } from '../../logging/logger.js';
import type { ServiceMetrics } from '../../metrics/service-metrics.js';
import { watchWorker } from '../../queues/worker-events.js';
import type { RedisKeys } from '../../redis/keys.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { Mappings } from '../../mapping/load-mappings.js';
import { cellGroupToMeasureReport, MeasureReportError, sendMeasureReport } from '../../fhir/madx.js';
import { nextAttemptOf } from '../../queues/retry-timing.js';
import { stallRecovery } from '../../queues/stall-recovery.js';
import { scrubUpstreamText } from '../../status/scrub.js';
import { targetStates } from '../../status/target-states.js';
import { isPractice, PRACTICE_REASON } from '../../domain/practice.js';
import type { UploadLocks } from './upload-lock.js';
import type { SentRecords } from './sent-records.js';
import type { Bundle, BundleEntry, Coverage } from '@medplum/fhirtypes';
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

export function createFhirQueue(connection: Redis, keys: RedisKeys): Queue<FhirJobData> {
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
  client: Pick<FhirClient, 'transaction'>;
  terminology: Terminology;
  locks: UploadLocks;
  sent: SentRecords;
  /** For MeasureReports: the current cells of a group, and the mappings that say what they mean. */
  ledger?: Pick<Ledger, 'cellsOf'>;
  mappings?: Mappings;
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
    // A group whose cells all fell to nothing has no report to make; the one sent before stays as it was.
    if (cells.length === 0) return 'skipped' as const;
    try {
      await sendMeasureReport(deps.client, cellGroupToMeasureReport(group, cells, mappings, deps.terminology));
    } catch (error) {
      if (error instanceof MeasureReportError) throw new UnrecoverableError(error.message);
      if (error instanceof FhirRequestError && !error.retryable) throw new UnrecoverableError(`the FHIR server refused the MeasureReport: ${scrubUpstreamText(serverMessage(error))}`);
      throw error;
    }
    return 'delivered' as const;
  });
  return sent.busy ? 'patient-busy' : sent.result;
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
  const sent = await deps.locks.withLock(patientKey, async () => {
    // The patient's demographics follow their most recent encounter; an older one, resent, leaves them be.
    const withdrawn = encounter.status === 'entered-in-error';
    const updatePatient = !withdrawn && (await deps.sent.isLatestForPatient(patientKey, encounter.occurredAt));
    const built = encounterToBundle(encounter, deps.terminology, { updatePatient });
    if (built.bundle === null) return { skipped: built.reason };
    const issues = validateFhirBundle(built.bundle);
    if (issues.length > 0) {
      const reason = `the FHIR resources made from this encounter are not valid: ${describeIssues(issues)}`;
      await deps.store.setTargetState(ref, 'fhir', targetStates.failed(reason));
      throw new UnrecoverableError(reason);
    }
    // Records an earlier version had and this one has not are deleted in the same transaction; a shared
    // record (the Coverage) is never deleted: it is marked entered-in-error once no live encounter asserts it.
    const records = recordCriteria(built.bundle);
    const sharedNow = sharedEntries(built.bundle);
    const earlier = await deps.sent.criteria(ref);
    const dropped = earlier.filter((criteria) => !records.includes(criteria) && !isSharedCriteria(criteria));
    const released = earlier.filter((criteria) => isSharedCriteria(criteria) && !sharedNow.some((entry) => entry.request?.url === criteria));
    const withdrawals: BundleEntry[] = [];
    const patientEntry = (built.bundle.entry ?? []).find((entry) => entry.resource?.resourceType === 'Patient');
    for (const criteria of released) {
      const lastSent = await deps.sent.releaseShared<Coverage>(criteria, ref);
      if (lastSent) {
        const beneficiary = patientEntry?.fullUrl ? { reference: patientEntry.fullUrl } : lastSent.beneficiary;
        withdrawals.push({ resource: { ...lastSent, status: 'entered-in-error', beneficiary }, request: { method: 'PUT', url: criteria } });
      }
    }
    for (const entry of sharedNow) await deps.sent.assertShared(entry.request!.url, ref, entry.resource!);
    const bundle: Bundle = {
      ...built.bundle,
      entry: [...(built.bundle.entry ?? []), ...withdrawals, ...dropped.map((url) => ({ request: { method: 'DELETE' as const, url } }))],
    };
    try {
      await deps.client.transaction(bundle);
    } catch (error) {
      if (error instanceof FhirRequestError && !error.retryable) {
        const reason = `the FHIR server refused the bundle: ${scrubUpstreamText(serverMessage(error), encounter)}`;
        await deps.store.setTargetState(ref, 'fhir', targetStates.failed(reason));
        throw Object.assign(new UnrecoverableError(reason), { status: error.status });
      }
      throw error;
    }
    await deps.sent.record(ref, records);
    if (updatePatient) await deps.sent.recordLatestForPatient(patientKey, encounter.occurredAt);
    return { skipped: undefined };
  });
  if (sent.busy) return 'patient-busy';
  if (sent.result.skipped !== undefined) {
    await deps.store.setTargetState(ref, 'fhir', targetStates.skipped(sent.result.skipped));
    return 'skipped';
  }
  await deps.store.setTargetState(ref, 'fhir', targetStates.delivered());
  return 'delivered';
}

/** Records shared by several encounters of the patient (one Coverage per membership): never deleted by one. */
const SHARED_TYPES = ['Coverage'];

function isSharedCriteria(criteria: string): boolean {
  return SHARED_TYPES.some((type) => criteria.startsWith(`${type}?`));
}

/** The shared records a bundle asserts (as conditional PUTs). */
function sharedEntries(bundle: Bundle): BundleEntry[] {
  return (bundle.entry ?? []).filter((entry) => entry.request?.method === 'PUT' && isSharedCriteria(entry.request.url) && entry.resource);
}

/**
 * The criteria of the encounter's own records in a bundle: its conditional PUTs. The Patient, shared with
 * the patient's other encounters, is never one of them, even when this upload updates it.
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
  connection: Redis;
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
