// POST /api/v1/encounters: one encounter or a batch, answered with one result per encounter.
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { IngestAnswer } from '../http/api-schemas.js';
import type { ServiceMetrics } from '../http/metrics.js';
import { problem, sendProblem } from '../http/problem.js';
import { openEnvelope } from './envelope.js';
import { ingestEncounters, type IngestDeps, type IngestResult } from './ingest-encounters.js';

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
  router.post(
    '/encounters',
    requireJsonContent,
    express.json({ limit: options.bodyLimitBytes, type: 'application/json', strict: true }),
    async (req: Request, res: Response) => {
      const envelope = openEnvelope(req.body, options.maxBatch);
      const source = res.locals['source'] as string;
      const results = await ingestEncounters(
        { items: envelope.items, itemPath: envelope.itemPath, keySource: source, now: now() },
        options.deps,
      );
      for (const result of results) options.metrics.countIngest(result.status, source);
      const answer: IngestAnswer = { counts: countResults(results), results };
      res.status(answer.counts.rejected === results.length ? 422 : 202).json(answer);
    },
  );
  return router;
}
