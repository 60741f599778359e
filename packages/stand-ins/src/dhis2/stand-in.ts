// The DHIS2 stand-in: a pure, in-memory core that answers `{ method, path, query, headers, body }` the way
// a DHIS2 2.39–2.42 server does (or 2.43+ where reference/dhis2-web-api.md says behaviour changed), for
// the routes the middleware uses and what a built DHIS2 platform app asks at start-up. Transports
// (node:http in server.ts, msw in the tests) only carry requests to `handle` and act on its answer; for a
// route run the answer is a proxy plan they carry out. (Installed apps are the one part that reads files:
// their folders, installed-apps.ts.)
//
// Endpoints under `[/context]/api[/NN]/`. Credentials: Basic, `ApiToken d2pat_…`, or the JSESSIONID cookie
// of a browser login (sessions.ts, login.ts); without them see login.ts (401 JSON for XHR, else 302 to the
// login page). Public: system/ping, loginConfig and auth/login (2.41+), staticContent/*.
// - GET  system/ping, system/info, ping, me[/dashboard|/authorities] (users.ts), users[/{id}]
// - GET, POST, DELETE userSettings[/{key}] (users.ts); GET, POST systemSettings[/{key}] (system-settings-api.ts)
// - GET  organisationUnits[/{id}[/children|/descendants|/ancestors|/parents]] (org-units-api.ts)
// - GET  loginConfig, POST auth/login (2.41+, login.ts); GET staticContent/{logo_banner|logo_front}
// - GET, POST configuration/corsWhitelist (cors.ts: CORS on every answer, preflights before authentication)
// - GET  apps, apps/menu, apps/{key}[/**] (installed-apps.ts)
// - POST dataValueSets (JSON; sync, or async with system/tasks|taskSummaries/DATAVALUE_IMPORT/{id})
//   and GET dataValueSets (data-value-import.ts, data-value-export.ts; reference §1)
// - POST metadata (JSON; metadata-import.ts, §5)
// - POST, GET completeDataSetRegistrations (JSON; complete-registrations.ts)
// - GET, POST, PUT, DELETE dataStore[/{namespace}[/{key}[/metaData]]] (datastore.ts, §6.1)
// - routes CRUD (routes-api.ts) and GET|POST|PUT|DELETE|PATCH routes/{id-or-code}/run[/**] (route-run.ts, §6.2)
// Outside /api: GET dhis-web-commons/menu/getModules.action (the header bar's apps), POST
// dhis-web-commons-security/login.action, dhis-web-commons-security/logout.action, the login page
// (dhis-web-login, dhis-web-commons/security/login.action) and `/` (to the start module).
import { authenticate, DEFAULT_USER, headerValue, isSuperuser, type Dhis2User } from './auth.js';
import { corsDecision, localOrigin, withCorsHeaders } from './cors.js';
import { InstalledApps, type InstalledAppOptions } from './installed-apps.js';
import {
  authLoginAnswer,
  formLoginAnswer,
  loginConfigAnswer,
  loginPageAnswer,
  logoutAnswer,
  unauthenticatedAnswer,
  type LoginContext,
} from './login.js';
import { queryValue, queryValues } from './metadata-query.js';
import { organisationUnitsAnswer } from './org-units-api.js';
import { Sessions, type Session } from './sessions.js';
import { systemSettingsAnswer } from './system-settings-api.js';
import { captureUnits, dataViewUnits, meAnswer, NO_STORE, normalisedUser, usersAnswer, userSettingsAnswer, type UsersContext } from './users.js';
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
import { fullVersion, minorVersion, systemInfoJson } from './system.js';
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
  /**
   * Built DHIS2 apps (`build/app/` folders) served at `/api/apps/<short_name>/`, listed by `/api/apps` and
   * in the header bar's menu (getModules.action). When given and `systemSettings.startModule` is not, the
   * start module is the first app (`app:<short_name>`), so `/` and a login lead there.
   */
  apps?: InstalledAppOptions[];
  /**
   * The CORS whitelist (`Configuration.corsWhitelist`, globs such as `http://localhost:*`): origins whose
   * browsers may call the API with credentials, e.g. a `d2-app-scripts start` dev server. Default: none
   * (the server's own origin is always allowed). Also settable with POST /api/configuration/corsWhitelist.
   */
  corsWhitelist?: string[];
  /** dhis.conf `system.session.timeout`: seconds a browser session lives unused. Default 3600. */
  sessionTimeoutSeconds?: number;
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
const API_PATH = /^((?:\/[^/]+)*?)\/api(?:\/(\d+))?\/(.+?)(?:\.json)?\/?$/;
/** `[/context]/api[/NN]/apps/{key}[/**]`, matched on the raw path (a file's `.json` and trailing `/` matter). */
const APP_PATH = /^((?:\/[^/]+)*?)\/api(?:\/\d+)?\/apps\/([^/]+)(\/.*)?$/;
/** Paths outside /api the stand-in answers, after an optional context path. */
const WEB_PATH = /^((?:\/[^/]+)*?)(\/dhis-web-commons\/menu\/getModules\.action|\/dhis-web-commons-security\/(?:login|logout)\.action|\/dhis-web-login(?:\/.*)?|\/dhis-web-commons\/security\/login\.action|\/index\.html|\/)$/;

