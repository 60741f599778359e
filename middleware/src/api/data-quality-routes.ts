// GET /api/v1/data-quality?orgUnit=…[&period=YYYYMM], for operators: the data-quality flags standing on a
// facility's DHIS2 cells (every data set's), in one period or in every period that has any. Each flag says
// its rule, the expected range, severity, an explanation in English and French and the encounters behind
// the value it judged (ids only). A flag never held a value back: DHIS2 has it as the ledger says.
import { Router, type Request, type Response } from 'express';
import { requireScope } from '../http/auth.js';
import { HttpProblem, problem } from '../http/problem.js';
import type { QualityFlags } from '../quality/flag-store.js';
import { isMonthlyPeriod } from '../quality/history-months.js';

export function dataQualityRouter(flags: QualityFlags): Router {
  const router = Router();
  router.get('/data-quality', requireScope('operator'), async (req: Request, res: Response) => {
    const query = req.query as Record<string, unknown>;
    const orgUnit = query['orgUnit'];
    const period = query['period'];
    if (typeof orgUnit !== 'string' || orgUnit === '') {
      throw new HttpProblem(problem('invalid-request', 'orgUnit is required (the org unit code, as in the mappings)', { errors: [{ path: '?orgUnit', message: 'is required' }] }));
    }
    if (period !== undefined && (typeof period !== 'string' || !isMonthlyPeriod(period))) {
      throw new HttpProblem(problem('invalid-request', 'period must be a monthly DHIS2 period (YYYYMM): only monthly values are screened', { errors: [{ path: '?period', message: 'must be YYYYMM' }] }));
    }
    const list = await flags.list(orgUnit, period);
    res.json({ orgUnit, ...(period !== undefined ? { period } : {}), flags: list });
  });
  return router;
}
