// Servlet sessions as DHIS2 uses them for browser users: the `JSESSIONID` cookie (session tracking by
// cookie only, DhisWebApiWebAppInitializer) carries either a signed-in user or, before login, the request
// Spring Security saved when it sent the browser to the login page (HttpSessionRequestCache), so that the
// login returns there. Sessions expire after `system.session.timeout` seconds of inactivity (dhis.conf
// default 3600). A login makes a new session (session fixation protection: migrateSession).
//
// Cookie attributes: 2.42+ set the name, HttpOnly and SameSite from dhis.conf `session.cookie.samesite`
// (default Lax; DhisWebApiWebAppInitializer, RedisSpringSessionConfig); 2.41 leaves them to the servlet
// container except with Redis sessions (JSESSIONID, SameSite=Lax, HttpOnly). The stand-in sends the 2.42
// form on every version: `JSESSIONID=<id>; Path=/; HttpOnly; SameSite=Lax` (no Secure: it speaks http).
import { randomBytes } from 'node:crypto';
import { headerValue } from './auth.js';

export interface Session {
  id: string;
  /** The signed-in user's uid; absent before login. */
  userId?: string;
  /** Where to go after login (a GET the login page interrupted), as DefaultSavedRequest keeps it. */
  savedRequest?: string;
  lastAccess: number;
}

export const SESSION_COOKIE = 'JSESSIONID';

/** `Set-Cookie` for a session. */
export function sessionCookie(id: string): string {
  return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`;
}

/** `Set-Cookie` that deletes the session cookie (CookieClearingLogoutHandler: max-age 0, path /). */
export const CLEARED_SESSION_COOKIE = `${SESSION_COOKIE}=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:10 GMT; Path=/`;

/** The JSESSIONID values in a `Cookie` header (a browser may send more than one, for different paths). */
export function sessionIdsIn(headers: Record<string, string | undefined> | undefined): string[] {
  const cookie = headerValue(headers, 'cookie');
  if (!cookie) return [];
  return cookie
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.startsWith(`${SESSION_COOKIE}=`))
    .map((part) => part.slice(SESSION_COOKIE.length + 1));
}

export class Sessions {
  private readonly byId = new Map<string, Session>();

  constructor(
    private readonly clock: () => Date,
    /** dhis.conf `system.session.timeout`. */
    readonly timeoutSeconds = 3600,
  ) {}

  create(fields: Partial<Omit<Session, 'id' | 'lastAccess'>> = {}): Session {
    const session: Session = { id: randomBytes(16).toString('hex').toUpperCase(), lastAccess: this.clock().getTime(), ...fields };
    this.byId.set(session.id, session);
    return session;
  }

  /** The live session a request's cookie names, touched; undefined when none or expired. */
  find(headers: Record<string, string | undefined> | undefined): Session | undefined {
    const now = this.clock().getTime();
    for (const id of sessionIdsIn(headers)) {
      const session = this.byId.get(id);
      if (!session) continue;
      if (now - session.lastAccess > this.timeoutSeconds * 1000) {
        this.byId.delete(id);
        continue;
      }
      session.lastAccess = now;
      return session;
    }
    return undefined;
  }

  invalidate(id: string): void {
    this.byId.delete(id);
  }

  /** Every live session of a user (for tests). */
  of(userId: string): Session[] {
    return [...this.byId.values()].filter((session) => session.userId === userId);
  }

  clear(): void {
    this.byId.clear();
  }
}
