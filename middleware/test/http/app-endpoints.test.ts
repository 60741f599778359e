// The DHIS2 app's endpoints, as the DHIS2 Route delivers its requests: a gzip batch whose Content-Encoding
// the Route dropped is still read, and the app can ask the states of its outbox in one request.
import { gzipSync } from 'node:zlib';
import { ancEncounter } from '../support/fixtures.js';
import { startTestService, type TestService } from '../support/service.js';

let api: TestService;
beforeAll(async () => {
  api = await startTestService('app-endpoints', { BODY_LIMIT: '64kb' }, { workers: false });
});
afterAll(async () => api.stop());

const appPost = (body: Buffer | string, headers: Record<string, string> = {}) =>
  fetch(`${api.url}/api/v1/app/encounters`, { method: 'POST', headers: { authorization: `Bearer ${api.appKey}`, 'content-type': 'application/json', 'x-forwarded-user': 'nurse.ngono', ...headers }, body });
const batch = (...ids: string[]) => JSON.stringify({ encounters: ids.map((id) => ancEncounter({ id, source: 'dhis2-app' })) });

test('a gzip batch is read with its Content-Encoding, and without it (a DHIS2 Route drops the header)', async () => {
  const withHeader = await appPost(gzipSync(batch('gz-1', 'gz-2')), { 'content-encoding': 'gzip' });
  expect(withHeader.status).toBe(202);
  const dropped = await appPost(gzipSync(batch('gz-3')));
  expect(dropped.status).toBe(202);
  expect(((await dropped.json()) as { counts: { accepted: number } }).counts.accepted).toBe(1);
  // Plain JSON still works.
  expect((await appPost(batch('plain-1'))).status).toBe(202);
});

test('a corrupt or oversized gzip body is a 4xx naming the problem; only the clinic key path is unaffected', async () => {
  const corrupt = await appPost(Buffer.concat([gzipSync(batch('gz-bad')).subarray(0, 30)]));
  expect(corrupt.status).toBe(400);
  expect(((await corrupt.json()) as { detail: string }).detail).toMatch(/gzip/);
  const bomb = await appPost(gzipSync(JSON.stringify({ pad: 'x'.repeat(300_000) })));
  expect(bomb.status).toBe(413);
  const notJson = await appPost(gzipSync('not json'));
  expect(notJson.status).toBe(400);
});

test("the app asks the states of its outbox in one request: its own encounters only, unknown ids left out", async () => {
  await appPost(batch('state-1', 'state-2'));
  await api.post(ancEncounter({ id: 'state-1' })); // the same id from another source is another encounter
  const answer = await fetch(`${api.url}/api/v1/app/encounters?ids=state-1,state-2,never-sent`, { headers: { authorization: `Bearer ${api.appKey}` } });
  expect(answer.status).toBe(200);
  const { encounters } = (await answer.json()) as { encounters: { source: string; id: string; targets: Record<string, { state: string }> }[] };
  expect(encounters.map((e) => `${e.source}/${e.id}`)).toEqual(['dhis2-app/state-1', 'dhis2-app/state-2']);
  expect(encounters[0]?.targets['dhis2']?.state).toBe('accepted');
  const tooMany = Array.from({ length: 101 }, (_, i) => `id-${i}`).join(',');
  expect((await fetch(`${api.url}/api/v1/app/encounters?ids=${tooMany}`, { headers: { authorization: `Bearer ${api.appKey}` } })).status).toBe(400);
  expect((await fetch(`${api.url}/api/v1/app/encounters?ids=state-1`, { headers: { authorization: `Bearer ${api.key}` } })).status).toBe(403);
});

test('without a DHIS2 to ask, the patient list says so (503), and it always needs the DHIS2 user', async () => {
  const patients = (query: string, headers: Record<string, string> = { 'x-forwarded-user': 'nurse.ngono' }) =>
    fetch(`${api.url}/api/v1/app/patients${query}`, { headers: { authorization: `Bearer ${api.appKey}`, ...headers } });
  expect((await patients('?orgUnit=BamCsi00001', {})).status).toBe(400);
  expect((await patients('')).status).toBe(400);
  expect((await patients('?orgUnit=BamCsi00001')).status).toBe(503);
});
