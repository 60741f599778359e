// The DHIS2 app's patient list, through the DHIS2 stand-in's users and org units: a clinician sees the
// patients of the facility DHIS2 assigns her, a district user those of every facility below the district,
// and nobody another facility's; practice patients only in practice mode.
import { jest } from '@jest/globals';
import type { Encounter } from '@smc-bridge/contract';
import { DEFAULT_PERSONAL_ACCESS_TOKEN, orgUnitUid, startDhis2StandInServer, standInMetadata, type Dhis2StandInServer } from '@smc-bridge/stand-ins';
import { ancEncounter } from '../support/fixtures.js';
import { settled } from '../support/settled.js';
import { startTestService, type TestService } from '../support/service.js';

jest.setTimeout(60_000);
const HERE = 'CM_NW_BAM_CSI001';
const THERE = 'CM_SW_BUE_CSI001';
let dhis2: Dhis2StandInServer;
let api: TestService;

beforeAll(async () => {
  dhis2 = await startDhis2StandInServer({ metadata: standInMetadata([HERE, 'CM_NW_BAM_CSI002', THERE]) });
  dhis2.standIn.addUser({ username: 'nurse.ngono', password: 'pw', organisationUnits: [orgUnitUid(HERE)] });
  dhis2.standIn.addUser({ username: 'district.bam', password: 'pw', organisationUnits: [orgUnitUid('CM_NW_BAM')] });
  api = await startTestService('app-patients', { DHIS2_URL: dhis2.url, DHIS2_TOKEN: DEFAULT_PERSONAL_ACCESS_TOKEN, DHIS2_PUSH_DELAY_MS: '20' });
  const patient = (code: string, value: string, overrides: Partial<Encounter> = {}) =>
    ancEncounter({ id: `${code}-${value}`, source: 'dhis2-app', facility: { code }, patient: { ...ancEncounter().patient, identifiers: [{ system: 'smc-clinic', value }], name: { given: 'Aminata', family: value } }, ...overrides });
  const answer = await fetch(`${api.url}/api/v1/app/encounters`, {
    method: 'POST',
    headers: { authorization: `Bearer ${api.appKey}`, 'content-type': 'application/json', 'x-forwarded-user': 'nurse.ngono' },
    body: JSON.stringify({ encounters: [patient(HERE, 'HERE-1'), patient(HERE, 'PRACTICE-1', { training: true }), patient('CM_NW_BAM_CSI002', 'NEXT-DOOR-1'), patient(THERE, 'THERE-1')] }),
  });
  expect(answer.status).toBe(202);
  await settled(api.service);
});
afterAll(async () => {
  await api.stop();
  await dhis2.close();
});

const patientsOf = (user: string, code: string, query = '') =>
  fetch(`${api.url}/api/v1/app/patients?orgUnit=${orgUnitUid(code)}${query}`, { headers: { authorization: `Bearer ${api.appKey}`, 'x-forwarded-user': user } });
const namesIn = async (response: Response) => ((await response.json()) as { patients: { name?: { family?: string } }[] }).patients.map((p) => p.name?.family).sort();

test("a clinician sees her facility's patients, and only those", async () => {
  const mine = await patientsOf('nurse.ngono', HERE);
  expect(mine.status).toBe(200);
  expect(await namesIn(mine)).toEqual(['HERE-1']);
  expect((await patientsOf('nurse.ngono', THERE)).status).toBe(403);
  expect((await patientsOf('nurse.ngono', 'CM_NW_BAM_CSI002')).status).toBe(403);
  expect((await patientsOf('nobody.known', HERE)).status).toBe(403);
});

test('a district user sees every facility below the district, and no other', async () => {
  expect(await namesIn(await patientsOf('district.bam', 'CM_NW_BAM_CSI002'))).toEqual(['NEXT-DOOR-1']);
  expect(await namesIn(await patientsOf('district.bam', HERE))).toEqual(['HERE-1']);
  expect((await patientsOf('district.bam', THERE)).status).toBe(403);
});

test('practice patients come only in practice mode, and never with the real ones', async () => {
  expect(await namesIn(await patientsOf('nurse.ngono', HERE, '&training=true'))).toEqual(['PRACTICE-1']);
  expect(await namesIn(await patientsOf('nurse.ngono', HERE))).not.toContain('PRACTICE-1');
});

test('the list never reaches a clinic key, and never leaves a cacheable copy', async () => {
  const clinic = await fetch(`${api.url}/api/v1/app/patients?orgUnit=${orgUnitUid(HERE)}`, { headers: { authorization: `Bearer ${api.key}`, 'x-forwarded-user': 'nurse.ngono' } });
  expect(clinic.status).toBe(403);
  expect((await patientsOf('nurse.ngono', HERE)).headers.get('cache-control')).toMatch(/no-store/);
  // The patient list holds names; the logs do not.
  expect(api.logs.join('')).not.toMatch(/HERE-1|Aminata/);
});
