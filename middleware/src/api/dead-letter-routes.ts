// GET /api/v1/dead-letters and POST /api/v1/dead-letters/replay, for operators only. A replay names what it
// replays: `{"jobIds": [...]}`, or `{"all": true}` for every dead letter; a body that is not JSON is a 415,
// and an empty or unknown body replays nothing.
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Queue } from 'bullmq';
import { requireScope } from '../http/auth.js';
import { HttpProblem, problem, sendProblem } from '../http/problem.js';
import { verifyUtf8 } from '../http/utf8.js';
import { listDeadLetters, replayDeadLetters } from '../delivery/dead-letters.js';

function requireJson(req: Request, res: Response, next: NextFunction): void {
  if (req.is('application/json') === 'application/json') {
    next();
    return;
  }
  sendProblem(res, problem('unsupported-media-type', 'send {"jobIds": [...]} or {"all": true} as application/json'), { 'Accept-Post': 'application/json' });
}

function replayRequest(body: unknown): string[] | 'all' {
  const invalid = (message: string, path: string) => new HttpProblem(problem('invalid-request', message, { errors: [{ path, message }] }));
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('send {"jobIds": [...]} or {"all": true}', '');
  const { jobIds, all, ...others } = body as { jobIds?: unknown; all?: unknown };
  const unknown = Object.keys(others);
  if (unknown.length > 0) throw invalid(`"${unknown[0]}" is not a field of a replay request`, `/${unknown[0]}`);
  if (all !== undefined && all !== true) throw invalid('all must be true (or left out)', '/all');
  if (all === true && jobIds !== undefined) throw invalid('give either jobIds or all, not both', '/all');
  if (all === true) return 'all';
  if (jobIds === undefined) throw invalid('name the jobs to replay in jobIds, or send {"all": true}', '/jobIds');
  if (!Array.isArray(jobIds) || jobIds.length === 0 || !jobIds.every((id) => typeof id === 'string' && id.length > 0)) {
    throw invalid('jobIds must be a non-empty list of job ids', '/jobIds');
  }
  return jobIds as string[];
}

export function deadLetterRouter(queuesOf: () => readonly Queue[]): Router {
  const router = Router();
  router.get('/dead-letters', requireScope('operator'), async (_req: Request, res: Response) => {
    res.json({ deadLetters: await listDeadLetters(queuesOf()) });
  });
  router.post('/dead-letters/replay', requireScope('operator'), requireJson, express.json({ limit: '100kb', verify: verifyUtf8 }), async (req: Request, res: Response) => {
    const request = replayRequest(req.body);
    const replayed = await replayDeadLetters(queuesOf(), request === 'all' ? undefined : request);
    res.json({ replayed });
  });
  return router;
}
