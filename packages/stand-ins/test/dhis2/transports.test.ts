// The same core behind three doors: a direct call, msw (unit tests) and the node:http server (end-to-end
// tests, demo, benchmarks) must answer the same request identically.
import axios from 'axios';
import { startDhis2StandInServer, type Dhis2StandInServer } from '../../src/dhis2/index.js';
import { setupDhis2Msw, type Dhis2Msw } from '../../src/dhis2/msw-handlers.js';
import { ANC_VISITS, DATA_SET, BAMBUI, NOW, TOKEN_HEADERS, fixtureMetadata, monthly, newStandIn } from './fixture.js';

const payload = monthly([
  { dataElement: ANC_VISITS, value: '5' },
  { dataElement: 'XXXXXXXXXXX', value: '1' },
]);

let server: Dhis2StandInServer;
let msw: Dhis2Msw;

beforeAll(async () => {
  server = await startDhis2StandInServer({ metadata: fixtureMetadata(), now: () => NOW });
  msw = setupDhis2Msw({ metadata: fixtureMetadata(), now: () => NOW });
});
afterAll(async () => {
  msw.close();
  await server.close();
});
beforeEach(() => {
  server.standIn.reset();
  msw.standIn.reset();
});

async function viaFetch(baseUrl: string, path: string, init: RequestInit = {}) {
  const response = await fetch(`${baseUrl}${path}`, { headers: TOKEN_HEADERS, ...init });
  return { status: response.status, contentType: response.headers.get('content-type'), body: await response.text(), location: response.headers.get('location') };
}

test.each([
  ['POST /api/dataValueSets (WARNING)', '/api/dataValueSets?strictOrganisationUnits=true', { method: 'POST', body: JSON.stringify(payload) }],
  ['POST /api/41/dataValueSets', '/api/41/dataValueSets', { method: 'POST', body: JSON.stringify(payload) }],
  ['GET /api/me', '/api/me', {}],
  ['GET /api/dataValueSets (409)', `/api/dataValueSets?dataSet=${DATA_SET}`, {}],
  [
    'POST without credentials, as XHR (401)',
    '/api/dataValueSets',
    { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest' } },
  ],
  ['GET without credentials (302 to the login page)', '/api/me', { headers: {}, redirect: 'manual' as const }],
])('%s: msw, the HTTP server and a direct call answer byte for byte the same', async (_name, path, init) => {
  const direct = newStandIn();
  const url = new URL(path, 'http://direct');
  const headers = (init as { headers?: Record<string, string> }).headers ?? TOKEN_HEADERS;
  const expected = direct.handle({
    method: (init as { method?: string }).method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    body: (init as { body?: string }).body,
  });

  const overHttp = await viaFetch(server.url, path, init);
  const overMsw = await viaFetch(msw.baseUrl, path, init);
  for (const answer of [overHttp, overMsw]) {
    expect(answer.status).toBe(expected.status);
    expect(answer.contentType).toBe(expected.headers['content-type'] ?? null);
    expect(answer.body).toBe(expected.body);
    expect(answer.location?.replace(/^http:\/\/[^/]+/, '') ?? null).toBe(expected.headers['location']?.replace(/^http:\/\/[^/]+/, '') ?? null);
  }
});

test('the stored values agree after the same import through each door', async () => {
  await viaFetch(server.url, '/api/dataValueSets', { method: 'POST', body: JSON.stringify(payload) });
  await viaFetch(msw.baseUrl, '/api/dataValueSets', { method: 'POST', body: JSON.stringify(payload) });
  const cell = { dataElement: ANC_VISITS, period: '202611', orgUnit: BAMBUI };
  expect(server.standIn.valueOf(cell)).toBe('5');
  expect(msw.standIn.valueOf(cell)).toBe('5');
  expect(msw.standIn.allValues()).toEqual(server.standIn.allValues());
});

test('axios (the middleware HTTP client) sees 409 WARNING and a reset the same way through msw and the server', async () => {
  for (const [standIn, baseUrl] of [
    [msw.standIn, msw.baseUrl],
    [server.standIn, server.url],
  ] as const) {
    const client = axios.create({ baseURL: baseUrl, headers: TOKEN_HEADERS, validateStatus: () => true });
    const warning = await client.post('/api/dataValueSets', payload);
    expect(warning.status).toBe(409);
    expect(warning.data).toMatchObject({ status: 'WARNING', response: { importCount: { imported: 1, ignored: 1 } } });

    standIn.faults.enqueue({ kind: 'reset' });
    await expect(client.post('/api/dataValueSets', payload)).rejects.toMatchObject({ isAxiosError: true });
  }
});
