// Who is calling: HTTP Basic and personal access tokens (`Authorization: ApiToken d2pat_…`), with the 401
// answers DHIS2 gives (reference/dhis2-web-api.md §4.1). Browser sessions (the JSESSIONID cookie) and the
// answer to a request with no credentials at all (401 for XHR, else a redirect to the login page) are
// sessions.ts and login.ts.
import { crc32 } from 'node:zlib';
import { errorMessage } from './web-message.js';
import type { Dhis2Response } from './types.js';

/** A user role (`UserRole`): its authorities are what the user may do. */
export interface Dhis2UserRole {
  id: string;
  name: string;
  authorities: string[];
}

export interface Dhis2User {
  id: string;
  username: string;
  password: string;
  firstName: string;
  surname: string;
  email?: string;
  /**
   * Data capture org units (UIDs). Absent: none, as in DHIS2, where such a user can capture nowhere (E7617).
   * `'roots'`: the roots of whatever hierarchy is loaded, the whole of it (the default admin, assigned as a
   * deployment assigns its bridge user).
   */
  organisationUnits?: string[] | 'roots';
  /** Data view (analysis, export) org units. Absent: the data capture ones (DHIS2's fallback). */
  dataViewOrganisationUnits?: string[];
  /** Tracked entity search org units. Absent: none. */
  teiSearchOrganisationUnits?: string[];
  /**
   * Every authority the user holds (their roles' included). `ALL` makes a superuser (may `force`, edits
   * expired periods, reads every route and app).
   */
  authorities: string[];
  /** The roles behind the authorities; absent: one role named after the user holding `authorities`. */
  userRoles?: Dhis2UserRole[];
  /** User settings the user has set (`keyUiLocale: 'fr'` …); the rest fall back to system settings. */
  settings?: Record<string, string | boolean | null>;
  /** A disabled account cannot sign in (LoginResponse ACCOUNT_DISABLED, 401 "Account disabled"). */
  disabled?: boolean;
  /** Personal access tokens, `d2pat_…`. */
  personalAccessTokens: string[];
}

/** The reference's example token (§4.1); the default user carries it. */
export const DEFAULT_PERSONAL_ACCESS_TOKEN = 'd2pat_5xVA12xyUbWNedQxy4ohH77WlxRGVvZZ1151814092';

export const DEFAULT_USER: Readonly<Dhis2User> = {
  id: 'xE7jOejl9FI',
  username: 'admin',
  password: 'district',
  firstName: 'John',
  surname: 'Traore',
  authorities: ['ALL'],
  userRoles: [{ id: 'yrB6vc5Ip3r', name: 'Superuser', authorities: ['ALL'] }],
  organisationUnits: 'roots',
  personalAccessTokens: [DEFAULT_PERSONAL_ACCESS_TOKEN],
};

const API_TOKEN_HEADER = /^ApiToken (?<token>[a-z0-9-._~+/]+=*)$/i;

export function headerValue(headers: Record<string, string | undefined> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

export type Authentication = { user: Dhis2User } | { failure: Dhis2Response };

const unauthorized = (message = 'Unauthorized'): Authentication => ({ failure: errorMessage(401, message) });

export function authenticate(users: readonly Dhis2User[], headers: Record<string, string | undefined> | undefined): Authentication {
  const authorization = headerValue(headers, 'authorization')?.trim();
  if (!authorization) return unauthorized();

  if (/^ApiToken\s/i.test(authorization)) {
    // ApiTokenResolver: a header or a token it cannot read is a bad request (400), not an unknown token.
    const token = API_TOKEN_HEADER.exec(authorization)?.groups?.token;
    if (!token) return { failure: errorMessage(400, 'Api token is malformed') };
    if (!hasValidChecksum(token)) return { failure: errorMessage(400, 'Checksum validation failed') };
    const user = users.find((candidate) => candidate.personalAccessTokens.includes(token));
    if (!user) return unauthorized('The API token does not exists');
    // ApiTokenAuthManager: a disabled account's tokens no longer authenticate.
    return user.disabled ? unauthorized('The API token is disabled, locked or 2FA is enabled.') : { user };
  }

  if (/^Basic\s/i.test(authorization)) {
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return unauthorized();
    const username = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const user = users.find((candidate) => candidate.username === username && candidate.password === password);
    if (!user) return unauthorized();
    // FormLoginBasicAuthenticationEntryPoint on a DisabledException.
    return user.disabled ? unauthorized('Account disabled') : { user };
  }

  return unauthorized();
}

/**
 * A personal access token is `d2pat_`, 32 random letters and digits, then the CRC32 of those 32 as 10
 * decimal digits (the reference's example token checks out).
 */
export function hasValidChecksum(token: string): boolean {
  const parts = /^d2pat_([A-Za-z0-9]{32})(\d{10})$/.exec(token);
  return parts !== null && checksumOf(parts[1]!) === parts[2];
}

/** The checksum of a token's 32 random characters: their CRC32, as 10 decimal digits. */
const checksumOf = (random: string) => String(crc32(random)).padStart(10, '0');

/** A token with a valid checksum made from a readable stem, for tests and the demo: `personalAccessToken('clerk')`. */
export function personalAccessToken(stem: string): string {
  const random = stem.replace(/[^A-Za-z0-9]/g, '').padEnd(32, '0').slice(0, 32);
  return `d2pat_${random}${checksumOf(random)}`;
}

export function isSuperuser(user: Dhis2User): boolean {
  return user.authorities.includes('ALL');
}

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}
