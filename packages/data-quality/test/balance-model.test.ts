// The balance model (outliers/balance-model.ts): golden values computed by hand in the comments, when the
// relation breaks for a whole side, and in the screening, a digit swap that the cell's own history cannot see
// but the relation does, a stock-out that stays a signal, and a property: a larger swap never scores lower.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { LogicalRelation, Signal } from '../src/config.js';
import type { FacilityHistory } from '../src/facility-history.js';
import { balanceEstimate, sumAt } from '../src/outliers/balance-model.js';
import { screenPeriod } from '../src/screen.js';

const WIDEN_6 = 1 + Math.PI / 12; // 1 + π/(2n) over six window months

describe('the balance estimate', () => {
  // Cell 0 (c) and cell 1 (the rest of its side) against cell 2 (the other side), six months of one year,
  // then month 6.
  const series = (c: number[], rest: number[], other: number[]) => [c, rest, other];
  const window = [0, 1, 2, 3, 4, 5];

  it('predicts the cell from the usual ratio of its side to the other side, less the rest of its side', () => {
    // A/B = 36/40 = 0.9 every month; slack 36 − 40 = −4 every month. Both fit the window exactly (Pearson
    // residuals 0), so the ratio form is kept (ties go to it). Rest: usual share 18/40 = 0.45, expected now
    // 0.45·60 = 27 = the rest now. Predicted c = 0.9·60 − 27 = 27; φ = max(1, 0)·(1 + π/12) = 1.261799,
    // α = (φ − 1)/μ = 0.261799/27 = 0.0096963.
    const values = series([18, 18, 18, 18, 18, 18, null as unknown as number], [18, 18, 18, 18, 18, 18, 27], [40, 40, 40, 40, 40, 40, 60]);
    const estimate = balanceEstimate(values, 0, [1], [2], window, 6, 6);
    expect(estimate?.form).toBe('ratio');
    expect(estimate?.mean).toBeCloseTo(27, 10);
    expect(estimate?.dispersion).toBeCloseTo((WIDEN_6 - 1) / 27, 10);
    expect(estimate?.n).toBe(6);
  });

  it('takes the slack form where the difference is steadier than the ratio', () => {
    // B = 30, 40, 50 (twice); c = R = 20, 25, 30: A − B = 10 every month (slack residuals 0), while A/B =
    // 1.333, 1.25, 1.2 has median 1.25 and Pearson residuals (20 − 17.5)/√17.5 = 0.598, 0, −0.439 (> 0). Slack
    // kept. The rest's slack R − B = −10, −15, −20 has median −15: expected now 60 − 15 = 45 = the rest now.
    // Predicted c = 60 + 10 − 45 = 25; α = (π/12)/25.
    const values = series([20, 25, 30, 20, 25, 30, 0], [20, 25, 30, 20, 25, 30, 45], [30, 40, 50, 30, 40, 50, 60]);
    const estimate = balanceEstimate(values, 0, [1], [2], window, 6, 6);
    expect(estimate?.form).toBe('slack');
    expect(estimate?.mean).toBeCloseTo(25, 10);
    expect(estimate?.dispersion).toBeCloseTo((WIDEN_6 - 1) / 25, 10);
  });

  it('gives no model when the rest of the side is off its usual share by more than 3 standard deviations', () => {
    // Rest expected 27 with φ 1.261799: the limit is 3·√(1.261799·27) = 17.51. A rest of 10 is 17 off (kept),
    // 9 is 18 off (a stock-out cutting every test cell: no model).
    const at = (restNow: number) =>
      balanceEstimate(series([18, 18, 18, 18, 18, 18, 0], [18, 18, 18, 18, 18, 18, restNow], [40, 40, 40, 40, 40, 40, 60]), 0, [1], [2], window, 6, 6);
    expect(at(10)).toBeDefined();
    expect(at(9)).toBeUndefined();
  });

  it('needs the other side reported this month and enough window months with every cell reported', () => {
    const values = series([18, 18, 18, 18, 18, 18, 0], [18, 18, 18, 18, 18, 18, 27], [40, 40, 40, 40, 40, 40, 60]);
    expect(sumAt([[1, null], [2, 3]], [0, 1], 1)).toBeNaN();
    const missingNow = values.map((row, i) => (i === 2 ? [...row.slice(0, 6), null] : row)) as (number | null)[][];
    expect(balanceEstimate(missingNow, 0, [1], [2], window, 6, 6)).toBeUndefined();
    const missingMonth = values.map((row, i) => (i === 1 ? [null, ...row.slice(1)] : row)) as (number | null)[][];
    expect(balanceEstimate(missingMonth, 0, [1], [2], window, 6, 6)).toBeUndefined();
    expect(balanceEstimate(missingMonth, 0, [1], [2], window, 6, 5)).toBeDefined();
  });

  it('measures the spread of each month with the ratio of the other years (leave one year out)', () => {
    // c = R = 180 three months, then 200 three months; B = 400: A/B = 0.9, then 1.0 (median 0.95).
    // Starting in October (startMonth 9), the months are October–December and January–March of the next
    // year, so each is predicted from the other year's ratio: 1.0·400 − 180 = 220, e = −40/√220 = −2.6968;
    // 0.9·400 − 200 = 160, e = 40/√160 = 3.1623 (the slack form gives the same predictions, B being
    // constant: a tie, ratio kept). Deviations from their median 0.2328 are all 2.9296 (no clipping at
    // 2.5·1.4826·2.9296); RMS about 0: (3·7.2727 + 3·10)/6/0.97756 = 8.8346 = φ̂; φ = 8.8346·(1 + π/12) = 11.1474.
    // The rest (share 0.45 then 0.5, median 0.475) is at its expected 0.475·400 = 190. μ = 0.95·400 − 190 = 190,
    // α = (11.1474 − 1)/190 = 0.053407.
    const values = [
      [180, 180, 180, 200, 200, 200, 0],
      [180, 180, 180, 200, 200, 200, 190],
      [400, 400, 400, 400, 400, 400, 400],
    ];
    const byYear = balanceEstimate(values, 0, [1], [2], window, 6, 6, 9);
    expect(byYear?.mean).toBeCloseTo(190, 10);
    expect(byYear?.dispersion).toBeCloseTo(0.053407, 5);
    // Starting in January the six months are one year: each against the median 0.95, 380 − 180 = 200 and
    // 380 − 200 = 180, e = −20/√200 = −1.4142 and 20/√180 = 1.4907: φ̂ = (3·2 + 3·2.2222)/6/0.97756 = 2.1596,
    // φ = 2.7250, α = 1.7250/190 = 0.0090790.
    const oneYear = balanceEstimate(values, 0, [1], [2], window, 6, 6, 0);
    expect(oneYear?.dispersion).toBeCloseTo(0.009079, 5);
  });
});

