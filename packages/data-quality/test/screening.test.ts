// Our rules, with golden values computed by hand: the seasonal window, the robust score and its MAD = 0
// fallbacks, the keying-error detectors, the reporting patterns, the relations and the signals.
import { describe, expect, it } from '@jest/globals';
import type { DataQualityConfig } from '../src/config.js';
import type { FacilityHistory } from '../src/facility-history.js';
import { adjacentTranspositions, multiplicativeOrigins, multiplicativeScore } from '../src/outliers/digit-errors.js';
import { outlierScore, robustScale } from '../src/outliers/robust-score.js';
import { baselineAt } from '../src/outliers/seasonal-baseline.js';
import { screenPeriod } from '../src/screen.js';

const NO_RULES = { relations: [], signals: [] };

function history(cells: Record<string, (number | null)[]>, start = '202101'): FacilityHistory {
  return {
    orgUnit: 'ML-TEST',
    start,
    cells: Object.entries(cells).map(([key, values]) => {
      const [dataElement, categoryOptionCombo = 'default'] = key.split('|') as [string, string?];
      return { dataElement, categoryOptionCombo, values };
    }),
  };
}

describe('the seasonal baseline', () => {
  const byIndex = Array.from({ length: 40 }, (_, i) => i); // each month holds its own index

  it('takes the same month ±1 of up to five previous years once there are 24 months of history', () => {
    // month 36: years back 1 → 23, 24, 25; 2 → 11, 12, 13; 3 → (−1), 0, 1 → sorted 0,1,11,12,13,23,24,25 → median 12.5
    const baseline = baselineAt(byIndex, 36);
    expect(baseline?.window).toBe('seasonal');
    expect([...(baseline?.values ?? [])].sort((a, b) => a - b)).toEqual([0, 1, 11, 12, 13, 23, 24, 25]);
    expect(baseline?.median).toBe(12.5);
  });

  it('falls back on the trailing twelve months with less history', () => {
    // month 20: months 8…19 → median (13 + 14) / 2 = 13.5
    const baseline = baselineAt(byIndex, 20);
    expect(baseline).toMatchObject({ window: 'trailing', median: 13.5 });
    expect(baselineAt(byIndex, 5)).toBeUndefined(); // fewer than six values
  });
});

describe('the robust outlier score', () => {
  it('is the modified z-score when the MAD is not 0', () => {
    // 10,12,11,13,9,10: median 10.5; |x − 10.5| = .5,1.5,.5,2.5,1.5,.5 → MAD (0.5 + 1.5)/2 = 1
    // robust z(20) = 0.6745 · 9.5 / 1 = 6.40775
    const baseline = baselineAt([10, 12, 11, 13, 9, 10, null], 6);
    if (!baseline) throw new Error('no baseline');
    expect(baseline.mad).toBe(1);
    const score = outlierScore(20, baseline);
    expect(score.robustZ).toBeCloseTo(6.40775, 10);
    expect(score.z).toBeLessThanOrEqual(score.robustZ);
  });

  it('falls back on 1.2533·MeanAD where the MAD is 0, and keeps the smaller Poisson z', () => {
    // 0,0,0,1,0,0: median 0, MAD 0, MeanAD 1/6; scale 1.2533/6 = 0.208883; robust z(10) = 10/0.208883 = 47.8736
    // Poisson: λ = max(0, 0.5); P(X ≥ 10) = 1.7097e-10 → z ≈ 6.28; the smaller, 6.28, exceeds 3.5
    const baseline = baselineAt([0, 0, 0, 1, 0, 0, null], 6);
    if (!baseline) throw new Error('no baseline');
    expect(robustScale(baseline)).toBeCloseTo(0.208883, 6);
    const score = outlierScore(10, baseline);
    expect(score.robustZ).toBeCloseTo(47.8736, 3);
    expect(score.z).toBeCloseTo(6.28, 1);
    expect(outlierScore(2, baseline).z).toBeLessThan(3.5); // P(X ≥ 2 | 0.5) = 0.090 is ordinary
  });

  it('still flags when every baseline value is the same (MAD = MeanAD = 0)', () => {
    const flags = screenPeriod(history({ X: [3, 3, 3, 3, 3, 3, 3, 3, 30] }), '202109', NO_RULES);
    expect(flags.map((flag) => flag.ruleId)).toEqual(expect.arrayContaining(['seasonal-outlier', 'multiplicative-error']));
  });
});

