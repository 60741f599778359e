// What a platform app's adapter and header bar read about the user and the server (notes/app-startup.md
// §10), with the answers recorded from real 2.40/2.41 servers in dhis2/aggregate-data-entry-app
// cypress/fixtures/network/41/static_resources.json (and 40/): system/info, me (full and with fields),
// userSettings, systemSettings keys, me/dashboard, staticContent/logo_banner, ping; plus users and their
// settings (a clinician switched to French), and GET /api/users as the middleware asks it.
import { basicAuthorization, Dhis2StandIn, type Dhis2User } from '../../src/dhis2/index.js';
import { TOKEN_HEADERS } from './fixture.js';

const ADMIN = { ...TOKEN_HEADERS, host: 'dhis2.example.org:8080', accept: 'application/json' };
const FACILITY = 'OuFacility1';
const DISTRICT = 'OuDistrict1';

function standInWithClinician(version = '2.41'): { standIn: Dhis2StandIn; clinician: Dhis2User; headers: Record<string, string> } {
  const standIn = new Dhis2StandIn({
    version,
    metadata: {
      organisationUnits: [
        { id: DISTRICT, code: 'CM_NW_BAM', name: 'Bamenda', shortName: 'Bamenda', openingDate: '2000-01-01' },
        { id: FACILITY, code: 'CM_NW_BAM_CSI001', name: 'CSI Bambui', shortName: 'CSI Bambui', openingDate: '2000-01-01', parent: { id: DISTRICT } },
      ],
    },
  });
  const clinician = standIn.addUser({
    id: 'UserNurse01',
    username: 'awa',
    password: 'Clinic-2026',
    firstName: 'Awa',
    surname: 'Ngono',
    email: 'awa@example.org',
    organisationUnits: [FACILITY],
    dataViewOrganisationUnits: [DISTRICT],
    userRoles: [{ id: 'RoleClinic1', name: 'Clinician', authorities: ['M_smcclinic', 'M_smc-clinic', 'F_DATAVALUE_ADD'] }],
  });
  return { standIn, clinician, headers: { authorization: basicAuthorization('awa', 'Clinic-2026'), host: 'dhis2.example.org:8080', accept: 'application/json' } };
}

function call(standIn: Dhis2StandIn, method: string, path: string, headers: Record<string, string>, query: Record<string, string | string[]> = {}, body?: string) {
  const answer = standIn.handle({ method, path, query, headers, body });
  let json: unknown;
  try {
    json = JSON.parse(answer.body);
  } catch {
    json = undefined;
  }
  return { status: answer.status, headers: answer.headers, text: answer.body, json: json as Record<string, unknown> };
}

test.each([
  ['2.41.3', 41],
  ['2.40.1', 40],
])('system/info reports version %s, so the adapter calls /api/%i/…', (version, minor) => {
  const standIn = new Dhis2StandIn({ version });
  const info = call(standIn, 'GET', '/api/system/info', ADMIN);
  expect(info.status).toBe(200);
  expect(info.json).toMatchObject({ version, contextPath: 'http://dhis2.example.org:8080', calendar: 'iso8601', dateFormat: 'yyyy-mm-dd' });
  // ServerVersionProvider: parseDHIS2ServerVersion(version).minor → apiVersion.
  expect(Number(String(info.json['version']).split(/[.-]/)[1])).toBe(minor);
  expect(info.headers['cache-control']).toBe('no-cache, no-store, max-age=0, must-revalidate');
  expect(call(standIn, 'GET', `/api/${minor}/me`, ADMIN, { fields: 'id' }).json).toEqual({ id: 'xE7jOejl9FI' });
});

test('GET /api/me without fields: the whole MeDto, org units as references, settings with fallback, the role', () => {
  const { standIn, headers } = standInWithClinician();
  const me = call(standIn, 'GET', '/api/me', headers);
  expect(me.status).toBe(200);
  expect(me.json).toMatchObject({
    id: 'UserNurse01',
    username: 'awa',
    firstName: 'Awa',
    surname: 'Ngono',
    name: 'Awa Ngono',
    displayName: 'Awa Ngono',
    email: 'awa@example.org',
    organisationUnits: [{ id: FACILITY }],
    dataViewOrganisationUnits: [{ id: DISTRICT }],
    userRoles: [{ id: 'RoleClinic1' }],
    authorities: ['M_smcclinic', 'M_smc-clinic', 'F_DATAVALUE_ADD'],
    settings: { keyUiLocale: 'en', keyStyle: 'light_blue/light_blue.css', keyMessageEmailNotification: true },
  });
  expect(me.json['authorities']).not.toContain('ALL');
});

