// Transactions from encounterToBundle through the FhirClient (node:http, keep-alive) against the FHIR
// stand-in (Medplum FhirRouter + MemoryRepository over HTTP): resends change nothing, a new version updates
// in place, entered-in-error is reflected, and injected faults reach the client as retryable or not.
// Also pins down how the Medplum router treats conditional requests, where it differs from HAPI.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import type { Bundle, Condition, Encounter as FhirEncounter, Observation, Patient } from '@medplum/fhirtypes';
import type { Encounter } from '@smc-bridge/contract';
import { encounterToBundle } from '../../src/fhir/encounter-bundle.js';
import { FhirClient, FhirRequestError } from '../../src/fhir/fhir-client.js';
import { loadTerminology, type Terminology } from '../../src/fhir/terminology.js';
import { startFhirStandInServer, type FhirStandInServer } from '@smc-bridge/stand-ins';
import { fullEncounter } from '../support/fhir-fixtures.js';

const MAPPINGS = fileURLToPath(new URL('../../../mappings', import.meta.url));
let terminology: Terminology;
let server: FhirStandInServer;
let client: FhirClient;

beforeAll(async () => {
  terminology = loadTerminology(MAPPINGS);
  server = await startFhirStandInServer();
  client = new FhirClient({ baseUrl: server.baseUrl, timeoutMs: 5_000 });
});
afterAll(async () => server.close());
beforeEach(() => {
  server.standIn.clear();
  server.standIn.faults.clear();
});

function bundleOf(encounter: Encounter): Bundle {
  const result = encounterToBundle(encounter, terminology);
  if (result.bundle === null) throw new Error(result.reason);
  return result.bundle;
}

async function counts(): Promise<Record<string, number>> {
  const types = ['Patient', 'Organization', 'Practitioner', 'Encounter', 'Observation', 'Condition', 'Immunization', 'MedicationAdministration', 'MedicationRequest', 'ServiceRequest', 'Coverage'] as const;
  const result: Record<string, number> = {};
  for (const type of types) result[type] = (await client.search(type, { _count: 1000 })).entry?.length ?? 0;
  return result;
}

const statuses = (response: Bundle) => (response.entry ?? []).map((entry) => entry.response?.status?.slice(0, 3));

