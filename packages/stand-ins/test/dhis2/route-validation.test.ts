// RouteController.preCreateEntity / preUpdateEntity → RouteService.validateRoute (dhis2-core 2.40–2.42
// dhis-services/dhis-service-core/.../route/RouteService.java): a ConflictException answered before the
// object's own validation, as CrudControllerAdvice.conflictException renders it (409, E1004).
import { DEFAULT_PERSONAL_ACCESS_TOKEN, Dhis2StandIn } from '../../src/dhis2/index.js';

const ADMIN = { authorization: `ApiToken ${DEFAULT_PERSONAL_ACCESS_TOKEN}`, 'content-type': 'application/json' };

function post(standIn: Dhis2StandIn, route: Record<string, unknown>, method = 'POST', path = '/api/routes') {
  const answer = standIn.handle({ method, path, headers: ADMIN, body: JSON.stringify({ name: 'R', code: 'r', ...route }) });
  return { status: answer.status, body: JSON.parse(answer.body) as Record<string, unknown> };
}

const conflict = (message: string) => ({ httpStatus: 'Conflict', httpStatusCode: 409, status: 'ERROR', message, errorCode: 'E1004' });

test.each([
  ['not a url/api/v1/app/**', 'Malformed route URL'],
  ['middleware:8080/api', 'Malformed route URL'], // "unknown protocol: middleware"
  [undefined, 'Malformed route URL'], // new URL(null) throws MalformedURLException too
  ['ftp://files.example.org/x', 'Route URL scheme must be either http or https'],
])('url %s → 409 "%s", nothing stored', (url, message) => {
  const standIn = new Dhis2StandIn();
  expect(post(standIn, { url })).toEqual({ status: 409, body: conflict(message) });
  expect(standIn.routesApi.routes.size).toBe(0);
});

test('the response timeout must lie in 1…60 seconds', () => {
  const standIn = new Dhis2StandIn();
  expect(post(standIn, { url: 'https://a.example.org', responseTimeoutSeconds: 61 }).body).toEqual(
    conflict('Route response timeout must be greater than 0 seconds and less than or equal to 60 seconds'),
  );
  expect(post(standIn, { url: 'https://a.example.org', responseTimeoutSeconds: 60 }).status).toBe(201);
});

test('an update is validated the same way and leaves the stored route as it was', () => {
  const standIn = new Dhis2StandIn();
  expect(post(standIn, { url: 'https://a.example.org/x' }).status).toBe(201);
  expect(post(standIn, { url: 'nope' }, 'PUT', '/api/routes/r')).toEqual({ status: 409, body: conflict('Malformed route URL') });
  expect([...standIn.routesApi.routes.values()][0]?.url).toBe('https://a.example.org/x');
});

test('2.42: a url route.remote_servers_allowed does not permit is refused at creation (default https://*)', () => {
  const standIn = new Dhis2StandIn({ version: '2.42' });
  expect(post(standIn, { url: 'http://middleware:8080/api/v1/app/**' })).toEqual({ status: 409, body: conflict('Route URL is not permitted') });
  expect(post(standIn, { url: 'https://middleware.example.org/api/v1/app/**' }).status).toBe(201);
  // 2.41 has no such check.
  expect(post(new Dhis2StandIn({ version: '2.41' }), { url: 'http://middleware:8080/api/v1/app/**' }).status).toBe(201);
});
