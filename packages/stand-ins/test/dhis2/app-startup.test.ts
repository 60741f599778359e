// The whole start-up of a built DHIS2 platform app against the stand-in's HTTP server, in the order
// /work/notes/app-startup.md §1.1 observed it (cli-app-scripts 12.11, app-runtime 3.17, ui 10.14), with the
// headers each caller sends: a clinician signs in through the app-shell's login dialog (§3.5:
// GET /api/loginConfig, POST /api/auth/login) and the session cookie carries every later request. Each
// answer must be 200 (system/info and me exactly 200, §1.3) with the shapes whose absence is fatal:
// `version` in system/info, `name` a string in me, `keyUiLocale` in userSettings, a `modules` array.
// The same again from a dev server on another port, through CORS.
import { basicAuthorization, startDhis2StandInServer, type Dhis2StandInServer } from '../../src/dhis2/index.js';
import { makeFakeApp, PRECACHED } from './fake-app.js';

const FACILITY = 'OuFacility1';

let server: Dhis2StandInServer;
let remove: () => void;

beforeAll(async () => {
  const app = makeFakeApp();
  remove = app.remove;
  server = await startDhis2StandInServer({
    version: '2.41.3',
    apps: [{ directory: app.directory }],
    corsWhitelist: ['http://localhost:3000'],
    systemSettings: { applicationTitle: 'SMC bridge' },
    metadata: {
      organisationUnits: [
        { id: 'OuCountry01', code: 'CM', name: 'Cameroon', shortName: 'Cameroon', openingDate: '2000-01-01' },
        { id: FACILITY, code: 'CM_NW_BAM_CSI001', name: 'CSI Bambui', shortName: 'CSI Bambui', openingDate: '2000-01-01', parent: { id: 'OuCountry01' } },
      ],
    },
  });
  server.standIn.addUser({
    id: 'UserNurse01',
    username: 'awa',
    password: 'Clinic-2026',
    firstName: 'Awa',
    surname: 'Ngono',
    organisationUnits: [FACILITY],
    userRoles: [{ id: 'RoleClinic1', name: 'Clinician', authorities: ['M_smcclinic', 'M_smc-clinic', 'F_DATAVALUE_ADD'] }],
    settings: { keyUiLocale: 'fr' },
  });
});
afterAll(async () => {
  await server.close();
  remove();
});

/** ServerVersionProvider's plain fetch (adapter/src/utils/api.js). */
const ADAPTER = { 'x-requested-with': 'XMLHttpRequest', accept: 'application/json' };
/** The data engine (RestAPILink fetchData): the same plus an empty Authorization header. */
const ENGINE = { ...ADAPTER, authorization: '' };

async function json(response: Response): Promise<Record<string, unknown>> {
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return (await response.json()) as Record<string, unknown>;
}

async function signIn(base: string, extra: Record<string, string> = {}): Promise<string> {
  // The login dialog (LoginModal.js): loginConfig answered 200, so the 2.41 JSON login.
  expect((await fetch(`${base}/api/loginConfig`, { headers: { ...ADAPTER, ...extra } })).status).toBe(200);
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { ...ADAPTER, ...extra, 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'awa', password: 'Clinic-2026' }),
  });
  expect(login.status).toBe(200);
  expect(await login.json()).toMatchObject({ loginStatus: 'SUCCESS' });
  return (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
}

