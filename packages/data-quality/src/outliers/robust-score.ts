// The seasonal robust outlier score of one value against its baseline, as the screening computed it
// before its count models (outliers/count-model.ts), kept in the package's API and tests: the smaller of
// - the modified z-score, 0.6745·|x − median| / MAD; where the MAD is 0 (a facility reporting 0, 0, 1, 0),
//   |x − median| / (1.2533·MeanAD) instead, MeanAD being the mean absolute deviation from the median;
// - the z of x under Poisson counting noise around λ = max(median, 0.5).
// The rules now judge a value by its negative-binomial count model; `poissonLambda` still sets the repeated-
// value rule's chance of a repeat.
import { poissonZ } from '../counting-noise.js';
import type { Baseline } from './seasonal-baseline.js';

export interface OutlierScore {
  z: number;
  robustZ: number;
  countZ: number;
  /** The usual value: the baseline median. */
  usual: number;
}

export function robustScale(baseline: Pick<Baseline, 'mad' | 'meanAbsoluteDeviation'>): number {
  if (baseline.mad > 0) return baseline.mad / 0.6745;
  return 1.2533 * baseline.meanAbsoluteDeviation;
}

export function poissonLambda(usual: number): number {
  return Math.max(usual, 0.5);
}

export function outlierScore(value: number, baseline: Baseline): OutlierScore {
  const usual = baseline.median;
  const deviation = Math.abs(value - usual);
  const scale = robustScale(baseline);
  const robustZ = deviation === 0 ? 0 : scale > 0 ? deviation / scale : Infinity;
  const countZ = poissonZ(value, poissonLambda(usual));
  return { z: Math.min(robustZ, countZ), robustZ, countZ, usual };
}

/**
 * The whole counts whose score stays at or below the threshold: the union of the robust band
 * median ± threshold·scale and the Poisson band, both around the median.
 */
export function expectedRange(baseline: Baseline, threshold: number): { low: number; high: number } {
  const usual = baseline.median;
  const scale = robustScale(baseline);
  const lambda = poissonLambda(usual);
  let high = Math.floor(lambda + threshold * Math.sqrt(lambda));
  while (poissonZ(high + 1, lambda) <= threshold) high++;
  while (high > usual && poissonZ(high, lambda) > threshold) high--;
  let low = Math.max(0, Math.ceil(lambda - threshold * Math.sqrt(lambda)));
  while (low > 0 && poissonZ(low - 1, lambda) <= threshold) low--;
  while (low < usual && poissonZ(low, lambda) > threshold) low++;
  return {
    low: Math.max(0, Math.min(low, Math.ceil(usual - threshold * scale))),
    high: Math.max(high, Math.floor(usual + threshold * scale)),
  };
}
