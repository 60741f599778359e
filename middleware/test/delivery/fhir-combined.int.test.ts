// Uploads of different patients share round trips (delivery/fhir/combined-requests.ts) end to end: a worker
// running 16 uploads at once sends far fewer transactions than encounters, every encounter ends on the
// stand-in once with its records pointing at its own Patient, and a patient whose upload the server refuses
// (412, as for criteria matching several Patients) costs nobody else: that one is a dead letter, the others
// are delivered.
import { jest } from '@jest/globals';
import type { Encounter as FhirEncounter, Patient } from '@medplum/fhirtypes';
import type { Encounter } from '@smc-bridge/contract';
import { generateEncounters } from '@smc-bridge/generator';
import { FhirStandIn, startFhirStandInServer, type FhirStandInRequest, type FhirStandInResponse, type FhirStandInServer } from '@smc-bridge/stand-ins';
import { fullEncounter } from '../support/fhir-fixtures.js';
import { startTestService, type TestService } from '../support/service.js';

jest.setTimeout(180_000);

class CountingStandIn extends FhirStandIn {
  readonly bundles: { type: string; entries: number }[] = [];

  override handle(request: FhirStandInRequest): Promise<FhirStandInResponse> {
    if (request.method === 'POST' && request.path === '/' && request.body) {
      const bundle = JSON.parse(request.body) as { type: string; entry?: unknown[] };
      this.bundles.push({ type: bundle.type, entries: bundle.entry?.length ?? 0 });
    }
    return super.handle(request);
  }
}

const standIn = new CountingStandIn();
let fhir: FhirStandInServer;
let api: TestService;

beforeAll(async () => {
  fhir = await startFhirStandInServer({ standIn });
  api = await startTestService('fhir-combined', { FHIR_URL: fhir.baseUrl, FHIR_TIMEOUT_SECONDS: '10', FHIR_CONCURRENCY: '16' });
});
afterAll(async () => {
  await api.stop();
  await fhir.close();
});

type FhirState = { state: string; version: number; reason?: string };
const fhirStateOf = async (e: Encounter): Promise<FhirState | undefined> =>
  ((await (await api.get(`/api/v1/encounters/${e.source}/${e.id}`)).json()) as { targets?: { fhir?: FhirState } }).targets?.fhir;

async function settled(encounters: Encounter[]): Promise<FhirState[]> {
  const deadline = Date.now() + 150_000;
  for (;;) {
    // One status request at a time: 61 at once over a loaded machine sometimes meet a connection being closed.
    const states: FhirState[] = [];
    for (const encounter of encounters) states.push((await fhirStateOf(encounter)) as FhirState);
    if (states.every((state) => state?.state === 'delivered' || state?.state === 'failed')) return states;
    if (Date.now() > deadline) throw new Error(`not settled: ${JSON.stringify(states.filter((s) => s?.state !== 'delivered').slice(0, 3))}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

test('60 encounters of different patients travel in fewer transactions, each delivered once and linked to its own Patient; a refused patient costs nobody else', async () => {
  const generated = generateEncounters({ seed: 31, facilityCount: 4, encounterCount: 200, endDate: '2026-10-31', days: 60, updateRate: 0, enteredInErrorRate: 0 }).filter((e) => e.training !== true);
  // One encounter per patient, so that every upload may share a transaction with any other.
  const byPatient = new Map<string, Encounter>();
  for (const encounter of generated) byPatient.set(`${encounter.patient.identifiers[0]?.system}|${encounter.patient.identifiers[0]?.value}`, encounter);
  const encounters = [...byPatient.values()].slice(0, 60);
  expect(encounters).toHaveLength(60);
  // Refused whenever its upload is sent, combined or alone (as a server refuses criteria matching two Patients).
  const refused = fullEncounter({ id: 'fhir-combined-refused' });
  fhir.standIn.faults.enqueue({ kind: 'preconditionFailed', diagnostics: 'Failed to CREATE resource with match URL because this search matched 2 resources' }, { match: { method: 'POST', body: /fhir-combined-refused/ }, times: 10 });

  expect((await api.post({ encounters: [...encounters, refused] })).status).toBe(202);
  const states = await settled([...encounters, refused]);
  expect(states.slice(0, -1).every((state) => state.state === 'delivered')).toBe(true);
  expect(states.at(-1)).toMatchObject({ state: 'failed', reason: expect.stringContaining('matched 2 resources') });

  // Fewer transactions than uploads: several encounters travel together.
  const transactions = standIn.bundles.filter((bundle) => bundle.type === 'transaction');
  expect(transactions.length).toBeLessThan(encounters.length);
  expect(Math.max(...transactions.map((bundle) => bundle.entries))).toBeGreaterThan(20);
  expect(standIn.bundles.some((bundle) => bundle.type === 'batch')).toBe(true);

  // Each encounter once, its subject the Patient carrying its own register identifier.
  const held = await fhir.standIn.all<FhirEncounter>('Encounter');
  expect(held).toHaveLength(encounters.length);
  const patients = new Map((await fhir.standIn.all<Patient>('Patient')).map((patient) => [`Patient/${patient.id}`, patient]));
  for (const encounter of encounters) {
    const record = held.find((e) => e.identifier?.some((identifier) => identifier.value?.startsWith(`${encounter.source}/${encounter.id}/`)));
    const subject = patients.get(record?.subject?.reference ?? '');
    expect(subject?.identifier?.map((identifier) => identifier.value)).toContain(encounter.patient.identifiers[0]?.value);
  }
  expect(patients.size).toBe(encounters.length);
});
