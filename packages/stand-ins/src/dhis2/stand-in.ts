// The DHIS2 stand-in: a pure, in-memory core that answers `{ method, path, query, headers, body }` the way
// a DHIS2 2.39–2.42 server does (or 2.43+ where reference/dhis2-web-api.md says behaviour changed), for
// the routes the middleware uses. Transports (node:http in server.ts, msw in the tests) only carry
// requests to `handle` and act on its answer; for a route run the answer is a proxy plan they carry out.
//
// Endpoints (under `[/context]/api[/NN]/`; every one but system/ping needs Basic or ApiToken credentials):
// - GET  system/ping, system/info, me
// - POST dataValueSets (JSON; sync, or async with system/tasks|taskSummaries/DATAVALUE_IMPORT/{id})
//   and GET dataValueSets (data-value-import.ts, data-value-export.ts; reference §1)
// - POST metadata (JSON; metadata-import.ts, §5)
// - POST, GET completeDataSetRegistrations (JSON; complete-registrations.ts)
// - GET, POST, PUT, DELETE dataStore[/{namespace}[/{key}[/metaData]]] (datastore.ts, §6.1)
// - routes CRUD (routes-api.ts) and GET|POST|PUT|DELETE|PATCH routes/{id-or-code}/run[/**] (route-run.ts, §6.2)
import { authenticate, DEFAULT_USER, headerValue, type Dhis2User } from './auth.js';
import { exportDataValueSet } from './data-value-export.js';
import { failedImportSummary, importDataValueSet, type ImportSummaryJson } from './data-value-import.js';
import { DataValueStore, type CompleteRegistration } from './data-value-store.js';
import { exportCompleteRegistrations, importCompleteRegistrations } from './complete-registrations.js';
import { applyFault, FaultInjector } from './dhis2-faults.js';
import { ImportJobs } from './import-jobs.js';
import { ImportOptionsError, importOptionsJson, parseImportOptions, type ImportOptions } from './import-options.js';
import { DEFAULT_CATEGORY_OPTION_COMBO, Metadata } from './metadata.js';
import { importMetadata } from './metadata-import.js';
import { parsePeriod } from './periods.js';
import { DEFAULT_SYSTEM_SETTINGS, type SystemSettings } from './system-settings.js';
import { fullVersion, meJson, minorVersion, systemInfoJson } from './system.js';
import { Datastore } from './datastore.js';
import { newUid, RoutesApi } from './routes-api.js';
import { ROUTE_RUN_METHODS, ROUTE_RUN_PATH, runRoute } from './route-run.js';
import type { DataValueKey, Dhis2MetadataPayload, Dhis2Request, Dhis2Response, StoredDataValue } from './types.js';
import { errorMessage, jsonResponse, webMessageResponse } from './web-message.js';

export interface Dhis2StandInOptions {
  /** `2.39` … `2.43`, optionally with a patch (`2.41.1`). Default `2.41`. */
  version?: string;
  /** Loaded on construction; more can follow with `loadMetadata`. */
  metadata?: Dhis2MetadataPayload;
  /** Default: one superuser `admin` / `district` with the token `DEFAULT_PERSONAL_ACCESS_TOKEN`. */
  users?: Dhis2User[];
  systemSettings?: Partial<SystemSettings>;
  /** The server clock (period openness, expiry, timestamps). Default: the real time. */
  now?: () => Date;
  /**
   * dhis.conf `route.remote_servers_allowed` (2.42+): comma-separated globs of `protocol://host[:port]` a
   * route may reach. Default DHIS2's `https://*`; tests with a local http upstream set e.g. `http://127.0.0.1:*`.
   */
  routeRemoteServersAllowed?: string;
}

/** A cell to look up; option combos default to the default COC, the period may be any ISO form. */
export type DataValueLookup = Omit<DataValueKey, 'categoryOptionCombo' | 'attributeOptionCombo'> &
  Partial<Pick<DataValueKey, 'categoryOptionCombo' | 'attributeOptionCombo'>>;

export interface HandledRequest {
  method: string;
  path: string;
  status: number;
  /** Set when a fault was injected instead of (or around) the normal answer. */
  fault?: string;
}

