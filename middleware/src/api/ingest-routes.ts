// POST /api/v1/encounters (a clinic system's key) and POST /api/v1/app/encounters (the DHIS2 app, through
// the DHIS2 Route): one encounter or a batch, answered with one result per encounter. The caller has been
// identified from the headers already (http/auth.ts); the body is read only after that.
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { callerOf, requireScope } from '../http/auth.js';
import type { IngestAnswer, IngestResult } from '../http/api-schemas.js';
import type { ServiceMetrics } from '../metrics/service-metrics.js';
import { HttpProblem, problem, sendProblem } from '../http/problem.js';
import { openEnvelope } from '../ingest/envelope.js';
import { ingestEncounters, type IngestDeps } from '../ingest/ingest-encounters.js';

/** A DHIS2 username as DHIS2 allows it (UserService: 4–255 characters, no control characters or spaces). */
const DHIS2_USERNAME = /^[^\s\u0000-\u001F\u007F]{1,255}$/u;

function requireJsonContent(req: Request, res: Response, next: NextFunction): void {
  if (req.get('content-length') === '0') {
    // body-parser reads an empty JSON body as {}; say what really happened instead.
    sendProblem(res, problem('invalid-request', 'the body is empty; send an encounter or {"encounters": [...]}'));
    return;
  }
  if (req.is('application/json') === 'application/json') {
    next();
    return;
  }
  const sent = req.get('content-type');
  sendProblem(
    res,
    problem('unsupported-media-type', sent ? `Content-Type "${sent}" is not accepted; send application/json` : 'send the body as application/json'),
    { 'Accept-Post': 'application/json' },
  );
}

function countResults(results: readonly IngestResult[]): IngestAnswer['counts'] {
  const counts = { accepted: 0, duplicate: 0, stale: 0, rejected: 0 };
  for (const result of results) counts[result.status] += 1;
  return counts;
}

/** The DHIS2 user the Route names; only the app's Route key may name one. */
function enteredByOf(req: Request): string | undefined {
  const user = req.get('x-forwarded-user');
  if (user === undefined) return undefined;
  if (!DHIS2_USERNAME.test(user)) {
    throw new HttpProblem(problem('invalid-request', 'X-Forwarded-User is not a DHIS2 username', { errors: [{ path: 'X-Forwarded-User', message: 'must be a DHIS2 username' }] }));
  }
  return user;
}

export function ingestRouter(options: {
  deps: IngestDeps;
  metrics: ServiceMetrics;
  bodyLimitBytes: number;
  maxBatch: number;
  now?: () => Date;
}): Router {
  const router = Router();
  const now = options.now ?? (() => new Date());
  const readBody = express.json({ limit: options.bodyLimitBytes, type: 'application/json', strict: true });
  const ingest = async (req: Request, res: Response) => {
    const envelope = openEnvelope(req.body, options.maxBatch);
    const { source, scope } = callerOf(res);
    const enteredBy = scope === 'app' ? enteredByOf(req) : undefined;
    const results = await ingestEncounters(
      { items: envelope.items, itemPath: envelope.itemPath, keySource: source, now: now(), ...(enteredBy ? { enteredBy } : {}) },
      options.deps,
    );
    for (const result of results) options.metrics.countIngest(result.status, source);
    const answer: IngestAnswer = { counts: countResults(results), results };
    res.status(answer.counts.rejected === results.length ? 422 : 202).json(answer);
  };
  router.post('/encounters', requireScope('clinic'), requireJsonContent, readBody, ingest);
  router.post('/app/encounters', requireScope('app'), requireJsonContent, readBody, ingest);
  return router;
}