describe('the balance model in the screening', () => {
  const tested: LogicalRelation = {
    id: 'tested-within-suspected',
    left: [{ dataElement: 'TEST' }],
    operator: '<=',
    right: [{ dataElement: 'SUSP' }],
    period: 'month',
    byCategoryOptionCombo: false,
    tolerance: { relative: 0.1, absolute: 2 },
    severity: 'critical',
  };
  const stockOut: Signal = {
    id: 'rdt-stock-out',
    label: { en: 'a likely RDT stock-out', fr: 'une rupture probable de TDR' },
    when: [
      { dataElements: ['TEST'], change: 'fall', ratio: 0.5 },
      { dataElements: ['PRES'], change: 'rise', ratio: 1.5 },
    ],
    explains: [{ change: 'fall', dataElements: ['TEST'] }],
  };
  // Three years of a season (suspected 10 to 40 a month across each year's months, with year-to-year swings
  // of ±30 %), tests nine tenths of the suspected cases split between two cells; the screened month is
  // September 2023 (index 32), whose window is August–October of 2021 and 2022.
  const season = [10, 10, 12, 12, 14, 18, 26, 34, 40, 38, 24, 14];
  const level = [1, 1.3, 0.8];
  const suspected = Array.from({ length: 33 }, (_, i) => Math.round((season[i % 12] as number) * (level[Math.floor(i / 12)] as number) * 2));
  const testA = suspected.map((s, i) => Math.round(0.45 * s) + (i % 2));
  const testB = suspected.map((s, i) => Math.round(0.9 * s) - Math.round(0.45 * s) - (i % 2));
  const history = (a: number, b: number, pres: number): FacilityHistory => ({
    orgUnit: 'ML-BAL',
    start: '202101',
    cells: [
      { dataElement: 'SUSP', categoryOptionCombo: 'default', values: suspected },
      { dataElement: 'TEST', categoryOptionCombo: 'A', values: [...testA.slice(0, 32), a] },
      { dataElement: 'TEST', categoryOptionCombo: 'B', values: [...testB.slice(0, 32), b] },
      { dataElement: 'PRES', categoryOptionCombo: 'default', values: [...suspected.slice(0, 32).map((_, i) => 1 + (i % 3)), pres] },
    ],
  });
  const config = { relations: [tested], signals: [stockOut] };
  const usualA = testA[32] as number; // 29
  const usualB = testB[32] as number; // 29

  it('flags a digit swap inside the season’s range that the relation sees, explained in both languages', () => {
    // 29 → 92 is a 3× jump on a cell whose window (August–October at ×1 and ×1.3: 31 to 47) is wide, but the
    // other test cell and the suspected cases put it at 0.9·64 − 29 = 28.6; the relation's Pearson spread
    // is tiny, so the Poisson floor holds the model at about μ = 29, α ≈ π/(12·29).
    const flags = screenPeriod(history(92, usualB, 2), '202309', config);
    const swap = flags.find((flag) => flag.ruleId === 'digit-transposition' && flag.categoryOptionCombo === 'A');
    expect(swap?.kind).toBe('error');
    expect(swap?.explanation.en).toContain('the other cells of the relation tested-within-suspected put it near');
    expect(swap?.explanation.fr).toContain('les autres cellules de la relation tested-within-suspected la situent vers');
    expect(swap?.explanation.en).toContain('92 may be 29 with two digits swapped');
    // the usual value raises nothing
    expect(screenPeriod(history(usualA, usualB, 2), '202309', config).filter((flag) => flag.kind === 'error')).toEqual([]);
  });

  it('keeps a stock-out that cuts every test cell a signal, not an error', () => {
    const flags = screenPeriod(history(3, 3, 40), '202309', config).filter((flag) => flag.dataElement === 'TEST');
    expect(flags.length).toBeGreaterThan(0);
    expect(flags.every((flag) => flag.kind === 'signal')).toBe(true);
  });

  it('never scores a larger upward error of one test cell lower', () => {
    const scoreOf = (value: number) =>
      Math.max(
        0,
        ...screenPeriod(history(value, usualB, 2), '202309', config, { minScore: 0 })
          .filter((flag) => flag.categoryOptionCombo === 'A' && flag.ruleId === 'seasonal-outlier')
          .map((flag) => flag.score),
      );
    fc.assert(
      // from above the window's largest value (47), where every larger value is judged by the same model
      fc.property(fc.integer({ min: 48, max: 400 }), fc.integer({ min: 0, max: 200 }), (small, extra) => {
        expect(scoreOf(small + extra)).toBeGreaterThanOrEqual(scoreOf(small) - 1e-9);
      }),
      { numRuns: 60 },
    );
  });
});