/** `[/context]/api[/NN]/resource[.json]`; a context path (`/dhis`) in front is allowed, as deployments use one. */
const API_PATH = /^(?:\/[^/]+)*?\/api(?:\/(\d+))?\/(.+?)(?:\.json)?\/?$/;

export class Dhis2StandIn {
  readonly metadata = new Metadata();
  /** Routes created through /api/routes (deployment creates the `smc-bridge` route). */
  readonly routesApi = new RoutesApi(() => ({ minorVersion: this.minor, remoteServersAllowed: this.routeRemoteServersAllowed }));
  readonly faults = new FaultInjector();
  /** /api/dataStore namespaces and entries. */
  readonly dataStore = new Datastore();
  /** Every request handled, in order (method, path, status, fault), for assertions on retries. */
  readonly requests: HandledRequest[] = [];
  readonly version: string;
  readonly users: Dhis2User[];
  settings: SystemSettings;
  private readonly store = new DataValueStore();
  private readonly jobs = new ImportJobs();
  private readonly clock: () => Date;
  private readonly minor: number;
  /**
   * dhis.conf `route.remote_servers_allowed` (2.42+). Changing it stands for editing dhis.conf and
   * restarting: routes stored before keep their url, and their runs are checked again.
   */
  routeRemoteServersAllowed: string;

  constructor(options: Dhis2StandInOptions = {}) {
    this.version = fullVersion(options.version ?? '2.41');
    this.minor = minorVersion(this.version);
    this.users = (options.users ?? [DEFAULT_USER]).map((user) => ({ ...user }));
    this.settings = { ...DEFAULT_SYSTEM_SETTINGS, ...options.systemSettings };
    this.clock = options.now ?? (() => new Date());
    this.routeRemoteServersAllowed = options.routeRemoteServersAllowed ?? 'https://*';
    if (options.metadata) this.loadMetadata(options.metadata);
  }

  /** Loads a `POST /api/metadata`-shaped object (creates or replaces by id). */
  loadMetadata(payload: Dhis2MetadataPayload): void {
    this.metadata.load(payload);
  }

  addUser(user: Pick<Dhis2User, 'username' | 'password'> & Partial<Dhis2User>): Dhis2User {
    const added: Dhis2User = {
      id: user.id ?? `u${String(this.users.length).padStart(10, '0')}`,
      firstName: user.firstName ?? user.username,
      surname: user.surname ?? 'User',
      authorities: user.authorities ?? ['F_DATAVALUE_ADD'],
      personalAccessTokens: user.personalAccessTokens ?? [],
      ...user,
    };
    this.users.push(added);
    return added;
  }

  /** Whether responses follow 2.43+ where the reference says it differs (WARNING answered with 200). */
  get isAtLeast243(): boolean {
    return this.minor >= 43;
  }

  // ---------------------------------------------------------------------------------------------------
  // Direct accessors for tests

  /** The stored value of a cell, or undefined when there is none or it was deleted. */
  valueOf(lookup: DataValueLookup): string | undefined {
    const row = this.rowOf(lookup);
    return row && !row.deleted ? (row.value ?? undefined) : undefined;
  }

  /** The stored row of a cell, soft-deleted ones included. */
  rowOf(lookup: DataValueLookup): StoredDataValue | undefined {
    return this.store.find({
      dataElement: lookup.dataElement,
      period: parsePeriod(lookup.period)?.iso ?? lookup.period,
      orgUnit: lookup.orgUnit,
      categoryOptionCombo: lookup.categoryOptionCombo ?? DEFAULT_CATEGORY_OPTION_COMBO,
      attributeOptionCombo: lookup.attributeOptionCombo ?? DEFAULT_CATEGORY_OPTION_COMBO,
    });
  }

  /** Every stored value, deleted ones only on request. */
  allValues(options: { includeDeleted?: boolean } = {}): StoredDataValue[] {
    return this.store.rowsIncludingDeleted().filter((row) => options.includeDeleted || !row.deleted);
  }

