// GET /api/v1/encounters/{source}/{id} (a clinic system's own source, or an operator's any source) and
// GET /api/v1/app/encounters/{id} (the DHIS2 app's own): the latest version of an encounter and its state
// per target. It answers with identifiers and states only, never the patient's data; a source that is not
// the caller's own answers as an unknown encounter would, so a key learns nothing of other sources.
import { Router, type Request, type Response } from 'express';
import type { EncounterStore } from '../ingest/encounter-store.js';
import type { EncounterStatus } from '../http/api-schemas.js';
import { callerOf, requireScope } from '../http/auth.js';
import { HttpProblem, problem } from '../http/problem.js';
import { removePatientValues } from '../status/scrub.js';

export function statusRouter(store: EncounterStore): Router {
  const router = Router();
  const answer = async (res: Response, source: string, id: string) => {
    const caller = callerOf(res);
    const stored = caller.scope === 'operator' || caller.source === source ? await store.read(source, id) : undefined;
    if (stored === undefined) {
      throw new HttpProblem(problem('not-found', `no encounter "${id}" from source "${source}"`));
    }
    const { encounter } = stored;
    // Reasons quoting an upstream system were scrubbed when stored; this pass removes the patient's own
    // values from anything older.
    const targets = Object.fromEntries(
      Object.entries(stored.targets).map(([target, state]) => [target, state.reason ? { ...state, reason: removePatientValues(state.reason, encounter) } : state]),
    );
    const status: EncounterStatus = {
      source,
      id,
      version: stored.version,
      status: encounter.status,
      type: encounter.type,
      training: encounter.training === true,
      acceptedAt: stored.acceptedAt,
      ...(stored.enteredBy ? { enteredBy: stored.enteredBy } : {}),
      processed: stored.processedVersion >= stored.version,
      targets,
    };
    res.json(status);
  };
  router.get('/encounters/:source/:id', requireScope('clinic', 'operator'), async (req: Request, res: Response) => {
    const { source, id } = req.params as { source: string; id: string };
    await answer(res, source, id);
  });
  router.get('/app/encounters/:id', requireScope('app'), async (req: Request, res: Response) => {
    await answer(res, callerOf(res).source, (req.params as { id: string }).id);
  });
  return router;
}
