// DHIS2's Routes API (2.40+, reference/dhis2-web-api.md §6.2) as far as deployment needs it: the standard
// metadata CRUD at /api/routes. Listing honours `filter=code:eq:…` and `fields`; creating answers 201 with an
// ObjectReport; updating needs an existing id (PUT never creates). Secrets are kept but never returned.
// Running a route (/api/routes/{id}/run[/**]) is route-run.ts; this keeps what it needs besides the route
// itself: who created it (a route is shared with its creator only, AccessStringHelper.DEFAULT) and the
// internal numeric id DHIS2 prints in one of its messages.
//
// Before the object is validated, `RouteController.preCreateEntity` / `preUpdateEntity` run
// `RouteService.validateRoute` (2.40–2.42), whose ConflictException is the whole answer: 409, status ERROR,
// errorCode E1004, one message ("Malformed route URL", "Route URL scheme must be either http or https",
// 2.42+ "Route URL is not permitted", the response timeout range).
import { randomBytes } from 'node:crypto';
import { isRouteUrlAllowed } from './route-run.js';
import type { Dhis2Response } from './types.js';
import { errorMessage, jsonResponse, webMessageResponse } from './web-message.js';

export interface StoredRoute {
  id: string;
  code?: string;
  name: string;
  url: string;
  disabled?: boolean;
  headers?: Record<string, string>;
  auth?: Record<string, unknown>;
  authorities?: string[];
  responseTimeoutSeconds?: number;
  /** DHIS2 sharing as posted (`public` access string, `users` / `userGroups` by uid); absent: `--------`. */
  sharing?: { public?: string; users?: Record<string, { access?: string }> };
}

const UID = /^[A-Za-z][A-Za-z0-9]{10}$/;
/** The protocols java.net.URL has a handler for (any other is a MalformedURLException "unknown protocol"). */
const JAVA_URL_PROTOCOLS = new Set(['http', 'https', 'ftp', 'file', 'jar', 'mailto', 'jrt']);

/** What `validateRoute` depends on: the server version and dhis.conf `route.remote_servers_allowed`. */
export interface RouteValidationSettings {
  minorVersion: number;
  remoteServersAllowed: string;
}

/**
 * `RouteService.validateRoute`: the message of the ConflictException it throws, or undefined. `new URL(null)`
 * throws MalformedURLException too, so a missing url is "Malformed route URL" here, before any E4000.
 */
function validateRoute(input: Record<string, unknown>, settings: RouteValidationSettings): string | undefined {
  const url = input['url'];
  const protocol = typeof url === 'string' ? /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url.trim())?.[1]?.toLowerCase() : undefined;
  if (typeof url !== 'string' || protocol === undefined || !JAVA_URL_PROTOCOLS.has(protocol)) return 'Malformed route URL';
  if (protocol !== 'http' && protocol !== 'https') return 'Route URL scheme must be either http or https';
  if (settings.minorVersion >= 42) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url.trim());
    } catch {
      parsed = undefined;
    }
    if (!parsed || !isRouteUrlAllowed(parsed, settings.remoteServersAllowed)) return 'Route URL is not permitted';
  }
  const timeout = input['responseTimeoutSeconds'];
  if (typeof timeout === 'number' && (timeout < 1 || timeout > 60)) {
    return 'Route response timeout must be greater than 0 seconds and less than or equal to 60 seconds';
  }
  return undefined;
}
const AUTH_TYPES = ['http-basic', 'api-token', 'api-headers', 'api-query-params', 'oauth2-client-credentials'];
const ROUTE_KLASS = 'org.hisp.dhis.route.Route';

/** A random DHIS2 uid (`CodeGenerator.generateUid`: a letter, then 10 letters or digits). */
export function newUid(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const bytes = randomBytes(11);
  return Array.from(bytes, (byte, i) => alphabet[byte % (i === 0 ? 52 : 62)]).join('');
}

/** Without secrets, as DHIS2 shows a route. */
function publicView(route: StoredRoute): Record<string, unknown> {
  const { auth, ...rest } = route;
  return { ...rest, ...(auth ? { auth: { type: auth['type'] } } : {}) };
}

export class RoutesApi {
  readonly routes = new Map<string, StoredRoute>();
  /** Route uid → uid of the user who created it (its sharing owner). */
  private readonly owners = new Map<string, string>();
  /** Route uid → the database id (`BaseIdentifiableObject.getId()`). */
  private readonly internalIds = new Map<string, number>();
  private nextInternalId = 1001;

  constructor(private readonly validation: () => RouteValidationSettings = () => ({ minorVersion: 41, remoteServersAllowed: 'https://*' })) {}

  /** `RouteStore.getByUidNoAcl`, then `getByCodeNoAcl`. */
  find(idOrCode: string): StoredRoute | undefined {
    return this.routes.get(idOrCode) ?? [...this.routes.values()].find((route) => route.code === idOrCode);
  }

  ownerOf(id: string): string | undefined {
    return this.owners.get(id);
  }

  internalIdOf(id: string): number {
    let internal = this.internalIds.get(id);
    if (internal === undefined) {
      internal = this.nextInternalId++;
      this.internalIds.set(id, internal);
    }
    return internal;
  }

