// Authentication and the identity endpoints (reference/dhis2-web-api.md §4.1–4.3).
import { basicAuthorization } from '../../src/dhis2/index.js';
import { ANC_VISITS, BAMBUI, BASIC_HEADERS, TOKEN_HEADERS, get, monthly, newStandIn } from './fixture.js';

const UNAUTHORIZED = { httpStatus: 'Unauthorized', httpStatusCode: 401, status: 'ERROR', message: 'Unauthorized' };

function postWith(headers: Record<string, string>, configure: (standIn: ReturnType<typeof newStandIn>) => void = () => {}) {
  const standIn = newStandIn();
  configure(standIn);
  const response = standIn.handle({
    method: 'POST',
    path: '/api/dataValueSets',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(monthly([{ dataElement: ANC_VISITS, value: '1' }])),
  });
  return { status: response.status, body: JSON.parse(response.body) as Record<string, unknown>, stored: standIn.allValues().length };
}

test('a personal access token is accepted', () => {
  expect(postWith({ authorization: TOKEN_HEADERS.authorization })).toMatchObject({ status: 200, stored: 1 });
  // The scheme name is case-insensitive, as ApiTokenResolver's pattern is.
  expect(postWith({ authorization: TOKEN_HEADERS.authorization.replace('ApiToken', 'apitoken') }).status).toBe(200);
});

test('Basic credentials are accepted', () => {
  expect(postWith({ authorization: BASIC_HEADERS.authorization })).toMatchObject({ status: 200, stored: 1 });
});

test.each([
  ['no Authorization header (an XHR)', { 'x-requested-with': 'XMLHttpRequest' }, UNAUTHORIZED],
  ['a wrong password', { authorization: basicAuthorization('admin', 'wrong') }, UNAUTHORIZED],
  ['an unknown user', { authorization: basicAuthorization('nobody', 'district') }, UNAUTHORIZED],
  ['an unknown token', { authorization: 'ApiToken d2pat_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA2905698078' }, { ...UNAUTHORIZED, message: 'The API token does not exists' }],
  // Without OAuth2/JWT configured DHIS2 ignores a Bearer header: the request is anonymous.
  ['a bearer token (an XHR)', { authorization: 'Bearer abc', 'x-requested-with': 'XMLHttpRequest' }, UNAUTHORIZED],
])('%s → 401 with the WebMessage body, nothing stored', (_name, headers, body) => {
  const result = postWith(headers);
  expect(result.status).toBe(401);
  expect(result.body).toEqual(body);
  expect(Object.keys(result.body)).toEqual(['httpStatus', 'httpStatusCode', 'status', 'message']);
  expect(result.stored).toBe(0);
});

test.each([
  ['a malformed token header', 'ApiToken not a token', 'Api token is malformed'],
  ['a token whose checksum fails (one character mistyped)', 'ApiToken d2pat_5xVA12xyUbWNedQxy4ohH77WlxRGVvZY1151814092', 'Checksum validation failed'],
  ['a token too short for its checksum', 'ApiToken d2pat_5xVA12xy1151814092', 'Checksum validation failed'],
])('%s → 400 (ApiTokenResolver), nothing stored', (_name, authorization, message) => {
  const result = postWith({ authorization });
  expect(result).toMatchObject({ status: 400, body: { httpStatusCode: 400, status: 'ERROR', message }, stored: 0 });
});

test('GET /api/me names the authenticated user', () => {
  const standIn = newStandIn();
  standIn.addUser({ id: 'UserClerk01', username: 'clerk', password: 'pw', firstName: 'Awa', surname: 'Ngono', organisationUnits: ['OuBambui001'] });
  const me = get(standIn, '/api/me', {}, { authorization: basicAuthorization('clerk', 'pw'), 'content-type': 'application/json' });
  expect(me.status).toBe(200);
  expect(me.body).toMatchObject({
    id: 'UserClerk01',
    username: 'clerk',
    firstName: 'Awa',
    surname: 'Ngono',
    displayName: 'Awa Ngono',
    organisationUnits: [{ id: 'OuBambui001' }],
    authorities: ['F_DATAVALUE_ADD'],
    dataSets: ['SmcMonthly1'],
  });
  expect(get(standIn, '/api/me', {}, { authorization: '', 'x-requested-with': 'XMLHttpRequest' }).status).toBe(401);
});

