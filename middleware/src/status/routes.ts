// GET /api/v1/encounters/{source}/{id}: the latest version of an encounter and its state per target.
// It answers with identifiers and states only, never the patient's data.
import { Router, type Request, type Response } from 'express';
import type { EncounterStore } from '../ingest/encounter-store.js';
import type { EncounterStatus } from '../http/api-schemas.js';
import { HttpProblem, problem } from '../http/problem.js';

export function statusRouter(store: EncounterStore): Router {
  const router = Router();
  router.get('/encounters/:source/:id', async (req: Request, res: Response) => {
    const { source, id } = req.params as { source: string; id: string };
    const stored = await store.read(source, id);
    if (stored === undefined) {
      throw new HttpProblem(problem('not-found', `no encounter "${id}" from source "${source}"`));
    }
    const { encounter } = stored;
    const status: EncounterStatus = {
      source,
      id,
      version: stored.version,
      status: encounter.status,
      type: encounter.type,
      training: encounter.training === true,
      acceptedAt: stored.acceptedAt,
      processed: stored.processedVersion >= stored.version,
      targets: stored.targets,
    };
    res.json(status);
  });
  return router;
}
