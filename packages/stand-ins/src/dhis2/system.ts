// `GET /api/system/info` in its minimal shape (reference/dhis2-web-api.md §4.3; `/api/me` is users.ts). A
// client reads `version` from system/info to tell 2.39–2.42 from 2.43+, and a platform app its API version
// (`/api/{minor}/…`, app-platform adapter ServerVersionProvider).

/** Patch releases the stand-in reports for a bare `2.NN`. */
const PATCH_FOR_MINOR: Record<number, string> = { 39: '2.39.7', 40: '2.40.7', 41: '2.41.5', 42: '2.42.2', 43: '2.43.0' };

/** `2.41` → `2.41.5`; a version given with its patch (`2.42.1`, `2.43-SNAPSHOT`) is kept as is. */
export function fullVersion(version: string): string {
  const match = /^2\.(\d+)$/.exec(version);
  if (!match) return version;
  return PATCH_FOR_MINOR[Number(match[1])] ?? `${version}.0`;
}

/** The minor number (`2.41.5` → 41) that selects version-dependent behaviour. */
export function minorVersion(version: string): number {
  const match = /^2\.(\d+)/.exec(version);
  if (!match) throw new Error(`DHIS2 version must look like 2.NN or 2.NN.P, got ${version}`);
  return Number(match[1]);
}

/** `yyyy-MM-dd'T'HH:mm:ss.SSS`, the server-local form DHIS2 uses for dates in system/info (UTC here). */
function localDateTime(date: Date): string {
  return date.toISOString().replace('Z', '');
}

export function systemInfoJson(options: { version: string; now: Date; contextPath: string; userAgent?: string }): Record<string, unknown> {
  return {
    contextPath: options.contextPath,
    userAgent: options.userAgent,
    calendar: 'iso8601',
    dateFormat: 'yyyy-mm-dd',
    serverDate: localDateTime(options.now),
    serverTimeZoneId: 'Etc/UTC',
    serverTimeZoneDisplayName: 'Coordinated Universal Time',
    version: options.version,
    revision: 'standin',
    buildTime: '2026-01-01T00:00:00.000',
    jasperReportsVersion: '6.20.6',
    environmentVariable: 'DHIS2_HOME',
    readOnlyMode: 'off',
    nodeId: 'standin',
    systemName: 'DHIS 2 stand-in',
    instanceBaseUrl: options.contextPath,
    emailConfigured: false,
    redisEnabled: false,
    isMetadataVersionEnabled: false,
    isMetadataSyncEnabled: false,
  };
}