test('same origin: every start-up request of notes §1.1 answers 200 with the shapes the app needs', async () => {
  const appUrl = `${server.url}/api/apps/smc-clinic`;
  // Before signing in, the adapter's first two calls fail with 401 and the app-shell shows its login dialog.
  expect((await fetch(`${server.url}/api/me`, { headers: ADAPTER })).status).toBe(401);
  const cookie = await signIn(server.url);
  const browser = { cookie };

  // #1 navigation: the bare app URL redirects to its folder; #2 index.html, assets, manifest.json.
  const bare = await fetch(appUrl, { headers: browser, redirect: 'manual' });
  expect(bare.status).toBe(302);
  expect(bare.headers.get('location')).toBe(`${appUrl}/`);
  const index = await fetch(`${appUrl}/`, { headers: browser });
  expect(index.status).toBe(200);
  const html = await index.text();
  expect(html).toContain(`<meta name="dhis2-base-url" content="${server.url}">`);
  for (const asset of ['assets/main-abc123.js', 'assets/main-abc123.css', 'manifest.json', 'favicon.ico']) {
    expect((await fetch(`${appUrl}/${asset}`, { headers: browser })).status).toBe(200);
  }
  // #3 checkValidSW: JavaScript, not 404.
  const sw = await fetch(`${appUrl}/service-worker.js`, { headers: { ...browser, 'service-worker': 'script' } });
  expect(sw.status).toBe(200);
  expect(sw.headers.get('content-type')).toContain('javascript');

  // #5, #6: exactly 200; `version` gives the API version (2.41.3 → /api/41).
  const info = await fetch(`${server.url}/api/system/info`, { headers: { ...ADAPTER, ...browser } });
  expect(info.status).toBe(200);
  const version = (await json(info))['version'];
  expect(version).toBe('2.41.3');
  const v = Number(String(version).split(/[.-]/)[1]);
  const me = await fetch(`${server.url}/api/me`, { headers: { ...ADAPTER, ...browser } });
  expect(me.status).toBe(200);
  expect(await json(me)).toMatchObject({ id: 'UserNurse01', name: 'Awa Ngono' });

  // #7 the locale (fatal when it fails), #8 the user id (fatal when it fails).
  const settings = await json(await fetch(`${server.url}/api/${v}/userSettings`, { headers: { ...ENGINE, ...browser } }));
  expect(settings['keyUiLocale']).toBe('fr');
  expect(await json(await fetch(`${server.url}/api/${v}/me?fields=id`, { headers: { ...ENGINE, ...browser } }))).toEqual({ id: 'UserNurse01' });

  // #9, #10 the SW registration fetch and the lazy App chunk.
  expect((await fetch(`${appUrl}/service-worker.js`, { headers: browser })).status).toBe(200);
  expect((await fetch(`${appUrl}/assets/App-def456.js`, { headers: browser })).status).toBe(200);

  // #11–#15 the header bar's five queries, fired together.
  const [title, help, user, apps, notifications] = await Promise.all(
    [
      `/api/${v}/systemSettings/applicationTitle`,
      `/api/${v}/systemSettings/helpPageLink`,
      `/api/${v}/me?fields=${encodeURIComponent('authorities,avatar,email,name,settings')}`,
      '/dhis-web-commons/menu/getModules.action',
      `/api/${v}/me/dashboard`,
    ].map(async (path) => {
      const response = await fetch(`${server.url}${path}`, { headers: { ...ENGINE, ...browser } });
      expect(response.status).toBe(200);
      return json(response);
    }),
  );
  expect(title).toEqual({ applicationTitle: 'SMC bridge' });
  expect(typeof help?.['helpPageLink']).toBe('string');
  expect(typeof user?.['name']).toBe('string'); // the avatar's initials: fatal when missing
  expect(user).toMatchObject({ authorities: ['M_smcclinic', 'M_smc-clinic', 'F_DATAVALUE_ADD'], settings: { keyUiLocale: 'fr' } });
  expect(Array.isArray(apps?.['modules'])).toBe(true); // `data.apps.modules.map`: fatal when missing
  expect(apps?.['modules']).toEqual([expect.objectContaining({ name: 'smc-clinic', defaultAction: `${appUrl}/index.html` })]);
  expect(notifications).toEqual({ unreadInterpretations: 0, unreadMessageConversations: 0 });

  // #16 the logo: 404 as on a server without a custom one (tolerated: the default logo shows).
  const logo = await fetch(`${server.url}/api/${v}/staticContent/logo_banner`, { headers: { ...ENGINE, ...browser } });
  expect(logo.status).toBe(404);
  expect(await logo.json()).toMatchObject({ message: 'No custom file found.' });

  // #17 the service worker precaches index.html?redirect=false and every other file: all 200.
  for (const file of PRECACHED) {
    expect({ file, status: (await fetch(`${appUrl}/${file}`, { headers: browser })).status }).toEqual({ file, status: 200 });
  }

  // #18 the app's own queries: a data store key (404 first, then created), the facility picker, the route.
  const missing = await fetch(`${server.url}/api/${v}/dataStore/smc-clinic/settings`, { headers: { ...ENGINE, ...browser } });
  expect(missing.status).toBe(404);
  expect(await missing.json()).toMatchObject({ message: "Key 'settings' not found in namespace 'smc-clinic'" });
  const created = await fetch(`${server.url}/api/${v}/dataStore/smc-clinic/settings`, {
    method: 'POST',
    headers: { ...ENGINE, ...browser, 'content-type': 'application/json' },
    body: JSON.stringify({ lastFacility: FACILITY }),
  });
  expect(created.status).toBe(201);
  const picker = await fetch(
    `${server.url}/api/${v}/me?fields=${encodeURIComponent('id,organisationUnits[id,code,displayName,level,path]')}`,
    { headers: { ...ENGINE, ...browser } },
  );
  expect(await json(picker)).toEqual({
    id: 'UserNurse01',
    organisationUnits: [{ id: FACILITY, code: 'CM_NW_BAM_CSI001', displayName: 'CSI Bambui', level: 2, path: `/OuCountry01/${FACILITY}` }],
  });

  // Later: the connection-status ping (plain fetch, same origin, so with the cookie).
  expect((await fetch(`${server.url}/api/ping`, { headers: browser })).status).toBe(200);
});