describe('keying errors', () => {
  it('scores the ratio against the threshold ratio 8 when the difference is at least 10', () => {
    expect(multiplicativeScore(20, 2, 8, 10)).toBeCloseTo(Math.log(10) / Math.log(8), 12); // 1.1073
    expect(multiplicativeScore(10, 0, 8, 10)).toBeCloseTo(Math.log(20) / Math.log(8), 12); // usual 0 counts as 0.5
    expect(multiplicativeScore(9, 0, 8, 10)).toBe(0); // difference 9 < 10
    expect(multiplicativeScore(2, 20, 8, 10)).toBeCloseTo(1.1073, 4); // ÷10
  });

  it('lists the adjacent transpositions without a leading zero, and the multiplicative origins', () => {
    expect(adjacentTranspositions(12)).toEqual([21]);
    expect(adjacentTranspositions(102)).toEqual([120]); // 012 has a leading zero
    expect(adjacentTranspositions(123)).toEqual([213, 132]);
    expect(adjacentTranspositions(11)).toEqual([]);
    expect(multiplicativeOrigins(10).sort((a, b) => a - b)).toEqual([1, 100]);
    expect(multiplicativeOrigins(122).sort((a, b) => a - b)).toEqual([12, 1220]);
  });

  it('explains a ×10 value in both languages with the size against the usual count', () => {
    const flags = screenPeriod(history({ X: [10, 9, 11, 10, 10, 9, 11, 10, 100] }), '202109', NO_RULES);
    const flag = flags.find((candidate) => candidate.ruleId === 'multiplicative-error');
    // baseline 10,9,11,10,10,9,11,10 → median 10 → 100 / 10 = 10 times
    expect(flag?.explanation.en).toContain('100 is about 10 times this facility');
    expect(flag?.explanation.fr).toContain('100 vaut environ 10 fois');
    expect(flag).toMatchObject({ severity: 'critical', value: 100, period: '202109', dataElement: 'X', kind: 'error' });
    expect(flag?.expected.low).toBeLessThanOrEqual(10);
    expect(flag?.expected.high).toBeGreaterThanOrEqual(10);
    expect(flag?.expected.high).toBeLessThan(100);
  });
});

describe('reporting patterns', () => {
  const steadyYears = Array.from({ length: 36 }, () => 10);

  it('recognises a year-to-date total entered in March', () => {
    // January 10 + February 10 = 20; 20 + a usual month (10) = 30 = the March value → cumulative
    const flags = screenPeriod(history({ X: [...steadyYears, 10, 10, 30] }), '202403', NO_RULES);
    expect(flags.map((flag) => flag.ruleId)).toContain('cumulative-as-monthly');
    // 60 is an outlier but 30 away from 30, beyond the tolerance max(1.5·√10, 0.1·30, 1) = 4.74
    const other = screenPeriod(history({ X: [...steadyYears, 10, 10, 60] }), '202403', NO_RULES);
    expect(other.map((flag) => flag.ruleId)).not.toContain('cumulative-as-monthly');
  });

  it('flags the same value four months running when chance alone makes that rarer than 1 in 1000', () => {
    // P(X = 40 | 40) = e^−40 40^40 / 40! = 0.062947; three in a row 0.062947² = 0.00396 (not flagged),
    // four in a row 0.062947³ = 0.000249 (flagged)
    const varied = [38, 44, 36, 41, 39, 45, 37, 42, 40, 43, 35, 46];
    expect(screenPeriod(history({ X: [...varied, 40, 40, 40] }), '202203', NO_RULES).map((f) => f.ruleId)).not.toContain('repeated-value');
    expect(screenPeriod(history({ X: [...varied, 40, 40, 40, 40] }), '202204', NO_RULES).map((f) => f.ruleId)).toContain('repeated-value');
  });

  it('flags a sudden zero after steady reporting', () => {
    // Trailing window 9,11,10,10,9,11,10,10 (one calendar year): μ = median 10. ln(v + ½) = 2.2513, 2.4423,
    // 2.3514 ×…; deviations from 2.3514: 0.1001 ×2, 0.0909 ×2, 0 ×4 → MAD 0.04546, robust sd 0.0674 (no clipping);
    // RMS √((2·0.1001² + 2·0.0909²)/8 / 0.97756) = 0.06838 → σ² 0.004676 < 1/10.5: α̂ = 0. Pooled: the floor 0.02;
    // shrunk (5.333·0 + 6·0.02)/11.333 → floor 0.02; widened 0.02 + (π/2)(0.02 + 1/10.5)/8 = 0.042627, r = 23.459.
    // ln P(X = 0) = −r·ln(1 + μ/r) = −23.459 · ln 1.42628 = −8.3299 < ln 0.002; strength −8.3299 / −6.2146 = 1.3404
    const flags = screenPeriod(history({ X: [9, 11, 10, 10, 9, 11, 10, 10, 0] }), '202109', NO_RULES);
    const zero = flags.find((flag) => flag.ruleId === 'sudden-zero');
    expect(zero?.score).toBeCloseTo(1.3404, 3);
  });
});

