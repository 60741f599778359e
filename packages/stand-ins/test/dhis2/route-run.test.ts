// Running a route (/api/routes/{id-or-code}/run[/**]) through the stand-in's HTTP server against a real
// upstream HTTP server: the headers that go in and come out, the route's headers and auth, X-Forwarded-User,
// sub-paths, bytes (gzip included) and the answers on a timeout and a refused connection, as dhis2-core's
// RouteController / RouteService answer on 2.41 (RestTemplate) and 2.42 (WebClient). reference §6.2.
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import {
  basicAuthorization,
  DEFAULT_PERSONAL_ACCESS_TOKEN,
  Dhis2StandIn,
  startDhis2StandInServer,
  type Dhis2StandInServer,
} from '../../src/dhis2/index.js';
import { setupDhis2Msw } from '../../src/dhis2/msw-handlers.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
}

/** A small upstream: records each request and answers by path. */
class Upstream {
  readonly seen: Seen[] = [];
  private readonly sockets = new Set<Socket>();
  private server!: Server;
  origin = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks);
        this.seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, rawHeaders: request.rawHeaders, body });
        const path = new URL(request.url ?? '/', 'http://upstream').pathname;
        if (path.endsWith('/slow')) {
          setTimeout(() => {
            if (!response.destroyed) response.end('late');
          }, 2_500);
          return;
        }
        if (path.endsWith('/gzip')) {
          const zipped = gzipSync(Buffer.from('{"compressed":true}'));
          response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(zipped.length) });
          response.end(zipped);
          return;
        }
        if (path.endsWith('/missing')) {
          response.writeHead(404, { 'content-type': 'text/plain', 'x-upstream-trace': 't1' });
          response.end('no such thing');
          return;
        }
        if (path.endsWith('/bytes')) {
          response.writeHead(201, { 'content-type': 'application/octet-stream' });
          response.end(body);
          return;
        }
        response.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          etag: '"v1"',
          'cache-control': 'no-cache',
          'last-modified': 'Tue, 01 Dec 2026 10:00:00 GMT',
          'content-language': 'en',
          expires: '0',
          'set-cookie': 'upstream=secret',
          'x-upstream-secret': 'hidden',
          server: 'upstream/1.0',
        });
        response.end(JSON.stringify({ ok: true, path }));
      });
    });
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A request with node:http, which adds no header of its own and decodes nothing: the bytes on the wire. */
async function wire(url: string, headers: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const ADMIN = { authorization: `ApiToken ${DEFAULT_PERSONAL_ACCESS_TOKEN}` };
const CLERK_TOKEN = 'd2pat_clerkclerkclerkclerkclerkclerk011982374295';

let upstream: Upstream;
let deadPort: number;
beforeAll(async () => {
  upstream = new Upstream();
  await upstream.start();
  deadPort = await closedPort();
});
afterAll(async () => {
  await upstream.stop();
});
beforeEach(() => {
  upstream.seen.length = 0;
});

async function serverFor(version: string): Promise<Dhis2StandInServer> {
  const server = await startDhis2StandInServer({ version, routeRemoteServersAllowed: 'http://127.0.0.1:*' });
  server.standIn.addUser({ id: 'UserClerk01', username: 'clerk', password: 'pw', authorities: ['F_DATAVALUE_ADD'], personalAccessTokens: [CLERK_TOKEN] });
  return server;
}

async function createRoute(server: Dhis2StandInServer, route: Record<string, unknown>, headers: Record<string, string> = ADMIN): Promise<string> {
  const response = await fetch(`${server.url}/api/routes`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `Route ${String(route.code ?? 'x')}`, ...route }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { response: { uid: string } }).response.uid;
}