test('from a dev server on another port (d2-app-scripts start): preflights answered, every answer carries CORS for the cookie', async () => {
  const origin = 'http://localhost:3000';
  const cors = { origin };
  // The preflights §2.3 lists, each 204 with the method and headers echoed.
  for (const [path, method, headers] of [
    ['/api/loginConfig', 'GET', 'x-requested-with'],
    ['/api/auth/login', 'POST', 'content-type,x-requested-with'],
    ['/api/system/info', 'GET', 'x-requested-with'],
    ['/api/41/userSettings', 'GET', 'authorization,x-requested-with'],
    ['/api/41/dataStore/smc-clinic/settings', 'POST', 'authorization,content-type,x-requested-with'],
  ] as const) {
    const preflight = await fetch(`${server.url}${path}`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
    });
    expect({ path, status: preflight.status, methods: preflight.headers.get('access-control-allow-methods'), headers: preflight.headers.get('access-control-allow-headers') }).toEqual({
      path,
      status: 204,
      methods: method,
      headers,
    });
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
  }
  const cookie = await signIn(server.url, cors);
  for (const path of ['/api/system/info', '/api/me', '/api/41/userSettings', '/api/41/me?fields=id', '/dhis-web-commons/menu/getModules.action', '/api/41/me/dashboard']) {
    const response = await fetch(`${server.url}${path}`, { headers: { ...ENGINE, ...cors, cookie } });
    expect({ path, status: response.status }).toEqual({ path, status: 200 });
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('vary')).toContain('Origin');
  }
  // The ping sends no cookie cross-origin: refused, but with CORS headers, so the app still reads "connected".
  const ping = await fetch(`${server.url}/api/ping`, { headers: cors, redirect: 'manual' });
  expect(ping.status).toBe(302);
  expect(ping.headers.get('access-control-allow-origin')).toBe(origin);
});

test('a clinician without the app authority signs in, but the app is not served to them', async () => {
  server.standIn.addUser({ username: 'visitor', password: 'pw', authorities: ['F_DATAVALUE_ADD'] });
  expect((await fetch(`${server.url}/api/apps/smc-clinic/`, { headers: { authorization: basicAuthorization('visitor', 'pw') } })).status).toBe(404);
});
