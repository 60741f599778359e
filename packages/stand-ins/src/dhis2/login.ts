// Browser sign-in as DHIS2 does it (dhis2-core 2.41 unless marked):
// - `GET /api/loginConfig` (2.41+, public; LoginConfigController, LoginConfigResponse): the login page's
//   settings, null fields left out. 2.40 has no such controller: there the path is an unknown API path.
// - `POST /api/auth/login` (2.41+, public; AuthenticationController): JSON `{username, password}` → 200
//   `{"loginStatus":"SUCCESS","redirectUrl":"/<startModule>"}` (or the request the login page interrupted)
//   and a new session; an unknown user or a wrong password → 401 "Bad credentials" (CrudControllerAdvice
//   handleBadCredentialsException); a disabled account → 200 `{"loginStatus":"ACCOUNT_DISABLED"}`.
// - `POST /dhis-web-commons-security/login.action` (2.40, and 2.41's fallback; DhisWebCommonsWebSecurityConfig
//   formLogin): form `j_username`, `j_password` → 302 to the saved request or `/`
//   (SavedRequestAwareAuthenticationSuccessHandler), or 302 to
//   `/dhis-web-commons/security/login.action?failed=true` (CustomAuthFailureHandler).
// - `/dhis-web-commons-security/logout.action` (any method): the session ends, JSESSIONID is cleared
//   (CookieClearingLogoutHandler) and a 302 goes to `/` (DhisOidcLogoutSuccessHandler without OIDC).
// - Unauthenticated requests (FormLoginBasicAuthenticationEntryPoint for /api, Http401LoginUrlAuthentication-
//   EntryPoint elsewhere): `X-Requested-With: XMLHttpRequest` (or, under /api, an Authorization header
//   containing "Basic") → 401 `{"httpStatus":"Unauthorized","httpStatusCode":401,"status":"ERROR",
//   "message":"Unauthorized"}`; anything else → 302 to the login page (2.41+ `/dhis-web-login`, 2.40
//   `/dhis-web-commons/security/login.action`), a GET being saved in a new session for after the login.
// The login page itself is the stand-in's own: a plain form posting to login.action (DHIS2 serves its login
// app there). Not modelled: two-factor codes, password expiry, account locking, OIDC providers.
import { headerValue, type Dhis2User } from './auth.js';
import type { Sessions, Session } from './sessions.js';
import { CLEARED_SESSION_COOKIE, sessionCookie } from './sessions.js';
import type { SystemSettings } from './system-settings.js';
import type { Dhis2Request, Dhis2Response } from './types.js';
import { errorMessage, jsonResponse } from './web-message.js';

export interface LoginContext {
  users: readonly Dhis2User[];
  sessions: Sessions;
  settings: SystemSettings;
  version: string;
  minorVersion: number;
  /** `http://host:port` plus any context path, as HttpServletRequestPaths.getContextPath gives it. */
  contextPath: string;
  /** The context path alone (`''` or `/dhis`), as HttpServletRequest.getContextPath. */
  contextPrefix: string;
}

/** The login page the entry point sends browsers to. */
export function loginPagePath(minorVersion: number): string {
  return minorVersion >= 41 ? '/dhis-web-login' : '/dhis-web-commons/security/login.action';
}

/** LoginConfigController.getConfig with the stand-in's system settings. */
export function loginConfigAnswer(context: LoginContext): Dhis2Response {
  const s = context.settings;
  return jsonResponse(200, {
    apiVersion: context.version,
    applicationTitle: s.applicationTitle,
    applicationDescription: s.keyApplicationIntro ?? undefined,
    applicationNotification: s.keyApplicationNotification ?? undefined,
    applicationLeftSideFooter: s.keyApplicationFooter ?? undefined,
    applicationRightSideFooter: s.keyApplicationRightFooter ?? undefined,
    countryFlag: s.keyFlag,
    uiLocale: s.keyUiLocale.split(/[_-]/)[0],
    loginPageLogo: s.keyUseCustomLogoFront ? '/api/staticContent/logo_front.png' : undefined,
    loginPopup: s.loginPopup,
    loginPageLayout: s.loginPageLayout,
    loginPageTemplate: s.loginPageTemplate ?? undefined,
    recaptchaSite: s.recaptchaSite,
    emailConfigured: false,
    selfRegistrationEnabled: false,
    selfRegistrationNoRecaptcha: s.keySelfRegistrationNoRecaptcha,
    allowAccountRecovery: s.keyAccountRecovery,
    useCustomLogoFront: s.keyUseCustomLogoFront,
    oidcProviders: [],
  });
}

function checkCredentials(users: readonly Dhis2User[], username: unknown, password: unknown): Dhis2User | undefined {
  return users.find((user) => user.username === username && user.password === password);
}

/** A new session for the user (session fixation protection: the old one ends, its saved request moves along). */
function signIn(user: Dhis2User, previous: Session | undefined, sessions: Sessions): Session {
  if (previous) sessions.invalidate(previous.id);
  return sessions.create({ userId: user.id });
}

/** AuthenticationController.filterSavedRequest: a saved request for a file (a dot, no `.html`, no `/` end) is not returned to. */
function usableSavedRequest(saved: string | undefined): string | undefined {
  if (saved === undefined) return undefined;
  const uri = saved.split('?')[0] as string;
  const filtered = !uri.endsWith('.html') && !uri.endsWith('/') && uri.includes('.');
  return filtered ? undefined : saved;
}

