// FHIR delivery end to end: encounters posted to the API reach the FHIR stand-in (Medplum FhirRouter over
// HTTP, reached through the FhirClient as a HAPI server would be). Resends and replays change nothing, a
// new version updates in place, a flaky server still ends with every encounter once, and a bundle the
// server refuses for good lands in the dead-letter list without holding anything else up.
import { jest } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import type { Condition, Coverage, Encounter as FhirEncounter, Observation, Patient } from '@medplum/fhirtypes';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Encounter } from '@smc-bridge/contract';
import { FHIR_QUEUE, fhirJobId } from '../../src/delivery/fhir/fhir-queue.js';
import { startFhirStandInServer, type FhirStandInServer } from '@smc-bridge/stand-ins';
import { encounterToBundle } from '../../src/fhir/encounter-bundle.js';
import { loadTerminology } from '../../src/fhir/terminology.js';
import { RedisKeys } from '../../src/redis/keys.js';
import { generateEncounters } from '@smc-bridge/generator';
import { fullEncounter } from '../support/fhir-fixtures.js';
import { TEST_REDIS_URL } from '../support/redis.js';
import { startTestService, type TestService } from '../support/service.js';

jest.setTimeout(180_000);

const MAPPINGS = fileURLToPath(new URL('../../../mappings', import.meta.url));
let fhir: FhirStandInServer;
let api: TestService;
let redis: Redis;
let fhirQueue: Queue;

