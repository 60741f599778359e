// Running a DHIS2 Route: `GET|POST|PUT|DELETE|PATCH /api/routes/{id-or-code}/run` and `/run/**`
// (reference/dhis2-web-api.md §6.2; dhis2-core RouteController, RouteService, Route, common/auth/*AuthScheme,
// CrudControllerAdvice). The core decides everything (route lookup, access, the upstream URL, the headers in
// and out, the timeout, every answer) and returns a proxy plan; the transport makes the request
// (http/outbound.ts). Where 2.40–2.41 (RestTemplate over Apache HttpClient 4) and 2.42 (WebClient over
// Reactor Netty) differ, both are followed:
//
// | case                               | 2.40–2.41                                         | 2.42+                                   |
// |------------------------------------|---------------------------------------------------|-----------------------------------------|
// | unknown or disabled route          | 404 "Route {id} not found" (E1005)                | 404 "Route not found: '{id}'" (E1005)   |
// | no read sharing, none of its       | 403 "User not authorized" (E1006)                 | 403 "User not authorized to execute     |
// |   authorities                      |                                                   |   route" (E1006)                        |
// | url not in route.remote_servers_   | (no such check)                                   | 503, empty body                         |
// |   allowed (default https://*)      |                                                   |                                         |
// | sub-path, url not ending in /**    | 400 "Route '{n}' does not allow sub-paths" (E1003)| 502 same message                        |
// | upstream answers (any status)      | status, body, allowed headers; gzip/deflate is    | status, body bytes and allowed headers  |
// |                                    |   decoded (ResponseContentEncoding) and its       |   untouched                             |
// |                                    |   content-encoding dropped                        |                                         |
// | no answer within the timeout       | 503 "I/O error on … Read timed out …"             | 504, empty body                         |
// |                                    |   (RestClientException handler)                   |                                         |
// | connection refused / broken        | 503 "I/O error on … Connection refused …"         | 500 with the netty cause's message      |
//
// The Java exception texts in the 503 and 500 messages are reconstructed from the exception classes, not
// captured from a server. `{n}` is the route's database id (Route.getId()), not its uid.
import { isSuperuser, type Dhis2User } from './auth.js';
import type { RoutesApi, StoredRoute } from './routes-api.js';
import type { CoreAnswer } from '../http/fault-acting-server.js';
import type { OutboundRequest, UpstreamOutcome } from '../http/outbound.js';
import type { Dhis2Request, Dhis2Response } from './types.js';
import { webMessageResponse } from './web-message.js';

/** `/[context]/api[/NN]/routes/{id}/run[/sub/path]`, on the raw path (a trailing slash is a sub-path ""). */
export const ROUTE_RUN_PATH = /^(?:\/[^/]+)*?\/api(?:\/\d+)?\/routes\/([^/]+)\/run(\/.*)?$/;

export const ROUTE_RUN_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];

/** RouteService.ALLOWED_REQUEST_HEADERS. */
const ALLOWED_REQUEST_HEADERS = new Set([
  'accept',
  'accept-encoding',
  'accept-language',
  'x-requested-with',
  'user-agent',
  'cache-control',
  'content-type',
  'if-match',
  'if-modified-since',
  'if-none-match',
  'if-range',
  'if-unmodified-since',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-port',
  'x-forwarded-proto',
  'x-forwarded-prefix',
  'forwarded',
]);

/** RouteService.ALLOWED_RESPONSE_HEADERS. */
const ALLOWED_RESPONSE_HEADERS = new Set([
  'content-encoding',
  'content-language',
  'content-length',
  'content-type',
  'expires',
  'cache-control',
  'last-modified',
  'etag',
]);

/** Route.DEFAULT_RESPONSE_TIMEOUT_SECONDS. */
const DEFAULT_RESPONSE_TIMEOUT_SECONDS = 5;
const PATH_WILDCARD_SUFFIX = '/**';

export interface RouteRunContext {
  routes: RoutesApi;
  user: Dhis2User;
  minorVersion: number;
  /** dhis.conf `route.remote_servers_allowed` (2.42+), comma-separated globs. */
  remoteServersAllowed: string;
}

/** A case-insensitive multi-valued header map that keeps the first spelling of each name (Spring HttpHeaders). */
class Headers {
  private readonly entries = new Map<string, { name: string; values: string[] }>();

  add(name: string, value: string): void {
    const entry = this.entries.get(name.toLowerCase());
    if (entry) entry.values.push(value);
    else this.entries.set(name.toLowerCase(), { name, values: [value] });
  }

  set(name: string, value: string): void {
    this.entries.set(name.toLowerCase(), { name, values: [value] });
  }

  has(name: string): boolean {
    return this.entries.has(name.toLowerCase());
  }

  lines(): [string, string][] {
    return [...this.entries.values()].flatMap(({ name, values }) => values.map((value): [string, string] => [name, value]));
  }
}

/** A query as an ordered multi-map (Spring MultiValueMap: `add` appends, `set` replaces). */
class QueryParams {
  readonly entries = new Map<string, string[]>();