describe.each(['2.41', '2.42'])('DHIS2 %s', (version) => {
  let server: Dhis2StandInServer;
  const legacy = version === '2.41';
  beforeAll(async () => {
    server = await serverFor(version);
    await createRoute(server, { code: 'echo', url: `${upstream.origin}/echo`, headers: { 'X-Route-Static': 'static-1' } });
    await createRoute(server, { code: 'wild', url: `${upstream.origin}/base/**`, auth: { type: 'http-basic', username: 'svc', password: 's3cret' } });
    await createRoute(server, { code: 'token', url: `${upstream.origin}/echo`, auth: { type: 'api-token', token: 'd2pat_upstreamtoken' } });
    await createRoute(server, { code: 'hdrs', url: `${upstream.origin}/echo`, auth: { type: 'api-headers', headers: { 'X-Api-Key': 'k-123' } } });
    await createRoute(server, { code: 'qp', url: `${upstream.origin}/echo`, auth: { type: 'api-query-params', queryParams: { api_key: 'q-456' } } });
    await createRoute(server, { code: 'slow', url: `${upstream.origin}/slow`, responseTimeoutSeconds: 1 });
    await createRoute(server, { code: 'dead', url: `http://127.0.0.1:${deadPort}/nothing` });
    await createRoute(server, { code: 'off', url: `${upstream.origin}/echo`, disabled: true });
    await createRoute(server, { code: 'app', url: `${upstream.origin}/echo`, authorities: ['M_smc-clinic'] });
  });
  afterAll(async () => {
    await server.close();
  });

  test('only the listed request headers go up, never the caller Authorization; the route headers and X-Forwarded-User are added', async () => {
    const response = await wire(`${server.url}/api/routes/echo/run?a=1&b=two`, {
        ...ADMIN,
        accept: 'application/json',
        'accept-language': 'fr',
        'user-agent': 'smc-app/1.0',
        'if-none-match': '"v0"',
        'x-forwarded-for': '10.0.0.7',
        cookie: 'JSESSIONID=abc',
        'x-custom': 'nope',
    });
    expect(response.status).toBe(200);
    const [seen] = upstream.seen;
    expect(seen?.method).toBe('GET');
    expect(seen?.url).toBe('/echo?a=1&b=two');
    expect(seen?.headers).toMatchObject({
      accept: 'application/json',
      'accept-language': 'fr',
      'user-agent': 'smc-app/1.0',
      'if-none-match': '"v0"',
      'x-forwarded-for': '10.0.0.7',
      'x-route-static': 'static-1',
      'x-forwarded-user': 'admin',
    });
    expect(seen?.headers.authorization).toBeUndefined();
    expect(seen?.headers.cookie).toBeUndefined();
    expect(seen?.headers['x-custom']).toBeUndefined();
    // Apache HttpClient (2.40–2.41) asks for compressed answers by itself; WebClient does not.
    expect(seen?.headers['accept-encoding']).toBe(legacy ? 'gzip,deflate' : undefined);
    // …and the caller's own accept-encoding goes up as it is.
    await wire(`${server.url}/api/routes/echo/run`, { ...ADMIN, 'accept-encoding': 'br' });
    expect(upstream.seen[1]?.headers['accept-encoding']).toBe('br');
  });

  test('only the listed response headers come back, with the upstream status and body', async () => {
    const response = await fetch(`${server.url}/api/routes/echo/run`, { headers: ADMIN });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, path: '/echo' });
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('etag')).toBe('"v1"');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('last-modified')).toBe('Tue, 01 Dec 2026 10:00:00 GMT');
    expect(response.headers.get('content-language')).toBe('en');
    expect(response.headers.get('expires')).toBe('0');
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(response.headers.get('x-upstream-secret')).toBeNull();
    expect(response.headers.get('server')).toBeNull();
  });

  test('an upstream 4xx comes back as it is', async () => {
    const response = await fetch(`${server.url}/api/routes/wild/run/missing`, { headers: ADMIN });
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('no such thing');
    expect(response.headers.get('x-upstream-trace')).toBeNull();
  });

  test.each([
    ['http-basic', 'wild', 'authorization', `Basic ${Buffer.from('svc:s3cret').toString('base64')}`],
    ['api-token', 'token', 'authorization', 'ApiToken d2pat_upstreamtoken'],
    ['api-headers', 'hdrs', 'x-api-key', 'k-123'],
  ])('auth %s adds its header', async (_type, code, header, value) => {
    await fetch(`${server.url}/api/routes/${code}/run${code === 'wild' ? '/x' : ''}`, { headers: ADMIN });
    expect(upstream.seen[0]?.headers[header]).toBe(value);
    expect(upstream.seen[0]?.headers['x-forwarded-user']).toBe('admin');
  });

  test('auth api-query-params adds its parameter to the caller query', async () => {
    await fetch(`${server.url}/api/routes/qp/run?page=2`, { headers: ADMIN });
    expect(upstream.seen[0]?.url).toBe('/echo?page=2&api_key=q-456');
  });

  test('a wildcard route appends the sub-path; by id as by code', async () => {
    const id = [...server.standIn.routesApi.routes.values()].find((route) => route.code === 'wild')?.id;
    await fetch(`${server.url}/api/routes/wild/run/encounters/2026/batch?x=y`, { headers: ADMIN });
    await fetch(`${server.url}/api/routes/${id}/run/one`, { headers: ADMIN });
    expect(upstream.seen.map((seen) => seen.url)).toEqual(['/base/encounters/2026/batch?x=y', '/base/one']);
  });

  test('a sub-path on a route whose url does not end with /** is refused', async () => {
    const response = await fetch(`${server.url}/api/routes/echo/run/more`, { headers: ADMIN });
    const internalId = server.standIn.routesApi.internalIdOf(server.standIn.routesApi.find('echo')?.id ?? '');
    expect(response.status).toBe(legacy ? 400 : 502);
    expect(await response.json()).toEqual(
      legacy
        ? {
            httpStatus: 'Bad Request',
            httpStatusCode: 400,
            status: 'ERROR',
            message: `Route '${internalId}' does not allow sub-paths`,
            errorCode: 'E1003',
          }
        : { httpStatus: 'Bad Gateway', httpStatusCode: 502, status: 'ERROR', message: `Route '${internalId}' does not allow sub-paths` },
    );
    expect(upstream.seen).toEqual([]);
  });

  test('a POST body goes up byte for byte with its content type, and bytes come back untouched', async () => {
    const bytes = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37) % 256));
    const response = await fetch(`${server.url}/api/routes/wild/run/bytes`, {
      method: 'POST',
      headers: { ...ADMIN, 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    expect(response.status).toBe(201);
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
    expect(upstream.seen[0]?.body.equals(bytes)).toBe(true);
    expect(upstream.seen[0]?.headers['content-type']).toBe('application/octet-stream');
  });

  test.each(['PUT', 'PATCH', 'DELETE'])('%s is proxied with its method', async (method) => {
    const response = await fetch(`${server.url}/api/routes/wild/run/thing`, {
      method,
      headers: { ...ADMIN, 'content-type': 'application/json' },
      body: '{"n":1}',
    });
    expect(response.status).toBe(200);
    expect(upstream.seen[0]).toMatchObject({ method, url: '/base/thing' });
    expect(upstream.seen[0]?.body.toString()).toBe('{"n":1}');
  });

  test(
    legacy
      ? 'a gzip answer is decoded by HttpClient and comes back without its content-encoding'
      : 'a gzip answer comes back untouched, with its content-encoding',
    async () => {
      const answer = await wire(`${server.url}/api/routes/wild/run/gzip`, { ...ADMIN, 'accept-encoding': 'gzip' });
      expect(answer.status).toBe(200);
      if (legacy) {
        expect(answer.headers['content-encoding']).toBeUndefined();
        expect(answer.body.toString()).toBe('{"compressed":true}');
        expect(answer.headers['content-length']).toBe(String(answer.body.length));
      } else {
        const zipped = gzipSync(Buffer.from('{"compressed":true}'));
        expect(answer.headers['content-encoding']).toBe('gzip');
        expect(answer.headers['content-length']).toBe(String(zipped.length));
        expect(answer.body.equals(zipped)).toBe(true);
      }
    },
  );

  test('no answer within responseTimeoutSeconds', async () => {
    const started = Date.now();
    const response = await fetch(`${server.url}/api/routes/slow/run`, { headers: ADMIN });
    expect(Date.now() - started).toBeLessThan(2_400);
    if (legacy) {
      // RestTemplate's ResourceAccessException is a RestClientException: CrudControllerAdvice answers 503.
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        httpStatus: 'Service Unavailable',
        httpStatusCode: 503,
        status: 'ERROR',
        message: `I/O error on GET request for "${upstream.origin}/slow": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out`,
      });
    } else {
      // RouteService.retrieve: onErrorReturn(ReadTimeoutException → new ResponseEntity<>(GATEWAY_TIMEOUT)).
      expect(response.status).toBe(504);
      expect(await response.text()).toBe('');
    }
  });

  test('a refused connection', async () => {
    const response = await fetch(`${server.url}/api/routes/dead/run`, { headers: ADMIN });
    const body = (await response.json()) as Record<string, unknown>;
    if (legacy) {
      expect(response.status).toBe(503);
      expect(body).toMatchObject({ httpStatus: 'Service Unavailable', httpStatusCode: 503, status: 'ERROR' });
      expect(body.message).toBe(
        `I/O error on GET request for "http://127.0.0.1:${deadPort}/nothing": Connect to 127.0.0.1:${deadPort} [/127.0.0.1] failed: Connection refused; ` +
          `nested exception is org.apache.http.conn.HttpHostConnectException: Connect to 127.0.0.1:${deadPort} [/127.0.0.1] failed: Connection refused`,
      );
    } else {
      // WebClientRequestException reaches CrudControllerAdvice.defaultExceptionHandler: error(cause message).
      expect(response.status).toBe(500);
      expect(body).toEqual({
        httpStatus: 'Internal Server Error',
        httpStatusCode: 500,
        status: 'ERROR',
        message: `Connection refused: /127.0.0.1:${deadPort}`,
      });
    }
  });

  test('an unknown or disabled route is 404', async () => {
    for (const code of ['nosuchroute', 'off']) {
      const response = await fetch(`${server.url}/api/routes/${code}/run`, { headers: ADMIN });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        httpStatus: 'Not Found',
        httpStatusCode: 404,
        status: 'ERROR',
        message: legacy ? `Route ${code} not found` : `Route not found: '${code}'`,
        errorCode: 'E1005',
      });
    }
  });

  test('403 for a user who is not a superuser, not the creator, and holds none of the route authorities', async () => {
    const clerk = { authorization: `ApiToken ${CLERK_TOKEN}` };
    const response = await fetch(`${server.url}/api/routes/echo/run`, { headers: clerk });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      httpStatus: 'Forbidden',
      httpStatusCode: 403,
      status: 'ERROR',
      message: legacy ? 'User not authorized' : 'User not authorized to execute route',
      errorCode: 'E1006',
    });
    expect(upstream.seen).toEqual([]);

    // With the route's authority the same user may run it, and is named upstream.
    server.standIn.addUser({ id: 'UserNurse01', username: 'nurse', password: 'pw', authorities: ['M_smc-clinic'], personalAccessTokens: [] });
    const nurse = { authorization: basicAuthorization('nurse', 'pw') };
    expect((await fetch(`${server.url}/api/routes/app/run`, { headers: nurse })).status).toBe(200);
    expect(upstream.seen[0]?.headers['x-forwarded-user']).toBe('nurse');
  });

  test('a browser session (the app through the data engine) is held to the same authorities; X-Forwarded-User is its username', async () => {
    const login = async (username: string, password: string) => {
      const response = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest' },
        body: JSON.stringify({ username, password }),
      });
      return (response.headers.get('set-cookie') ?? '').split(';')[0] as string;
    };
    server.standIn.addUser({ username: 'visitor', password: 'pw', authorities: ['F_DATAVALUE_ADD'] });
    server.standIn.addUser({
      username: 'awa',
      password: 'pw',
      userRoles: [{ id: 'RoleClinic1', name: 'Clinician', authorities: ['M_smcclinic', 'M_smc-clinic', 'F_DATAVALUE_ADD'] }],
    });
    // As app-runtime sends it: XHR, JSON, an empty Authorization header, the cookie.
    const engine = (cookie: string) => ({ cookie, authorization: '', 'x-requested-with': 'XMLHttpRequest', accept: 'application/json', 'content-type': 'application/json' });
    const refused = await fetch(`${server.url}/api/41/routes/app/run`, { method: 'POST', headers: engine(await login('visitor', 'pw')), body: '{"a":1}' });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ errorCode: 'E1006' });
    expect(upstream.seen).toEqual([]);

    const cookie = await login('awa', 'pw');
    const ran = await fetch(`${server.url}/api/41/routes/app/run`, { method: 'POST', headers: engine(cookie), body: '{"a":1}' });
    expect(ran.status).toBe(200);
    expect(upstream.seen[0]).toMatchObject({ method: 'POST', body: Buffer.from('{"a":1}') });
    expect(upstream.seen[0]?.headers['x-forwarded-user']).toBe('awa');
    // Neither the session cookie nor the (empty) Authorization header goes upstream.
    expect(upstream.seen[0]?.headers.cookie).toBeUndefined();
    expect(upstream.seen[0]?.headers.authorization).toBeUndefined();
  });

  test('the creator of a route may run it without ALL', async () => {
    const clerk = { authorization: `ApiToken ${CLERK_TOKEN}` };
    await createRoute(server, { code: `mine${version.replace('.', '')}`, url: `${upstream.origin}/echo` }, clerk);
    const response = await fetch(`${server.url}/api/routes/mine${version.replace('.', '')}/run`, { headers: clerk });
    expect(response.status).toBe(200);
    expect(upstream.seen[0]?.headers['x-forwarded-user']).toBe('clerk');
  });

  test('the request log shows the status the caller got', async () => {
    await fetch(`${server.url}/api/routes/wild/run/missing`, { headers: ADMIN });
    expect(server.standIn.requests.at(-1)).toMatchObject({ method: 'GET', path: '/api/routes/wild/run/missing', status: 404 });
  });
});