test("the header bar's me query and the app's org unit query (fields as recorded)", () => {
  const { standIn, headers } = standInWithClinician();
  // Recorded: {"name":"Tom Wakiki","settings":{…,"keyUiLocale":"en",…},"authorities":["ALL"]}; email and avatar left out when null.
  const header = call(standIn, 'GET', '/api/41/me', headers, { fields: 'authorities,avatar,email,name,settings' }).json;
  expect(Object.keys(header)).toEqual(['authorities', 'email', 'name', 'settings']);
  expect(header).toMatchObject({ name: 'Awa Ngono', email: 'awa@example.org', settings: { keyUiLocale: 'en' } });
  expect(typeof header['name']).toBe('string');
  // Recorded: fields=organisationUnits%5Bid%2Clevel%2Cpath%5D → {"organisationUnits":[{"path":"/ImspTQPwCqd","id":"ImspTQPwCqd","level":1}]}
  expect(call(standIn, 'GET', '/api/41/me', headers, { fields: decodeURIComponent('organisationUnits%5Bid%2Clevel%2Cpath%5D') }).json).toEqual({
    organisationUnits: [{ id: FACILITY, level: 2, path: `/${DISTRICT}/${FACILITY}` }],
  });
  expect(
    call(standIn, 'GET', '/api/41/me', headers, { fields: 'id,organisationUnits[id,code,displayName,level,path],dataViewOrganisationUnits[id,path]' }).json,
  ).toEqual({
    id: 'UserNurse01',
    organisationUnits: [{ id: FACILITY, code: 'CM_NW_BAM_CSI001', displayName: 'CSI Bambui', level: 2, path: `/${DISTRICT}/${FACILITY}` }],
    dataViewOrganisationUnits: [{ id: DISTRICT, path: `/${DISTRICT}` }],
  });
  expect(call(standIn, 'GET', '/api/41/me', headers, { fields: ':all' }).json).toMatchObject({ id: 'UserNurse01', organisationUnits: [{ id: FACILITY }] });
  expect(call(standIn, 'GET', '/api/me/authorities/F_DATAVALUE_ADD', headers).json).toBe(true);
  expect(call(standIn, 'GET', '/api/me/authorities/ALL', headers).json).toBe(false);
});

test('userSettings: the recorded keys and defaults (no-cache, private); one key as text', () => {
  const standIn = new Dhis2StandIn();
  const all = call(standIn, 'GET', '/api/41/userSettings', ADMIN);
  expect(all.status).toBe(200);
  expect(all.headers['cache-control']).toBe('no-cache, private');
  // The order DHIS2's HashMap writes (recorded); null for keyDbLocale and keyTrackerDashboardLayout, which
  // have no system default.
  expect(all.json).toEqual({
    keyMessageSmsNotification: true,
    keyDbLocale: null,
    keyTrackerDashboardLayout: null,
    keyStyle: 'light_blue/light_blue.css',
    keyUiLocale: 'en',
    keyAnalysisDisplayProperty: 'name',
    keyMessageEmailNotification: true,
  });
  expect(Object.keys(all.json)).toEqual([
    'keyMessageSmsNotification',
    'keyDbLocale',
    'keyTrackerDashboardLayout',
    'keyStyle',
    'keyUiLocale',
    'keyAnalysisDisplayProperty',
    'keyMessageEmailNotification',
  ]);
  const one = call(standIn, 'GET', '/api/41/userSettings/keyUiLocale', ADMIN);
  expect(one).toMatchObject({ status: 200, text: 'en', headers: { 'content-type': 'text/plain;charset=UTF-8' } });
  expect(call(standIn, 'GET', '/api/41/userSettings', ADMIN, { key: 'keyUiLocale' }).json).toEqual({ keyUiLocale: 'en' });
  expect(call(standIn, 'GET', '/api/41/userSettings/keyNope', ADMIN)).toMatchObject({ status: 404, json: { message: 'No user setting found with key: keyNope' } });
  // The system setting is the fallback: a French server gives French to users who chose nothing.
  const french = new Dhis2StandIn({ systemSettings: { keyUiLocale: 'fr' } });
  expect(call(french, 'GET', '/api/41/userSettings', ADMIN).json['keyUiLocale']).toBe('fr');
  expect(call(french, 'GET', '/api/41/userSettings', ADMIN, { useFallback: 'false' }).json['keyUiLocale']).toBeNull();
});

