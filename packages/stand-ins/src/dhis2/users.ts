// The stand-in's users as DHIS2 shows them: `GET /api/me[/dashboard|/authorities[/{authority}]]`
// (MeController, MeDto), `GET /api/users[/{id}]` (UserController over AbstractFullReadOnlyController) and
// `/api/userSettings[/{key}]` (UserSettingController, UserSettingKey, DefaultUserSettingService), dhis2-core
// 2.41. Shapes follow the recorded traffic of dhis2/aggregate-data-entry-app
// cypress/fixtures/network/41/static_resources.json (and 40/):
//   GET /api/41/me?fields=id → {"id":"GOLswS44mh8"}
//   GET /api/41/me?fields=authorities,avatar,email,name,settings → {"name":"Tom Wakiki","settings":{…},"authorities":["ALL"]}
//   GET /api/41/me?fields=organisationUnits[id,level,path] → {"organisationUnits":[{"path":"/ImspTQPwCqd","id":"ImspTQPwCqd","level":1}]}
//   GET /api/41/me/dashboard → {"unreadInterpretations":42,"unreadMessageConversations":214} (no-store)
//   GET /api/41/userSettings → {"keyMessageSmsNotification":false,"keyDbLocale":"en",…,"keyUiLocale":"en",…} (no-cache, private)
// Simplified: no user groups, programs, avatars or attribute values; roles are read by everyone; a user
// may change only their own settings unless they hold ALL (DHIS2's canModifyUser also lets user managers).
import { isSuperuser, type Dhis2User, type Dhis2UserRole } from './auth.js';
import { Entity, filterEntity, parseFields, type FieldValue } from './field-filter.js';
import type { Metadata } from './metadata.js';
import { listAnswer, queryValue, queryValues, type Query } from './metadata-query.js';
import { orgUnitEntity } from './org-units-api.js';
import type { SystemSettings } from './system-settings.js';
import type { Dhis2Response } from './types.js';
import { errorMessage, jsonResponse, webMessageResponse } from './web-message.js';

/** UserSettingKey, in the order DHIS2's HashMap writes them (the recorded answer's order). */
export const USER_SETTING_KEYS = [
  'keyMessageSmsNotification',
  'keyDbLocale',
  'keyTrackerDashboardLayout',
  'keyStyle',
  'keyUiLocale',
  'keyAnalysisDisplayProperty',
  'keyMessageEmailNotification',
] as const;
export type UserSettingKey = (typeof USER_SETTING_KEYS)[number];

/** UserSettingKey defaults (DEFAULT_USER_SETTINGS_MAP): every user has them unless they set otherwise. */
const USER_SETTING_DEFAULTS: Partial<Record<UserSettingKey, boolean>> = { keyMessageEmailNotification: true, keyMessageSmsNotification: true };
const BOOLEAN_SETTINGS = new Set<string>(['keyMessageEmailNotification', 'keyMessageSmsNotification']);

export const NO_STORE = 'no-cache, no-store, max-age=0, must-revalidate';
const NO_CACHE_PRIVATE = 'no-cache, private';

/** A stable uid from a text (for the role a user without roles gets). */
function derivedUid(seed: string): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let hash = 2166136261;
  let uid = '';
  for (let position = 0; position < 11; position++) {
    for (const char of `${seed}#${position}`) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
    uid += alphabet[hash % (position === 0 ? 52 : 62)];
  }
  return uid;
}

/** A user as the stand-in keeps it: `authorities` is the union of its own and its roles'; it has roles. */
export function normalisedUser(user: Dhis2User): Dhis2User {
  const roles: Dhis2UserRole[] =
    user.userRoles && user.userRoles.length > 0
      ? user.userRoles.map((role) => ({ ...role, authorities: [...role.authorities] }))
      : [{ id: derivedUid(`role:${user.username}`), name: `Role of ${user.username}`, authorities: [...user.authorities] }];
  const authorities = [...new Set([...user.authorities, ...roles.flatMap((role) => role.authorities)])];
  return { ...user, authorities, userRoles: roles, settings: { ...user.settings } };
}

/**
 * `getUserSettingsWithFallbackByUserAsMap`: what the user set, the UserSettingKey defaults, then (with
 * fallback) the system setting of the same name, which may be null (keyDbLocale, keyTrackerDashboardLayout).
 */
export function userSettingsOf(user: Dhis2User, system: SystemSettings, useFallback = true): Record<string, string | boolean | null> {
  const own = user.settings ?? {};
  const out: Record<string, string | boolean | null> = {};
  for (const key of USER_SETTING_KEYS) {
    const set = own[key];
    if (set !== undefined && set !== null) out[key] = set;
    else if (USER_SETTING_DEFAULTS[key] !== undefined) out[key] = USER_SETTING_DEFAULTS[key] as boolean;
    // keyTrackerDashboardLayout is a system setting without a default: null either way.
    else out[key] = useFallback ? ((system as unknown as Record<string, string | null | undefined>)[key] ?? null) : null;
  }
  return out;
}

