// A built app served as DHIS2 serves an installed one (dhis2-core 2.41 AppController.renderApp /
// serveResource, DefaultAppManager, JCloudsAppStorageService; Tomcat 9.0.111 MIME types): a tiny fake
// `build/app/` folder over the HTTP server, every answer checked, and the app in /api/apps and in the
// header bar's getModules.action.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { basicAuthorization, Dhis2StandIn, startDhis2StandInServer, type Dhis2StandInServer } from '../../src/dhis2/index.js';
import { seeAppAuthority, urlFriendlyName } from '../../src/dhis2/installed-apps.js';
import { FONT, INDEX_HTML, makeFakeApp, MANIFEST_WEBAPP, PNG } from './fake-app.js';

let folder: string;
let server: Dhis2StandInServer;
const ADMIN = { authorization: basicAuthorization('admin', 'district') };
const CLINICIAN = { authorization: basicAuthorization('awa', 'pw') };
const OUTSIDER = { authorization: basicAuthorization('visitor', 'pw') };

let remove: () => void;

beforeAll(async () => {
  ({ directory: folder, remove } = makeFakeApp());
  server = await startDhis2StandInServer({ apps: [{ directory: folder }] });
  server.standIn.addUser({ username: 'awa', password: 'pw', userRoles: [{ id: 'RoleClinic1', name: 'Clinician', authorities: ['M_smcclinic', 'F_DATAVALUE_ADD'] }] });
  server.standIn.addUser({ username: 'visitor', password: 'pw', authorities: ['F_DATAVALUE_ADD'] });
});
afterAll(async () => {
  await server.close();
  remove();
});

const app = (path = '') => `${server.url}/api/apps/smc-clinic${path}`;

test('the key and the see-app authority as App.java derives them from short_name', () => {
  expect(urlFriendlyName('smc-clinic')).toBe('smc-clinic');
  expect(urlFriendlyName('WHO Data Quality Tool')).toBe('WHO-Data-Quality-Tool');
  expect(seeAppAuthority('smc-clinic')).toBe('M_smcclinic');
  expect(seeAppAuthority('WHO Data Quality Tool')).toBe('M_WHO_Data_Quality_Tool');
});

test('/api/apps/smc-clinic redirects to the trailing slash, which serves index.html', async () => {
  const bare = await fetch(app(), { headers: ADMIN, redirect: 'manual' });
  expect(bare.status).toBe(302);
  expect(bare.headers.get('location')).toBe(`${server.url}/api/apps/smc-clinic/`);
  const slash = await fetch(app('/'), { headers: ADMIN });
  expect(slash.status).toBe(200);
  expect(slash.headers.get('content-type')).toBe('text/html');
  expect(await slash.text()).toContain(`content="${server.url}"`);
});

test('index.html: __DHIS2_BASE_URL__ → the server, __DHIS2_APP_ROOT_URL__ → the app, line by line with \\n, also ?redirect=false', async () => {
  for (const path of ['/index.html', '/index.html?redirect=false']) {
    const response = await fetch(app(path), { headers: ADMIN });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toBe(
      `${INDEX_HTML.replaceAll('__DHIS2_BASE_URL__', server.url).replaceAll('__DHIS2_APP_ROOT_URL__', `${server.url}/api/apps/smc-clinic`).split('\r\n').join('\n')}\n`,
    );
    expect(Number(response.headers.get('content-length'))).toBe(Buffer.byteLength(text));
    expect(response.headers.get('last-modified')).toMatch(/GMT$/);
    expect(response.headers.get('cache-control')).toBeNull(); // 2.41: no AppHtmlNoCacheFilter
  }
  // Any index.html is rewritten; other files never are.
  expect(await (await fetch(app('/docs/'), { headers: ADMIN })).text()).toBe(`<p>${server.url} docs</p>\n`);
  expect(await (await fetch(app('/assets/main-abc123.js'), { headers: ADMIN })).text()).toContain('__DHIS2_BASE_URL__');
});

