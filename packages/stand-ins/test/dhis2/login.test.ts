// Browser sign-in (login.ts, sessions.ts): loginConfig and POST /api/auth/login (2.41+,
// LoginConfigController, AuthenticationController), the form login 2.40 uses, logout, the entry point's
// 401/302, and the JSESSIONID cookie authenticating every endpoint as Basic and PAT do — what the
// app-shell's login dialog sends (notes/app-startup.md §3.5; app-platform adapter LoginModal.js).
import { basicAuthorization, Dhis2StandIn, startDhis2StandInServer, type Dhis2StandInServer } from '../../src/dhis2/index.js';

const XHR = { 'x-requested-with': 'XMLHttpRequest', accept: 'application/json' };
const UNAUTHORIZED = { httpStatus: 'Unauthorized', httpStatusCode: 401, status: 'ERROR', message: 'Unauthorized' };

function cookieOf(setCookie: string | null | undefined): string {
  expect(setCookie).toMatch(/^JSESSIONID=[0-9A-F]{32}; Path=\/; HttpOnly; SameSite=Lax$/);
  return (setCookie as string).split(';')[0] as string;
}

describe('over HTTP (2.41)', () => {
  let server: Dhis2StandInServer;
  beforeAll(async () => {
    server = await startDhis2StandInServer({ version: '2.41.3' });
    server.standIn.addUser({ id: 'UserNurse01', username: 'awa', password: 'Clinic-2026', userRoles: [{ id: 'RoleClinic1', name: 'Clinician', authorities: ['F_DATAVALUE_ADD'] }] });
  });
  afterAll(async () => {
    await server.close();
  });

  test('GET /api/loginConfig is public and answers LoginConfigResponse with the defaults (null fields left out)', async () => {
    const response = await fetch(`${server.url}/api/loginConfig`, { headers: XHR });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      apiVersion: '2.41.3',
      applicationTitle: 'DHIS 2',
      countryFlag: 'dhis2',
      uiLocale: 'en',
      loginPopup: '',
      loginPageLayout: 'DEFAULT',
      recaptchaSite: '6LcVwT0UAAAAAAkO_EGPiYOiymIszZUeHfqWIYX5',
      emailConfigured: false,
      selfRegistrationEnabled: false,
      selfRegistrationNoRecaptcha: false,
      allowAccountRecovery: false,
      useCustomLogoFront: false,
      oidcProviders: [],
    });
  });

  test("the login dialog's POST /api/auth/login sets JSESSIONID, and the cookie then authenticates every endpoint", async () => {
    const before = await fetch(`${server.url}/api/me`, { headers: XHR });
    expect(before.status).toBe(401);
    expect(await before.json()).toEqual(UNAUTHORIZED);

    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { ...XHR, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'awa', password: 'Clinic-2026' }),
    });
    expect(login.status).toBe(200);
    // AuthenticationController.getRedirectUrl: contextPath + "/" + startModule (no trailing slash).
    expect(await login.json()).toEqual({ loginStatus: 'SUCCESS', redirectUrl: '/dhis-web-dashboard' });
    const cookie = cookieOf(login.headers.get('set-cookie'));
    expect(server.standIn.sessions.of('UserNurse01')).toHaveLength(1);

    // The data engine sends an empty Authorization header; the session decides.
    const engine = { ...XHR, cookie, authorization: '' };
    const me = await fetch(`${server.url}/api/41/me?fields=id,username`, { headers: engine });
    expect(await me.json()).toEqual({ id: 'UserNurse01', username: 'awa' });
    expect((await fetch(`${server.url}/api/41/userSettings`, { headers: engine })).status).toBe(200);
    expect((await fetch(`${server.url}/dhis-web-commons/menu/getModules.action`, { headers: engine })).status).toBe(200);
    const stored = await fetch(`${server.url}/api/41/dataStore/smc/settings`, { method: 'PUT', headers: { ...engine, 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(stored.status).toBe(201);

    // Basic and PAT still work alongside; a Basic header wins over the session.
    const basic = await fetch(`${server.url}/api/me?fields=username`, { headers: { cookie, authorization: basicAuthorization('admin', 'district') } });
    expect(await basic.json()).toEqual({ username: 'admin' });

    // Logout ends the session and clears the cookie; the cookie no longer authenticates.
    const logout = await fetch(`${server.url}/dhis-web-commons-security/logout.action`, { headers: { cookie }, redirect: 'manual' });
    expect(logout.status).toBe(302);
    expect(logout.headers.get('location')).toBe('/');
    expect(logout.headers.get('set-cookie')).toBe('JSESSIONID=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:10 GMT; Path=/');
    expect((await fetch(`${server.url}/api/me`, { headers: { ...XHR, cookie } })).status).toBe(401);
  });

  test('bad credentials: 401 "Bad credentials", no cookie; a disabled account: 200 ACCOUNT_DISABLED', async () => {
    for (const body of [{ username: 'awa', password: 'wrong' }, { username: 'nobody', password: 'x' }, {}]) {
      const response = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { ...XHR, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ httpStatus: 'Unauthorized', httpStatusCode: 401, status: 'ERROR', message: 'Bad credentials' });
      expect(response.headers.get('set-cookie')).toBeNull();
    }
    server.standIn.addUser({ username: 'gone', password: 'pw', disabled: true });
    const disabled = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { ...XHR, 'content-type': 'application/json' }, body: JSON.stringify({ username: 'gone', password: 'pw' }) });
    expect(await disabled.json()).toEqual({ loginStatus: 'ACCOUNT_DISABLED' });
  });

  test('a navigation without a session goes to the login page and, after the form login, back where it was', async () => {
    const first = await fetch(`${server.url}/api/apps/smc-clinic/`, { redirect: 'manual' });
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe(`${server.url}/dhis-web-login`);
    const anonymous = cookieOf(first.headers.get('set-cookie'));

    const page = await fetch(`${server.url}/dhis-web-login`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('action="/dhis-web-commons-security/login.action"');

    const wrong = await fetch(`${server.url}/dhis-web-commons-security/login.action`, {
      method: 'POST',
      headers: { cookie: anonymous, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'j_username=awa&j_password=nope',
      redirect: 'manual',
    });
    expect(wrong.status).toBe(302);
    expect(wrong.headers.get('location')).toBe('/dhis-web-commons/security/login.action?failed=true');
    expect(await (await fetch(`${server.url}/dhis-web-commons/security/login.action?failed=true`)).text()).toContain('Wrong username or password');

    const right = await fetch(`${server.url}/dhis-web-commons-security/login.action`, {
      method: 'POST',
      headers: { cookie: anonymous, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'j_username=awa&j_password=Clinic-2026',
      redirect: 'manual',
    });
    expect(right.status).toBe(302);
    expect(right.headers.get('location')).toBe(`${server.url}/api/apps/smc-clinic/`);
    const signedIn = cookieOf(right.headers.get('set-cookie'));
    expect(signedIn).not.toBe(anonymous); // session fixation protection
    expect((await fetch(`${server.url}/api/me`, { headers: { ...XHR, cookie: anonymous } })).status).toBe(401);
    expect((await fetch(`${server.url}/api/me`, { headers: { ...XHR, cookie: signedIn } })).status).toBe(200);
  });

  test('auth/login returns to a saved page (not to a saved file)', async () => {
    const first = await fetch(`${server.url}/api/apps/smc-clinic/index.html`, { redirect: 'manual' });
    const anonymous = cookieOf(first.headers.get('set-cookie'));
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { ...XHR, cookie: anonymous, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'awa', password: 'Clinic-2026' }),
    });
    expect(await login.json()).toEqual({ loginStatus: 'SUCCESS', redirectUrl: '/api/apps/smc-clinic/index.html' });
    const asset = await fetch(`${server.url}/api/apps/smc-clinic/main.js`, { redirect: 'manual' });
    const second = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { ...XHR, cookie: cookieOf(asset.headers.get('set-cookie')), 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'awa', password: 'Clinic-2026' }),
    });
    expect(await second.json()).toEqual({ loginStatus: 'SUCCESS', redirectUrl: '/dhis-web-dashboard' });
  });
});