describe('transactions through the FhirClient', () => {
  it('posting the same Bundle three times leaves one of each resource', async () => {
    const bundle = bundleOf(fullEncounter());
    const first = await client.transaction(bundle);
    expect(first.type).toBe('transaction-response');
    expect(new Set(statuses(first))).toEqual(new Set(['201']));
    const afterFirst = await counts();
    expect(afterFirst).toEqual({
      Patient: 1, Organization: 1, Practitioner: 1, Encounter: 1, Observation: 11, Condition: 2, Immunization: 2,
      MedicationAdministration: 0, MedicationRequest: 3, ServiceRequest: 1, Coverage: 1,
    });
    for (let resend = 0; resend < 2; resend++) {
      const again = await client.transaction(bundle);
      expect(new Set(statuses(again))).toEqual(new Set(['200']));
      expect(again.entry?.map((entry) => entry.response?.location?.split('/').slice(0, 2).join('/'))).toEqual(
        first.entry?.map((entry) => entry.response?.location?.split('/').slice(0, 2).join('/')),
      );
    }
    expect(await counts()).toEqual(afterFirst);
  });

  it('rewrites urn:uuid references to the stored resources', async () => {
    await client.transaction(bundleOf(fullEncounter()));
    const [encounter] = await client.searchResources<FhirEncounter>('Encounter', { identifier: `${terminology.identifierSystems.record}|smc-platform/enc-fhir-1/encounter` });
    const [patient] = await client.searchResources<Patient>('Patient', {});
    expect(encounter?.subject?.reference).toBe(`Patient/${patient?.id}`);
    const observations = await client.searchResources<Observation>('Observation', { subject: `Patient/${patient?.id}`, _count: 100 });
    expect(observations).toHaveLength(11);
    expect(observations.every((observation) => observation.encounter?.reference === `Encounter/${encounter?.id}`)).toBe(true);
  });

  it('a new version updates the same resources in place', async () => {
    await client.transaction(bundleOf(fullEncounter()));
    const weightOf = async () => {
      const [weight] = await client.searchResources<Observation>('Observation', { code: 'http://loinc.org|29463-7' });
      return weight;
    };
    const before = await weightOf();
    const beforeCounts = await counts();
    // (Conditions are identified by their code: the same codes, with corrected text, update in place.)
    const encounter = fullEncounter({ version: 2, vitals: { ...fullEncounter().vitals, weightKg: 63 }, diagnoses: [{ code: 'Z34.9' }, { code: 'B50.9', text: 'corrected' }] });
    const response = await client.transaction(bundleOf(encounter));
    expect(statuses(response).filter((status) => status === '201')).toEqual([]);
    const after = await weightOf();
    expect(after?.id).toBe(before?.id);
    expect([before?.valueQuantity?.value, after?.valueQuantity?.value]).toEqual([61.5, 63]);
    expect(Number(after?.meta?.versionId !== before?.meta?.versionId)).toBe(1);
    const codes = (await client.searchResources<Condition>('Condition', {})).map((condition) => condition.code?.coding?.[0]?.code).sort();
    expect(codes).toEqual(['B50.9', 'Z34.9']);
    expect(await counts()).toEqual(beforeCounts);
  });

  it('an entered-in-error version marks the records, not the patient', async () => {
    await client.transaction(bundleOf(fullEncounter()));
    await client.transaction(bundleOf(fullEncounter({ version: 2, status: 'entered-in-error' })));
    const [encounter] = await client.searchResources<FhirEncounter>('Encounter', {});
    expect(encounter?.status).toBe('entered-in-error');
    const observations = await client.searchResources<Observation>('Observation', { _count: 100 });
    expect(new Set(observations.map((observation) => observation.status))).toEqual(new Set(['entered-in-error']));
    const conditions = await client.searchResources<Condition>('Condition', {});
    expect(conditions.map((condition) => condition.verificationStatus?.coding?.[0]?.code)).toEqual(['entered-in-error', 'entered-in-error']);
    for (const type of ['Immunization', 'MedicationRequest', 'ServiceRequest'] as const) {
      const resources = await client.searchResources(type, {});
      expect([type, new Set(resources.map((resource) => (resource as { status?: string }).status))]).toEqual([type, new Set(['entered-in-error'])]);
    }
    const [patient] = await client.searchResources<Patient>('Patient', {});
    expect(patient?.active).toBe(true);
    expect((await counts())['Observation']).toBe(11);
  });
});

describe('what the stand-in refuses, like a real server', () => {
  it('refuses an invalid resource with 400 and an OperationOutcome, and stores nothing of the transaction', async () => {
    const bundle = bundleOf(fullEncounter());
    const encounterEntry = bundle.entry?.find((entry) => entry.resource?.resourceType === 'Encounter');
    (encounterEntry?.resource as { status: string }).status = 'done';
    const error = await client.transaction(bundle).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FhirRequestError);
    expect(error).toMatchObject({ status: 400, retryable: false, kind: 'http' });
    expect((error as FhirRequestError).outcome?.issue?.[0]?.expression).toEqual(['Encounter.status']);
    expect((await counts())['Patient']).toBe(0);
  });

  it('refuses a conditional request whose body lacks the identifier its criteria name', async () => {
    const bundle = bundleOf(fullEncounter());
    const observation = bundle.entry?.find((entry) => entry.resource?.resourceType === 'Observation')?.resource as Observation;
    observation.identifier = [{ system: 'https://elsewhere.example/sid', value: 'x' }];
    await expect(client.transaction(bundle)).rejects.toMatchObject({ status: 400, retryable: false });
  });
});