/** `POST /api/auth/login`. */
export function authLoginAnswer(request: Dhis2Request, previous: Session | undefined, context: LoginContext): Dhis2Response {
  let body: unknown = request.body;
  if (typeof body === 'string' || body === undefined) {
    try {
      body = JSON.parse((body as string | undefined) ?? '');
    } catch (error) {
      return errorMessage(400, `JSON parse error: ${(error as Error).message}`);
    }
  }
  const { username, password } = (body ?? {}) as { username?: unknown; password?: unknown };
  const known = context.users.find((user) => user.username === username);
  const user = checkCredentials(context.users, username, password);
  if (!known || !user) return errorMessage(401, 'Bad credentials');
  if (user.disabled) return jsonResponse(200, { loginStatus: 'ACCOUNT_DISABLED' });
  const saved = usableSavedRequest(previous?.savedRequest);
  const session = signIn(user, previous, context.sessions);
  const redirectUrl = saved ?? `${context.contextPrefix}/${context.settings.startModule}`;
  return jsonResponse(200, { loginStatus: 'SUCCESS', redirectUrl }, { 'set-cookie': sessionCookie(session.id) });
}

function formFields(body: unknown): URLSearchParams {
  if (typeof body === 'string') return new URLSearchParams(body);
  if (body && typeof body === 'object') return new URLSearchParams(Object.entries(body as Record<string, string>));
  return new URLSearchParams();
}

/** `POST /dhis-web-commons-security/login.action` (form login). */
export function formLoginAnswer(request: Dhis2Request, previous: Session | undefined, context: LoginContext): Dhis2Response {
  const form = formFields(request.body);
  const user = checkCredentials(context.users, form.get('j_username'), form.get('j_password'));
  if (!user || user.disabled) {
    return { status: 302, headers: { location: `${context.contextPrefix}/dhis-web-commons/security/login.action?failed=true` }, body: '' };
  }
  const saved = previous?.savedRequest;
  const session = signIn(user, previous, context.sessions);
  const origin = context.contextPath.slice(0, context.contextPath.length - context.contextPrefix.length);
  const location = saved !== undefined ? `${origin}${saved}` : `${context.contextPrefix}/`;
  return { status: 302, headers: { location, 'set-cookie': sessionCookie(session.id) }, body: '' };
}

/** `/dhis-web-commons-security/logout.action`. */
export function logoutAnswer(session: Session | undefined, context: LoginContext): Dhis2Response {
  if (session) context.sessions.invalidate(session.id);
  return { status: 302, headers: { location: `${context.contextPrefix}/`, 'set-cookie': CLEARED_SESSION_COOKIE }, body: '' };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The stand-in's login page (DHIS2 serves its login app here): a form for login.action. */
export function loginPageAnswer(request: Dhis2Request, context: LoginContext): Dhis2Response {
  const failed = [request.query?.['failed'] ?? []].flat().includes('true');
  const title = escapeHtml(context.settings.applicationTitle);
  const body = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>
<style>body{font-family:system-ui,sans-serif;display:flex;justify-content:center;margin-top:10vh}form{display:grid;gap:.6rem;min-width:16rem}input,button{font-size:1rem;padding:.4rem}.error{color:#b71c1c}</style></head>
<body>
<form method="post" action="${escapeHtml(context.contextPrefix)}/dhis-web-commons-security/login.action">
<h1>${title}</h1>
<p>DHIS2 stand-in: sign in</p>
${failed ? '<p class="error" role="alert">Wrong username or password</p>\n' : ''}<label>Username <input name="j_username" autocomplete="username" required autofocus></label>
<label>Password <input name="j_password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button>
</form>
</body>
</html>
`;
  return { status: 200, headers: { 'content-type': 'text/html;charset=UTF-8' }, body };
}

/** Whether Spring's HttpSessionRequestCache would save this request for after the login. */
function savable(request: Dhis2Request): boolean {
  const accept = headerValue(request.headers, 'accept') ?? '';
  return request.method.toUpperCase() === 'GET' && !accept.includes('application/json') && !request.path.endsWith('/favicon.ico');
}

function pathWithQuery(request: Dhis2Request): string {
  const search = new URLSearchParams();
  for (const [name, values] of Object.entries(request.query ?? {})) for (const value of [values ?? []].flat()) search.append(name, value);
  const text = search.toString();
  return text === '' ? request.path : `${request.path}?${text}`;
}

/** The entry point's answer to a request without a user. */
export function unauthenticatedAnswer(request: Dhis2Request, isApi: boolean, previous: Session | undefined, context: LoginContext): Dhis2Response {
  const xhr = headerValue(request.headers, 'x-requested-with') === 'XMLHttpRequest';
  const basic = isApi && (headerValue(request.headers, 'authorization') ?? '').includes('Basic');
  if (xhr || basic) return errorMessage(401, 'Unauthorized');
  const headers: Record<string, string> = { location: `${context.contextPath}${loginPagePath(context.minorVersion)}` };
  if (savable(request)) {
    const session = previous ?? context.sessions.create();
    session.savedRequest = pathWithQuery(request);
    if (!previous) headers['set-cookie'] = sessionCookie(session.id);
  }
  return { status: 302, headers, body: '' };
}
