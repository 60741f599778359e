// `/api/systemSettings[/{key}]` (dhis2-core 2.41 SystemSettingController), as the header bar reads it:
//   GET /api/41/systemSettings/applicationTitle → {"applicationTitle":"DHIS 2 Demo - Sierra Leone"}
//   GET /api/41/systemSettings/helpPageLink → {"helpPageLink":"https://dhis2.github.io/…"}
// (dhis2/aggregate-data-entry-app cypress/fixtures/network/41/static_resources.json and
// a_data_set_can_be_selected.json; both `cache-control: no-cache, private`). One key answers JSON
// `{key: value}`, or the bare value as text/plain when the client asks for text only; a key the stand-in
// does not have (or a confidential one, for a non-superuser) is 404 E1005 "Setting does not exist or is
// marked as confidential". The whole set leaves confidential keys out (`no-cache, no-store,
// must-revalidate`). POST `/{key}` (`?value=` or the body) and POST `{…}` need ALL or F_SYSTEM_SETTING.
// Simplified: no translations (`locale`), values are kept as given (true/false become booleans).
import { headerValue, isSuperuser, type Dhis2User } from './auth.js';
import { queryValue, queryValues, type Query } from './metadata-query.js';
import { CONFIDENTIAL_SETTINGS, type SystemSettings } from './system-settings.js';
import type { Dhis2Request, Dhis2Response } from './types.js';
import { errorMessage, jsonResponse, webMessageResponse } from './web-message.js';

const NO_CACHE_PRIVATE = 'no-cache, private';

function known(settings: SystemSettings, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(settings, key);
}

function readable(settings: SystemSettings, key: string, user: Dhis2User): boolean {
  return known(settings, key) && (!CONFIDENTIAL_SETTINGS.has(key) || isSuperuser(user));
}

/** Prefers text/plain only when the client lists it and not JSON (Spring's producible-type choice, roughly). */
function wantsText(request: Dhis2Request): boolean {
  const accept = (headerValue(request.headers, 'accept') ?? '').toLowerCase();
  return accept.includes('text/plain') && !accept.includes('application/json') && !request.path.endsWith('.json');
}

function typed(previous: unknown, value: string): string | boolean | number {
  if (typeof previous === 'boolean') return value.trim().toLowerCase() === 'true';
  if (typeof previous === 'number' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  return value;
}

export function systemSettingsAnswer(
  method: string,
  key: string | undefined,
  request: Dhis2Request,
  user: Dhis2User,
  settings: SystemSettings,
): Dhis2Response {
  const values = settings as unknown as Record<string, unknown>;
  const mayWrite = isSuperuser(user) || user.authorities.includes('F_SYSTEM_SETTING');
  if (method === 'GET' && key === undefined) {
    const keys = queryValues(request.query as Query, 'key');
    const selected = (keys.length > 0 ? keys : Object.keys(values)).filter((name) => known(settings, name) && !CONFIDENTIAL_SETTINGS.has(name));
    if (selected.length === 0) return errorMessage(404, 'Setting does not exist or is marked as confidential', 'E1005');
    const body = Object.fromEntries(selected.filter((name) => values[name] !== null && values[name] !== undefined).map((name) => [name, values[name]]));
    return jsonResponse(200, body, { 'cache-control': 'no-cache, no-store, must-revalidate' });
  }
  if (method === 'GET' && key !== undefined) {
    if (!readable(settings, key, user)) return errorMessage(404, 'Setting does not exist or is marked as confidential', 'E1005');
    const value = values[key] ?? '';
    if (wantsText(request)) return { status: 200, headers: { 'content-type': 'text/plain;charset=UTF-8', 'cache-control': NO_CACHE_PRIVATE }, body: String(value) };
    return jsonResponse(200, { [key]: value }, { 'cache-control': NO_CACHE_PRIVATE });
  }
  if (method === 'POST' || method === 'DELETE') {
    if (!mayWrite) return errorMessage(403, 'Access is denied', undefined);
  }
  if (method === 'POST' && key !== undefined) {
    const value = queryValue(request.query as Query, 'value') ?? (typeof request.body === 'string' && request.body !== '' ? request.body : undefined);
    if (value === undefined) return errorMessage(409, 'Value must be specified as query param or as payload');
    if (!known(settings, key)) return errorMessage(409, `Key is not supported: ${key}`);
    values[key] = typed(values[key], value);
    return webMessageResponse({ httpStatusCode: 200, status: 'OK', message: `System setting '${key}' set to value '${String(values[key])}'.` });
  }
  if (method === 'POST') {
    let body: unknown = request.body;
    try {
      if (typeof body === 'string') body = JSON.parse(body);
    } catch {
      return errorMessage(400, 'Invalid JSON payload');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return errorMessage(400, 'Invalid JSON payload');
    const invalid = Object.keys(body).filter((name) => !known(settings, name));
    if (invalid.length > 0) return errorMessage(409, `Key(s) is not supported: ${invalid.join(', ')}`);
    for (const [name, value] of Object.entries(body)) values[name] = typed(values[name], String(value));
    return webMessageResponse({ httpStatusCode: 200, status: 'OK', message: 'System settings imported' });
  }
  return errorMessage(405, `Request method '${method}' is not supported`);
}
