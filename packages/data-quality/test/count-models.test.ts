// Golden values, computed by hand in the comments, of what judges a value now: the negative-binomial
// counting noise, the slips a value could come from and their Bayes factors, the history model's
// leave-one-year-out spread, the related model, and how a signal explains a value only as far as it moved
// with the other cells.
import { describe, expect, it } from '@jest/globals';
import { slipFactors } from '../src/cell-rules.js';
import {
  logIncompleteBeta,
  logNegativeBinomialLowerTail,
  logNegativeBinomialProbability,
  logNegativeBinomialUpperTail,
  negativeBinomialZ,
} from '../src/counting-noise.js';
import type { FacilityHistory } from '../src/facility-history.js';
import { clippedSpread, finishModel, historyEstimate, leaveOneYearOut, plausibleRange, type CountModel } from '../src/outliers/count-model.js';
import { slipOrigins } from '../src/outliers/digit-errors.js';
import { relatedEstimate } from '../src/outliers/related-model.js';
import { screenPeriod } from '../src/screen.js';
import { SCREENING_DEFAULTS } from '../src/defaults.js';

describe('negative-binomial counting noise', () => {
  it('matches the pmf by hand (μ = 2, α = 0.5: r = 2, p = r / (r + μ) = ½)', () => {
    // P(0) = p^r = 0.25; P(1) = r·(1 − p)·p^r = 2 · 0.5 · 0.25 = 0.25; P(2) = C(3, 2)·(1 − p)²·p^r = 3 · 0.25 · 0.25 = 0.1875
    expect(Math.exp(logNegativeBinomialProbability(0, 2, 0.5))).toBeCloseTo(0.25, 12);
    expect(Math.exp(logNegativeBinomialProbability(1, 2, 0.5))).toBeCloseTo(0.25, 12);
    expect(Math.exp(logNegativeBinomialProbability(2, 2, 0.5))).toBeCloseTo(0.1875, 12);
    // P(X ≤ 1) = 0.5; P(X ≥ 3) = 1 − 0.6875 = 0.3125
    expect(Math.exp(logNegativeBinomialLowerTail(1, 2, 0.5))).toBeCloseTo(0.5, 10);
    expect(Math.exp(logNegativeBinomialUpperTail(3, 2, 0.5))).toBeCloseTo(0.3125, 10);
  });

  it('has geometric tails at α = 1, exact far beyond the smallest double', () => {
    // α = 1, μ = 4: P(X = k) = (1/5)(4/5)^k, so P(X ≥ k) = 0.8^k and P(X ≤ 2) = 1 − 0.8³ = 0.488
    expect(Math.exp(logNegativeBinomialUpperTail(10, 4, 1))).toBeCloseTo(0.8 ** 10, 10); // 0.107374
    expect(logNegativeBinomialUpperTail(100, 4, 1)).toBeCloseTo(100 * Math.log(0.8), 8); // −22.3144
    expect(logNegativeBinomialUpperTail(1000, 4, 1)).toBeCloseTo(1000 * Math.log(0.8), 6); // −223.144, 0.8^1000 underflows
    expect(Math.exp(logNegativeBinomialLowerTail(2, 4, 1))).toBeCloseTo(0.488, 10);
  });

  it('is Poisson at α = 0 and has the incomplete beta of its closed forms', () => {
    // α = 0: P(X = 0 | μ = 3) = e^−3 = 0.049787
    expect(Math.exp(logNegativeBinomialProbability(0, 3, 0))).toBeCloseTo(Math.exp(-3), 12);
    // I_x(a, 1) = x^a: I_0.3(2, 1) = 0.09; I_x(1, 1) = x
    expect(Math.exp(logIncompleteBeta(0.3, 2, 1))).toBeCloseTo(0.09, 12);
    expect(Math.exp(logIncompleteBeta(0.7, 1, 1))).toBeCloseTo(0.7, 12);
    // z of the tail: P(X ≥ 10 | α = 1, μ = 4) = 0.107374 → the standard-normal z with that upper tail, 1.2405
    expect(negativeBinomialZ(10, 4, 1)).toBeCloseTo(1.2405, 3);
  });

  it('gives the counts within the threshold z as the plausible range', () => {
    // α = 1, μ = 4: P(X ≥ k) = 0.8^k. z ≤ 2 ⇔ tail ≥ 0.02275 ⇔ k ≤ ln 0.02275 / ln 0.8 = 16.95 → high 16;
    // every count down to 0 has P(X ≤ k) ≥ P(X = 0) = 0.2 → low 0
    expect(plausibleRange({ source: 'history', mean: 4, dispersion: 1, ownDispersion: 1, n: 9 }, 2)).toEqual({ low: 0, high: 16 });
  });
});

