// Jobs that carry several uploads (delivery/fhir/fhir-queue.ts, FHIR_JOB_ENCOUNTERS): one post of many
// encounters becomes far fewer FHIR jobs; a patient's encounters in one job go to the server one after another
// in the order posted, and never create the Patient twice; an upload that fails there for a while is handed
// back as a job of its own, with the status saying "retrying, attempt 1" as a job of its own would, while the
// others of its job are delivered without waiting for it.
import { jest } from '@jest/globals';
import type { Encounter as FhirEncounter, Patient } from '@medplum/fhirtypes';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Encounter } from '@smc-bridge/contract';
import { FhirStandIn, startFhirStandInServer, type FhirStandInRequest, type FhirStandInResponse, type FhirStandInServer } from '@smc-bridge/stand-ins';
import { FHIR_QUEUE } from '../../src/delivery/fhir/fhir-queue.js';
import { RedisKeys } from '../../src/redis/keys.js';
import { fullEncounter } from '../support/fhir-fixtures.js';
import { TEST_REDIS_URL } from '../support/redis.js';
import { startTestService, type TestService } from '../support/service.js';

jest.setTimeout(120_000);

/** Records, for each transaction the server takes, the encounter ids its Encounters carry. */
class OrderingStandIn extends FhirStandIn {
  readonly taken: string[][] = [];

  override async handle(request: FhirStandInRequest): Promise<FhirStandInResponse> {
    const response = await super.handle(request);
    if (request.method === 'POST' && request.path === '/' && request.body && response.status < 300) {
      const bundle = JSON.parse(request.body) as { type: string; entry?: { resource?: { resourceType: string; identifier?: { value?: string }[] } }[] };
      if (bundle.type === 'transaction') {
        this.taken.push((bundle.entry ?? []).flatMap((entry) => (entry.resource?.resourceType === 'Encounter' ? (entry.resource.identifier ?? []).map((i) => i.value ?? '') : [])));
      }
    }
    return response;
  }
}

const standIn = new OrderingStandIn();
let fhir: FhirStandInServer;
let api: TestService;
let redis: Redis;
let queue: Queue;

beforeAll(async () => {
  fhir = await startFhirStandInServer({ standIn });
  api = await startTestService('fhir-jobs', { FHIR_URL: fhir.baseUrl, FHIR_TIMEOUT_SECONDS: '10', FHIR_JOB_ENCOUNTERS: '8' });
  redis = new Redis(TEST_REDIS_URL);
  queue = new Queue(FHIR_QUEUE, { connection: redis, prefix: new RedisKeys(api.prefix).bullPrefix() });
});
afterAll(async () => {
  await queue.close();
  redis.disconnect();
  await api.stop();
  await fhir.close();
});

type FhirState = { state: string; version: number; reason?: string; attempt?: number; nextAttemptAt?: string };
const fhirStateOf = async (e: Encounter): Promise<FhirState | undefined> =>
  ((await (await api.get(`/api/v1/encounters/${e.source}/${e.id}`)).json()) as { targets?: { fhir?: FhirState } }).targets?.fhir;

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const allDelivered = async (encounters: Encounter[]) => ((await Promise.all(encounters.map(fhirStateOf))).every((s) => s?.state === 'delivered') ? true : undefined);

/** Where an encounter id appears among the transactions the server took (the first one carrying it). */
const takenAt = (id: string) => standIn.taken.findIndex((ids) => ids.some((value) => value.includes(`/${id}/`)));