test('2.42: a stored route whose url route.remote_servers_allowed no longer permits answers 503 with no body', async () => {
  const server = await startDhis2StandInServer({ version: '2.42', routeRemoteServersAllowed: 'http://127.0.0.1:*' });
  try {
    await createRoute(server, { code: 'plain', url: `${upstream.origin}/echo` });
    // dhis.conf edited back to the default (https://*) and the server restarted; the route stays stored.
    server.standIn.routeRemoteServersAllowed = 'https://*';
    const response = await fetch(`${server.url}/api/routes/plain/run`, { headers: ADMIN });
    expect(response.status).toBe(503);
    expect(await response.text()).toBe('');
    expect(upstream.seen).toEqual([]);
  } finally {
    await server.close();
  }
});

test('the core only plans: handle() returns the outbound request it decided, the transport makes it', () => {
  const standIn = new Dhis2StandIn();
  standIn.routesApi.handle('POST', '', {}, { code: 'echo', name: 'Echo', url: 'https://upstream.example.org/v1/**', headers: { 'X-A': '1' } }, { id: 'xE7jOejl9FI' });
  const answer = standIn.handle({
    method: 'POST',
    path: '/api/routes/echo/run/items',
    query: { q: ['1'] },
    headers: { ...ADMIN, 'content-type': 'application/json', 'x-other': 'dropped' },
    body: '{"a":1}',
  });
  expect(answer.proxy?.request).toEqual({
    method: 'POST',
    url: 'https://upstream.example.org/v1/items?q=1',
    headers: [
      ['content-type', 'application/json'],
      ['X-A', '1'],
      ['X-Forwarded-User', 'admin'],
      ['Accept-Encoding', 'gzip,deflate'],
    ],
    body: Buffer.from('{"a":1}'),
    timeoutMs: 5_000,
    decompress: true,
  });
});

test('msw: a route run is carried out the same way', async () => {
  const msw = setupDhis2Msw();
  try {
    msw.standIn.routesApi.handle('POST', '', {}, { code: 'echo', name: 'Echo', url: `${upstream.origin}/echo` }, { id: 'xE7jOejl9FI' });
    const response = await fetch(`${msw.baseUrl}/api/routes/echo/run?z=9`, { headers: { ...ADMIN, 'x-custom': 'no' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, path: '/echo' });
    expect(response.headers.get('x-upstream-secret')).toBeNull();
    expect(upstream.seen[0]).toMatchObject({ url: '/echo?z=9', headers: expect.objectContaining({ 'x-forwarded-user': 'admin' }) });
    expect(upstream.seen[0]?.headers['x-custom']).toBeUndefined();
  } finally {
    msw.close();
  }
});