describe('the slips a value could come from', () => {
  it('lists each slip with the chance it produces the value', () => {
    const without = (x: number, kind: string) => slipOrigins(x).filter((origin) => origin.kind !== kind);
    // 77: a 7 keyed twice (doubling either digit of 7 — it has one — gives 77)
    expect(without(77, 'divided-by-10')).toEqual([{ kind: 'extra-digit', origin: 7, chance: 1 }]);
    // 112: 12 with its 1 doubled (one of its two digits: ½), or 121 with its last two digits swapped (½)
    expect(without(112, 'divided-by-10')).toEqual([
      { kind: 'extra-digit', origin: 12, chance: 0.5 },
      { kind: 'transposition', origin: 121, chance: 0.5 },
    ]);
    // 110: 11 × 10; 10 with its 1 doubled (½); 101 with its last two digits swapped (½)
    expect(without(110, 'divided-by-10')).toEqual([
      { kind: 'times-10', origin: 11, chance: 1 },
      { kind: 'extra-digit', origin: 10, chance: 0.5 },
      { kind: 'transposition', origin: 101, chance: 0.5 },
    ]);
    // 2 as ÷10: truncated from 20–29, rounded from 15–24, each convention half the chance
    const divided = slipOrigins(2).filter((origin) => origin.kind === 'divided-by-10');
    expect(divided.map((origin) => [origin.origin, origin.chance])).toEqual([
      [15, 0.5], [16, 0.5], [17, 0.5], [18, 0.5], [19, 0.5], [20, 1], [21, 1], [22, 1], [23, 1], [24, 1], [25, 0.5], [26, 0.5], [27, 0.5], [28, 0.5], [29, 0.5],
    ]);
    // 0 is no slip of anything; a year-to-date figure 21 with 15 since January comes from 6
    expect(slipOrigins(0)).toEqual([]);
    expect(slipOrigins(21, 15).filter((origin) => origin.kind === 'cumulative')).toEqual([{ kind: 'cumulative', origin: 6, chance: 1 }]);
  });

  it('gives the Bayes factor of a ×10 by hand (Poisson(10), x = 100)', () => {
    // Origins of 100: ×10 of 10 (chance 1), 10 with its 0 doubled (½), ÷10 of 995–1009 (P ≈ 0 under Poisson(10)).
    // P(10 | 10) = e^−10·10^10/10! = 0.125110 → multiplicative likelihood (1 + 0.5)·0.125110 / 3 = 0.062555.
    // As a count: P(100 | 10) = e^−143.48 ≈ 0, plus other errors w·g(100) = 0.01 / (101 · ln 10⁴) = 1.07505e-5.
    // ln BF = ln 0.062555 − ln 1.07505e-5 = −2.77171 + 11.44063 = 8.66892; no transposition of 100 (010 has a leading zero)
    const model: CountModel = { source: 'history', mean: 10, dispersion: 0, ownDispersion: 0, n: 12 };
    const factors = slipFactors(100, slipOrigins(100), model, 0.01);
    expect(factors.multiplicative).toBeCloseTo(8.66892, 4);
    expect(factors.transposition).toBe(-Infinity);
  });
});

describe('the history model', () => {
  it('measures the spread of a window leaving each year out', () => {
    // residuals of 1,2,3 (year A) against year B's median 6, and of 5,6,7 (year B) against year A's median 2
    expect(leaveOneYearOut([1, 2, 3, 5, 6, 7], [0, 0, 0, 1, 1, 1])).toEqual([-5, -4, -3, 3, 4, 5]);
    expect(leaveOneYearOut([1, 2, 3], [0, 0, 0])).toBeUndefined();
  });

  it('clips the spread at 2.5 robust standard deviations, unbiased at the normal', () => {
    // 0…4: median 2, MAD 1 → robust sd 1.4826, limit 3.7065; RMS √((4 + 1 + 0 + 1 + 4)/5 / 0.97756) = 1.43035
    expect(clippedSpread([0, 1, 2, 3, 4])).toBeCloseTo(1.43035, 4);
    // with 100 for 4: deviations 2, 1, 0, 1, 98 → MAD 1, 98 clipped to 3.7065: √((4 + 1 + 0 + 1 + 13.7381)/5 / 0.97756) = 2.00956
    expect(clippedSpread([0, 1, 2, 3, 100])).toBeCloseTo(2.00956, 4);
  });

  it('gives the dispersion of a window over two years by hand', () => {
    // Window 10, 12, 8 (2023) and 20, 24, 16 (2024); μ = median 14. ln(v + ½): 2.35138 2.52573 2.14007 | 3.02042 3.19867 2.80336.
    // Leave one year out: 2023 − 3.02042 = −0.66904 −0.49469 −0.88035; 2024 − 2.35138 = 0.66904 0.84729 0.45198.
    // Their median −0.02136; deviations 0.8590 0.6477 0.4733 0.4733 0.6904 0.8687 → MAD 0.66905, limit 2.4798 (none clipped).
    // RMS around 0: √(2.83715 / 6 / 0.97756) = 0.69550; α̂ = 0.69550² − 1/14.5 = 0.48371 − 0.06897 = 0.41475
    const baseline = { values: [10, 12, 8, 20, 24, 16], indexes: [0, 1, 2, 12, 13, 14] };
    const estimate = historyEstimate(baseline, 2023 * 12);
    expect(estimate).toMatchObject({ mean: 14, n: 6, crossValidated: true });
    expect(estimate.ownDispersion).toBeCloseTo(0.41475, 4);
    // Shrunk toward a pooled 0.1 with weight n·μ/(μ + 5) = 6·14/19 = 4.4211 against 6: (4.4211·0.41475 + 0.6)/10.4211 = 0.23353;
    // cross-validated, so not widened
    const model = finishModel('history', estimate, 0.1, SCREENING_DEFAULTS);
    expect(model.dispersion).toBeCloseTo(0.23353, 4);
  });
});