test.each([
  ['no credentials', {}],
  ['an empty Authorization header', { authorization: '' }],
  ['a Bearer token', { authorization: 'Bearer abc' }],
])('%s, not an XHR → 302 to the login page, nothing stored (FormLoginBasicAuthenticationEntryPoint)', (_name, headers) => {
  const standIn = newStandIn();
  const response = standIn.handle({ method: 'POST', path: '/api/dataValueSets', headers: { 'content-type': 'application/json', host: 'dhis2.example.org:8080', ...headers }, body: '{}' });
  expect(response.status).toBe(302);
  expect(response.headers['location']).toBe('http://dhis2.example.org:8080/dhis-web-login');
  expect(standIn.allValues()).toEqual([]);
  const legacy = newStandIn({ version: '2.40' }).handle({ method: 'GET', path: '/api/me', headers: { host: 'h' } });
  expect(legacy.headers['location']).toBe('http://h/dhis-web-commons/security/login.action');
});

test.each([
  ['2.39', '2.39.7'],
  ['2.41', '2.41.5'],
  ['2.43', '2.43.0'],
  ['2.42.1', '2.42.1'],
])('GET /api/system/info reports version %s as %s', (version, reported) => {
  const info = get(newStandIn({ version }), '/api/system/info');
  expect(info.status).toBe(200);
  expect(info.body).toMatchObject({ version: reported, calendar: 'iso8601', dateFormat: 'yyyy-mm-dd', serverDate: '2026-12-15T10:00:00.000' });
});

test('/api/system/ping needs no credentials; unknown routes are 404, wrong methods 405', () => {
  const standIn = newStandIn();
  expect(standIn.handle({ method: 'GET', path: '/api/system/ping' })).toMatchObject({ status: 200, body: 'pong' });
  expect(get(standIn, '/api/nothingHere').status).toBe(404);
  expect(get(standIn, '/dhis/api/41/me').status).toBe(200); // a context path in front, as deployments use
  expect(standIn.handle({ method: 'DELETE', path: '/api/dataValueSets', headers: TOKEN_HEADERS }).status).toBe(405);
});

test("a disabled account authenticates neither by password nor by token (DHIS2's entry points answer 401)", () => {
  const token = 'd2pat_gonegonegonegonegonegonegonego041060043102';
  const disabled = (standIn: ReturnType<typeof newStandIn>) => void standIn.addUser({ username: 'gone', password: 'pw', disabled: true, organisationUnits: [BAMBUI], personalAccessTokens: [token] });
  expect(postWith({ authorization: basicAuthorization('gone', 'pw') }, disabled)).toMatchObject({ status: 401, body: { message: 'Account disabled' }, stored: 0 });
  expect(postWith({ authorization: `ApiToken ${token}` }, disabled)).toMatchObject({ status: 401, body: { message: 'The API token is disabled, locked or 2FA is enabled.' }, stored: 0 });
});

test('importing data values needs F_DATAVALUE_ADD (or ALL): 403 otherwise, nothing stored', () => {
  const viewer = (standIn: ReturnType<typeof newStandIn>) => void standIn.addUser({ username: 'viewer', password: 'pw', authorities: ['M_dhis-web-dashboard'] });
  expect(postWith({ authorization: basicAuthorization('viewer', 'pw') }, viewer)).toMatchObject({ status: 403, body: { httpStatusCode: 403, message: 'Access is denied' }, stored: 0 });
  const clerk = (standIn: ReturnType<typeof newStandIn>) => void standIn.addUser({ username: 'clerk', password: 'pw', authorities: ['F_DATAVALUE_ADD'], organisationUnits: [BAMBUI] });
  expect(postWith({ authorization: basicAuthorization('clerk', 'pw') }, clerk)).toMatchObject({ status: 200, stored: 1 });
});
