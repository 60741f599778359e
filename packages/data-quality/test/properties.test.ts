// Properties of the screening over random series: a larger error never scores lower, a ×10 value in a
// constant series is flagged although its MAD is 0, and a clean seasonal series raises few flags.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Draws } from '../src/benchmark/random.js';
import type { FacilityHistory } from '../src/facility-history.js';
import { screenHistory, screenPeriod } from '../src/screen.js';

const NO_RULES = { relations: [], signals: [] };
const one = (values: (number | null)[]): FacilityHistory => ({ orgUnit: 'F', start: '202101', cells: [{ dataElement: 'X', categoryOptionCombo: 'default', values }] });
const outlierScoreOf = (values: (number | null)[], period: string) =>
  screenPeriod(one(values), period, NO_RULES, { minScore: 0 }).find((flag) => flag.ruleId === 'seasonal-outlier')?.score ?? 0;

describe('screening properties', () => {
  it('never scores a larger error lower', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 30, maxLength: 30 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 20 }), (history, value, a, b) => {
        const [small, large] = a <= b ? [a, b] : [b, a];
        const withSmall = outlierScoreOf([...history, value * small], '202307');
        const withLarge = outlierScoreOf([...history, value * large], '202307');
        // both errors push the value up from the same start, so the larger must score at least as high
        const sorted = [...history].sort((x, y) => x - y);
        fc.pre(value * small >= (sorted[sorted.length - 1] as number));
        expect(withLarge).toBeGreaterThanOrEqual(withSmall);
      }),
      { numRuns: 200 },
    );
  });

  it('flags one ×10 value in a constant series, where the MAD is 0', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 6, max: 40 }), (level, months) => {
        const values = [...Array.from({ length: months }, () => level), level * 10];
        const period = `${2021 + Math.floor(months / 12)}${String((months % 12) + 1).padStart(2, '0')}`;
        const flags = screenPeriod(one(values), period, NO_RULES);
        expect(flags.some((flag) => flag.kind === 'error' && flag.value === level * 10 && flag.ruleId !== 'repeated-value')).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('raises few flags on a clean series with a seasonal peak up to 10× the trough', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 30 }), fc.double({ min: 0.3, max: 80, noNaN: true }), fc.double({ min: 1, max: 10, noNaN: true }), (seed, trough, peakRatio) => {
        const draws = new Draws(seed);
        const values = Array.from({ length: 60 }, (_, index) => {
          const month = index % 12;
          const season = month >= 6 && month <= 10 ? peakRatio * Math.sin(((month - 5) / 6) * Math.PI) + 1 : 1;
          return draws.poisson(trough * Math.max(1, season));
        });
        const flags = screenHistory(one(values), NO_RULES, { from: '202201' });
        // 48 screened months of one cell: at most 3 flags (the benchmark's whole-facility rate is ~2 a year over 36 cells)
        expect(flags.length).toBeLessThanOrEqual(3);
      }),
      { numRuns: 100 },
    );
  });
});