  add(name: string, value: string): void {
    this.entries.set(name, [...(this.entries.get(name) ?? []), value]);
  }

  set(name: string, value: string): void {
    this.entries.set(name, [value]);
  }
}

function errorAnswer(httpStatusCode: number, message: string, errorCode?: string): Dhis2Response {
  return webMessageResponse({ httpStatusCode, status: 'ERROR', message, errorCode });
}

function emptyAnswer(status: number): CoreAnswer {
  return { status, headers: {}, body: '' };
}

function globToRegExp(glob: string): RegExp {
  let out = '^';
  for (const c of glob) out += c === '*' ? '.*' : c === '?' ? '.' : /[\\^$.|+()[\]{}]/.test(c) ? `\\${c}` : c;
  return new RegExp(`${out}$`);
}

/** RouteService.isRouteUrlAllowed (2.42): protocol://host[:port] against each glob. */
export function isRouteUrlAllowed(url: URL, allowed: string): boolean {
  const address = `${url.protocol}//${url.hostname}${url.port ? `:${url.port}` : ''}`;
  return allowed
    .split(',')
    .map((glob) => glob.trim())
    .filter((glob) => glob !== '')
    .some((glob) => globToRegExp(glob).test(address));
}

/** `aclService.canRead(user, route) || user.hasAnyAuthority(route.getAuthorities())`. */
function mayRun(route: StoredRoute, user: Dhis2User, owner: string | undefined): boolean {
  if (isSuperuser(user) || owner === user.id) return true;
  const readable = (access: string | undefined): boolean => access?.[0] === 'r';
  if (readable(route.sharing?.public) || readable(route.sharing?.users?.[user.id]?.access)) return true;
  return (route.authorities ?? []).some((authority) => user.authorities.includes(authority));
}

function allowsSubpaths(route: StoredRoute): boolean {
  return route.url.endsWith(PATH_WILDCARD_SUFFIX);
}

/** Route.getBaseUrl: a wildcard url without `/**` but with its trailing slash. */
function baseUrl(route: StoredRoute): string {
  return allowsSubpaths(route) ? `${route.url.slice(0, -PATH_WILDCARD_SUFFIX.length)}/` : route.url;
}

/** `UriComponentsBuilder.fromUriString(base).path(subPath)` plus the query parameters, `//` folded. */
function upstreamUrl(route: StoredRoute, subPath: string | undefined, query: QueryParams): URL {
  const url = new URL(baseUrl(route));
  if (subPath !== undefined && subPath !== '') url.pathname = `${url.pathname}/${subPath}`.replace(/\/{2,}/g, '/');
  for (const [name, values] of query.entries) for (const value of values) url.searchParams.append(name, value);
  return url;
}

