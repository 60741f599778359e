// Bearer API keys. The key decides the source the caller speaks for (`res.locals.source`).
import type { NextFunction, Request, Response } from 'express';
import { sourceForKey, type ApiKeyEntry } from '../config/api-keys.js';
import { problem, sendProblem } from './problem.js';

const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="smc-bridge"' };

export function requireApiKey(entries: readonly ApiKeyEntry[]) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.get('authorization');
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match === null) {
      sendProblem(res, problem('unauthorized', 'send an API key as "Authorization: Bearer <key>"'), CHALLENGE);
      return;
    }
    const source = sourceForKey(entries, match[1] as string);
    if (source === undefined) {
      sendProblem(res, problem('unauthorized', 'the API key is not valid'), { ...CHALLENGE, 'WWW-Authenticate': 'Bearer realm="smc-bridge", error="invalid_token"' });
      return;
    }
    res.locals['source'] = source;
    next();
  };
}
