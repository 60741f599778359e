// The version-aware Patient update end to end (issue 12): the job reads the shared Patient, merges what this
// source owns and PUTs it with If-Match; when the Patient changes on the server between that read and the
// PUT, the server answers 412, and the job must read again, merge again and retry, so that neither the other
// writer's change nor ours is lost. The change is made by a stand-in that, once armed, updates the Patient
// right after answering the job's Patient search (as a client registry writing at that moment would), so
// the interleaving is the same on every run.
import { jest } from '@jest/globals';
import type { Patient } from '@medplum/fhirtypes';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Encounter } from '@smc-bridge/contract';
import { FhirStandIn, startFhirStandInServer, type FhirStandInRequest, type FhirStandInResponse, type FhirStandInServer } from '@smc-bridge/stand-ins';
import { FHIR_QUEUE, fhirJobId } from '../../src/delivery/fhir/fhir-queue.js';
import { RedisKeys } from '../../src/redis/keys.js';
import { fullEncounter } from '../support/fhir-fixtures.js';
import { TEST_REDIS_URL } from '../support/redis.js';
import { startTestService, type TestService } from '../support/service.js';

jest.setTimeout(120_000);

const REGISTRY_EMAIL = { system: 'email', value: 'registry-contact@example.cm' } as const;
const REGISTRY_IDENTIFIER = { system: 'https://cr.example.cm/mpi', value: 'MPI-IFMATCH-1' } as const;

/** A FHIR stand-in where a client registry updates the Patient just after the next Patient search is answered. */
class RegistryWritingStandIn extends FhirStandIn {
  private armed = false;
  /** Statuses of the transactions answered, in order. */
  readonly transactionStatuses: number[] = [];

  armRegistryWrite(): void {
    this.armed = true;
  }

  override async handle(request: FhirStandInRequest): Promise<FhirStandInResponse> {
    const answer = await super.handle(request);
    if (request.method === 'POST' && request.path === '/') this.transactionStatuses.push(answer.status);
    if (this.armed && request.method === 'GET' && request.path === '/Patient') {
      this.armed = false;
      const [patient] = await this.all<Patient>('Patient');
      if (patient) {
        await this.repository.updateResource<Patient>({
          ...patient,
          identifier: [...(patient.identifier ?? []), REGISTRY_IDENTIFIER],
          telecom: [...(patient.telecom ?? []), REGISTRY_EMAIL],
        });
      }
    }
    return answer;
  }
}

const standIn = new RegistryWritingStandIn();
let fhir: FhirStandInServer;
let api: TestService;
let redis: Redis;
let fhirQueue: Queue;

beforeAll(async () => {
  fhir = await startFhirStandInServer({ standIn });
  api = await startTestService('fhir-if-match', { FHIR_URL: fhir.baseUrl, FHIR_TIMEOUT_SECONDS: '5' });
  redis = new Redis(TEST_REDIS_URL);
  fhirQueue = new Queue(FHIR_QUEUE, { connection: redis, prefix: new RedisKeys(api.prefix).bullPrefix() });
});
afterAll(async () => {
  await fhirQueue.close();
  redis.disconnect();
  await api.stop();
  await fhir.close();
});

type FhirState = { state: string; version: number; reason?: string };
const fhirStateOf = async (e: Encounter): Promise<FhirState | undefined> =>
  ((await (await api.get(`/api/v1/encounters/${e.source}/${e.id}`)).json()) as { targets?: { fhir?: FhirState } }).targets?.fhir;

async function delivered(encounter: Encounter): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const state = await fhirStateOf(encounter);
    if (state?.state === 'delivered') return;
    if (state?.state === 'failed' || Date.now() > deadline) throw new Error(`${encounter.id} not delivered: ${JSON.stringify(state)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

test("a Patient changed on the server between the job's read and its If-Match update: 412, read and merge again, and both writers' values are kept", async () => {
  const first = fullEncounter({ id: 'fhir-if-match-1' });
  expect((await api.post(first)).status).toBe(202);
  await delivered(first);
  const [created] = (await standIn.all<Patient>('Patient')) as [Patient];
  expect(created.telecom).toEqual([{ system: 'phone', use: 'mobile', value: '+237 670 11 22 33' }]);

  // A later visit with a new mobile number: this source's phone is replaced, so the Patient is updated with
  // If-Match, and the registry writes in between.
  const later = fullEncounter({ id: 'fhir-if-match-2', occurredAt: '2026-06-20T09:00:00+01:00', recordedAt: '2026-06-20T09:00:00+01:00', patient: { ...first.patient, phone: '+237 690 99 88 77' } });
  const transactionsBefore = standIn.transactionStatuses.length;
  standIn.armRegistryWrite();
  expect((await api.post(later)).status).toBe(202);
  await delivered(later);

  // The first PUT was refused as stale; the retry, after reading the registry's version, was taken.
  expect(standIn.transactionStatuses.slice(transactionsBefore)).toEqual([412, 200]);
  const job = await fhirQueue.getJob(fhirJobId({ source: later.source, id: later.id, version: 1 }));
  expect(job?.attemptsMade).toBe(2);

  // One Patient, holding the registry's identifier and email beside this source's new phone: no lost update.
  const patients = await standIn.all<Patient>('Patient');
  expect(patients).toHaveLength(1);
  const [patient] = patients as [Patient];
  expect(patient.id).toBe(created.id);
  expect(patient.identifier).toContainEqual(REGISTRY_IDENTIFIER);
  expect(patient.identifier?.map((i) => i.system)).toEqual(expect.arrayContaining(['https://smc-bridge.org/fhir/sid/patient/smc-platform/smc-patient', 'https://id.example.cm/cni']));
  expect(patient.telecom).toEqual(expect.arrayContaining([REGISTRY_EMAIL, { system: 'phone', use: 'mobile', value: '+237 690 99 88 77' }]));
  expect(patient.telecom?.filter((t) => t.system === 'phone')).toHaveLength(1);
  expect(patient.meta?.versionId).not.toBe(created.meta?.versionId);
});