test('2.40: no loginConfig or auth/login (unknown API paths); the dialog falls back to the form login', () => {
  const standIn = new Dhis2StandIn({ version: '2.40.1' });
  // Unauthenticated, an unknown path is refused like any other; authenticated, it is not found.
  expect(standIn.handle({ method: 'GET', path: '/api/loginConfig', headers: XHR }).status).toBe(401);
  expect(standIn.handle({ method: 'GET', path: '/api/loginConfig', headers: { authorization: basicAuthorization('admin', 'district') } }).status).toBe(404);
  expect(standIn.handle({ method: 'POST', path: '/api/auth/login', headers: XHR, body: '{"username":"admin","password":"district"}' }).status).toBe(401);
  // LoginModal (2.40): POST login.action, j_username & j_password, then reload whatever happens.
  const form = standIn.handle({
    method: 'POST',
    path: '/dhis-web-commons-security/login.action',
    headers: { ...XHR, 'content-type': 'application/x-www-form-urlencoded', host: 'localhost:8080' },
    body: 'j_username=admin&j_password=district',
  });
  expect(form.status).toBe(302);
  expect(form.headers['location']).toBe('/');
  const cookie = cookieOf(form.headers['set-cookie']);
  expect(JSON.parse(standIn.handle({ method: 'GET', path: '/api/40/me', query: { fields: 'name' }, headers: { ...XHR, cookie } }).body)).toEqual({ name: 'John Traore' });
  // The 2.40 entry point sends browsers to the old login page.
  expect(standIn.handle({ method: 'GET', path: '/api/me', headers: { host: 'h' } }).headers['location']).toBe('http://h/dhis-web-commons/security/login.action');
});