beforeAll(async () => {
  fhir = await startFhirStandInServer();
  api = await startTestService('fhir-e2e', { FHIR_URL: fhir.baseUrl, FHIR_TIMEOUT_SECONDS: '5' });
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

async function until(done: () => Promise<boolean>, what: string, timeoutMs = 120_000, explain?: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${explain ? `: ${await explain()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** How many resources of each type the server holds. */
async function countsByType(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const type of ['Patient', 'Organization', 'Practitioner', 'Encounter', 'Observation', 'Condition', 'Immunization', 'MedicationAdministration', 'MedicationRequest', 'ServiceRequest', 'Coverage'] as const) {
    const resources = await fhir.standIn.all(type);
    if (resources.length > 0) counts[type] = resources.length;
  }
  return counts;
}

test('the same encounter posted three times and its job replayed leaves one of each resource; a new version updates them in place', async () => {
  fhir.standIn.clear();
  const encounter = fullEncounter({ id: 'fhir-e2e-once' });
  const answers = [];
  for (let i = 0; i < 3; i++) answers.push(((await (await api.post(encounter)).json()) as { results: { status: string }[] }).results[0]?.status);
  expect(answers).toEqual(['accepted', 'duplicate', 'duplicate']);
  await until(async () => (await fhirStateOf(encounter))?.state === 'delivered', 'the first delivery');

  // Replaying the finished job sends the same bundle again.
  const jobId = fhirJobId({ source: encounter.source, id: encounter.id, version: 1 });
  const job = await fhirQueue.getJob(jobId);
  expect(await job?.getState()).toBe('completed');
  const firstFinish = job!.finishedOn as number;
  await job!.retry('completed');
  await until(async () => {
    const again = await fhirQueue.getJob(jobId);
    return (await again?.getState()) === 'completed' && (again?.finishedOn ?? 0) > firstFinish;
  }, 'the replay');

  // Exactly what one bundle describes, once: one Patient, one Encounter, one of each Observation…
  const expected: Record<string, number> = {};
  const built = encounterToBundle(encounter, loadTerminology(MAPPINGS));
  for (const entry of built.bundle?.entry ?? []) expected[entry.resource!.resourceType] = (expected[entry.resource!.resourceType] ?? 0) + 1;
  expect(expected['Patient']).toBe(1);
  expect(expected['Observation']).toBeGreaterThan(3);
  expect(await countsByType()).toEqual(expected);
  const [patientBefore] = await fhir.standIn.all<Patient>('Patient');
  const [encounterBefore] = await fhir.standIn.all<FhirEncounter>('Encounter');

  // Version 2 corrects the weight: the same resources, updated.
  const corrected = { ...encounter, version: 2, vitals: { ...encounter.vitals, weightKg: 61.5 } } as Encounter;
  expect(((await (await api.post(corrected)).json()) as { results: { status: string }[] }).results[0]?.status).toBe('accepted');
  await until(async () => (await fhirStateOf(encounter))?.version === 2 && (await fhirStateOf(encounter))?.state === 'delivered', 'version 2');
  expect(await countsByType()).toEqual(expected);
  expect((await fhir.standIn.all<Patient>('Patient'))[0]?.id).toBe(patientBefore?.id);
  expect((await fhir.standIn.all<FhirEncounter>('Encounter'))[0]?.id).toBe(encounterBefore?.id);
  const weights = (await fhir.standIn.all<Observation>('Observation')).filter((o) => o.code?.coding?.some((c) => c.code === '29463-7'));
  expect(weights.map((o) => o.valueQuantity?.value)).toEqual([61.5]);

  // Version 3 drops the first diagnosis: its Condition is marked entered-in-error (never deleted), and the
  // other one's Condition, identified by its code, stays exactly as it was.
  expect(encounter.diagnoses?.length).toBe(2);
  const conditionsBefore = await fhir.standIn.all<Condition>('Condition');
  const kept = conditionsBefore.find((c) => c.code?.coding?.[0]?.code === encounter.diagnoses![1]!.code) as Condition;
  const fewer = { ...corrected, version: 3, diagnoses: encounter.diagnoses!.slice(1) } as Encounter;
  expect(((await (await api.post(fewer)).json()) as { results: { status: string }[] }).results[0]?.status).toBe('accepted');
  await until(async () => (await fhirStateOf(encounter))?.version === 3 && (await fhirStateOf(encounter))?.state === 'delivered', 'version 3');
  expect(await countsByType()).toEqual(expected);
  const conditionsAfter = await fhir.standIn.all<Condition>('Condition');
  const status = (c: Condition | undefined) => c?.verificationStatus?.coding?.[0]?.code;
  const dropped = conditionsAfter.find((c) => c.code?.coding?.[0]?.code === encounter.diagnoses![0]!.code);
  expect([dropped?.code?.coding?.[0]?.code, status(dropped), dropped?.clinicalStatus]).toEqual(['Z34.9', 'entered-in-error', undefined]);
  const stillThere = conditionsAfter.find((c) => c.id === kept.id) as Condition;
  expect([stillThere.code, stillThere.verificationStatus, stillThere.identifier]).toEqual([kept.code, kept.verificationStatus, kept.identifier]);
  expect(status(stillThere)).toBe('confirmed');
});

test("a Patient a client registry holds under the national identifier is found, not duplicated, and keeps the identifiers, telecom and address this source never sent", async () => {
  fhir.standIn.clear();
  // The registry's record: the national identifier, an email, a second phone, a postal address.
  const registry = await fetch(`${fhir.baseUrl}/Patient`, {
    method: 'POST',
    headers: { 'content-type': 'application/fhir+json' },
    body: JSON.stringify({
      resourceType: 'Patient',
      identifier: [{ system: 'https://id.example.cm/cni', value: '7654321' }, { system: 'https://cr.example.cm/mpi', value: 'MPI-77' }],
      name: [{ use: 'official', family: 'NGO BASSA', given: ['Mireille'] }],
      telecom: [{ system: 'email', value: 'm.ngo@example.cm' }, { system: 'phone', use: 'home', value: '+237 222 00 11 22' }],
      address: [{ use: 'work', city: 'Bafoussam' }],
      gender: 'female',
      birthDate: '2000-03-15',
    }),
  });
  expect(registry.status).toBe(201);
  // A patient of its own (the delivery keeps per-patient state across this file's tests).
  const base = fullEncounter();
  const encounter = fullEncounter({ id: 'fhir-e2e-registry', patient: { ...base.patient, identifiers: [{ system: 'smc-patient', value: 'CM_LT_EDE_CSI001-000077' }, { system: 'https://id.example.cm/cni', value: '7654321' }], coverage: undefined } });
  expect((await api.post(encounter)).status).toBe(202);
  await until(async () => (await fhirStateOf(encounter))?.state === 'delivered', 'the delivery');
  const patients = await fhir.standIn.all<Patient>('Patient');
  expect(patients).toHaveLength(1);
  const [patient] = patients as [Patient];
  // Ours added beside theirs; theirs untouched.
  expect(patient.identifier?.map((i) => i.system).sort()).toEqual(['https://cr.example.cm/mpi', 'https://id.example.cm/cni', 'https://smc-bridge.org/fhir/sid/patient/smc-platform/smc-patient'].sort());
  expect(patient.telecom).toEqual(expect.arrayContaining([{ system: 'email', value: 'm.ngo@example.cm' }, { system: 'phone', use: 'home', value: '+237 222 00 11 22' }, { system: 'phone', use: 'mobile', value: '+237 670 11 22 33' }]));
  expect(patient.address).toEqual(expect.arrayContaining([{ use: 'work', city: 'Bafoussam' }, { use: 'home', city: 'Dschang' }]));
  // A name and birth date the registry set are the registry's: this source does not overwrite them.
  expect(patient.name).toEqual([{ use: 'official', family: 'NGO BASSA', given: ['Mireille'] }]);
  expect(patient.birthDate).toBe('2000-03-15');
  // Every record of the encounter points at that one Patient.
  const [held] = await fhir.standIn.all<FhirEncounter>('Encounter');
  expect(held?.subject?.reference).toBe(`Patient/${patient.id}`);

  // A later visit with a new mobile number changes the number this source put there, and only that.
  const later = fullEncounter({ id: 'fhir-e2e-registry-2', occurredAt: '2026-06-20T09:00:00+01:00', recordedAt: '2026-06-20T09:00:00+01:00', patient: { ...encounter.patient, phone: '+237 690 99 88 77' } });
  expect((await api.post(later)).status).toBe(202);
  await until(async () => (await fhirStateOf(later))?.state === 'delivered', 'the later delivery');
  const [after] = (await fhir.standIn.all<Patient>('Patient')) as [Patient];
  expect(after.telecom?.filter((t) => t.system === 'phone').map((t) => [t.use, t.value]).sort()).toEqual([['home', '+237 222 00 11 22'], ['mobile', '+237 690 99 88 77']]);
  expect(after.telecom).toContainEqual({ system: 'email', value: 'm.ngo@example.cm' });
  expect(after.identifier).toHaveLength(3);
});

test("the Patient carries the demographics of the patient's most recent encounter, whatever order they arrive in", async () => {
  fhir.standIn.clear();
  const base = fullEncounter({ id: 'fhir-e2e-demo-may' });
  const withPhone = (id: string, occurredAt: string, phone: string): Encounter =>
    ({ ...base, id, occurredAt, recordedAt: occurredAt, patient: { ...base.patient, phone } }) as Encounter;
  const phones = async () => (await fhir.standIn.all<Patient>('Patient')).map((p) => p.telecom?.[0]?.value);
  const deliver = async (encounter: Encounter) => {
    expect((await api.post(encounter)).status).toBe(202);
    await until(async () => (await fhirStateOf(encounter))?.version === encounter.version && (await fhirStateOf(encounter))?.state === 'delivered', encounter.id);
  };

  await deliver(withPhone('fhir-e2e-demo-may', '2026-05-27T09:15:00+01:00', '+237 670 00 00 01'));
  expect(await phones()).toEqual(['+237 670 00 00 01']);
  // A later visit with a new phone number updates the Patient …
  await deliver(withPhone('fhir-e2e-demo-june', '2026-06-10T10:00:00+01:00', '+237 670 00 00 02'));
  expect(await phones()).toEqual(['+237 670 00 00 02']);
  // … an older visit arriving late (an offline device) does not undo it …
  await deliver(withPhone('fhir-e2e-demo-april', '2026-04-02T08:30:00+01:00', '+237 670 00 00 03'));
  expect(await phones()).toEqual(['+237 670 00 00 02']);
  // … and a correction of the latest visit does.
  await deliver({ ...withPhone('fhir-e2e-demo-june', '2026-06-10T10:00:00+01:00', '+237 670 00 00 04'), version: 2 } as Encounter);
  expect(await phones()).toEqual(['+237 670 00 00 04']);
  expect(await fhir.standIn.all<FhirEncounter>('Encounter')).toHaveLength(3);
});

test('a Coverage shared by two encounters survives one dropping it or being withdrawn, and is marked entered-in-error (never deleted) when the last one goes', async () => {
  fhir.standIn.clear();
  // A membership of its own: other tests' encounters of the same patient assert theirs.
  const base = fullEncounter();
  const patient = { ...base.patient, coverage: { scheme: 'MUTUELLE-DSC', memberId: 'M-COV-TEST-1' } };
  const first = fullEncounter({ id: 'fhir-e2e-cov-1', patient });
  const second = fullEncounter({ id: 'fhir-e2e-cov-2', patient, occurredAt: '2026-06-03T09:15:00+01:00', recordedAt: '2026-06-03T09:15:00+01:00' });
  const deliver = async (encounter: Encounter) => {
    expect((await api.post(encounter)).status).toBe(202);
    await until(async () => (await fhirStateOf(encounter))?.version === encounter.version && (await fhirStateOf(encounter))?.state === 'delivered', `${encounter.id} v${encounter.version}`);
  };
  const coverages = async () => (await fhir.standIn.all<Coverage>('Coverage')).filter((c) => c.subscriberId === 'M-COV-TEST-1').map((c) => c.status);
  await deliver(first);
  await deliver(second);
  expect(await coverages()).toEqual(['active']);

  // The first encounter's correction no longer carries the membership: the other one still asserts it.
  const { coverage: _dropped, ...withoutCoverage } = first.patient;
  await deliver({ ...first, version: 2, patient: withoutCoverage } as Encounter);
  expect(await coverages()).toEqual(['active']);
  // The second is entered in error: no live encounter asserts the membership any more.
  await deliver({ ...second, version: 2, status: 'entered-in-error' });
  expect(await coverages()).toEqual(['entered-in-error']);
});

test('a FHIR server failing 30 % of requests (5xx, resets, timeouts) still ends with every encounter delivered once', async () => {
  fhir.standIn.clear();
  const encounters = generateEncounters({ seed: 21, facilityCount: 3, encounterCount: 40, endDate: '2026-10-31', days: 30, updateRate: 0 }).filter((e) => e.training !== true);
  fhir.standIn.faults.setRandom({
    seed: 7,
    probability: 0.3,
    faults: [{ kind: 'status', status: 503 }, { kind: 'status', status: 502, applied: true }, { kind: 'reset' }, { kind: 'reset', applied: true }, { kind: 'hang' }, { kind: 'hang', applied: true }],
    // The transactions (a job also reads the Patient and any record it withdraws first; a failed read is
    // retried the same way, and faulting every request would only stretch the backoff past the timeout).
    match: { method: 'POST' },
  });
  const response = await api.post({ encounters });
  expect(response.status).toBe(202);
  await until(async () => (await Promise.all(encounters.map(fhirStateOf))).every((state) => state?.state === 'delivered'), 'every encounter delivered', 120_000, async () =>
    JSON.stringify([await fhirQueue.getJobCounts(), (await Promise.all(encounters.map(fhirStateOf))).filter((state) => state?.state !== 'delivered').slice(0, 3)]),
  );
  const injected = fhir.standIn.faults.injected.length;
  fhir.standIn.faults.clear();

  expect(injected).toBeGreaterThan(5);
  // Once each: one FHIR Encounter per encounter, and no Patient twice for the same register identifier.
  const held = await fhir.standIn.all<FhirEncounter>('Encounter');
  const identifiers = held.map((e) => e.identifier?.map((i) => `${i.system}|${i.value}`).join(',') ?? '');
  expect(new Set(identifiers).size).toBe(held.length);
  expect(held).toHaveLength(encounters.length);
  const patients = await fhir.standIn.all<Patient>('Patient');
  const registerIds = patients.map((p) => `${p.identifier?.[0]?.system}|${p.identifier?.[0]?.value}`);
  expect(new Set(registerIds).size).toBe(patients.length);
  expect(patients).toHaveLength(new Set(encounters.map((e) => `${e.patient.identifiers[0]?.system}|${e.patient.identifiers[0]?.value}`)).size);
});

test('a bundle refused with 412 ends in the dead-letter list with the server message; the others are delivered', async () => {
  fhir.standIn.clear();
  const refused = fullEncounter({ id: 'fhir-e2e-412' });
  const others = [1, 2, 3].map((n) => fullEncounter({ id: `fhir-e2e-ok-${n}` }));
  fhir.standIn.faults.enqueue({ kind: 'preconditionFailed', diagnostics: 'Failed to CREATE resource with match URL because this search matched 2 resources' }, { match: { body: /fhir-e2e-412/ } });
  expect((await api.post({ encounters: [refused, ...others] })).status).toBe(202);

  await until(async () => (await fhirStateOf(refused))?.state === 'failed', 'the refusal');
  await until(async () => (await Promise.all(others.map(fhirStateOf))).every((state) => state?.state === 'delivered'), 'the others');
  expect((await fhirStateOf(refused))?.reason).toBe('the FHIR server refused the bundle: HTTP 412: Failed to CREATE resource with match URL because this search matched 2 resources');

  // Posted with others, it was uploaded by a job of several, which handed the refusal back as a job of its own.
  const letters = (await (await api.get('/api/v1/dead-letters', api.operatorKey)).json()) as { deadLetters: { queue: string; jobId: string; reason: string; attempts: number; data: { ref?: { id: string } } }[] };
  const letter = letters.deadLetters.find((l) => l.data.ref?.id === refused.id);
  expect(letter?.jobId.startsWith(`${fhirJobId({ source: refused.source, id: refused.id, version: 1 })}~fhirs~`)).toBe(true);
  expect(letters.deadLetters.filter((l) => l.data.ref?.id === refused.id)).toHaveLength(1);
  expect(letter).toMatchObject({ queue: FHIR_QUEUE, attempts: 1 });
  expect(letter?.reason).toContain('matched 2 resources');
  // Patient data stays out of the logs even when the server's message is kept.
  expect(api.logs.join('')).not.toMatch(/Mireille|Ngo Bassa|000042/);

  // Once the duplicates are cleaned up on the server, the replay delivers it.
  const replay = await fetch(`${api.url}/api/v1/dead-letters/replay`, { method: 'POST', headers: { authorization: `Bearer ${api.operatorKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ all: true }) });
  expect((await replay.json()) as { replayed: number }).toMatchObject({ replayed: 1 });
  await until(async () => (await fhirStateOf(refused))?.state === 'delivered', 'the replayed delivery');
});

test('while the FHIR server hangs, the fhir status says "retrying" from the first timeout on, with attempt, reason and next attempt', async () => {
  const encounter = fullEncounter({ id: 'fhir-e2e-hang' });
  fhir.standIn.faults.enqueue({ kind: 'hang' }, { match: { body: /fhir-e2e-hang/ }, times: 2 });
  expect((await api.post(encounter)).status).toBe(202);
  let seen: FhirState & { attempt?: number; nextAttemptAt?: string } = { state: 'accepted', version: 1 };
  await until(async () => {
    seen = ((await fhirStateOf(encounter)) ?? seen) as typeof seen;
    return seen.state === 'retrying';
  }, 'the retrying state', 30_000);
  expect(seen).toMatchObject({ state: 'retrying', attempt: 1, reason: expect.stringMatching(/no answer in time/), nextAttemptAt: expect.any(String) });
  await until(async () => (await fhirStateOf(encounter))?.state === 'delivered', 'the delivery after the hangs', 60_000);
});