export interface UsersContext {
  users: readonly Dhis2User[];
  metadata: Metadata;
  settings: SystemSettings;
  apiPath: string;
}

function roleEntity(role: Dhis2UserRole): Entity {
  return new Entity(role.id, () => ({ id: role.id, name: role.name, displayName: role.name, authorities: [...role.authorities] }));
}

/** The user's data capture org units: none when unassigned, as DHIS2 (`OrganisationUnit.isDescendant` of an empty set is false). */
export function captureUnits(user: Pick<Dhis2User, 'organisationUnits'>, metadata: Pick<Metadata, 'roots'>): string[] {
  if (user.organisationUnits === 'roots') return metadata.roots();
  return user.organisationUnits ?? [];
}

/** The data view org units; absent: the data capture ones (the stand-in's fallback, as DHIS2's services use). */
export function dataViewUnits(user: Dhis2User, metadata: Metadata): string[] {
  return user.dataViewOrganisationUnits ?? captureUnits(user, metadata);
}

function orgUnits(ids: readonly string[], context: UsersContext): Entity[] {
  return ids.map((id) => orgUnitEntity(context.metadata, id, context.apiPath));
}

/** `MeDto`, for the field filter. */
export function meEntity(user: Dhis2User, context: UsersContext): Entity {
  return new Entity(user.id, () => {
    const displayName = `${user.firstName} ${user.surname}`;
    const properties: Record<string, FieldValue> = {
      id: user.id,
      username: user.username,
      surname: user.surname,
      firstName: user.firstName,
      email: user.email,
      displayName,
      name: displayName,
      organisationUnits: orgUnits(captureUnits(user, context.metadata), context),
      dataViewOrganisationUnits: orgUnits(dataViewUnits(user, context.metadata), context),
      teiSearchOrganisationUnits: orgUnits(user.teiSearchOrganisationUnits ?? [], context),
      userGroups: [],
      userRoles: (user.userRoles ?? []).map(roleEntity),
      translations: [],
      attributeValues: [],
      settings: userSettingsOf(user, context.settings),
      programs: [],
      authorities: [...user.authorities],
      dataSets: [...context.metadata.dataSets.keys()],
      patTokens: [],
    };
    return properties;
  });
}

/** A `User` as `/api/users` shows it, for the field filter. */
export function userEntity(user: Dhis2User, context: UsersContext): Entity {
  return new Entity(user.id, () => {
    const displayName = `${user.firstName} ${user.surname}`;
    const roles = (user.userRoles ?? []).map(roleEntity);
    const properties: Record<string, FieldValue> = {
      id: user.id,
      href: `${context.apiPath}/users/${user.id}`,
      username: user.username,
      firstName: user.firstName,
      surname: user.surname,
      name: displayName,
      displayName,
      email: user.email,
      disabled: user.disabled ?? false,
      organisationUnits: orgUnits(captureUnits(user, context.metadata), context),
      dataViewOrganisationUnits: orgUnits(dataViewUnits(user, context.metadata), context),
      teiSearchOrganisationUnits: orgUnits(user.teiSearchOrganisationUnits ?? [], context),
      userRoles: roles,
      userGroups: [],
      // The pre-2.38 shape, still answered for compatibility (UserCredentialsDto).
      userCredentials: { username: user.username, disabled: user.disabled ?? false, userRoles: roles },
    };
    return properties;
  });
}

const USER_PROPERTIES: ReadonlySet<string> = new Set([
  'id',
  'href',
  'username',
  'firstName',
  'surname',
  'name',
  'displayName',
  'email',
  'disabled',
  'organisationUnits',
  'dataViewOrganisationUnits',
  'teiSearchOrganisationUnits',
  'userRoles',
  'userGroups',
  'userCredentials',
]);

function fieldsOr(query: Query, preset: string) {
  const fields = queryValues(query, 'fields');
  return parseFields(fields.length === 0 ? preset : fields);
}

/** `GET me`, `me/dashboard`, `me/authorities[/{authority}]`; `rest` follows `me`. */
export function meAnswer(method: string, rest: string, query: Query, user: Dhis2User, context: UsersContext): Dhis2Response {
  if (method !== 'GET') return errorMessage(405, `Request method '${method}' is not supported`);
  if (rest === '') return jsonResponse(200, filterEntity(meEntity(user, context), fieldsOr(query, '*')));
  if (rest === 'dashboard') return jsonResponse(200, { unreadInterpretations: 0, unreadMessageConversations: 0 }, { 'cache-control': NO_STORE });
  if (rest === 'authorities') return jsonResponse(200, [...user.authorities]);
  const authority = /^authorities\/(.+)$/.exec(rest)?.[1];
  if (authority !== undefined) return jsonResponse(200, isSuperuser(user) || user.authorities.includes(decodeURIComponent(authority)));
  return errorMessage(404, `No endpoint GET /api/me/${rest}`);
}

