// POST /api/v1/encounters (a clinic system's key) and POST /api/v1/app/encounters (the DHIS2 app, through
// the DHIS2 Route): one encounter or a batch, answered with one result per encounter. The caller has been
// identified from the headers already (http/auth.ts); the body is read only after that.
import { gunzipSync } from 'node:zlib';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { callerOf, requireScope } from '../http/auth.js';
import type { IngestAnswer, IngestResult } from '../http/api-schemas.js';
import type { ServiceMetrics } from '../metrics/service-metrics.js';
import { HttpProblem, problem, sendProblem } from '../http/problem.js';
import { openEnvelope } from '../ingest/envelope.js';
import { forwardedUserOf } from './forwarded-user.js';
import { ingestEncounters, type IngestDeps } from '../ingest/ingest-encounters.js';

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
    const enteredBy = scope === 'app' ? forwardedUserOf(req) : undefined;
    const results = await ingestEncounters(
      { items: envelope.items, itemPath: envelope.itemPath, keySource: source, now: now(), ...(enteredBy ? { enteredBy } : {}) },
      options.deps,
    );
    for (const result of results) options.metrics.countIngest(result.status, source);
    const answer: IngestAnswer = { counts: countResults(results), results };
    res.status(answer.counts.rejected === results.length ? 422 : 202).json(answer);
  };
  router.post('/encounters', requireScope('clinic'), requireJsonContent, readBody, ingest);
  router.post('/app/encounters', requireScope('app'), requireJsonContent, ...readAppBody(options.bodyLimitBytes), ingest);
  return router;
}

/**
 * The app's body: JSON, gzip-compressed as the app sends its batches. A DHIS2 Route forwards no
 * Content-Encoding (2.40 and 2.41 drop the header, reference §6.2), so a body that arrives without one but
 * starts with gzip's magic number (1f 8b, which no JSON text can start with) is inflated here; one that
 * keeps its Content-Encoding is inflated by body-parser as usual. BODY_LIMIT holds after inflation.
 */
function readAppBody(limit: number) {
  const raw = express.raw({ type: 'application/json', limit });
  const parse = (req: Request, _res: Response, next: NextFunction): void => {
    const charset = /charset=([^;]+)/i.exec(req.get('content-type') ?? '')?.[1]?.trim().toLowerCase();
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      next(new HttpProblem(problem('unsupported-media-type', 'the JSON body must be UTF-8')));
      return;
    }
    let bytes = Buffer.isBuffer(req.body) ? (req.body as Buffer) : Buffer.alloc(0);
    if (req.get('content-encoding') === undefined && bytes[0] === 0x1f && bytes[1] === 0x8b) {
      try {
        bytes = gunzipSync(bytes, { maxOutputLength: limit });
      } catch (error) {
        const tooLarge = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError;
        next(new HttpProblem(tooLarge ? problem('payload-too-large', 'the body is larger than the configured limit (BODY_LIMIT) once inflated') : problem('invalid-request', 'the body is not valid gzip data; it may be corrupt or cut short')));
        return;
      }
    }
    try {
      req.body = JSON.parse(bytes.toString('utf8')) as unknown;
    } catch {
      next(new HttpProblem(problem('malformed-json', 'the body is not valid JSON')));
      return;
    }
    next();
  };
  return [raw, parse] as const;
}