describe('logical relations', () => {
  const relations: DataQualityConfig['relations'] = [
    { id: 'pos-within-tested', left: [{ dataElement: 'POS' }], operator: '<=', right: [{ dataElement: 'TEST' }], period: 'month', byCategoryOptionCombo: true, tolerance: { relative: 0, absolute: 0 }, severity: 'critical' },
    { id: 'treated-within-confirmed', left: [{ dataElement: 'TREATED' }], operator: '<=', right: [{ dataElement: 'POS' }], period: 'month', byCategoryOptionCombo: false, tolerance: { relative: 0.1, absolute: 2 }, severity: 'critical' },
    { id: 'births-cover-deliveries', left: [{ dataElement: 'LB' }, { dataElement: 'SB' }], operator: '>=', right: [{ dataElement: 'DLV' }], period: 'month', byCategoryOptionCombo: false, tolerance: { relative: 0, absolute: 0 }, severity: 'critical' },
    { id: 'anc4-within-anc1', left: [{ dataElement: 'ANC4' }], operator: '<=', right: [{ dataElement: 'ANC1' }], period: 'year', byCategoryOptionCombo: false, tolerance: { relative: 0.1, absolute: 3 }, severity: 'warning' },
  ];
  const config = { relations, signals: [] };

  it('compares combo by combo, with the tolerance, and on both sides of >=', () => {
    const month = history({ 'POS|M': [12], 'TEST|M': [10], 'POS|F': [3], 'TEST|F': [5], TREATED: [25], LB: [8], SB: [1], DLV: [10] });
    const flags = screenPeriod(month, '202101', config);
    // POS M 12 > TEST M 10; F 3 ≤ 5 fine; treated 25 > POS (12 + 3) · 1.1 + 2 = 18.5; births 8 + 1 = 9 < 10
    expect(flags.map((flag) => [flag.ruleId, flag.categoryOptionCombo, flag.value, flag.expected])).toEqual([
      ['relation:pos-within-tested', 'M', 12, { low: 0, high: 10 }],
      ['relation:treated-within-confirmed', 'default', 25, { low: 0, high: 18 }],
      ['relation:births-cover-deliveries', 'default', 9, { low: 10, high: null }],
    ]);
    expect(flags[0]?.explanation.fr).toContain('dépasse');
    const within = history({ 'POS|M': [10], 'TEST|M': [10], TREATED: [13], LB: [9], SB: [1], DLV: [10] }); // 13 ≤ 10 · 1.1 + 2
    expect(screenPeriod(within, '202101', config)).toEqual([]);
  });

  it('checks a year relation on the sums of the year, in December only', () => {
    // ANC4 = 12 · 5 = 60 > ANC1 = 12 · 4 · 1.1 + 3 = 55.8
    const year = history({ ANC4: Array.from({ length: 12 }, () => 5), ANC1: Array.from({ length: 12 }, () => 4) });
    const relationFlags = (period: string) => screenPeriod(year, period, config).filter((flag) => flag.ruleId.startsWith('relation:'));
    expect(relationFlags('202111')).toEqual([]);
    const december = relationFlags('202112');
    expect(december.map((flag) => [flag.ruleId, flag.value, flag.expected.high])).toEqual([['relation:anc4-within-anc1', 60, 55]]);
  });
});

describe('signals', () => {
  const signals: DataQualityConfig['signals'] = [
    {
      id: 'malaria-epidemic',
      label: { en: 'a malaria epidemic signal', fr: "un signal d'épidémie" },
      when: [
        { dataElements: ['TEST'], change: 'rise', ratio: 1.5 },
        { dataElements: ['POS'], change: 'rise', ratio: 1.5 },
      ],
      explains: [{ change: 'rise', dataElements: ['TEST', 'POS'] }],
    },
  ];
  const base = [20, 22, 18, 21, 19, 20, 22, 18];

  it('relabels flags explained by a coherent rise as a signal, not an error', () => {
    const flags = screenPeriod(history({ TEST: [...base, 80], POS: [...base.map((v) => v / 2), 40] }), '202109', { relations: [], signals });
    expect(flags.length).toBeGreaterThan(0);
    expect(flags.every((flag) => flag.kind === 'signal' && flag.ruleId === 'signal:malaria-epidemic' && flag.severity === 'info')).toBe(true);
  });

  it('keeps a rise in one element alone as an error', () => {
    const flags = screenPeriod(history({ TEST: [...base, 200], POS: [...base.map((v) => v / 2), 10] }), '202109', { relations: [], signals });
    expect(flags.some((flag) => flag.kind === 'error' && flag.dataElement === 'TEST')).toBe(true);
  });

  it('relabels a declared campaign month', () => {
    const campaign = { id: 'campaign-month', label: { en: 'the MR campaign', fr: 'la campagne RR' }, dataElements: ['MR1'], periods: ['202109'] };
    const flags = screenPeriod(history({ MR1: [...base, 400] }), '202109', NO_RULES, { knownEvents: [campaign] });
    expect(flags.length).toBeGreaterThan(0);
    expect(flags.every((flag) => flag.ruleId === 'signal:campaign-month' && flag.explainedRule !== undefined)).toBe(true);
    expect(screenPeriod(history({ MR1: [...base, 400] }), '202109', NO_RULES).every((flag) => flag.kind === 'error')).toBe(true);
  });
});
