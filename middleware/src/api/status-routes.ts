// GET /api/v1/encounters/{source}/{id} (a clinic system's own source, or an operator's any source),
// GET /api/v1/app/encounters/{id} and GET /api/v1/app/encounters?ids=a,b,… (the DHIS2 app's own): the latest
// version of an encounter and its state per target. It answers with identifiers and states only, never the
// patient's data; a source that is not the caller's own answers as an unknown encounter would, so a key
// learns nothing of other sources.
import { Router, type Request, type Response } from 'express';
import type { EncounterStore, StoredEncounter } from '../ingest/encounter-store.js';
import type { EncounterStatus } from '../http/api-schemas.js';
import { callerOf, requireScope } from '../http/auth.js';
import { HttpProblem, problem } from '../http/problem.js';
import { removePatientValues } from '../status/scrub.js';

/** Most ids one status list may ask for (the app polls its outbox in pages of this size). */
export const MAX_STATUS_IDS = 100;

function statusOf(source: string, id: string, stored: StoredEncounter): EncounterStatus {
  const { encounter } = stored;
  // Reasons quoting an upstream system were scrubbed when stored; this pass removes the patient's own
  // values from anything older.
  const targets = Object.fromEntries(
    Object.entries(stored.targets).map(([target, state]) => [target, state.reason ? { ...state, reason: removePatientValues(state.reason, encounter) } : state]),
  );
  return {
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
}

export function statusRouter(store: EncounterStore): Router {
  const router = Router();
  const answer = async (res: Response, source: string, id: string) => {
    const caller = callerOf(res);
    const stored = caller.scope === 'operator' || caller.source === source ? await store.read(source, id) : undefined;
    if (stored === undefined) throw new HttpProblem(problem('not-found', `no encounter "${id}" from source "${source}"`));
    res.json(statusOf(source, id, stored));
  };
  router.get('/encounters/:source/:id', requireScope('clinic', 'operator'), async (req: Request, res: Response) => {
    const { source, id } = req.params as { source: string; id: string };
    await answer(res, source, id);
  });
  router.get('/app/encounters/:id', requireScope('app'), async (req: Request, res: Response) => {
    await answer(res, callerOf(res).source, (req.params as { id: string }).id);
  });
  router.get('/app/encounters', requireScope('app'), async (req: Request, res: Response) => {
    const raw = typeof req.query['ids'] === 'string' ? req.query['ids'] : '';
    const ids = [...new Set(raw.split(',').map((id) => id.trim()).filter((id) => id !== ''))];
    if (ids.length === 0 || ids.length > MAX_STATUS_IDS) {
      throw new HttpProblem(problem('invalid-request', `ids must list 1 to ${MAX_STATUS_IDS} encounter ids, comma-separated`, { errors: [{ path: '?ids', message: `must hold 1 to ${MAX_STATUS_IDS} ids` }] }));
    }
    const { source } = callerOf(res);
    const stored = await store.readMany(ids.map((id) => ({ source, id, version: 0 })));
    res.json({ encounters: ids.flatMap((id, i) => (stored[i] ? [statusOf(source, id, stored[i])] : [])) });
  });
  return router;
}