function withoutQuery(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** The route's auth applied to headers and query (2.40–2.41 `set` where 2.42 `add`s, except http-basic). */
function applyAuth(auth: Record<string, unknown> | undefined, headers: Headers, query: QueryParams, legacy: boolean): 'ok' | 'unsupported' {
  if (!auth) return 'ok';
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  switch (auth['type']) {
    case 'http-basic': {
      const username = text(auth['username']);
      const password = text(auth['password']);
      if (username.trim() !== '' && password.trim() !== '') {
        headers.add('Authorization', `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`);
      }
      return 'ok';
    }
    case 'api-token': {
      const token = text(auth['token']);
      if (token.trim() !== '') (legacy ? headers.set.bind(headers) : headers.add.bind(headers))('Authorization', `ApiToken ${token}`);
      return 'ok';
    }
    case 'api-headers':
      for (const [name, value] of Object.entries((auth['headers'] ?? {}) as Record<string, string>)) {
        (legacy ? headers.set.bind(headers) : headers.add.bind(headers))(name, String(value));
      }
      return 'ok';
    case 'api-query-params':
      for (const [name, value] of Object.entries((auth['queryParams'] ?? {}) as Record<string, string>)) {
        (legacy ? query.set.bind(query) : query.add.bind(query))(name, String(value));
      }
      return 'ok';
    default:
      // oauth2-client-credentials (2.42+) fetches a token from its tokenUri first; not modelled.
      return 'unsupported';
  }
}

function hostAndIp(url: URL): { hostPort: string; ip: string } {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const host = url.hostname;
  const isIp = /^[\d.]+$/.test(host) || host.startsWith('[');
  return { hostPort: `${host}:${port}`, ip: isIp ? `/${host}` : `${host}/${host}` };
}

/** The answer to a failed upstream exchange (see the table above). */
function failureAnswer(outcome: Exclude<UpstreamOutcome, { kind: 'response' }>, method: string, url: URL, legacy: boolean): CoreAnswer {
  const { hostPort, ip } = hostAndIp(url);
  if (!legacy) {
    if (outcome.kind === 'timeout') return emptyAnswer(504);
    const message =
      outcome.code === 'ECONNREFUSED'
        ? `Connection refused: ${ip}:${hostPort.split(':').pop()}`
        : outcome.code === 'ECONNRESET'
          ? 'Connection reset by peer'
          : outcome.code === 'ENOTFOUND'
            ? `Failed to resolve '${url.hostname}'`
            : outcome.message;
    return errorAnswer(500, message);
  }
  const prefix = `I/O error on ${method} request for "${withoutQuery(url)}": `;
  let detail: string;
  if (outcome.kind === 'timeout') detail = 'Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out';
  else if (outcome.code === 'ECONNREFUSED') {
    const text = `Connect to ${hostPort} [${ip}] failed: Connection refused`;
    detail = `${text}; nested exception is org.apache.http.conn.HttpHostConnectException: ${text}`;
  } else if (outcome.code === 'ECONNRESET') detail = 'Connection reset; nested exception is java.net.SocketException: Connection reset';
  else if (outcome.code === 'ENOTFOUND') detail = `${url.hostname}; nested exception is java.net.UnknownHostException: ${url.hostname}`;
  else detail = `${outcome.message}; nested exception is java.io.IOException: ${outcome.message}`;
  return errorAnswer(503, prefix + detail);
}

/** The allowed upstream headers, one line per name (values joined), plus the body as bytes. */
function upstreamAnswer(outcome: Extract<UpstreamOutcome, { kind: 'response' }>, legacy: boolean): CoreAnswer {
  const headers: Record<string, string> = {};
  for (const [name, value] of outcome.headers) {
    const lower = name.toLowerCase();
    if (!ALLOWED_RESPONSE_HEADERS.has(lower)) continue;
    headers[lower] = headers[lower] === undefined ? value : `${headers[lower]}, ${value}`;
  }
  // 2.40–2.41 answer a byte[]: ByteArrayHttpMessageConverter writes its length when none was passed on.
  if (legacy && headers['content-length'] === undefined) headers['content-length'] = String(outcome.body.length);
  return { status: outcome.status, headers, body: '', rawBody: outcome.body };
}

/**
 * `RouteController.run` / `runWithSubpath` then `RouteService.execute`: an error answer, or a proxy plan
 * for the transport. `match` is ROUTE_RUN_PATH's match on the request path.
 */
export function runRoute(request: Dhis2Request, match: RegExpExecArray, context: RouteRunContext): Dhis2Response {
  const { routes, user, minorVersion } = context;
  const legacy = minorVersion < 42;
  const id = decodeURIComponent(match[1] as string);
  const method = request.method.toUpperCase();

  const found = routes.find(id);
  const route = found && !found.disabled ? found : undefined;
  if (!route) return errorAnswer(404, legacy ? `Route ${id} not found` : `Route not found: '${id}'`, 'E1005');
  if (!mayRun(route, user, routes.ownerOf(route.id))) {
    return errorAnswer(403, legacy ? 'User not authorized' : 'User not authorized to execute route', 'E1006');
  }

  let base: URL;
  try {
    base = new URL(baseUrl(route));
  } catch {
    return legacy ? errorAnswer(500, 'Malformed route URL') : errorAnswer(502, 'An unexpected error occurred');
  }
  if (!legacy && !isRouteUrlAllowed(base, context.remoteServersAllowed)) return emptyAnswer(503);

  // Headers: the allowed request headers, the route's own, X-Forwarded-User, then the auth scheme.
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (value !== undefined && ALLOWED_REQUEST_HEADERS.has(name.toLowerCase())) headers.add(name, value);
  }
  for (const [name, value] of Object.entries(route.headers ?? {})) headers.add(name, String(value));
  if (user.username.trim() !== '') headers.add('X-Forwarded-User', user.username);
  const query = new QueryParams();
  for (const [name, value] of Object.entries(request.query ?? {})) {
    for (const one of [value ?? []].flat()) query.add(name, one);
  }
  if (applyAuth(route.auth, headers, query, legacy) === 'unsupported') {
    return errorAnswer(502, 'An error occurred during authentication');
  }

  const subPath = match[2] === undefined ? undefined : match[2].slice(1);
  if (subPath !== undefined && !allowsSubpaths(route)) {
    const message = `Route '${routes.internalIdOf(route.id)}' does not allow sub-paths`;
    return legacy ? errorAnswer(400, message, 'E1003') : errorAnswer(502, message);
  }
  const url = upstreamUrl(route, subPath, query);

  // Apache HttpClient (2.40–2.41) asks for compressed answers itself and decodes them; a GET carries no body.
  if (legacy && !headers.has('accept-encoding')) headers.add('Accept-Encoding', 'gzip,deflate');
  const bytes =
    request.rawBody ??
    (typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body === undefined ? undefined : Buffer.from(JSON.stringify(request.body)));
  const outbound: OutboundRequest = {
    method,
    url: url.toString(),
    headers: headers.lines(),
    body: legacy && method === 'GET' ? undefined : bytes,
    timeoutMs: (route.responseTimeoutSeconds ?? DEFAULT_RESPONSE_TIMEOUT_SECONDS) * 1000,
    decompress: legacy,
  };
  return {
    status: 0,
    headers: {},
    body: '',
    proxy: {
      request: outbound,
      respond: (outcome) => (outcome.kind === 'response' ? upstreamAnswer(outcome, legacy) : failureAnswer(outcome, method, url, legacy)),
    },
  };
}
