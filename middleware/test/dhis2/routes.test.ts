// The DHIS2 Route to the middleware: created once, updated in place on every later run, key never shown back.
import { DEFAULT_PERSONAL_ACCESS_TOKEN, personalAccessToken, startDhis2StandInServer, type Dhis2StandInServer } from '@smc-bridge/stand-ins';
import { ensureRoute, ROUTE_CODE } from '../../src/dhis2/route-setup.js';
import { createApiKey } from '../../src/config/api-keys.js';
import { Dhis2Client } from '../../src/dhis2/dhis2-client.js';

let dhis2: Dhis2StandInServer;
const auth = { kind: 'token' as const, token: DEFAULT_PERSONAL_ACCESS_TOKEN };
const { key } = createApiKey('dhis2-app', 'app');

beforeAll(async () => {
  dhis2 = await startDhis2StandInServer({});
});
afterAll(async () => {
  await dhis2.close();
});

test('the route, over the app\'s endpoints only, is created, then updated in place; its key is never returned', async () => {
  const settings = { middlewareUrl: 'http://middleware:8080', apiKey: key, authorities: ['M_smcclinic'] };
  expect(await ensureRoute(new Dhis2Client({ url: dhis2.url, auth }), settings)).toBe('created');
  const [created] = [...dhis2.standIn.routesApi.routes.values()];
  expect(created).toMatchObject({ code: ROUTE_CODE, url: 'http://middleware:8080/api/v1/app/**', authorities: ['M_smcclinic'] });
  expect(created?.auth).toEqual({ type: 'api-headers', headers: { Authorization: `Bearer ${key}` } });

  expect(await ensureRoute(new Dhis2Client({ url: dhis2.url, auth }), { ...settings, middlewareUrl: 'https://bridge.example.org/' })).toBe('updated');
  expect([...dhis2.standIn.routesApi.routes.values()]).toEqual([expect.objectContaining({ id: created?.id, url: 'https://bridge.example.org/api/v1/app/**' })]);

  const shown = await (await fetch(`${dhis2.url}/api/routes/${ROUTE_CODE}`, { headers: { authorization: `ApiToken ${DEFAULT_PERSONAL_ACCESS_TOKEN}` } })).text();
  expect(shown).toContain('api-headers');
  expect(shown).not.toContain(key);
});

test('a route DHIS2 refuses stops with its reasons', async () => {
  await expect(ensureRoute(new Dhis2Client({ url: dhis2.url, auth }), { middlewareUrl: 'not a url', apiKey: key, authorities: [] })).rejects.toThrow(
    /DHIS2 refused the route \(409\): Malformed route URL/,
  );
  await expect(ensureRoute(new Dhis2Client({ url: dhis2.url, auth: { kind: 'token', token: personalAccessToken('wrong') } }), { middlewareUrl: 'http://m:8080', apiKey: key, authorities: [] })).rejects.toThrow(/401/);
});