test('a clinician switches to French: POST /api/userSettings/keyUiLocale?value=fr, or the value as the body', () => {
  const { standIn, clinician, headers } = standInWithClinician();
  const saved = call(standIn, 'POST', '/api/41/userSettings/keyUiLocale', headers, { value: 'fr' });
  expect(saved).toMatchObject({ status: 200, json: { httpStatus: 'OK', httpStatusCode: 200, status: 'OK', message: 'User setting saved' } });
  expect(call(standIn, 'GET', '/api/41/userSettings', headers).json['keyUiLocale']).toBe('fr');
  expect(call(standIn, 'GET', '/api/41/me', headers, { fields: 'settings' }).json).toMatchObject({ settings: { keyUiLocale: 'fr' } });
  expect(clinician.settings?.['keyUiLocale']).toBe('fr');
  // The body form (the header bar's profile app posts text/plain).
  expect(call(standIn, 'POST', '/api/userSettings/keyUiLocale', { ...headers, 'content-type': 'text/plain' }, {}, 'en').status).toBe(200);
  expect(call(standIn, 'GET', '/api/userSettings/keyUiLocale', headers).text).toBe('en');
  expect(call(standIn, 'POST', '/api/userSettings/keyUiLocale', headers)).toMatchObject({ status: 409, json: { message: 'You need to specify a new value' } });
  // Another user's settings: only with ALL (the admin may set the clinician's, the clinician not the admin's).
  expect(call(standIn, 'POST', '/api/userSettings/keyUiLocale', ADMIN, { value: 'fr', user: 'awa' }).status).toBe(200);
  expect(call(standIn, 'GET', '/api/userSettings/keyUiLocale', headers).text).toBe('fr');
  expect(call(standIn, 'POST', '/api/userSettings/keyUiLocale', headers, { value: 'fr', user: 'admin' })).toMatchObject({
    status: 401,
    json: { message: 'You are not authorized to access user: admin' },
  });
  // DHIS2 takes no PUT on user settings.
  expect(call(standIn, 'PUT', '/api/userSettings/keyUiLocale', headers, { value: 'fr' }).status).toBe(405);
});

test('systemSettings: one key as {key: value} (no-cache, private), as text on request; unknown and confidential keys 404', () => {
  const standIn = new Dhis2StandIn({ systemSettings: { applicationTitle: 'SMC bridge (stand-in)' } });
  // Recorded: {"applicationTitle":"DHIS 2 Demo - Sierra Leone"}, {"helpPageLink":"https://dhis2.github.io/…"}
  expect(call(standIn, 'GET', '/api/41/systemSettings/applicationTitle', ADMIN)).toMatchObject({
    status: 200,
    json: { applicationTitle: 'SMC bridge (stand-in)' },
    headers: { 'cache-control': 'no-cache, private' },
  });
  expect(call(standIn, 'GET', '/api/41/systemSettings/helpPageLink', ADMIN).json).toEqual({
    helpPageLink: 'https://dhis2.github.io/dhis2-docs/master/en/user/html/dhis2_user_manual_en.html',
  });
  expect(call(standIn, 'GET', '/api/systemSettings/applicationTitle', { ...ADMIN, accept: 'text/plain' }).text).toBe('SMC bridge (stand-in)');
  const missing = { httpStatus: 'Not Found', httpStatusCode: 404, status: 'ERROR', message: 'Setting does not exist or is marked as confidential', errorCode: 'E1005' };
  expect(call(standIn, 'GET', '/api/systemSettings/noSuchKey', ADMIN)).toMatchObject({ status: 404, json: missing });
  const clerk = standIn.addUser({ username: 'clerk', password: 'pw' });
  const clerkHeaders = { authorization: basicAuthorization(clerk.username, 'pw'), accept: 'application/json' };
  expect(call(standIn, 'GET', '/api/systemSettings/recaptchaSite', clerkHeaders).json).toEqual(missing);
  const all = call(standIn, 'GET', '/api/systemSettings', ADMIN);
  expect(all.json).toMatchObject({ applicationTitle: 'SMC bridge (stand-in)', keyUiLocale: 'en', startModule: 'dhis-web-dashboard' });
  expect(all.json['recaptchaSite']).toBeUndefined();
  expect(all.headers['cache-control']).toBe('no-cache, no-store, must-revalidate');
  expect(call(standIn, 'POST', '/api/systemSettings/applicationTitle', ADMIN, { value: 'Renamed' }).json).toMatchObject({
    message: "System setting 'applicationTitle' set to value 'Renamed'.",
  });
  expect(standIn.settings.applicationTitle).toBe('Renamed');
  expect(call(standIn, 'POST', '/api/systemSettings/applicationTitle', clerkHeaders, { value: 'x' }).status).toBe(403);
});

