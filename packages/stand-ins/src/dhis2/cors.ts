// CORS as DHIS2 answers it (dhis2-core 2.41 dhis-web-api/.../webapi/filter/CorsFilter.java; 2.42+
// DhisCorsProcessor.java, the same rules): a request whose `Origin` is the server's own URL or matches a
// glob of the CORS whitelist gets `Access-Control-Allow-Credentials: true`, `Access-Control-Allow-Origin:
// <origin>` and `Vary: Origin`; a preflight (OPTIONS with Origin and Access-Control-Request-Method) is
// answered at once, before authentication, with 204, the requested method and headers echoed and
// `Access-Control-Max-Age: 3600`; any other request also gets `Access-Control-Expose-Headers: ETag,
// Location`. An origin not whitelisted gets no CORS header and the request goes on as usual.
//
// The whitelist is the `Configuration` object's `corsWhitelist` (GET/POST /api/configuration/corsWhitelist,
// ConfigurationController; DefaultConfigurationService.isCorsWhitelisted matches each entry with
// TextUtils.createRegexFromGlob), not a system setting. Recorded answer (dhis2/aggregate-data-entry-app
// cypress/fixtures/network/41/static_resources.json, app on http://localhost:3000):
//   access-control-allow-credentials: true, access-control-allow-origin: http://localhost:3000,
//   vary: Origin, access-control-expose-headers: ETag, Location
import { headerValue } from './auth.js';
import type { Dhis2Request, Dhis2Response } from './types.js';

const EXPOSED_HEADERS = 'ETag, Location';
const MAX_AGE = String(60 * 60);

/** TextUtils.createRegexFromGlob: `*` any run, `?` one character, `.` and `\` literal, the rest as is. */
function globToRegExp(glob: string): RegExp {
  let out = '^';
  for (const char of glob) {
    if (char === '*') out += '.*';
    else if (char === '?') out += '.';
    else if (char === '.') out += '\\.';
    else if (char === '\\') out += '\\\\';
    else out += char;
  }
  return new RegExp(`${out}$`);
}

export function isCorsWhitelisted(origin: string, whitelist: readonly string[]): boolean {
  return whitelist.some((glob) => {
    try {
      return globToRegExp(glob).test(origin);
    } catch {
      return false;
    }
  });
}

/** The request's own origin as CorsFilter computes it (`fromContextPath(...).replacePath("")`, X-Forwarded-Proto). */
export function localOrigin(request: Dhis2Request): string {
  const proto = headerValue(request.headers, 'x-forwarded-proto')?.trim();
  const scheme = proto !== undefined && proto !== '' ? proto : 'http';
  return `${scheme}://${headerValue(request.headers, 'host') ?? 'localhost'}`;
}

export type CorsDecision =
  /** No Origin, or not allowed: no CORS headers. */
  | { kind: 'none' }
  /** A preflight to answer now. */
  | { kind: 'preflight'; answer: Dhis2Response }
  /** Add these headers to the answer. */
  | { kind: 'headers'; headers: Record<string, string> };

export function corsDecision(request: Dhis2Request, whitelist: readonly string[]): CorsDecision {
  const origin = headerValue(request.headers, 'origin');
  if (origin === undefined || origin === '') return { kind: 'none' };
  if (origin !== localOrigin(request) && !isCorsWhitelisted(origin, whitelist)) return { kind: 'none' };
  const common = { 'access-control-allow-credentials': 'true', 'access-control-allow-origin': origin, vary: 'Origin' };
  const requestMethod = headerValue(request.headers, 'access-control-request-method');
  if (request.method.toUpperCase() === 'OPTIONS' && requestMethod !== undefined && requestMethod !== '') {
    const requestHeaders = headerValue(request.headers, 'access-control-request-headers');
    return {
      kind: 'preflight',
      answer: {
        status: 204,
        headers: {
          ...common,
          'access-control-allow-methods': requestMethod,
          ...(requestHeaders !== undefined ? { 'access-control-allow-headers': requestHeaders } : {}),
          'access-control-max-age': MAX_AGE,
        },
        body: '',
      },
    };
  }
  return { kind: 'headers', headers: { ...common, 'access-control-expose-headers': EXPOSED_HEADERS } };
}

/** The answer with the CORS headers added (a `Vary` the answer already has is extended). */
export function withCorsHeaders(answer: Dhis2Response, headers: Record<string, string>): Dhis2Response {
  const merged: Record<string, string> = { ...answer.headers };
  for (const [name, value] of Object.entries(headers)) {
    const existing = Object.keys(merged).find((key) => key.toLowerCase() === name);
    if (existing && name === 'vary') merged[existing] = `${merged[existing]}, ${value}`;
    else {
      if (existing) delete merged[existing];
      merged[name] = value;
    }
  }
  return { ...answer, headers: merged };
}
