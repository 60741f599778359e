// The operators' queue board (bull-board) at /admin/queues: behind the operator key, by Bearer header or by
// the login form's cookie; a clinic key gets 403, no key a redirect to the login form (or 401 for scripts).
import { startTestService, type TestService } from '../support/service.js';

let api: TestService;
beforeAll(async () => {
  api = await startTestService('queue-board', {}, { workers: false });
});
afterAll(async () => api.stop());

const board = (path: string, headers: Record<string, string> = {}) => fetch(`${api.url}/admin/queues${path}`, { headers, redirect: 'manual' });

test('without a key: a browser is sent to the login form, a script gets 401', async () => {
  const browser = await board('/', { accept: 'text/html' });
  expect(browser.status).toBe(303);
  expect(browser.headers.get('location')).toBe('/admin/login');
  expect((await board('/api/queues', { accept: 'application/json' })).status).toBe(401);
});

test("a clinic key is refused; an operator's Bearer key sees every queue", async () => {
  expect((await board('/api/queues', { authorization: `Bearer ${api.key}`, accept: 'application/json' })).status).toBe(403);
  const answer = await board('/api/queues', { authorization: `Bearer ${api.operatorKey}`, accept: 'application/json' });
  expect(answer.status).toBe(200);
  const names = ((await answer.json()) as { queues: { name: string }[] }).queues.map((queue) => queue.name);
  expect(names).toEqual(expect.arrayContaining(['ingest']));
});

test('the login form takes only an operator key, and its cookie opens the board', async () => {
  const login = (key: string) =>
    fetch(`${api.url}/admin/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ key }), redirect: 'manual' });
  expect((await login(api.key)).status).toBe(401);
  const ok = await login(api.operatorKey);
  expect(ok.status).toBe(303);
  const cookie = ok.headers.get('set-cookie') ?? '';
  expect(cookie).toMatch(/HttpOnly/i);
  expect(cookie).toMatch(/SameSite=Strict/i);
  expect(cookie).toMatch(/Path=\/admin/);
  const page = await board('/', { cookie: cookie.split(';')[0]!, accept: 'text/html' });
  expect(page.status).toBe(200);
  expect(await page.text()).toMatch(/<html/i);
  // The key never appears in the logs.
  expect(api.logs.join('')).not.toContain(api.operatorKey);
});

test('a login cookie that is not valid percent-encoding is no key: 401, not a 500', async () => {
  for (const cookie of ['smc_operator=%E0%A4%A', 'smc_operator=%zz']) {
    const answer = await board('/api/queues', { cookie, accept: 'application/json' });
    expect([cookie, answer.status]).toEqual([cookie, 401]);
  }
  expect(api.logs.join('\n')).not.toMatch(/"statusCode":5\d\d/);
});