/** `GET users[/{id}]`: needs ALL or F_USER_VIEW (UserSchemaDescriptor's READ authority). */
export function usersAnswer(method: string, rest: string, query: Query, user: Dhis2User, context: UsersContext): Dhis2Response {
  if (method !== 'GET') return errorMessage(405, `Request method '${method}' is not supported`);
  if (!isSuperuser(user) && !user.authorities.includes('F_USER_VIEW')) {
    return errorMessage(403, "You don't have the proper permissions to read objects of this type.", 'E1006');
  }
  if (rest === '') {
    return listAnswer(
      context.users.map((candidate) => userEntity(candidate, context)),
      query,
      { apiPath: context.apiPath, collection: 'users', properties: USER_PROPERTIES },
    );
  }
  const found = context.users.find((candidate) => candidate.id === rest);
  if (!found) return errorMessage(404, `User with id ${rest} could not be found.`, 'E1005');
  return jsonResponse(200, filterEntity(userEntity(found, context), fieldsOr(query, '*')), { 'cache-control': NO_CACHE_PRIVATE });
}

function isUserSettingKey(key: string): key is UserSettingKey {
  return (USER_SETTING_KEYS as readonly string[]).includes(key);
}

/** UserSettingController.getUser: the current user, or the one named by `user` / `userId`. */
function targetUser(query: Query, current: Dhis2User, users: readonly Dhis2User[]): Dhis2User | Dhis2Response {
  const uid = queryValue(query, 'userId');
  const username = queryValue(query, 'user');
  if (uid === undefined && username === undefined) return current;
  const found = users.find((candidate) => (uid !== undefined ? candidate.id === uid : candidate.username === username));
  if (!found) return errorMessage(409, `Could not find user '${uid ?? username}'`);
  if (found.id !== current.id && !isSuperuser(current)) return errorMessage(401, `You are not authorized to access user: ${found.username}`);
  return found;
}

/**
 * `/api/userSettings[/{key}]`: GET all (with fallback unless `useFallback=false`, or only `key=…`), GET one
 * (text/plain), POST one (`?value=` or the body as text), DELETE one. DHIS2 takes no PUT here.
 */
export function userSettingsAnswer(
  method: string,
  key: string | undefined,
  request: { query: Query; body: unknown },
  current: Dhis2User,
  context: UsersContext,
): Dhis2Response {
  const target = targetUser(request.query, current, context.users);
  if (!(target && 'id' in target)) return target as Dhis2Response;
  const useFallback = (queryValue(request.query, 'useFallback') ?? 'true').toLowerCase() !== 'false';
  if (key === undefined) {
    if (method !== 'GET') return errorMessage(405, `Request method '${method}' is not supported`);
    const all = userSettingsOf(target, context.settings, useFallback);
    const keys = queryValues(request.query, 'key');
    for (const wanted of keys) if (!isUserSettingKey(wanted)) return errorMessage(404, `No user setting found with key: ${wanted}`);
    const body = keys.length === 0 ? all : Object.fromEntries(keys.map((wanted) => [wanted, userSettingsOf(target, context.settings, true)[wanted] ?? null]));
    return jsonResponse(200, body, { 'cache-control': NO_CACHE_PRIVATE });
  }
  if (!isUserSettingKey(key)) return errorMessage(404, `No user setting found with key: ${key}`);
  switch (method) {
    case 'GET': {
      const value = userSettingsOf(target, context.settings, useFallback)[key];
      return { status: 200, headers: { 'content-type': 'text/plain;charset=UTF-8', 'cache-control': NO_CACHE_PRIVATE }, body: String(value) };
    }
    case 'POST': {
      const fromQuery = queryValue(request.query, 'value');
      const fromBody = typeof request.body === 'string' ? request.body : request.body === undefined ? undefined : JSON.stringify(request.body);
      const value = fromQuery ?? fromBody;
      if (value === undefined || value === '') return errorMessage(409, 'You need to specify a new value');
      target.settings = { ...target.settings, [key]: BOOLEAN_SETTINGS.has(key) ? value.trim().toLowerCase() === 'true' : value };
      return webMessageResponse({ httpStatusCode: 200, status: 'OK', message: 'User setting saved' });
    }
    case 'DELETE': {
      const settings = { ...target.settings };
      delete settings[key];
      target.settings = settings;
      return { status: 200, headers: {}, body: '' };
    }
    default:
      return errorMessage(405, `Request method '${method}' is not supported`);
  }
}