describe('injected faults reach the client', () => {
  it('a given request answers 412 with an OperationOutcome, and that is not retryable', async () => {
    server.standIn.faults.enqueue({ kind: 'preconditionFailed' }, { match: { method: 'POST', path: '/', body: /enc-fhir-2\/encounter/ } });
    await client.transaction(bundleOf(fullEncounter()));
    const error = (await client.transaction(bundleOf(fullEncounter({ id: 'enc-fhir-2' }))).catch((caught: unknown) => caught)) as FhirRequestError;
    expect(error).toMatchObject({ status: 412, retryable: false });
    expect(error.outcome?.issue?.[0]?.code).toBe('multiple-matches');
    expect(server.standIn.faults.injected).toHaveLength(1);
    expect((await counts())['Encounter']).toBe(1);
  });

  it('5xx, a reset connection and a hang are retryable; a 503 after the effect leaves it applied', async () => {
    const bundle = bundleOf(fullEncounter());
    server.standIn.faults.enqueue({ kind: 'status', status: 503, applied: true });
    server.standIn.faults.enqueue({ kind: 'reset' });
    await expect(client.transaction(bundle)).rejects.toMatchObject({ kind: 'http', status: 503, retryable: true });
    await expect(client.transaction(bundle)).rejects.toMatchObject({ kind: 'network', retryable: true });
    expect((await counts())['Encounter']).toBe(1);
    const impatient = new FhirClient({ baseUrl: server.baseUrl, timeoutMs: 200 });
    server.standIn.faults.enqueue({ kind: 'hang' });
    await expect(impatient.transaction(bundle)).rejects.toMatchObject({ kind: 'timeout', retryable: true });
    const retried = await client.transaction(bundle);
    expect(new Set(statuses(retried))).toEqual(new Set(['200']));
  });

  it('random faults follow their seed and rate', async () => {
    server.standIn.faults.setRandom({ seed: 7, probability: 0.5, faults: [{ kind: 'status', status: 502 }], match: { path: '/' } });
    const bundle = bundleOf(fullEncounter());
    const injectedBefore = server.standIn.faults.injected.length;
    const outcomes: string[] = [];
    for (let attempt = 0; attempt < 20; attempt++) {
      outcomes.push(await client.transaction(bundle).then(() => 'ok', (error: FhirRequestError) => String(error.status)));
    }
    const injected = server.standIn.faults.injected.length - injectedBefore;
    expect(outcomes.filter((outcome) => outcome === '502').length).toBe(injected);
    expect(injected).toBeGreaterThan(3);
    expect(injected).toBeLessThan(17);
    expect((await counts())['Encounter']).toBe(1);
  });
});

