// /api/dataStore as dhis2-core's DatastoreController / DefaultDatastoreService / HibernateDatastoreStore answer
// (reference/dhis2-web-api.md §6.1): namespaces, keys, values as jsonb gives them back, paged entries with
// fields, metaData, create / upsert / partial update / roll, deletes, and the exact WebMessages.
import { startDhis2StandInServer, type Dhis2StandInOptions } from '../../src/dhis2/index.js';
import { NOW, TOKEN_HEADERS, newStandIn } from './fixture.js';

function store(options: Dhis2StandInOptions = {}) {
  const standIn = newStandIn(options);
  const call = (method: string, path: string, body?: string, query: Record<string, string> = {}, headers: Record<string, string> = TOKEN_HEADERS) => {
    const raw = standIn.handle({ method, path: `/api/dataStore${path}`, query, headers, body });
    return { status: raw.status, text: raw.body, json: raw.body === '' ? undefined : (JSON.parse(raw.body) as unknown), headers: raw.headers };
  };
  return { standIn, call };
}

const ok = (httpStatusCode: number, message: string) => ({
  httpStatus: httpStatusCode === 201 ? 'Created' : 'OK',
  httpStatusCode,
  status: 'OK',
  message,
});
const error = (httpStatusCode: number, httpStatus: string, message: string, errorCode?: string) => ({
  httpStatus,
  httpStatusCode,
  status: 'ERROR',
  message,
  ...(errorCode ? { errorCode } : {}),
});

test('namespaces and keys: [] at first, then what was created; an unknown namespace is 404', () => {
  const { call } = store();
  expect(call('GET', '').json).toEqual([]);
  expect(call('GET', '/smc').json).toEqual(error(404, 'Not Found', "Namespace not found: 'smc'", 'E1005'));
  expect(call('POST', '/smc/settings', '{"a":1}').json).toEqual(ok(201, "Key created: 'settings'"));
  expect(call('POST', '/smc/state', '"x"').status).toBe(201);
  expect(call('POST', '/bridge/k', '1').status).toBe(201);
  const namespaces = call('GET', '');
  expect(namespaces.json).toEqual(['bridge', 'smc']);
  expect(namespaces.headers['cache-control']).toBe('no-store');
  expect(call('GET', '/smc').json).toEqual(['settings', 'state']);
  expect(call('GET', '/smc/keys').json).toEqual(['settings', 'state']);
});

test('a value comes back as jsonb text: keys sorted shorter first, ", " and ": ", numerics folded', () => {
  const { call } = store();
  call('POST', '/smc/doc', '{"bb":1,"a":[1, 2,{"z":true,"y":null}],"c":"é\\u00e9\\n","n":1.50,"e":1e2,"m":-0,"a":"dup"}');
  const answer = call('GET', '/smc/doc');
  expect(answer.status).toBe(200);
  expect(answer.text).toBe('{"a": "dup", "c": "éé\\n", "e": 100, "m": 0, "n": 1.50, "bb": 1}');
  call('POST', '/smc/scalar', ' 12.5e-1 ');
  expect(call('GET', '/smc/scalar').text).toBe('1.25');
});

test('POST: an existing key is 409, invalid JSON 400, and neither writes', () => {
  const { call } = store();
  call('POST', '/smc/k', '{"v":1}');
  expect(call('POST', '/smc/k', '{"v":2}').json).toEqual(error(409, 'Conflict', "Key 'k' already exists in namespace 'smc'", 'E1004'));
  expect(call('POST', '/smc/bad', '{"v":').json).toEqual(error(400, 'Bad Request', "Invalid JSON value for key 'bad'", 'E1003'));
  expect(call('GET', '/smc/k').text).toBe('{"v": 1}');
  expect(call('GET', '/smc/bad').json).toEqual(error(404, 'Not Found', "Key 'bad' not found in namespace 'smc'", 'E1005'));
});

