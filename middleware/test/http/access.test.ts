// Each caller sees only what it may (DESIGN.md §2): a clinic system's key posts and reads its own source
// only; the DHIS2 app's Route key works on the app's endpoints only; dead letters, replay and provenance
// across sources need an operator key. A key outside its scope learns nothing of another source.
import { ancEncounter } from '../support/fixtures.js';
import { startTestService, type TestService } from '../support/service.js';

let api: TestService;
const mine = ancEncounter({ id: 'access-mine' });
const theirs = ancEncounter({ id: 'access-theirs', source: 'other-emr' });

beforeAll(async () => {
  api = await startTestService('access', {}, { workers: false });
  expect((await api.post(mine)).status).toBe(202);
  expect((await api.post(theirs, { key: api.otherSourceKey })).status).toBe(202);
});
afterAll(async () => api.stop());

const request = (path: string, key: string, init: RequestInit = {}) =>
  fetch(`${api.url}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, ...(init.headers as Record<string, string> | undefined) } });
const json = { 'content-type': 'application/json' };

test("a clinic key reads its own encounters; another source's answer exactly as an unknown one would", async () => {
  expect((await request('/api/v1/encounters/smc-platform/access-mine', api.key)).status).toBe(200);
  const other = await request('/api/v1/encounters/other-emr/access-theirs', api.key);
  const unknown = await request('/api/v1/encounters/other-emr/never-posted', api.key);
  expect(other.status).toBe(404);
  expect(unknown.status).toBe(404);
  expect(Object.keys((await other.json()) as object).sort()).toEqual(Object.keys((await unknown.json()) as object).sort());
});

test('an operator key reads every source, but posts nothing', async () => {
  expect((await request('/api/v1/encounters/other-emr/access-theirs', api.operatorKey)).status).toBe(200);
  expect((await request('/api/v1/encounters/smc-platform/access-mine', api.operatorKey)).status).toBe(200);
  const post = await request('/api/v1/encounters', api.operatorKey, { method: 'POST', headers: json, body: JSON.stringify(mine) });
  expect(post.status).toBe(403);
});

test('dead letters and replay need an operator key', async () => {
  for (const key of [api.key, api.appKey]) {
    expect((await request('/api/v1/dead-letters', key)).status).toBe(403);
    expect((await request('/api/v1/dead-letters/replay', key, { method: 'POST', headers: json, body: '{"all": true}' })).status).toBe(403);
  }
  expect((await request('/api/v1/dead-letters', api.operatorKey)).status).toBe(200);
});

test('replay replays only what the body names: not JSON is 415, an empty or unknown body replays nothing', async () => {
  const replay = (body: string, headers: Record<string, string> = json) => request('/api/v1/dead-letters/replay', api.operatorKey, { method: 'POST', headers, body });
  expect((await replay('jobIds=1', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
  expect((await replay('anything', { 'content-type': 'text/plain' })).status).toBe(415);
  for (const body of ['{}', '{"jobIds": []}', '{"all": "yes"}', '{"everything": true}', '[]']) {
    const answer = await replay(body);
    expect([body, answer.status]).toEqual([body, 400]);
  }
  expect(await (await replay('{"all": true}')).json()).toEqual({ replayed: 0 });
  expect(await (await replay('{"jobIds": ["no-such-job"]}')).json()).toEqual({ replayed: 0 });
});

test("provenance: a clinic key sees only its own source's encounters behind a value; an operator sees all", async () => {
  const query = 'dataElement=RMNCAH_ANC1&period=202610&orgUnit=CM_NW_BAM_CSI001&categoryOptionCombo=RMN_20PLUS';
  // No workers ran, so nothing is in the ledger yet; what matters is who may ask and what the answer admits to.
  const clinic = (await (await request(`/api/v1/provenance?${query}`, api.key)).json()) as { source?: string };
  expect(clinic.source).toBe('smc-platform');
  const operator = await request(`/api/v1/provenance?${query}`, api.operatorKey);
  expect(operator.status).toBe(200);
  expect(((await operator.json()) as { source?: string }).source).toBeUndefined();
  expect((await request(`/api/v1/provenance?${query}`, api.appKey)).status).toBe(403);
});

test("the app's Route key posts and reads on the app's endpoints only, as its own source, and the DHIS2 user is recorded", async () => {
  const fromApp = ancEncounter({ id: 'access-app', source: 'dhis2-app' });
  const headers = { ...json, 'x-forwarded-user': 'nurse.ngono' };
  expect((await request('/api/v1/encounters', api.appKey, { method: 'POST', headers, body: JSON.stringify(fromApp) })).status).toBe(403);
  const posted = await request('/api/v1/app/encounters', api.appKey, { method: 'POST', headers, body: JSON.stringify(fromApp) });
  expect(posted.status).toBe(202);
  const status = (await (await request('/api/v1/app/encounters/access-app', api.appKey)).json()) as { source: string; enteredBy?: string };
  expect(status).toMatchObject({ source: 'dhis2-app', enteredBy: 'nurse.ngono' });
  // Not another source's, and not the clinic endpoints.
  const spoofed = await request('/api/v1/app/encounters', api.appKey, { method: 'POST', headers, body: JSON.stringify({ ...fromApp, id: 'spoof', source: 'smc-platform' }) });
  expect(spoofed.status).toBe(422);
  expect((await request('/api/v1/encounters/smc-platform/access-mine', api.appKey)).status).toBe(403);
  // A clinic key cannot use the app's endpoints, nor name a DHIS2 user.
  expect((await request('/api/v1/app/encounters', api.key, { method: 'POST', headers, body: JSON.stringify(mine) })).status).toBe(403);
  expect((await request('/api/v1/app/encounters/access-app', api.key)).status).toBe(403);
});

test('an X-Forwarded-User that is not a DHIS2 username is refused', async () => {
  const fromApp = ancEncounter({ id: 'access-app-2', source: 'dhis2-app' });
  const answer = await request('/api/v1/app/encounters', api.appKey, { method: 'POST', headers: { ...json, 'x-forwarded-user': 'two words' }, body: JSON.stringify(fromApp) });
  expect(answer.status).toBe(400);
});
