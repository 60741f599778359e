// GET /api/v1/data-quality?orgUnit=…[&period=YYYYMM], for operators: the data-quality flags standing on a
// facility's DHIS2 cells (every data set's), in one period or in every period that has any. Each flag says
// its rule, the expected range, severity, an explanation in English and French and the encounters behind
// the value it judged (ids only). A flag never held a value back: DHIS2 has it as the ledger says.
// GET /api/v1/data-quality/scorecard[?year=YYYY][&district=…], for operators: the nightly district scorecard.
import { Router, type Request, type Response } from 'express';
import { requireScope } from '../http/auth.js';
import { HttpProblem, problem } from '../http/problem.js';
import type { QualityFlags } from '../quality/flag-store.js';
import { isMonthlyPeriod } from '../quality/history-months.js';
import type { ScorecardStore } from '../quality/scorecard-store.js';

const invalid = (parameter: string, message: string, detail: string) => new HttpProblem(problem('invalid-request', detail, { errors: [{ path: `?${parameter}`, message }] }));

export function dataQualityRouter(flags: QualityFlags, scorecards: ScorecardStore): Router {
  const router = Router();
  router.get('/data-quality/scorecard', requireScope('operator'), async (req: Request, res: Response) => {
    const query = req.query as Record<string, unknown>;
    const { year, district } = query;
    if (year !== undefined && (typeof year !== 'string' || !/^\d{4}$/.test(year))) throw invalid('year', 'must be YYYY', 'year must be a calendar year, YYYY');
    if (district !== undefined && (typeof district !== 'string' || !/^[^\s]{1,50}$/.test(district))) {
      throw invalid('district', 'must be an org unit code', 'district must be a district org unit code (no spaces, at most 50 characters)');
    }
    const scored = year !== undefined ? Number(year) : await scorecards.latestYear();
    const stored = scored === undefined ? undefined : await scorecards.load(scored, district);
    if (!stored) throw new HttpProblem(problem('not-found', `no scorecard has been computed${scored !== undefined ? ` for ${scored}` : ''} yet: the worker computes it nightly (DATA_QUALITY_SCORECARD_CRON)`));
    if (district !== undefined && !Object.hasOwn(stored.byDistrict, district)) throw new HttpProblem(problem('not-found', `the ${stored.year} scorecard has no district ${district}`));
    const { byDistrict, ...run } = stored;
    res.json({ ...run, scorecard: Object.entries(byDistrict).map(([name, scores]) => ({ district: name, ...scores })) });
  });
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