test.each([
  ['/service-worker.js', 'text/javascript'],
  ['/assets/main-abc123.js', 'text/javascript'],
  ['/assets/main-abc123.css', 'text/css'],
  ['/fonts/roboto.woff2', 'font/woff2'],
  ['/dhis2-app-icon.png', 'image/png'],
  ['/logo.svg', 'image/svg+xml'],
  ['/manifest.json', 'application/json'],
  ['/app.webmanifest', null],
  ['/assets/main-abc123.js.map', null],
])('%s is served byte for byte as %s (Tomcat 9.0.111 web.xml)', async (path, type) => {
  const response = await fetch(app(path), { headers: ADMIN });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe(type);
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  const bytes = Buffer.from(await response.arrayBuffer());
  if (path.endsWith('.woff2')) expect(bytes).toEqual(FONT);
  if (path.endsWith('.png')) expect(bytes).toEqual(PNG);
  expect(Number(response.headers.get('content-length'))).toBe(bytes.length);
});

test('the service worker check (Service-Worker: script) gets JavaScript; If-Modified-Since → 304', async () => {
  const script = await fetch(app('/service-worker.js'), { headers: { ...ADMIN, 'service-worker': 'script' } });
  expect(script.status).toBe(200);
  expect(script.headers.get('content-type')).toContain('javascript');
  expect(script.headers.get('last-modified')).toBe('Sun, 01 Nov 2026 08:00:00 GMT');
  const again = await fetch(app('/service-worker.js'), { headers: { ...ADMIN, 'if-modified-since': 'Sun, 01 Nov 2026 08:00:00 GMT' } });
  expect(again.status).toBe(304);
  expect(await again.text()).toBe('');
  expect((await fetch(app('/service-worker.js'), { headers: { ...ADMIN, 'if-modified-since': 'Sat, 31 Oct 2026 08:00:00 GMT' } })).status).toBe(200);
});

test('manifest.webapp is the App object with activities.dhis.href = the server (DefaultAppManager.handlingManifest)', async () => {
  const response = await fetch(app('/manifest.webapp'), { headers: ADMIN });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBeNull();
  expect(JSON.parse(await response.text())).toMatchObject({
    short_name: 'smc-clinic',
    name: 'SMC Clinic',
    key: 'smc-clinic',
    activities: { dhis: { href: server.url, namespace: 'smc-clinic' } },
    baseUrl: `${server.url}/api/apps/smc-clinic`,
    launchUrl: `${server.url}/api/apps/smc-clinic/index.html`,
  });
});

test('a directory redirects to itself with /; missing files and escapes are 404; unknown apps 404 "App … not found."', async () => {
  const directory = await fetch(app('/assets'), { headers: ADMIN, redirect: 'manual' });
  expect(directory.status).toBe(302);
  expect(directory.headers.get('location')).toBe(`${server.url}/api/apps/smc-clinic/assets/`);
  expect((await fetch(app('/assets/missing.js'), { headers: ADMIN })).status).toBe(404);
  // fetch folds `..` itself; an encoded slash reaches the server and is refused there.
  const escape = server.standIn.handle({ method: 'GET', path: '/api/apps/smc-clinic/..%2F..%2F..%2Fetc%2Fpasswd', headers: { ...ADMIN, host: 'h' } });
  expect(escape.status).toBe(404);
  const unknown = await fetch(`${server.url}/api/apps/nothing/`, { headers: ADMIN });
  expect(unknown.status).toBe(404);
  expect(await unknown.json()).toEqual({ httpStatus: 'Not Found', httpStatusCode: 404, status: 'ERROR', message: "App 'nothing' not found." });
});

test('the app is served to a user with M_smcclinic (App.getSeeAppAuthority) or ALL; to others it does not exist', async () => {
  expect((await fetch(app('/'), { headers: CLINICIAN })).status).toBe(200);
  const outsider = await fetch(app('/'), { headers: OUTSIDER });
  expect(outsider.status).toBe(404);
  expect(await outsider.json()).toMatchObject({ message: "App 'smc-clinic' not found." });
  // Without a session a browser is sent to log in first, as DHIS2 does for every /api path.
  const anonymous = await fetch(app('/'), { redirect: 'manual' });
  expect(anonymous.status).toBe(302);
  expect(anonymous.headers.get('location')).toBe(`${server.url}/dhis-web-login`);
});

