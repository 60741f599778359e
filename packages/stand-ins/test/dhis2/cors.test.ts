// CORS as CorsFilter answers it (dhis2-core 2.41 webapi/filter/CorsFilter.java), for a dev server on another
// port (`d2-app-scripts start` on http://localhost:3000). Recorded headers (dhis2/aggregate-data-entry-app
// cypress/fixtures/network/41/static_resources.json): access-control-allow-credentials: true,
// access-control-allow-origin: http://localhost:3000, vary: Origin, access-control-expose-headers: ETag, Location.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basicAuthorization, Dhis2StandIn, startDhis2StandInServer } from '../../src/dhis2/index.js';

const DEV = 'http://localhost:3000';
const ADMIN = { authorization: basicAuthorization('admin', 'district'), host: 'localhost:8080' };

test('a whitelisted origin is echoed with credentials, Vary and the exposed headers, on answers and on 401s', () => {
  const standIn = new Dhis2StandIn({ corsWhitelist: ['http://localhost:*'] });
  const ok = standIn.handle({ method: 'GET', path: '/api/system/info', headers: { ...ADMIN, origin: DEV } });
  expect(ok.status).toBe(200);
  expect(ok.headers).toMatchObject({
    'access-control-allow-credentials': 'true',
    'access-control-allow-origin': DEV,
    vary: 'Origin',
    'access-control-expose-headers': 'ETag, Location',
    'x-content-type-options': 'nosniff',
    'x-xss-protection': '1; mode=block',
  });
  // CorsFilter runs before authentication: the 401 the login dialog reads carries them too.
  const refused = standIn.handle({ method: 'GET', path: '/api/me', headers: { origin: DEV, 'x-requested-with': 'XMLHttpRequest', host: 'localhost:8080' } });
  expect(refused.status).toBe(401);
  expect(refused.headers['access-control-allow-origin']).toBe(DEV);
  expect(standIn.handle({ method: 'GET', path: '/dhis-web-commons/menu/getModules.action', headers: { ...ADMIN, origin: DEV } }).headers['access-control-allow-origin']).toBe(DEV);
});

test('a preflight is answered at once, unauthenticated: 204, the method and headers echoed, max-age 3600', () => {
  const standIn = new Dhis2StandIn({ corsWhitelist: [DEV] });
  const preflight = standIn.handle({
    method: 'OPTIONS',
    path: '/api/41/userSettings',
    headers: { origin: DEV, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization,x-requested-with', host: 'localhost:8080' },
  });
  expect(preflight).toMatchObject({ status: 204, body: '' });
  expect(preflight.headers).toMatchObject({
    'access-control-allow-credentials': 'true',
    'access-control-allow-origin': DEV,
    vary: 'Origin',
    'access-control-allow-methods': 'GET',
    'access-control-allow-headers': 'authorization,x-requested-with',
    'access-control-max-age': '3600',
  });
  expect(preflight.headers['access-control-expose-headers']).toBeUndefined();
});

test('an origin not in the whitelist gets no CORS header (its preflight goes on like any request: to the login page)', () => {
  const standIn = new Dhis2StandIn({ corsWhitelist: ['http://localhost:3000'] });
  for (const origin of ['http://evil.example.org', 'http://localhost:3001']) {
    const answer = standIn.handle({ method: 'GET', path: '/api/system/info', headers: { ...ADMIN, origin } });
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    const preflight = standIn.handle({ method: 'OPTIONS', path: '/api/me', headers: { origin, 'access-control-request-method': 'GET', host: 'localhost:8080' } });
    expect(preflight.status).toBe(302);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  }
  // Without a whitelist only the server's own origin is allowed (isOriginWhitelisted: localUrl.equals(origin)).
  const own = new Dhis2StandIn().handle({ method: 'GET', path: '/api/system/info', headers: { ...ADMIN, origin: 'http://localhost:8080' } });
  expect(own.headers['access-control-allow-origin']).toBe('http://localhost:8080');
  expect(new Dhis2StandIn().handle({ method: 'GET', path: '/api/system/info', headers: { ...ADMIN, origin: DEV } }).headers['access-control-allow-origin']).toBeUndefined();
});

test('the whitelist is the configuration object: GET / POST /api/configuration/corsWhitelist (ALL or F_SYSTEM_SETTING)', () => {
  const standIn = new Dhis2StandIn();
  const post = (headers: Record<string, string>, body: string) =>
    standIn.handle({ method: 'POST', path: '/api/configuration/corsWhitelist', headers: { ...headers, 'content-type': 'application/json' }, body });
  expect(post(ADMIN, JSON.stringify(['http://localhost:3000', 'https://*.example.org'])).status).toBe(204);
  expect(JSON.parse(standIn.handle({ method: 'GET', path: '/api/configuration/corsWhitelist', headers: ADMIN }).body)).toEqual(['http://localhost:3000', 'https://*.example.org']);
  expect(standIn.handle({ method: 'GET', path: '/api/me', headers: { ...ADMIN, origin: 'https://app.example.org' } }).headers['access-control-allow-origin']).toBe('https://app.example.org');
  standIn.addUser({ username: 'clerk', password: 'pw' });
  expect(post({ authorization: basicAuthorization('clerk', 'pw') }, '["*"]').status).toBe(403);
});

test('over HTTP: a cross-origin route run gets the CORS headers on the upstream answer too', async () => {
  const upstream = createServer((request: IncomingMessage, response: ServerResponse) => {
    response.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
    response.end(JSON.stringify({ user: request.headers['x-forwarded-user'] }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const server = await startDhis2StandInServer({ corsWhitelist: [DEV] });
  try {
    const port = (upstream.address() as AddressInfo).port;
    server.standIn.routesApi.handle('POST', '', {}, { code: 'echo', name: 'Echo', url: `http://127.0.0.1:${port}/x` }, { id: 'xE7jOejl9FI' });
    const response = await fetch(`${server.url}/api/routes/echo/run`, { headers: { authorization: ADMIN.authorization, origin: DEV } });
    expect(await response.json()).toEqual({ user: 'admin' });
    expect(response.headers.get('access-control-allow-origin')).toBe(DEV); // the upstream's own `*` is not passed on
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
  } finally {
    await server.close();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
  }
});
