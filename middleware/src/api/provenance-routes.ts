// GET /api/v1/provenance?dataElement=…&period=…&orgUnit=…&categoryOptionCombo=…[&attributeOptionCombo=…]
// lists the encounters behind one DHIS2 value, by code, as the ledger holds them. The data set is found
// from the mappings (the data set whose rules target the element), or given as `dataSet`. An operator sees
// every source's encounters and the data-quality flags standing on the cell (quality/); a clinic system
// only its own encounters, and `value` is then its own share (a flag judges the whole value, so it is not
// shown to a clinic key).
import { Router, type Request, type Response } from 'express';
import type { Ledger } from '../ledger/ledger.js';
import type { Mappings } from '../mapping/load-mappings.js';
import type { QualityFlags } from '../quality/flag-store.js';
import { callerOf, requireScope } from '../http/auth.js';
import { HttpProblem, problem } from '../http/problem.js';

const REQUIRED = ['dataElement', 'period', 'orgUnit', 'categoryOptionCombo'] as const;

export function provenanceRouter(ledger: Ledger, mappings: Mappings, flags: QualityFlags): Router {
  const router = Router();
  router.get('/provenance', requireScope('clinic', 'operator'), async (req: Request, res: Response) => {
    const query = req.query as Record<string, unknown>;
    const missing = REQUIRED.filter((name) => typeof query[name] !== 'string' || query[name] === '');
    if (missing.length > 0) {
      throw new HttpProblem(
        problem('invalid-request', 'dataElement, period, orgUnit and categoryOptionCombo are required', {
          errors: missing.map((name) => ({ path: `?${name}`, message: 'is required' })),
        }),
      );
    }
    const [dataElement, period, orgUnit, categoryOptionCombo] = REQUIRED.map((name) => query[name] as string) as [string, string, string, string];
    // Without an explicit attribute option combo, each data set's own: the one its mapping files post with.
    const givenAttributeOptionCombo = typeof query['attributeOptionCombo'] === 'string' ? query['attributeOptionCombo'] : undefined;
    const attributeOptionComboOf = (dataSet: string) =>
      givenAttributeOptionCombo ?? mappings.rules.find((rule) => rule.dataSet === dataSet)?.attributeOptionCombo ?? 'default';
    const dataSets =
      typeof query['dataSet'] === 'string'
        ? [query['dataSet']]
        : [...new Set(mappings.rules.filter((rule) => rule.dataElement === dataElement).map((rule) => rule.dataSet))];
    if (dataSets.length === 0) {
      throw new HttpProblem(problem('not-found', `no mapping rule targets data element "${dataElement}"`, { errors: [{ path: '?dataElement', message: 'is not targeted by any rule' }] }));
    }
    const groups = dataSets.map((dataSet) => ({ dataSet, orgUnit, period, attributeOptionCombo: attributeOptionComboOf(dataSet) }));
    const encounters = (await Promise.all(groups.map((group) => ledger.encountersBehind(group, dataElement, categoryOptionCombo)))).flat();
    const caller = callerOf(res);
    const dataQuality = caller.scope === 'operator' ? (await Promise.all(groups.map((group) => flags.onCell(group, dataElement, categoryOptionCombo)))).flat() : undefined;
    const visible = caller.scope === 'operator' ? encounters : encounters.filter((encounter) => encounter.source === caller.source);
    res.json({
      dataElement,
      period,
      orgUnit,
      categoryOptionCombo,
      attributeOptionCombo: givenAttributeOptionCombo ?? attributeOptionComboOf(dataSets[0] as string),
      ...(caller.scope === 'operator' ? {} : { source: caller.source }),
      value: visible.reduce((sum, e) => sum + e.value, 0),
      encounters: visible,
      ...(dataQuality !== undefined ? { dataQuality } : {}),
    });
  });
  return router;
}