test('me/dashboard, staticContent/logo_banner, ping: as recorded', () => {
  const standIn = new Dhis2StandIn();
  // Recorded: {"unreadInterpretations":42,"unreadMessageConversations":214}, no-store.
  expect(call(standIn, 'GET', '/api/41/me/dashboard', ADMIN)).toMatchObject({
    status: 200,
    json: { unreadInterpretations: 0, unreadMessageConversations: 0 },
    headers: { 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate' },
  });
  // Recorded: 404 {"httpStatus":"Not Found","httpStatusCode":404,"status":"ERROR","message":"No custom file found."}; public.
  const logo = call(standIn, 'GET', '/api/41/staticContent/logo_banner', { accept: 'application/json', 'x-requested-with': 'XMLHttpRequest' });
  expect(logo.status).toBe(404);
  expect(logo.json).toEqual({ httpStatus: 'Not Found', httpStatusCode: 404, status: 'ERROR', message: 'No custom file found.' });
  // An <img> (no JSON accepted) is sent to the default logo.
  const image = call(standIn, 'GET', '/api/staticContent/logo_banner', { accept: 'image/*', host: 'h' });
  expect(image).toMatchObject({ status: 302, headers: { location: 'http://h/dhis-web-commons/css/light_blue/logo_banner.png' } });
  // PingController: 200, empty; it needs a user like any API path.
  expect(call(standIn, 'GET', '/api/ping', ADMIN)).toMatchObject({ status: 200, text: '' });
  expect(call(standIn, 'GET', '/api/ping', { 'x-requested-with': 'XMLHttpRequest' }).status).toBe(401);
});

test("GET /api/users?filter=username:eq:…: the X-Forwarded-User's org units, as the middleware looks them up", () => {
  const { standIn, headers } = standInWithClinician();
  const answer = call(standIn, 'GET', '/api/41/users', ADMIN, { filter: 'username:eq:awa', fields: 'id,username,organisationUnits[id,code,path]' });
  expect(answer.status).toBe(200);
  expect(answer.json).toEqual({
    pager: { page: 1, total: 1, pageSize: 50, pageCount: 1 },
    users: [{ id: 'UserNurse01', username: 'awa', organisationUnits: [{ id: FACILITY, code: 'CM_NW_BAM_CSI001', path: `/${DISTRICT}/${FACILITY}` }] }],
  });
  expect(call(standIn, 'GET', '/api/users', ADMIN, { filter: 'username:eq:nobody', paging: 'false' }).json).toEqual({ users: [] });
  expect(call(standIn, 'GET', '/api/users/UserNurse01', ADMIN, { fields: 'username,userRoles[name,authorities]' }).json).toEqual({
    username: 'awa',
    userRoles: [{ name: 'Clinician', authorities: ['M_smcclinic', 'M_smc-clinic', 'F_DATAVALUE_ADD'] }],
  });
  // Reading users needs ALL or F_USER_VIEW (UserSchemaDescriptor).
  expect(call(standIn, 'GET', '/api/users', headers, { filter: 'username:eq:awa' })).toMatchObject({
    status: 403,
    json: { httpStatus: 'Forbidden', status: 'ERROR', message: "You don't have the proper permissions to read objects of this type.", errorCode: 'E1006' },
  });
  standIn.addUser({ username: 'viewer', password: 'pw', authorities: ['F_USER_VIEW'] });
  expect(call(standIn, 'GET', '/api/users', { authorization: basicAuthorization('viewer', 'pw') }, { filter: 'username:eq:awa', fields: 'id' }).status).toBe(200);
});

test('addUser: defaults, roles folded into authorities, a derived role for plain authorities', () => {
  const standIn = new Dhis2StandIn();
  const plain = standIn.addUser({ username: 'clerk', password: 'pw' });
  expect(plain).toMatchObject({ authorities: ['F_DATAVALUE_ADD'], firstName: 'clerk', surname: 'User' });
  expect(plain.userRoles).toEqual([{ id: expect.stringMatching(/^[A-Za-z][A-Za-z0-9]{10}$/), name: 'Role of clerk', authorities: ['F_DATAVALUE_ADD'] }]);
  const both = standIn.addUser({ username: 'x', password: 'pw', authorities: ['F_A'], userRoles: [{ id: 'RoleXXXXXX1', name: 'R', authorities: ['F_B'] }] });
  expect(both.authorities).toEqual(['F_A', 'F_B']);
  expect(standIn.users.map((user) => user.username)).toEqual(['admin', 'clerk', 'x']);
});