test("a patient's encounters in one job reach the server one after another in the order posted, one Patient, the most recent visit's phone", async () => {
  fhir.standIn.clear();
  standIn.taken.length = 0;
  const base = fullEncounter({ id: 'fhir-jobs-order-1' });
  const patient = { ...base.patient, identifiers: [{ system: 'smc-patient', value: 'CM_LT_EDE_CSI001-009901' }] };
  // Posted newest first: the order of the post is the order of the uploads, and the Patient still ends with
  // the most recent visit's phone (an older visit arriving later never undoes it).
  const visits = ['2026-06-20', '2026-06-10', '2026-06-01', '2026-05-20', '2026-05-02'].map((day, n) =>
    fullEncounter({ id: `fhir-jobs-order-${n + 1}`, occurredAt: `${day}T09:00:00+01:00`, recordedAt: `${day}T09:00:00+01:00`, patient: { ...patient, phone: `+237 670 00 10 0${n + 1}` } }),
  );
  const others = [1, 2, 3].map((n) => fullEncounter({ id: `fhir-jobs-other-${n}`, patient: { ...patient, identifiers: [{ system: 'smc-patient', value: `CM_LT_EDE_CSI001-00990${n + 1}` }] } }));
  const encounters = [visits[0]!, others[0]!, visits[1]!, others[1]!, visits[2]!, others[2]!, visits[3]!, visits[4]!];
  const completedBefore = (await queue.getJobCounts('completed')).completed ?? 0;
  expect((await api.post({ encounters })).status).toBe(202);
  await until(() => allDelivered(encounters), 'every delivery');

  // One job carried all eight.
  expect(((await queue.getJobCounts('completed')).completed ?? 0) - completedBefore).toBe(1);
  const positions = visits.map((visit) => takenAt(visit.id));
  expect(positions.every((position) => position >= 0)).toBe(true);
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  expect(new Set(positions).size).toBe(visits.length);

  const patients = (await fhir.standIn.all<Patient>('Patient')).filter((p) => p.identifier?.some((i) => i.value === 'CM_LT_EDE_CSI001-009901'));
  expect(patients).toHaveLength(1);
  expect(patients[0]?.telecom?.map((t) => t.value)).toEqual(['+237 670 00 10 01']);
  expect(await fhir.standIn.all<FhirEncounter>('Encounter')).toHaveLength(encounters.length);
});

test('an upload that fails in a job of several says "retrying, attempt 1" and is delivered by a job of its own; the others of its job are not held up', async () => {
  fhir.standIn.clear();
  const encounters = [1, 2, 3, 4].map((n) => fullEncounter({ id: `fhir-jobs-flaky-${n}`, patient: { ...fullEncounter().patient, identifiers: [{ system: 'smc-patient', value: `CM_LT_EDE_CSI001-00980${n}` }] } }));
  // Every request carrying the third one fails twice (503): its upload in the job of four and the first attempt of its own job.
  fhir.standIn.faults.enqueue({ kind: 'status', status: 503 }, { match: { method: 'POST', body: /fhir-jobs-flaky-3/ }, times: 2 });
  const posted = Date.now();
  expect((await api.post({ encounters })).status).toBe(202);

  const retrying = await until(async () => {
    const state = await fhirStateOf(encounters[2]!);
    return state?.state === 'retrying' ? state : undefined;
  }, 'the retrying state');
  expect(retrying).toMatchObject({ attempt: 1, reason: expect.stringContaining('503') });
  expect(Date.parse(retrying.nextAttemptAt ?? '')).toBeGreaterThan(posted);
  // The others were delivered while it waits for its next attempt.
  const others = [encounters[0]!, encounters[1]!, encounters[3]!];
  await until(() => allDelivered(others), 'the others', 10_000);

  await until(() => allDelivered(encounters), 'the flaky one');
  const handedBack = (await queue.getCompleted()).filter((job) => (job.data as { ref?: { id: string } }).ref?.id === 'fhir-jobs-flaky-3');
  expect(handedBack).toHaveLength(1);
  // Its own job knew the attempt made in the job of four: the second attempt failed, the third delivered.
  expect(handedBack[0]).toMatchObject({ data: { earlierAttempts: 1 }, attemptsMade: 2 });
  expect((await fhir.standIn.all<FhirEncounter>('Encounter')).filter((e) => e.identifier?.some((i) => i.value?.includes('/fhir-jobs-flaky-3/')))).toHaveLength(1);
});