describe('the related model', () => {
  // Three years of a cell at 20 and related cells at 10, 20 and 40, every month; this month the related
  // cells are at 20, 40 and 80 (doubled).
  const constant = (value: number, now: number) => {
    const row = new Float64Array(40).fill(NaN);
    for (const s of [0, 1, 2, 12, 13, 14, 24, 25, 26]) row[s] = Math.log(value + 0.5);
    row[37] = Math.log(now + 0.5);
    return row;
  };
  const logs = [constant(20, 20), constant(10, 20), constant(20, 40), constant(40, 80)];
  const window = [24, 25, 26, 12, 13, 14, 0, 1, 2];

  it('predicts the cell from each related cell through its usual ratio, and takes their weighted median', () => {
    // Predictions on the ln(x + ½) scale: ln 20.5 + ln(20.5/10.5) → 20.5²/10.5 − ½ = 39.524; ln 40.5 + 0 → 40.0;
    // ln 80.5 + ln(20.5/40.5) → 80.5·20.5/40.5 − ½ = 40.247. Spreads 0 → the variance floor for all: equal weights
    // (a third each); the weighted median is the middle one, 40.0.
    const estimate = relatedEstimate(logs, 0, [1, 2, 3], window, 37, 3, 0, 9);
    expect(estimate?.mean).toBeCloseTo(40, 10);
    // Every window month predicted exactly (leaving its year out changes no ratio): residuals 0, α̂ 0, over 9
    // months of 3 years. Distances now from ln 40.5: 0.011834, 0, 0.006078 → weighted median 0.006078, over the
    // usual distance 0 (floored at 0.15): disagreement 0.04052.
    expect(estimate).toMatchObject({ ownDispersion: 0, n: 9, crossValidated: true, related: 3 });
    expect(estimate?.disagreement).toBeCloseTo(0.006078 / 0.15, 3);
  });

  it('has no model when a quarter of the weight or more is far from the rest, or too few months', () => {
    // one of three related cells at a tenth of its usual (a split group): a third of the weight more than ×3 away
    const split = [constant(20, 20), constant(10, 20), constant(20, 40), constant(40, 4)];
    expect(relatedEstimate(split, 0, [1, 2, 3], window, 37, 2, 0, 9)).toBeUndefined();
    // nine months asked for, six given
    expect(relatedEstimate(logs, 0, [1, 2, 3], [24, 25, 26, 12, 13, 14], 37, 3, 0, 9)).toBeUndefined();
  });
});

describe('signals explain a value only as far as it moved with the other cells', () => {
  const signals = [
    {
      id: 'malaria-epidemic',
      label: { en: 'a malaria epidemic signal', fr: "un signal d'épidémie" },
      when: [
        { dataElements: ['TEST'], change: 'rise' as const, ratio: 1.5 },
        { dataElements: ['POS'], change: 'rise' as const, ratio: 1.5 },
      ],
      explains: [{ change: 'rise' as const, dataElements: ['TEST', 'POS'] }],
    },
  ];
  const base = [20, 22, 18, 21, 19, 20, 22, 18];
  const history = (testA: number): FacilityHistory => ({
    orgUnit: 'ML-TEST',
    start: '202101',
    cells: [
      { dataElement: 'TEST', categoryOptionCombo: 'A', values: [...base, testA] },
      { dataElement: 'TEST', categoryOptionCombo: 'B', values: [...base, 80] },
      { dataElement: 'POS', categoryOptionCombo: 'A', values: [...base.map((v) => v / 2), 40] },
      { dataElement: 'POS', categoryOptionCombo: 'B', values: [...base.map((v) => v / 2), 40] },
    ],
  });

  it('keeps a ×10 slip in one cell an error during an epidemic that raised the others fourfold', () => {
    // TEST B, POS A and B are 4 × their usual (80 against 20, 40 against 10): the epidemic signal holds.
    // TEST A at 800 against a usual of 20 moved by 40; the other TEST cell moved by (80 + ½)/(20 + ½) = 3.93,
    // so its usual moved as the others did is 78.5: 800 has a z far above 3 under that count model.
    const flags = screenPeriod(history(800), '202109', { relations: [], signals });
    const testA = flags.filter((flag) => flag.dataElement === 'TEST' && flag.categoryOptionCombo === 'A');
    expect(testA.length).toBeGreaterThan(0);
    expect(testA.every((flag) => flag.kind === 'error')).toBe(true);
    // and the same cell at 80, moving with the others (z > 5 against its history alone), is explained
    const moving = screenPeriod(history(80), '202109', { relations: [], signals }).filter((flag) => flag.dataElement === 'TEST');
    expect(moving.length).toBeGreaterThan(0);
    expect(moving.every((flag) => flag.kind === 'signal')).toBe(true);
  });
});