test('POST and PUT consume application/json only (415)', () => {
  const { call } = store();
  const plain = { ...TOKEN_HEADERS, 'content-type': 'text/plain' };
  expect(call('POST', '/smc/k', '{}', {}, plain).json).toEqual(error(415, 'Unsupported Media Type', "Content type 'text/plain' not supported"));
  expect(store({ version: '2.42' }).call('PUT', '/smc/k', '{}', {}, plain).json).toEqual(
    error(415, 'Unsupported Media Type', "Content-Type 'text/plain' is not supported"),
  );
});

test('PUT is an upsert: 201 "Key created" for a new key, 200 "Key updated" after', () => {
  const { call } = store();
  expect(call('PUT', '/smc/k', '{"v":1}').json).toEqual(ok(201, "Key created: 'k'"));
  expect(call('PUT', '/smc/k', '{"v":2}').json).toEqual(ok(200, "Key updated: 'k'"));
  expect(call('GET', '/smc/k').text).toBe('{"v": 2}');
  expect(call('PUT', '/smc/k', '{"v":').json).toEqual(error(400, 'Bad Request', "Invalid JSON value for key 'k'", 'E1003'));
});

test('2.41+: PUT ?path= sets an existing member only, ?roll= appends to an array and drops its head at the size', () => {
  const { call } = store();
  call('POST', '/smc/k', '{"a":{"b":1},"log":[1,2]}');
  call('PUT', '/smc/k', '5', { path: 'a.b' });
  call('PUT', '/smc/k', '9', { path: 'a.missing' });
  expect(call('GET', '/smc/k').text).toBe('{"a": {"b": 5}, "log": [1, 2]}');
  call('PUT', '/smc/k', '3', { path: 'log', roll: '3' });
  call('PUT', '/smc/k', '4', { path: 'log', roll: '3' });
  expect(call('GET', '/smc/k').text).toBe('{"a": {"b": 5}, "log": [2, 3, 4]}');
  call('PUT', '/smc/k', '"x"', { path: 'fresh', roll: '2' });
  expect(call('GET', '/smc/k').text).toBe('{"a": {"b": 5}, "log": [2, 3, 4], "fresh": ["x"]}');
});

test('2.41+: PUT without a body deletes the entry (updateEntryRootDelete); before 2.41 the body is required', () => {
  const current = store();
  current.call('POST', '/smc/k', '1');
  expect(current.call('PUT', '/smc/k').json).toEqual(ok(200, "Key updated: 'k'"));
  expect(current.call('GET', '/smc/k').status).toBe(404);

  const older = store({ version: '2.40' });
  older.call('POST', '/smc/k', '{"a":1}');
  expect(older.call('PUT', '/smc/k').status).toBe(400);
  older.call('PUT', '/smc/k', '{"a":2}', { path: 'a' });
  expect(older.call('GET', '/smc/k').text).toBe('{"a": 2}');
});

test('DELETE a key, then the namespace; missing ones are 404', () => {
  const { call } = store();
  call('POST', '/smc/a', '1');
  call('POST', '/smc/b', '2');
  expect(call('DELETE', '/smc/a').json).toEqual(ok(200, "Key 'a' deleted from namespace 'smc'"));
  expect(call('DELETE', '/smc/a').json).toEqual(error(404, 'Not Found', "Key 'a' not found in namespace 'smc'", 'E1005'));
  expect(call('DELETE', '/smc').json).toEqual(ok(200, "Namespace deleted: 'smc'"));
  expect(call('DELETE', '/smc').json).toEqual(error(404, 'Not Found', "Namespace not found: 'smc'", 'E1005'));
  expect(call('GET', '').json).toEqual([]);
});