  completeRegistrations(): CompleteRegistration[] {
    return this.store.allRegistrations();
  }

  /** Forgets stored values, registrations, data store entries, faults and the request log; metadata, users and routes stay. */
  reset(): void {
    this.store.clear();
    this.dataStore.clear();
    this.faults.clear();
    this.faults.injected.length = 0;
    this.requests.length = 0;
  }

  // ---------------------------------------------------------------------------------------------------
  // Requests

  handle(request: Dhis2Request): Dhis2Response {
    const fault = this.faults.take(request);
    const response = fault ? applyFault(fault, () => this.route(request)) : this.route(request);
    const logged: HandledRequest = { method: request.method.toUpperCase(), path: request.path, status: response.status, fault: fault?.kind };
    this.requests.push(logged);
    const proxy = response.proxy;
    if (!proxy) return response;
    // A route run's status is known once the transport has the upstream's outcome.
    return {
      ...response,
      proxy: {
        request: proxy.request,
        respond: (outcome) => {
          const answer = proxy.respond(outcome);
          logged.status = answer.status;
          return answer;
        },
      },
    };
  }

  private route(request: Dhis2Request): Dhis2Response {
    const method = request.method.toUpperCase();
    const match = API_PATH.exec(request.path);
    if (!match) return errorMessage(404, `No endpoint ${method} ${request.path}`);
    const apiVersion = match[1] === undefined ? undefined : Number(match[1]);
    const resource = match[2] as string;

    if (resource === 'system/ping') return { status: 200, headers: { 'content-type': 'text/plain' }, body: 'pong' };

    const authentication = authenticate(this.users, request.headers);
    if ('failure' in authentication) return authentication.failure;
    const { user } = authentication;
    const now = this.clock();

    const routes: Record<string, Partial<Record<string, () => Dhis2Response>>> = {
      dataValueSets: {
        POST: () => this.postDataValueSet(request, user, apiVersion),
        GET: () => exportDataValueSet({ metadata: this.metadata, store: this.store, user }, request.query),
      },
      completeDataSetRegistrations: {
        POST: () => this.postCompleteRegistrations(request, user, apiVersion),
        GET: () =>
          exportCompleteRegistrations({ metadata: this.metadata, store: this.store, user, settings: this.settings, now }, request.query),
      },
      me: { GET: () => jsonResponse(200, meJson(user, this.metadata)) },
      metadata: { POST: () => this.postMetadata(request) },
      'system/info': {
        GET: () =>
          jsonResponse(
            200,
            systemInfoJson({
              version: this.version,
              now,
              contextPath: `http://${headerValue(request.headers, 'host') ?? 'localhost'}`,
              userAgent: headerValue(request.headers, 'user-agent'),
            }),
          ),
      },
    };
    const run = ROUTE_RUN_PATH.exec(request.path);
    if (run) {
      if (!ROUTE_RUN_METHODS.includes(method)) return errorMessage(405, `Request method '${method}' is not supported`);
      return runRoute(request, run, {
        routes: this.routesApi,
        user,
        minorVersion: this.minor,
        remoteServersAllowed: this.routeRemoteServersAllowed,
      });
    }
    const dataStore = /^dataStore(?:\/(.*))?$/.exec(resource);
    if (dataStore) {
      const segments = (dataStore[1] ?? '').split('/').filter((segment) => segment !== '').map((segment) => decodeURIComponent(segment));
      return this.dataStore.handle(method, segments, request, { user, now, minorVersion: this.minor, newUid });
    }
    const routeResource = /^routes(?:\/(.+))?$/.exec(resource);
    if (routeResource) return this.routesApi.handle(method, routeResource[1] ?? '', request.query ?? {}, request.body, user);
    const job = /^system\/(tasks|taskSummaries)\/DATAVALUE_IMPORT\/(\w+)$/.exec(resource);
    if (job && method === 'GET') return job[1] === 'tasks' ? this.jobs.tasks(job[2] as string) : this.jobs.taskSummary(job[2] as string);

    const handlers = routes[resource];
    if (!handlers) return errorMessage(404, `No endpoint ${method} ${request.path}`);
    const handler = handlers[method];
    if (!handler) return errorMessage(405, `Request method '${method}' is not supported`);
    return handler();
  }