/** DhisWebApiWebSecurityConfig.setHttpHeaders: content type options and XSS protection on every answer (HSTS only over https). */
function withSecurityHeaders(answer: Dhis2Response): Dhis2Response {
  return { ...answer, headers: { ...answer.headers, 'x-content-type-options': 'nosniff', 'x-xss-protection': '1; mode=block' } };
}

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
  /** Browser sessions (JSESSIONID), from /api/auth/login and the login form. */
  readonly sessions: Sessions;
  /** The apps served at /api/apps/<key>/. */
  readonly apps: InstalledApps;
  /** `Configuration.corsWhitelist` (globs). */
  corsWhitelist: string[];
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
    this.users = (options.users ?? [DEFAULT_USER]).map((user) => normalisedUser(user));
    this.apps = new InstalledApps(options.apps);
    const firstApp = this.apps.apps[0];
    this.settings = {
      ...DEFAULT_SYSTEM_SETTINGS,
      ...(firstApp ? { startModule: `app:${firstApp.shortName}` } : {}),
      ...options.systemSettings,
    };
    this.clock = options.now ?? (() => new Date());
    this.sessions = new Sessions(this.clock, options.sessionTimeoutSeconds);
    this.corsWhitelist = [...(options.corsWhitelist ?? [])];
    this.routeRemoteServersAllowed = options.routeRemoteServersAllowed ?? 'https://*';
    if (options.metadata) this.loadMetadata(options.metadata);
  }

  /** Loads a `POST /api/metadata`-shaped object (creates or replaces by id). */
  loadMetadata(payload: Dhis2MetadataPayload): void {
    this.metadata.load(payload);
  }

  /**
   * Adds a user, e.g. a clinician: `addUser({ username: 'awa', password: 'pw', firstName: 'Awa', surname:
   * 'Ngono', organisationUnits: [facilityUid], userRoles: [{ id, name: 'Clinician', authorities:
   * ['M_smcclinic', 'M_smc-clinic', 'F_DATAVALUE_ADD'] }], settings: { keyUiLocale: 'fr' } })`. Without
   * authorities or roles the user may enter data values (F_DATAVALUE_ADD); without org units, everywhere.
   */
  addUser(user: Pick<Dhis2User, 'username' | 'password'> & Partial<Dhis2User>): Dhis2User {
    const added = normalisedUser({
      id: user.id ?? `u${String(this.users.length).padStart(10, '0')}`,
      firstName: user.firstName ?? user.username,
      surname: user.surname ?? 'User',
      personalAccessTokens: user.personalAccessTokens ?? [],
      ...user,
      authorities: user.authorities ?? (user.userRoles && user.userRoles.length > 0 ? [] : ['F_DATAVALUE_ADD']),
    });
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

  /** Forgets stored values, registrations, data store entries, faults and the request log; metadata, users, routes, sessions and apps stay. */
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
    const response = fault ? applyFault(fault, () => this.answer(request)) : this.answer(request);
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

  /** CORS around the answer (CorsFilter runs before authentication), and the security headers DHIS2 sets. */
  private answer(request: Dhis2Request): Dhis2Response {
    const cors = corsDecision(request, this.corsWhitelist);
    if (cors.kind === 'preflight') return withSecurityHeaders(cors.answer);
    const decorate = (answer: Dhis2Response): Dhis2Response => {
      const secured = withSecurityHeaders(answer);
      return cors.kind === 'headers' ? withCorsHeaders(secured, cors.headers) : secured;
    };
    const answer = this.route(request);
    const proxy = answer.proxy;
    if (!proxy) return decorate(answer);
    return { ...answer, proxy: { request: proxy.request, respond: (outcome) => decorate(proxy.respond(outcome)) } };
  }

  private loginContext(request: Dhis2Request, contextPrefix: string): LoginContext {
    return {
      users: this.users,
      sessions: this.sessions,
      settings: this.settings,
      version: this.version,
      minorVersion: this.minor,
      contextPath: `${localOrigin(request)}${contextPrefix}`,
      contextPrefix,
    };
  }

  /**
   * Who is calling: a Basic or ApiToken Authorization header (its failures are 401 as auth.ts answers
   * them), else the session cookie's user (an empty or other Authorization header is ignored, as DHIS2
   * without OAuth2/JWT configured ignores a Bearer one), else the entry point's answer (login.ts).
   */
  private identify(request: Dhis2Request, isApi: boolean, contextPrefix: string): { user: Dhis2User; session?: Session } | { failure: Dhis2Response } {
    const authorization = headerValue(request.headers, 'authorization')?.trim() ?? '';
    if (/^(basic|apitoken)(\s|$)/i.test(authorization)) return authenticate(this.users, request.headers);
    const session = this.sessions.find(request.headers);
    const user = session?.userId === undefined ? undefined : this.users.find((candidate) => candidate.id === session.userId && !candidate.disabled);
    if (user && session) return { user, session };
    return { failure: unauthenticatedAnswer(request, isApi, session, this.loginContext(request, contextPrefix)) };
  }

  private usersContext(apiPath: string): UsersContext {
    return { users: this.users, metadata: this.metadata, settings: this.settings, apiPath };
  }

  private route(request: Dhis2Request): Dhis2Response {
    const method = request.method.toUpperCase();
    const app = APP_PATH.exec(request.path);
    if (app) return this.appRoute(request, app);
    const match = API_PATH.exec(request.path);
    if (!match) {
      const web = WEB_PATH.exec(request.path);
      return web ? this.webRoute(request, web[1] as string, web[2] as string) : errorMessage(404, `No endpoint ${method} ${request.path}`);
    }
    const contextPrefix = match[1] as string;
    const apiVersion = match[2] === undefined ? undefined : Number(match[2]);
    const resource = match[3] as string;
    const login = this.loginContext(request, contextPrefix);
    const apiPath = `${login.contextPath}/api${apiVersion === undefined ? '' : `/${apiVersion}`}`;

    // Public endpoints (DhisWebApiWebSecurityConfig permitAll).
    if (resource === 'system/ping') return { status: 200, headers: { 'content-type': 'text/plain' }, body: 'pong' };
    if (this.minor >= 41 && resource === 'loginConfig') {
      return method === 'GET' ? loginConfigAnswer(login) : errorMessage(405, `Request method '${method}' is not supported`);
    }
    if (this.minor >= 41 && resource === 'auth/login') {
      return method === 'POST' ? authLoginAnswer(request, this.sessions.find(request.headers), login) : errorMessage(405, `Request method '${method}' is not supported`);
    }
    const staticContent = /^staticContent\/([^/]+)$/.exec(resource);
    if (staticContent) return this.staticContent(request, staticContent[1] as string, login);

    const identity = this.identify(request, true, contextPrefix);
    if ('failure' in identity) return identity.failure;
    const { user } = identity;
    const now = this.clock();
    const users = this.usersContext(apiPath);

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
      metadata: { POST: () => this.postMetadata(request) },
      // PingController: 200, no body.
      ping: { GET: () => ({ status: 200, headers: { 'content-length': '0' }, body: '' }) },
      'system/info': {
        GET: () =>
          jsonResponse(
            200,
            systemInfoJson({ version: this.version, now, contextPath: login.contextPath, userAgent: headerValue(request.headers, 'user-agent') }),
            { 'cache-control': NO_STORE },
          ),
      },
      apps: {
        GET: () => this.apps.list(user, login.contextPath, { key: queryValue(request.query, 'key'), filters: queryValues(request.query, 'filter') }),
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
    const me = /^me(?:\/(.*))?$/.exec(resource);
    if (me) return meAnswer(method, me[1] ?? '', request.query, user, users);
    const usersResource = /^users(?:\/([^/]+))?$/.exec(resource);
    if (usersResource) return usersAnswer(method, usersResource[1] ?? '', request.query, user, users);
    const userSettings = /^userSettings(?:\/([^/]+))?$/.exec(resource);
    if (userSettings) return userSettingsAnswer(method, userSettings[1], { query: request.query, body: request.body }, user, users);
    const systemSettings = /^systemSettings(?:\/([^/]+))?$/.exec(resource);
    if (systemSettings) return systemSettingsAnswer(method, systemSettings[1], request, user, this.settings);
    const orgUnits = /^organisationUnits(?:\/(.*))?$/.exec(resource);
    if (orgUnits) {
      return organisationUnitsAnswer(method, orgUnits[1] ?? '', request.query, {
        metadata: this.metadata,
        apiPath,
        userOrgUnits: captureUnits(user, this.metadata),
        userDataViewOrgUnits: dataViewUnits(user, this.metadata),
      });
    }
    if (/^configuration\/cors(?:Whitelist|Allowlist)$/.test(resource)) return this.corsWhitelistAnswer(method, request, user);
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

  /** `/api/apps/{key}[/**]` (AppController.renderApp) and `/api/apps/menu` (getWebModules). */
  private appRoute(request: Dhis2Request, match: RegExpExecArray): Dhis2Response {
    const method = request.method.toUpperCase();
    const contextPrefix = match[1] as string;
    const key = decodeURIComponent(match[2] as string);
    const rest = match[3] ?? '';
    const identity = this.identify(request, true, contextPrefix);
    if ('failure' in identity) return identity.failure;
    const login = this.loginContext(request, contextPrefix);
    if (key === 'menu' && rest === '') {
      return method === 'GET'
        ? jsonResponse(200, { modules: this.apps.modules(identity.user, login.contextPath) })
        : errorMessage(405, `Request method '${method}' is not supported`);
    }
    if (method !== 'GET') return errorMessage(405, `Request method '${method}' is not supported`);
    const app = this.apps.find(key, identity.user);
    if (!app) return errorMessage(404, `App '${key}' not found.`);
    return app.serve(rest, request, login.contextPath, this.minor);
  }

  /** Paths outside /api: the header bar's module list, the login form and page, logout, `/`. */
  private webRoute(request: Dhis2Request, contextPrefix: string, path: string): Dhis2Response {
    const method = request.method.toUpperCase();
    const login = this.loginContext(request, contextPrefix);
    if (path === '/dhis-web-commons-security/login.action') {
      return method === 'POST' ? formLoginAnswer(request, this.sessions.find(request.headers), login) : loginPageAnswer(request, login);
    }
    if (path === '/dhis-web-commons-security/logout.action') return logoutAnswer(this.sessions.find(request.headers), login);
    if (path.startsWith('/dhis-web-login') || path === '/dhis-web-commons/security/login.action') return loginPageAnswer(request, login);
    const identity = this.identify(request, false, contextPrefix);
    if ('failure' in identity) return identity.failure;
    if (path === '/dhis-web-commons/menu/getModules.action') {
      // GetModulesAction + jsonModules.vm; recorded with no-store (aggregate-data-entry-app
      // cypress/fixtures/network/41/static_resources.json). DHIS2's own web modules are not listed.
      return jsonResponse(200, { modules: this.apps.modules(identity.user, login.contextPath) }, { 'cache-control': NO_STORE });
    }
    // `/` → dhis-web-commons-about/redirect.action (RedirectAction): the start module.
    const start = this.settings.startModule;
    if (start.startsWith('app:')) {
      const app = this.apps.find(start.slice('app:'.length), identity.user);
      const launchUrl = app?.appJson(login.contextPath)['launchUrl'];
      if (typeof launchUrl === 'string') return { status: 302, headers: { location: launchUrl }, body: '' };
      return { status: 302, headers: { location: `${login.contextPath}/dhis-web-dashboard/` }, body: '' };
    }
    return { status: 302, headers: { location: `${login.contextPath}/${start}/` }, body: '' };
  }

  /**
   * StaticContentController: with `Accept: application/json` (the header bar's data engine) 404 "No custom
   * file found." unless a custom logo is set, which the stand-in never has (recorded: aggregate-data-entry-app
   * cypress/fixtures/network/41/static_resources.json, `GET /api/41/staticContent/logo_banner` 404); otherwise
   * a redirect to DHIS2's default image.
   */
  private staticContent(request: Dhis2Request, key: string, login: LoginContext): Dhis2Response {
    if (key !== 'logo_banner' && key !== 'logo_front') return errorMessage(404, 'Key does not exist.');
    if ((headerValue(request.headers, 'accept') ?? '').includes('application/json')) return errorMessage(404, 'No custom file found.');
    const image = key === 'logo_banner' ? `/dhis-web-commons/css/${this.settings.keyStyle.split('/')[0]}/logo_banner.png` : '/dhis-web-commons/security/logo_front.png';
    return { status: 302, headers: { location: `${login.contextPath}${image}` }, body: '' };
  }

  /** ConfigurationController `/configuration/corsWhitelist` (alias corsAllowlist): GET the globs; POST a JSON array (ALL or F_SYSTEM_SETTING) → 204. */
  private corsWhitelistAnswer(method: string, request: Dhis2Request, user: Dhis2User): Dhis2Response {
    if (method === 'GET') return jsonResponse(200, this.corsWhitelist);
    if (method !== 'POST') return errorMessage(405, `Request method '${method}' is not supported`);
    if (!isSuperuser(user) && !user.authorities.includes('F_SYSTEM_SETTING')) return errorMessage(403, 'Access is denied');
    let body: unknown = request.body;
    try {
      if (typeof body === 'string') body = JSON.parse(body);
    } catch {
      return errorMessage(400, 'Invalid JSON payload');
    }
    if (!Array.isArray(body) || body.some((entry) => typeof entry !== 'string')) return errorMessage(400, 'The CORS whitelist must be a JSON array of strings');
    this.corsWhitelist = [...new Set(body as string[])];
    return { status: 204, headers: {}, body: '' };
  }

  private postDataValueSet(request: Dhis2Request, user: Dhis2User, apiVersion: number | undefined): Dhis2Response {
    // DataValueSetController: @PreAuthorize("hasRole('ALL') or hasRole('F_DATAVALUE_ADD')"), a 403 otherwise.
    if (!isSuperuser(user) && !user.authorities.includes('F_DATAVALUE_ADD')) return errorMessage(403, 'Access is denied');
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