describe('entries with fields', () => {
  function seeded() {
    const s = store();
    s.call('POST', '/clinics/c', '{"name":"Nkwen","beds":4,"geo":{"lat":6.0,"lng":10.2}}');
    s.call('POST', '/clinics/a', '{"name":"Bambui","beds":12}');
    s.call('POST', '/clinics/b', '{"other":true}');
    return s;
  }

  test('fields=. pages the whole values by key; the pager has page and pageSize only', () => {
    const { call } = seeded();
    expect(call('GET', '/clinics', undefined, { fields: '.' }).json).toEqual({
      pager: { page: 1, pageSize: 50 },
      entries: [
        { key: 'a', value: { name: 'Bambui', beds: 12 } },
        { key: 'b', value: { other: true } },
        { key: 'c', value: { name: 'Nkwen', beds: 4, geo: { lat: 6.0, lng: 10.2 } } },
      ],
    });
    expect(call('GET', '/clinics', undefined, { fields: '.', page: '2', pageSize: '2' }).json).toEqual({
      pager: { page: 2, pageSize: 2 },
      entries: [{ key: 'c', value: { name: 'Nkwen', beds: 4, geo: { lat: 6.0, lng: 10.2 } } }],
    });
  });

  test('named fields leave out entries that have none of them, unless includeAll; nested fields nest', () => {
    const { call } = seeded();
    expect(call('GET', '/clinics', undefined, { fields: 'name,geo[lat]', headless: 'true' }).json).toEqual([
      { key: 'a', name: 'Bambui', geo: { lat: null } },
      { key: 'c', name: 'Nkwen', geo: { lat: 6.0 } },
    ]);
    expect(call('GET', '/clinics', undefined, { fields: 'name', includeAll: 'true', headless: 'true', order: '_:desc' }).json).toEqual([
      { key: 'c', name: 'Nkwen' },
      { key: 'b', name: null },
      { key: 'a', name: 'Bambui' },
    ]);
    expect(call('GET', '/clinics', undefined, { fields: 'beds~hoist(size)', headless: 'true', paging: 'false' }).json).toEqual([
      { key: 'a', size: 12 },
      { key: 'c', size: 4 },
    ]);
  });

  test('an unknown namespace has no entries (no 404 here)', () => {
    expect(store().call('GET', '/nothing', undefined, { fields: '.' }).json).toEqual({ pager: { page: 1, pageSize: 50 }, entries: [] });
  });
});

test('metaData: the entry without its value', () => {
  const { call } = store();
  call('POST', '/smc/k', '{"secret":1}');
  const meta = call('GET', '/smc/k/metaData').json as Record<string, unknown>;
  expect(meta).toMatchObject({
    created: NOW.toISOString().slice(0, 23),
    lastUpdated: NOW.toISOString().slice(0, 23),
    namespace: 'smc',
    key: 'k',
    createdBy: { id: 'xE7jOejl9FI', username: 'admin' },
  });
  expect(meta.id).toMatch(/^[A-Za-z][A-Za-z0-9]{10}$/);
  expect(JSON.stringify(meta)).not.toContain('secret');
  expect(call('GET', '/smc/none/metaData').status).toBe(404);
});

test('over HTTP: an encoded key, and a 401 without credentials', async () => {
  const server = await startDhis2StandInServer({});
  try {
    const created = await fetch(`${server.url}/api/dataStore/smc%20app/my%20key`, { method: 'POST', headers: TOKEN_HEADERS, body: '[1,2]' });
    expect(created.status).toBe(201);
    expect(await (await fetch(`${server.url}/api/dataStore/smc%20app/my%20key`, { headers: TOKEN_HEADERS })).text()).toBe('[1, 2]');
    expect(await (await fetch(`${server.url}/api/dataStore`, { headers: TOKEN_HEADERS })).json()).toEqual(['smc app']);
    expect((await fetch(`${server.url}/api/dataStore`, { headers: { 'x-requested-with': 'XMLHttpRequest' } })).status).toBe(401);
    // A browser's navigation is sent to the login page instead (FormLoginBasicAuthenticationEntryPoint).
    const navigation = await fetch(`${server.url}/api/dataStore`, { redirect: 'manual' });
    expect(navigation.status).toBe(302);
    expect(navigation.headers.get('location')).toBe(`${server.url}/dhis-web-login`);
  } finally {
    await server.close();
  }
});
