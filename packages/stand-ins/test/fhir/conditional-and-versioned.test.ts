// What the FHIR stand-in adds to Medplum's router for the middleware's shared-record updates, as the R4 spec
// and HAPI behave: conditional create on several identifiers OR-ed by commas (found by any one, refused when
// the body carries none), and version-aware updates (`If-Match`, in a transaction entry or on a plain PUT):
// a stale version answers 412 and changes nothing, the current one updates.
import { expect, it } from '@jest/globals';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { FhirStandIn } from '../../src/fhir/stand-in.js';

const patient = (system: string, value: string, extra: Partial<Patient> = {}): Patient => ({ resourceType: 'Patient', identifier: [{ system, value }], gender: 'female', ...extra });
const transaction = (standIn: FhirStandIn, entry: Bundle['entry']) =>
  standIn.handle({ method: 'POST', path: '/', body: JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry }) });

it('a conditional create on identifiers OR-ed by commas finds a patient held under any one of them', async () => {
  const standIn = new FhirStandIn();
  const created = await standIn.handle({ method: 'POST', path: '/Patient', body: JSON.stringify(patient('https://id.example.cm/cni', '1234567')) });
  expect(created.status).toBe(201);
  const ours: Patient = { resourceType: 'Patient', identifier: [{ system: 'https://smc/patient', value: 'P-42' }, { system: 'https://id.example.cm/cni', value: '1234567' }], gender: 'female' };
  const answer = await transaction(standIn, [{ fullUrl: 'urn:uuid:1', resource: ours, request: { method: 'POST', url: 'Patient', ifNoneExist: 'identifier=https://smc/patient|P-42,https://id.example.cm/cni|1234567' } }]);
  expect(answer.status).toBe(200);
  expect((JSON.parse(answer.body) as Bundle).entry?.[0]?.response?.status).toMatch(/^200/);
  expect(await standIn.all('Patient')).toHaveLength(1);
});

it('refuses a conditional create whose body carries none of the identifiers its criteria name (HAPI-0929)', async () => {
  const standIn = new FhirStandIn();
  const answer = await transaction(standIn, [{ fullUrl: 'urn:uuid:1', resource: patient('https://other', 'X'), request: { method: 'POST', url: 'Patient', ifNoneExist: 'identifier=https://a|1,https://b|2' } }]);
  expect(answer.status).toBe(400);
  expect(await standIn.all('Patient')).toHaveLength(0);
});

it('If-Match in a transaction entry: a stale version answers 412 and changes nothing, the current one updates', async () => {
  const standIn = new FhirStandIn();
  const stored = JSON.parse((await standIn.handle({ method: 'POST', path: '/Patient', body: JSON.stringify(patient('https://a', '1')) })).body) as Patient;
  const stale = await transaction(standIn, [{ resource: { ...stored, gender: 'male' }, request: { method: 'PUT', url: `Patient/${stored.id}`, ifMatch: 'W/"not-the-version"' } }]);
  expect(stale.status).toBe(412);
  expect((await standIn.all<Patient>('Patient'))[0]?.gender).toBe('female');
  const current = await transaction(standIn, [{ resource: { ...stored, gender: 'male' }, request: { method: 'PUT', url: `Patient/${stored.id}`, ifMatch: `W/"${stored.meta?.versionId}"` } }]);
  expect(current.status).toBe(200);
  expect((await standIn.all<Patient>('Patient'))[0]?.gender).toBe('male');
});

it('If-Match on a plain PUT is checked the same way', async () => {
  const standIn = new FhirStandIn();
  const stored = JSON.parse((await standIn.handle({ method: 'POST', path: '/Patient', body: JSON.stringify(patient('https://a', '1')) })).body) as Patient;
  const put = (ifMatch: string) => standIn.handle({ method: 'PUT', path: `/Patient/${stored.id}`, headers: { 'if-match': ifMatch }, body: JSON.stringify({ ...stored, gender: 'other' }) });
  expect((await put('W/"stale"')).status).toBe(412);
  expect((await put(`W/"${stored.meta?.versionId}"`)).status).toBe(200);
  expect((await standIn.all<Patient>('Patient'))[0]?.gender).toBe('other');
});
