// Golden values of the statistics and the counting-noise tails, computed by hand in the comments.
import { describe, expect, it } from '@jest/globals';
import { logPoissonLowerTail, logPoissonUpperTail, poissonZ, zOfLogTail } from '../src/counting-noise.js';
import { mean, meanAbsoluteDeviation, median, medianAbsoluteDeviation, populationStandardDeviation } from '../src/statistics.js';

describe('summary statistics', () => {
  it('computes the median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5); // (2 + 3) / 2
  });

  it('computes the population standard deviation (divide by n, as stddev_pop)', () => {
    // mean 5; squared deviations 9+1+1+1+0+0+4+16 = 32; 32 / 8 = 4; √4 = 2
    expect(mean([2, 4, 4, 4, 5, 5, 7, 9])).toBe(5);
    expect(populationStandardDeviation([2, 4, 4, 4, 5, 5, 7, 9])).toBe(2);
  });

  it('computes the MAD and the mean absolute deviation around the median', () => {
    // median 3; |x − 3| = 2, 1, 0, 1, 97 → sorted 0, 1, 1, 2, 97 → MAD 1; mean (2+1+0+1+97)/5 = 20.2
    expect(medianAbsoluteDeviation([1, 2, 3, 4, 100])).toBe(1);
    expect(meanAbsoluteDeviation([1, 2, 3, 4, 100])).toBeCloseTo(20.2, 12);
  });
});

describe('Poisson tails and their z', () => {
  it('matches hand-computed tails', () => {
    // P(X ≥ 1 | 0.5) = 1 − e^−0.5 = 0.393469
    expect(Math.exp(logPoissonUpperTail(1, 0.5))).toBeCloseTo(0.393469, 6);
    // P(X ≥ 2 | 1) = 1 − e^−1 (1 + 1) = 0.264241
    expect(Math.exp(logPoissonUpperTail(2, 1))).toBeCloseTo(0.264241, 6);
    // P(X ≤ 0 | 10) = e^−10 = 4.539993e-5
    expect(Math.exp(logPoissonLowerTail(0, 10))).toBeCloseTo(4.539993e-5, 10);
    // P(X ≥ 10 | 0.5) = e^−0.5 · 0.5^10 / 10! · (1 + 0.5/11 + 0.25/132 + …) = 0.606531 · 2.69114e-10 · 1.04736 = 1.7097e-10
    expect(logPoissonUpperTail(10, 0.5)).toBeCloseTo(Math.log(1.7097e-10), 3);
  });

  it('turns a one-sided tail into the standard-normal z with that tail', () => {
    expect(zOfLogTail(Math.log(0.025))).toBeCloseTo(1.959964, 5);
    expect(zOfLogTail(Math.log(0.001))).toBeCloseTo(3.090232, 5);
    expect(zOfLogTail(Math.log(0.5))).toBe(0);
    expect(zOfLogTail(-5000)).toBeGreaterThan(90); // far below the smallest double, still finite
  });

  it('is 0 at the mean and grows with the distance either side', () => {
    expect(poissonZ(4, 4)).toBe(0);
    expect(poissonZ(12, 4)).toBeGreaterThan(poissonZ(9, 4));
    expect(poissonZ(0, 10)).toBeGreaterThan(poissonZ(3, 10));
  });
});
