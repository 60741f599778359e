// GET /api/v1/dead-letters and POST /api/v1/dead-letters/replay (body: optional {"jobIds": [...]}).
import express, { Router, type Request, type Response } from 'express';
import type { Queue } from 'bullmq';
import { HttpProblem, problem } from '../http/problem.js';
import { listDeadLetters, replayDeadLetters } from './dead-letters.js';

export function deadLetterRouter(queues: readonly Queue[]): Router {
  const router = Router();
  router.get('/dead-letters', async (_req: Request, res: Response) => {
    res.json({ deadLetters: await listDeadLetters(queues) });
  });
  router.post('/dead-letters/replay', express.json({ limit: '100kb' }), async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as { jobIds?: unknown };
    if (body.jobIds !== undefined && !(Array.isArray(body.jobIds) && body.jobIds.every((id) => typeof id === 'string'))) {
      throw new HttpProblem(problem('invalid-request', 'jobIds must be a list of job ids', { errors: [{ path: '/jobIds', message: 'must be an array of strings' }] }));
    }
    const replayed = await replayDeadLetters(queues, body.jobIds as string[] | undefined);
    res.json({ replayed });
  });
  return router;
}
