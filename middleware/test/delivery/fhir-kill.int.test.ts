// A FHIR worker killed the hard way (SIGKILL) while its jobs of several uploads are half done: the restarted
// process finishes them, and the server ends with every encounter once: one FHIR Encounter per encounter and
// no Patient twice, although some uploads ran twice (before the kill and after).
import { jest } from '@jest/globals';
import type { Encounter as FhirEncounter, Patient } from '@medplum/fhirtypes';
import type { Encounter } from '@smc-bridge/contract';
import { generateEncounters } from '@smc-bridge/generator';
import { FhirStandIn, startFhirStandInServer, type FhirStandInRequest, type FhirStandInResponse, type FhirStandInServer } from '@smc-bridge/stand-ins';
import { createApiKey } from '../../src/config/api-keys.js';
import { freePort, restartableServiceEnv, startChild, type ChildService } from '../support/child-service.js';
import { deleteKeysOf, uniquePrefix } from '../support/redis.js';

jest.setTimeout(180_000);

/** Answers every write after a pause, so that a kill finds uploads in flight. */
class SlowStandIn extends FhirStandIn {
  override async handle(request: FhirStandInRequest): Promise<FhirStandInResponse> {
    if (request.method === 'POST') await new Promise((resolve) => setTimeout(resolve, 150));
    return super.handle(request);
  }
}

const prefix = uniquePrefix('fhir-kill');
const { key, entry } = createApiKey('smc-platform');
const standIn = new SlowStandIn();
let fhir: FhirStandInServer;
let child: ChildService | undefined;

beforeAll(async () => {
  fhir = await startFhirStandInServer({ standIn });
});
afterAll(async () => {
  await child?.kill();
  await fhir.close();
  await deleteKeysOf(prefix);
});

test('uploads a SIGKILL interrupts are finished by the restarted process, each encounter once on the server', async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = restartableServiceEnv(port, prefix, entry, { FHIR_URL: fhir.baseUrl, FHIR_JOB_ENCOUNTERS: '16', FHIR_CONCURRENCY: '4' });
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const encounters: Encounter[] = generateEncounters({ seed: 41, facilityCount: 3, encounterCount: 90, endDate: '2026-10-31', days: 60, updateRate: 0, enteredInErrorRate: 0 }).filter(
    (e) => e.training !== true && e.source === 'smc-platform',
  );
  expect(encounters.length).toBeGreaterThan(50);

  child = await startChild('serve', env, `${base}/health`);
  const response = await fetch(`${base}/api/v1/encounters`, { method: 'POST', headers, body: JSON.stringify({ encounters }) });
  expect(response.status).toBe(202);
  // Killed once some uploads have reached the server and most have not.
  const deadline = Date.now() + 60_000;
  while ((await standIn.all('Encounter')).length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  await child.kill();
  const heldAtKill = (await standIn.all('Encounter')).length;
  expect(heldAtKill).toBeGreaterThan(0);
  expect(heldAtKill).toBeLessThan(encounters.length);

  child = await startChild('serve', env, `${base}/health`);
  const stateOf = async (e: Encounter) =>
    ((await (await fetch(`${base}/api/v1/encounters/${e.source}/${e.id}`, { headers })).json()) as { targets?: { fhir?: { state: string } } }).targets?.fhir?.state;
  const finish = Date.now() + 120_000;
  let waiting = encounters;
  while (waiting.length > 0 && Date.now() < finish) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const states = await Promise.all(waiting.map(async (e) => [e, await stateOf(e)] as const));
    waiting = states.filter(([, state]) => state !== 'delivered').map(([e]) => e);
  }
  expect(waiting.map((e) => e.id)).toEqual([]);

  // Once each: one Encounter per encounter, one Patient per patient.
  const held = await standIn.all<FhirEncounter>('Encounter');
  const identifiers = held.map((e) => e.identifier?.map((i) => `${i.system}|${i.value}`).join(',') ?? '');
  expect(new Set(identifiers).size).toBe(held.length);
  expect(held).toHaveLength(encounters.length);
  const patients = await standIn.all<Patient>('Patient');
  expect(patients).toHaveLength(new Set(encounters.map((e) => `${e.patient.identifiers[0]?.system}|${e.patient.identifiers[0]?.value}`)).size);
});