  private postDataValueSet(request: Dhis2Request, user: Dhis2User, apiVersion: number | undefined): Dhis2Response {
    const contentType = headerValue(request.headers, 'content-type');
    if (contentType !== undefined && !/^application\/json\b/i.test(contentType.trim())) {
      // The stand-in speaks JSON only; DHIS2's XML, ADX, CSV and PDF readers are not modelled.
      return errorMessage(415, `Content type '${contentType}' not supported`);
    }
    let options: ImportOptions;
    try {
      options = parseImportOptions(request.query);
    } catch (error) {
      if (error instanceof ImportOptionsError) return errorMessage(400, error.message);
      throw error;
    }
    const summary = this.runImport(request.body, options, user);
    if (options.async) return this.jobs.start(summary, importOptionsJson(options), this.clock());
    return this.importSummaryResponse(summary, apiVersion);
  }

  /** `POST /api/completeDataSetRegistrations`: JSON only (the XML reader is not modelled), synchronous only. */
  private postCompleteRegistrations(request: Dhis2Request, user: Dhis2User, apiVersion: number | undefined): Dhis2Response {
    const contentType = headerValue(request.headers, 'content-type');
    if (contentType !== undefined && !/^application\/json\b/i.test(contentType.trim())) {
      return errorMessage(415, `Content type '${contentType}' not supported`);
    }
    let options: ImportOptions;
    try {
      options = parseImportOptions(request.query);
    } catch (error) {
      if (error instanceof ImportOptionsError) return errorMessage(400, error.message);
      throw error;
    }
    if (options.async) return errorMessage(400, 'The stand-in does not model async complete data set registration imports');
    const summary = importCompleteRegistrations(
      { metadata: this.metadata, store: this.store, user, settings: this.settings, now: this.clock() },
      options,
      request.body,
    );
    return this.importSummaryResponse(summary, apiVersion);
  }

  /** `POST /api/metadata` (§5): JSON only, as the stand-in models no CSV or GML reader. */
  private postMetadata(request: Dhis2Request): Dhis2Response {
    const contentType = headerValue(request.headers, 'content-type');
    if (contentType !== undefined && !/^application\/json\b/i.test(contentType.trim())) {
      return errorMessage(415, `Content type '${contentType}' not supported`);
    }
    return importMetadata(this.metadata, request);
  }

  private runImport(body: unknown, options: ImportOptions, user: Dhis2User): ImportSummaryJson {
    let payload: unknown = body;
    if (typeof body === 'string' || body === undefined) {
      try {
        payload = JSON.parse(body ?? '');
      } catch (error) {
        return failedImportSummary(error instanceof Error ? error.message : String(error));
      }
    }
    return importDataValueSet(
      { metadata: this.metadata, store: this.store, user, settings: this.settings, now: this.clock(), minorVersion: this.minor },
      options,
      payload,
    );
  }

  /** `WebMessageUtils.importSummary` (§1.3); API versions below 38 get the bare summary with 200. */
  private importSummaryResponse(summary: ImportSummaryJson, apiVersion: number | undefined): Dhis2Response {
    if (apiVersion !== undefined && apiVersion < 38) return jsonResponse(200, summary);
    switch (summary.status) {
      case 'SUCCESS':
        return webMessageResponse({ httpStatusCode: 200, status: 'OK', message: 'Import was successful.', response: summary });
      case 'WARNING':
        return this.isAtLeast243
          ? webMessageResponse({
              httpStatusCode: 200,
              status: 'WARNING',
              message: 'Import completed with warnings, please check import summary.',
              response: summary,
            })
          : webMessageResponse({
              httpStatusCode: 409,
              status: 'WARNING',
              message: 'One more conflicts encountered, please check import summary.',
              response: summary,
            });
      case 'ERROR':
        return webMessageResponse({
          httpStatusCode: 409,
          status: 'ERROR',
          message: 'An error occurred, please check import summary.',
          response: summary,
        });
    }
  }
}