  handle(
    method: string,
    subPath: string,
    query: Record<string, string | readonly string[] | undefined>,
    body: unknown,
    user?: { id: string },
  ): Dhis2Response {
    const id = subPath === '' ? undefined : subPath;
    if (id === undefined && method === 'GET') return this.list(query);
    if (id === undefined && method === 'POST') return this.save(undefined, body, user);
    if (id !== undefined && method === 'GET') {
      const route = this.find(id);
      return route ? jsonResponse(200, publicView(route)) : errorMessage(404, `Route with id ${id} could not be found.`);
    }
    if (id !== undefined && method === 'PUT') {
      const route = this.find(id);
      return route ? this.save(route.id, body) : errorMessage(404, `Route with id ${id} could not be found.`);
    }
    if (id !== undefined && method === 'DELETE') {
      const route = this.find(id);
      if (!route) return errorMessage(404, `Route with id ${id} could not be found.`);
      this.routes.delete(route.id);
      this.owners.delete(route.id);
      return webMessageResponse({ httpStatusCode: 200, status: 'OK', response: { responseType: 'ObjectReport', uid: route.id, klass: ROUTE_KLASS, errorReports: [] } });
    }
    return errorMessage(405, `Request method '${method}' is not supported`);
  }

  private list(query: Record<string, string | readonly string[] | undefined>): Dhis2Response {
    let routes = [...this.routes.values()];
    for (const filter of [query['filter'] ?? []].flat()) {
      const match = /^(id|code|name):eq:(.*)$/.exec(filter);
      if (!match) return errorMessage(400, `Unsupported filter: ${filter}`);
      routes = routes.filter((route) => route[match[1] as 'id' | 'code' | 'name'] === match[2]);
    }
    const fields = typeof query['fields'] === 'string' ? query['fields'].split(',') : ['id', 'displayName'];
    const shown = routes.map((route) => {
      const full: Record<string, unknown> = { ...publicView(route), displayName: route.name };
      return fields.includes(':all') || fields.includes('*') ? full : Object.fromEntries(fields.filter((f) => f in full).map((f) => [f, full[f]]));
    });
    return jsonResponse(200, { pager: { page: 1, total: shown.length, pageSize: 50, pageCount: 1 }, routes: shown });
  }

  private save(existingId: string | undefined, body: unknown, user?: { id: string }): Dhis2Response {
    let input: Record<string, unknown>;
    try {
      input = (typeof body === 'string' ? JSON.parse(body) : body) as Record<string, unknown>;
    } catch {
      return errorMessage(400, 'Invalid JSON payload');
    }
    if (input === null || typeof input !== 'object') return errorMessage(400, 'Invalid JSON payload');
    const refusal = validateRoute(input, this.validation());
    if (refusal !== undefined) return errorMessage(409, refusal, 'E1004');
    const errors: { message: string; errorCode: string; errorProperty: string }[] = [];
    const missing = (property: string) => errors.push({ message: `Missing required property \`${property}\``, errorCode: 'E4000', errorProperty: property });
    if (typeof input['name'] !== 'string' || input['name'] === '') missing('name');
    const auth = input['auth'] as Record<string, unknown> | undefined;
    if (auth !== undefined && !AUTH_TYPES.includes(String(auth['type']))) {
      errors.push({ message: `Invalid route auth type \`${String(auth['type'])}\``, errorCode: 'E4000', errorProperty: 'auth' });
    }
    const id = existingId ?? (typeof input['id'] === 'string' ? input['id'] : newUid());
    if (!UID.test(id)) errors.push({ message: `Invalid UID \`${id}\` for property \`Route\``, errorCode: 'E4014', errorProperty: 'id' });
    const code = typeof input['code'] === 'string' ? input['code'] : undefined;
    const clash = code === undefined ? undefined : [...this.routes.values()].find((route) => route.code === code && route.id !== id);
    if (clash) errors.push({ message: `Property \`code\` with value \`${code}\` on object ${String(input['name'])} [${id}] (Route) already exists on object ${clash.id}`, errorCode: 'E5003', errorProperty: 'code' });
    if (existingId === undefined && this.routes.has(id)) {
      errors.push({ message: `Property \`id\` with value \`${id}\` on object ${String(input['name'])} [${id}] (Route) already exists on object ${id}`, errorCode: 'E5003', errorProperty: 'id' });
    }
    const report = { responseType: 'ObjectReport', uid: id, klass: ROUTE_KLASS, errorReports: errors.map((e) => ({ ...e, mainKlass: ROUTE_KLASS })) };
    if (errors.length > 0) return webMessageResponse({ httpStatusCode: 409, status: 'ERROR', message: 'One or more errors occurred, please see full details in import report.', response: report });
    if (existingId === undefined && user) this.owners.set(id, user.id);
    this.internalIdOf(id);
    this.routes.set(id, {
      id,
      name: input['name'] as string,
      url: input['url'] as string,
      ...(code !== undefined ? { code } : {}),
      ...(typeof input['disabled'] === 'boolean' ? { disabled: input['disabled'] } : {}),
      ...(input['headers'] !== undefined ? { headers: input['headers'] as Record<string, string> } : {}),
      ...(auth !== undefined ? { auth } : {}),
      ...(Array.isArray(input['authorities']) ? { authorities: input['authorities'] as string[] } : {}),
      ...(typeof input['responseTimeoutSeconds'] === 'number' ? { responseTimeoutSeconds: input['responseTimeoutSeconds'] } : {}),
      ...(typeof input['sharing'] === 'object' && input['sharing'] !== null ? { sharing: input['sharing'] as StoredRoute['sharing'] } : {}),
    });
    return existingId === undefined
      ? webMessageResponse({ httpStatusCode: 201, status: 'OK', response: report }, { location: `/api/routes/${id}` })
      : webMessageResponse({ httpStatusCode: 200, status: 'OK', response: report });
  }
}
