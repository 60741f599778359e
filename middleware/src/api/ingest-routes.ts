// POST /api/v1/encounters (a clinic system's key) and POST /api/v1/app/encounters (the DHIS2 app, through
// the DHIS2 Route): one encounter or a batch, answered with one result per encounter. The caller has been
// identified from the headers already (http/auth.ts); the body is read only after that, as bytes: they are
// parsed and validated where the batch validator says (ingest/validation-threads.ts).
import { gunzipSync } from 'node:zlib';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { callerOf, requireScope } from '../http/auth.js';
import type { IngestAnswer, IngestResult } from '../http/api-schemas.js';
import type { ServiceMetrics } from '../metrics/service-metrics.js';
import { HttpProblem, problem, sendProblem } from '../http/problem.js';
import { forwardedUserOf } from './forwarded-user.js';
import { ingestValidated, type IngestDeps } from '../ingest/ingest-encounters.js';
import type { BatchValidator } from '../ingest/validation-threads.js';

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
  validator: BatchValidator;
  metrics: ServiceMetrics;
  bodyLimitBytes: number;
  maxBatch: number;
  now?: () => Date;
}): Router {
  const router = Router();
  const now = options.now ?? (() => new Date());
  const ingest = async (req: Request, res: Response) => {
    const { source, scope } = callerOf(res);
    const at = now();
    const validation = await options.validator.validate(req.body as Buffer, { keySource: source, nowMs: at.getTime(), maxBatch: options.maxBatch });
    if ('problem' in validation) {
      sendProblem(res, validation.problem);
      return;
    }
    const enteredBy = scope === 'app' ? forwardedUserOf(req) : undefined;
    const results = await ingestValidated(validation, { now: at, ...(enteredBy ? { enteredBy } : {}) }, options.deps);
    const counts = countResults(results);
    for (const [status, count] of Object.entries(counts)) {
      if (count > 0) options.metrics.countIngest(status as IngestResult['status'], source, count);
    }
    const answer: IngestAnswer = { counts, results };
    res.status(answer.counts.rejected === results.length ? 422 : 202).json(answer);
  };
  router.post('/encounters', requireScope('clinic'), requireJsonContent, ...readJsonBytes(options.bodyLimitBytes, { inflateUnlabelledGzip: false }), ingest);
  router.post('/app/encounters', requireScope('app'), requireJsonContent, ...readJsonBytes(options.bodyLimitBytes, { inflateUnlabelledGzip: true }), ingest);
  return router;
}

/**
 * The body as UTF-8 JSON bytes, inflated when it carries a Content-Encoding (by body-parser) and, for the
 * app, when it does not: a DHIS2 Route forwards no Content-Encoding (2.40 and 2.41 drop the header,
 * reference §6.2), so the app's gzip batch arrives unlabelled, recognisable by gzip's magic number (1f 8b,
 * which no JSON text can start with). BODY_LIMIT holds after inflation.
 */
function readJsonBytes(limit: number, options: { inflateUnlabelledGzip: boolean }) {
  const raw = express.raw({ type: 'application/json', limit });
  const check = (req: Request, _res: Response, next: NextFunction): void => {
    // The parameter's value may be quoted (RFC 9110 §5.6.6): charset="utf-8" is charset=utf-8.
    const parameter = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(req.get('content-type') ?? '');
    const charset = parameter ? (parameter[1] ?? parameter[2] ?? '').toLowerCase() : undefined;
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      next(new HttpProblem(problem('unsupported-media-type', 'the JSON body must be UTF-8')));
      return;
    }
    let bytes = Buffer.isBuffer(req.body) ? (req.body as Buffer) : Buffer.alloc(0);
    if (options.inflateUnlabelledGzip && req.get('content-encoding') === undefined && bytes[0] === 0x1f && bytes[1] === 0x8b) {
      try {
        bytes = gunzipSync(bytes, { maxOutputLength: limit });
      } catch (error) {
        const tooLarge = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError;
        next(new HttpProblem(tooLarge ? problem('payload-too-large', 'the body is larger than the configured limit (BODY_LIMIT) once inflated') : problem('invalid-request', 'the body is not valid gzip data; it may be corrupt or cut short')));
        return;
      }
    }
    req.body = bytes;
    next();
  };
  return [raw, check] as const;
}
