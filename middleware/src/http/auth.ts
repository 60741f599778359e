// Who is calling: a Bearer API key decides the caller's scope and the source it speaks for
// (config/api-keys.ts). Every /api/v1 request is identified from its headers alone, before any body is
// read; a valid key whose scope does not cover the endpoint gets 403.
import type { IncomingHttpHeaders } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { callerForKey, type ApiKeyEntry, type KeyScope } from '../config/api-keys.js';
import { problem, sendProblem, type Problem } from './problem.js';

export interface Caller {
  scope: KeyScope;
  /** The source a clinic or app key speaks for; an operator key's name. */
  source: string;
}

const CHALLENGE = 'Bearer realm="smc-bridge"';

export type Identification = { caller: Caller } | { refusal: Problem; headers: Record<string, string> };

/** The caller a request's Authorization header names, or the 401 to answer. */
export function identify(entries: readonly ApiKeyEntry[], headers: IncomingHttpHeaders): Identification {
  const header = headers.authorization;
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (match === null) {
    return { refusal: problem('unauthorized', 'send an API key as "Authorization: Bearer <key>"'), headers: { 'WWW-Authenticate': CHALLENGE } };
  }
  const entry = callerForKey(entries, match[1] as string);
  if (entry === undefined) {
    return { refusal: problem('unauthorized', 'the API key is not valid'), headers: { 'WWW-Authenticate': `${CHALLENGE}, error="invalid_token"` } };
  }
  return { caller: { scope: entry.scope, source: entry.source } };
}

export function requireApiKey(entries: readonly ApiKeyEntry[]) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const identification = identify(entries, req.headers);
    if ('refusal' in identification) {
      sendProblem(res, identification.refusal, identification.headers);
      return;
    }
    res.locals['caller'] = identification.caller;
    next();
  };
}

export function callerOf(res: Response): Caller {
  return res.locals['caller'] as Caller;
}

const SCOPE_WORDS: Record<KeyScope, string> = {
  clinic: "a clinic system's key",
  app: "the DHIS2 app's Route key, through the DHIS2 Route",
  operator: 'an operator key',
};

/** Lets the request through only for callers of the given scopes; others get 403 saying which key is needed. */
export function requireScope(...scopes: KeyScope[]) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    if (scopes.includes(callerOf(res).scope)) {
      next();
      return;
    }
    sendProblem(res, problem('forbidden', `this endpoint needs ${scopes.map((scope) => SCOPE_WORDS[scope]).join(' or ')}`));
  };
}