test('GET /api/apps lists the App objects the user may see; ?key= and filter= narrow it', async () => {
  const apps = (await (await fetch(`${server.url}/api/apps`, { headers: ADMIN })).json()) as Record<string, unknown>[];
  expect(apps).toEqual([
    expect.objectContaining({
      key: 'smc-clinic',
      short_name: 'smc-clinic',
      name: 'SMC Clinic',
      appType: 'APP',
      version: '0.1.0',
      launch_path: 'index.html',
      baseUrl: `${server.url}/api/apps/smc-clinic`,
      launchUrl: `${server.url}/api/apps/smc-clinic/index.html`,
      appState: 'OK',
      appStorageSource: 'JCLOUDS',
      bundled: false,
      core_app: false,
    }),
  ]);
  expect(await (await fetch(`${server.url}/api/41/apps`, { headers: OUTSIDER })).json()).toEqual([]);
  expect((await fetch(`${server.url}/api/apps?key=nothing`, { headers: ADMIN })).status).toBe(404);
  expect(await (await fetch(`${server.url}/api/apps?filter=name:ilike:clinic`, { headers: ADMIN })).json()).toHaveLength(1);
  expect(await (await fetch(`${server.url}/api/apps?filter=appType:eq:DASHBOARD_WIDGET`, { headers: ADMIN })).json()).toEqual([]);
});

test("getModules.action puts the app in the header bar's menu (Module.getModule, jsonModules.vm), for those who may see it", async () => {
  const response = await fetch(`${server.url}/dhis-web-commons/menu/getModules.action`, { headers: CLINICIAN });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/json;charset=UTF-8');
  expect(response.headers.get('cache-control')).toBe('no-cache, no-store, max-age=0, must-revalidate');
  expect(await response.json()).toEqual({
    modules: [
      {
        name: 'smc-clinic',
        namespace: 'smc-clinic',
        defaultAction: `${server.url}/api/apps/smc-clinic/index.html`,
        displayName: 'SMC Clinic',
        icon: `${server.url}/api/apps/smc-clinic/dhis2-app-icon.png`,
        description: MANIFEST_WEBAPP.description.slice(0, 80),
      },
    ],
  });
  expect(await (await fetch(`${server.url}/dhis-web-commons/menu/getModules.action`, { headers: OUTSIDER })).json()).toEqual({ modules: [] });
  expect(await (await fetch(`${server.url}/api/apps/menu`, { headers: CLINICIAN })).json()).toMatchObject({ modules: [{ name: 'smc-clinic' }] });
});

test('`/` and a login without a saved page lead to the app (the start module defaults to app:<first app>)', async () => {
  const root = await fetch(`${server.url}/`, { headers: ADMIN, redirect: 'manual' });
  expect(root.headers.get('location')).toBe(`${server.url}/api/apps/smc-clinic/index.html`);
  expect(server.standIn.settings.startModule).toBe('app:smc-clinic');
});

test('2.42+: index.html and directory paths get no-store (AppHtmlNoCacheFilter); other files not', () => {
  const standIn = new Dhis2StandIn({ version: '2.42', apps: [{ directory: folder }] });
  const get = (path: string) => standIn.handle({ method: 'GET', path, headers: { ...ADMIN, host: 'h' } });
  expect(get('/api/apps/smc-clinic/').headers['cache-control']).toBe('no-cache, no-store, max-age=0, must-revalidate');
  expect(get('/api/apps/smc-clinic/index.html').headers['cache-control']).toBe('no-cache, no-store, max-age=0, must-revalidate');
  expect(get('/api/apps/smc-clinic/service-worker.js').headers['cache-control']).toBeUndefined();
});

test('an app named in the options, without a manifest: served under that name', () => {
  const bare = mkdtempSync(join(tmpdir(), 'smc-bare-'));
  try {
    writeFileSync(join(bare, 'index.html'), '<meta name="dhis2-base-url" content="__DHIS2_BASE_URL__">');
    const standIn = new Dhis2StandIn({ apps: [{ name: 'probe', directory: bare }] });
    const answer = standIn.handle({ method: 'GET', path: '/api/apps/probe/', headers: { ...ADMIN, host: '127.0.0.1:9' } });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('<meta name="dhis2-base-url" content="http://127.0.0.1:9">\n');
  } finally {
    rmSync(bare, { recursive: true, force: true });
  }
});