describe('how the Medplum router treats conditional requests (differences from HAPI are noted)', () => {
  const patient = (value: string): Patient => ({ resourceType: 'Patient', identifier: [{ system: 'https://example.org/sid/p', value }], gender: 'female' });
  const createEntry = (value: string, ifNoneExist: string) => ({ resource: patient(value), request: { method: 'POST' as const, url: 'Patient', ifNoneExist } });

  it('honours the bare `identifier=sys|val` form of ifNoneExist: 201, then 200 on the same resource', async () => {
    const bundle: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: [createEntry('P1', 'identifier=https://example.org/sid/p|P1')] };
    const first = await client.transaction(bundle);
    const second = await client.transaction(bundle);
    expect([first.entry?.[0]?.response?.status, second.entry?.[0]?.response?.status].map((status) => status?.slice(0, 3))).toEqual(['201', '200']);
    expect(second.entry?.[0]?.response?.location?.split('/')[1]).toBe(first.entry?.[0]?.response?.location?.split('/')[1]);
  });

  it('silently ignores the `Patient?identifier=…` form and creates a duplicate (HAPI accepts both forms)', async () => {
    const bundle: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: [createEntry('P2', 'Patient?identifier=https://example.org/sid/p|P2')] };
    await client.transaction(bundle);
    await client.transaction(bundle);
    expect(await client.searchResources<Patient>('Patient', { identifier: 'https://example.org/sid/p|P2' })).toHaveLength(2);
  });

  it('answers 412 when conditional-create criteria match several resources, and 400 for a conditional PUT in a transaction', async () => {
    const duplicate: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: [createEntry('P3', 'Patient?identifier=https://example.org/sid/p|P3')] };
    await client.transaction(duplicate);
    await client.transaction(duplicate);
    const create: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: [createEntry('P3', 'identifier=https://example.org/sid/p|P3')] };
    await expect(client.transaction(create)).rejects.toMatchObject({ status: 412, retryable: false });
    const put: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: patient('P3'), request: { method: 'PUT', url: 'Patient?identifier=https://example.org/sid/p|P3' } }] };
    await expect(client.transaction(put)).rejects.toMatchObject({ status: 400, retryable: false });
  });

  it('makes a new version on every conditional PUT, even when nothing changed (HAPI suppresses no-op updates)', async () => {
    const bundle = bundleOf(fullEncounter());
    await client.transaction(bundle);
    const version = async () => (await client.searchResources<FhirEncounter>('Encounter', {}))[0]?.meta?.versionId;
    const first = await version();
    await client.transaction(bundle);
    expect(await version()).not.toBe(first);
  });

  it('refuses, in atomic mode, a transaction with conditional entries and more than 8 entries', async () => {
    const atomic = await startFhirStandInServer({ transactions: 'atomic' });
    try {
      const atomicClient = new FhirClient({ baseUrl: atomic.baseUrl });
      const patients = (count: number): Bundle => ({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: Array.from({ length: count }, (_, index) => createEntry(`Q${count}-${index}`, `identifier=https://example.org/sid/p|Q${count}-${index}`)),
      });
      const eight = await atomicClient.transaction(patients(8));
      expect(eight.entry).toHaveLength(8);
      const error = (await atomicClient.transaction(patients(9)).catch((caught: unknown) => caught)) as FhirRequestError;
      expect(error.status).toBe(400);
      expect(error.outcome?.issue?.[0]?.details?.text).toBe('Transaction requires strict isolation but has too many entries');
      // and so an encounter's Bundle is refused as a whole
      const encounterBundle = bundleOf(fullEncounter());
      expect(encounterBundle.entry?.length).toBeGreaterThan(8);
      await expect(atomicClient.transaction(encounterBundle)).rejects.toMatchObject({ status: 400 });
      expect(await atomic.standIn.all('Encounter')).toHaveLength(0);
    } finally {
      await atomic.close();
    }
  });

  it('in sequential mode, keeps the entries before a failed one (no rollback) and answers with the failure', async () => {
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [createEntry('S1', 'identifier=https://example.org/sid/p|S1'), createEntry('S2', 'identifier=https://example.org/sid/p|S2')],
    };
    server.standIn.faults.clear();
    await client.transaction({ resourceType: 'Bundle', type: 'transaction', entry: [createEntry('S2', 'Patient?identifier=https://example.org/sid/p|S2')] });
    await client.transaction({ resourceType: 'Bundle', type: 'transaction', entry: [createEntry('S2', 'Patient?identifier=https://example.org/sid/p|S2')] });
    await expect(client.transaction(bundle)).rejects.toMatchObject({ status: 412 });
    expect(await client.searchResources<Patient>('Patient', { identifier: 'https://example.org/sid/p|S1' })).toHaveLength(1);
  });

  it('does not honour an escaped "|" inside an identifier value (FHIR search escaping): a resend creates a duplicate', async () => {
    const encounter = fullEncounter({ patient: { ...fullEncounter().patient, identifiers: [{ system: 'smc-patient', value: 'A|B' }] } });
    await client.transaction(bundleOf(encounter));
    await client.transaction(bundleOf(encounter));
    expect((await counts())['Patient']).toBe(2);
    expect((await counts())['Encounter']).toBe(1);
  });
});
