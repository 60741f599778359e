// The DHIS2 user the DHIS2 Route names in X-Forwarded-User. Only the app's Route key may name one (the
// routes that read it require that scope); the value must look like a DHIS2 username.
import type { Request } from 'express';
import { HttpProblem, problem } from '../http/problem.js';

/** A DHIS2 username as DHIS2 allows it: no control characters or spaces, at most 255 characters. */
const DHIS2_USERNAME = /^[^\s\u0000-\u001F\u007F]{1,255}$/u;

export function forwardedUserOf(req: Request): string | undefined {
  const user = req.get('x-forwarded-user');
  if (user === undefined) return undefined;
  if (!DHIS2_USERNAME.test(user)) {
    throw new HttpProblem(problem('invalid-request', 'X-Forwarded-User is not a DHIS2 username', { errors: [{ path: 'X-Forwarded-User', message: 'must be a DHIS2 username' }] }));
  }
  return user;
}
