// A DHIS2 Web API stand-in (2.39–2.42 by default, 2.43+ on request) that follows
// shared/reference/dhis2-web-api.md: the in-memory core, its HTTP server, and the helpers tests use.
export { Dhis2StandIn, type Dhis2StandInOptions, type DataValueLookup, type HandledRequest } from './stand-in.js';
export { startDhis2StandInServer, toDhis2Request, type Dhis2StandInServer, type Dhis2StandInServerOptions } from './server.js';
export { FaultInjector, type Dhis2Fault, type FaultMatch, type RandomFaults, type InjectedFault } from './dhis2-faults.js';
export type { CompleteRegistration } from './data-value-store.js';
export type { Datastore } from './datastore.js';
export type { RoutesApi, StoredRoute } from './routes-api.js';
// A route run answers with a proxy plan; both transports carry it out with resolveProxy, and so can a caller
// of `handle()` that has no transport.
export { resolveProxy, type OutboundRequest, type ProxyPlan, type UpstreamOutcome } from '../http/outbound.js';
export { DEFAULT_PERSONAL_ACCESS_TOKEN, DEFAULT_USER, basicAuthorization, personalAccessToken, type Dhis2User, type Dhis2UserRole } from './auth.js';
export { InstalledApp, InstalledApps, seeAppAuthority, urlFriendlyName, type InstalledAppOptions } from './installed-apps.js';
export { SESSION_COOKIE, Sessions, type Session } from './sessions.js';
export { isCorsWhitelisted } from './cors.js';
export {
  DEFAULT_CATEGORY,
  DEFAULT_CATEGORY_COMBO,
  DEFAULT_CATEGORY_OPTION,
  DEFAULT_CATEGORY_OPTION_COMBO,
} from './metadata.js';
export { DEFAULT_SYSTEM_SETTINGS, type SystemSettings } from './system-settings.js';
export { parsePeriod, type Period, type PeriodTypeName } from './periods.js';
export type { ConflictCode, ImportConflict, ImportCount, ImportStatus } from './import-summary.js';
export type {
  DataValueKey,
  Dhis2DataValue,
  Dhis2DataValueSet,
  Dhis2MetadataPayload,
  Dhis2Request,
  Dhis2Response,
  StoredDataValue,
  TransportAction,
} from './types.js';