test('the entry point: XHR → 401 JSON; a Basic header (even a broken one) → 401; a navigation → 302; outside /api only XHR gets 401', () => {
  const standIn = new Dhis2StandIn();
  expect(JSON.parse(standIn.handle({ method: 'GET', path: '/api/me', headers: XHR }).body)).toEqual(UNAUTHORIZED);
  expect(standIn.handle({ method: 'GET', path: '/api/me', headers: { authorization: 'Basic !!' } }).status).toBe(401);
  const navigation = standIn.handle({ method: 'GET', path: '/api/41/me', headers: { host: 'localhost:8080', accept: 'text/html' } });
  expect(navigation).toMatchObject({ status: 302, headers: { location: 'http://localhost:8080/dhis-web-login' } });
  expect(standIn.handle({ method: 'GET', path: '/dhis-web-commons/menu/getModules.action', headers: XHR }).status).toBe(401);
  expect(standIn.handle({ method: 'GET', path: '/dhis-web-commons/menu/getModules.action', headers: { host: 'h' } }).status).toBe(302);
  // An XHR is not saved for after the login: no session is made.
  expect(standIn.handle({ method: 'GET', path: '/api/me', headers: XHR }).headers['set-cookie']).toBeUndefined();
});

test('a session ends after system.session.timeout seconds unused', () => {
  let now = new Date('2026-12-15T10:00:00Z');
  const standIn = new Dhis2StandIn({ now: () => now, sessionTimeoutSeconds: 60 });
  const login = standIn.handle({ method: 'POST', path: '/api/auth/login', headers: XHR, body: '{"username":"admin","password":"district"}' });
  const cookie = cookieOf(login.headers['set-cookie']);
  now = new Date('2026-12-15T10:00:59Z');
  expect(standIn.handle({ method: 'GET', path: '/api/me', headers: { ...XHR, cookie } }).status).toBe(200);
  now = new Date('2026-12-15T10:01:58Z'); // 59 s after the last use
  expect(standIn.handle({ method: 'GET', path: '/api/me', headers: { ...XHR, cookie } }).status).toBe(200);
  now = new Date('2026-12-15T10:03:00Z');
  expect(standIn.handle({ method: 'GET', path: '/api/me', headers: { ...XHR, cookie } }).status).toBe(401);
});

test('`/` leads a signed-in user to the start module (RedirectAction): an app as app:<name>, else /<module>/', () => {
  const standIn = new Dhis2StandIn({ systemSettings: { startModule: 'dhis-web-dashboard' } });
  const admin = { authorization: basicAuthorization('admin', 'district'), host: 'h' };
  expect(standIn.handle({ method: 'GET', path: '/', headers: admin }).headers['location']).toBe('http://h/dhis-web-dashboard/');
  expect(standIn.handle({ method: 'GET', path: '/', headers: { host: 'h' } }).headers['location']).toBe('http://h/dhis-web-login');
});
