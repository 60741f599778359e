// What a cell's value should be this month, as a negative-binomial count: a mean μ and a dispersion α
// (variance μ + α·μ²). Two models, each from the facility's own data:
// - history: the cell's baseline window (the same month ±1 of earlier years, or the trailing year). μ is
//   the window's median (for small counts, the mean without its largest value); α comes from the spread of
//   ln(v + ½) over the window: a robust variance σ² (1.4826·MAD, squared) less the Poisson part, so
//   α̂ = max(0, σ² − 1/(μ + ½));
// - related: the other cells of the cell's group this month (mappings/data-quality.yaml `groups`), each
//   turned into a prediction through its usual ratio to this cell over the same window months:
//   ln(μ + ½) = weighted median over related cells p of [ln(x_p + ½) + median_s(ln(x_c,s + ½) − ln(x_p,s + ½))],
//   weighted by 1 / (the spread of that log ratio)². An epidemic, the malaria season in a second year of
//   history or a good year moves the related cells too, so it moves the prediction; a keying slip touches
//   one cell. Its α comes from the same spread of this cell's own window months around their predictions.
// Each α̂ is shrunk toward the median α̂ of the facility's cells in the same group this month, with the
// weight of n·μ / (μ + 5) window values against `dispersionPrior` (a short or small series says little
// about its own spread), floored at `minDispersion`, and widened for the error of a median of n values:
// α_used = α + (π/2)·(α + 1/(μ + ½)) / n.
import {
  logNegativeBinomialLowerTail,
  logNegativeBinomialProbability,
  logNegativeBinomialUpperTail,
  negativeBinomialZ,
  zOfLogTail,
} from '../counting-noise.js';
import type { ScreeningThresholds } from '../defaults.js';
import { mean, median } from '../statistics.js';
import type { Baseline } from './seasonal-baseline.js';

export interface CountModel {
  source: 'history' | 'related' | 'balance';
  /** μ: the expected count. */
  mean: number;
  /** α as used (after shrinkage and the widening for a median of n values). */
  dispersion: number;
  /** The dispersion estimated from this cell's window alone, before shrinkage. */
  ownDispersion: number;
  /** Window months the model was estimated on. */
  n: number;
  /** For a related model: how many related cells predicted this month. */
  related?: number;
}

export type ModelThresholds = Pick<ScreeningThresholds, 'minDispersion' | 'dispersionPrior'>;

const HALF_PI = Math.PI / 2;
/** A count this small or smaller is too small for its median to be its mean. */
const SMALL_COUNT = 3;
/** The smallest mean a model gives (a cell that is almost always 0). */
const MIN_MEAN = 0.25;

/** The robust standard deviation of numbers: 1.4826·MAD, or 1.2533·MeanAD where the MAD is 0. */
export function robustDeviation(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const middle = median(values);
  const deviations = values.map((value) => Math.abs(value - middle));
  const mad = median(deviations);
  return mad > 0 ? 1.4826 * mad : 1.2533 * mean(deviations);
}

/** Deviations beyond this many robust standard deviations count as this many in a clipped spread. */
const CLIP = 2.5;
/** E[min(Z², 2.5²)] for a standard normal Z: the clipped spread's bias at the normal, divided out. */
const CLIPPED_NORMAL_VARIANCE = 0.97756;

/**
 * The spread of numbers around a centre (their median unless given): the root mean square of their
 * deviations, each clipped at 2.5 robust standard deviations, corrected to be unbiased at the normal.
 * Robust to a slip or two in a window, unlike the plain standard deviation; unlike the MAD alone, it
 * does not collapse when more than half the values agree and the rest do not (a trailing year of dry
 * months and a few peak months).
 */
export function clippedSpread(values: ArrayLike<number>, centre?: number): number {
  const n = values.length;
  if (n === 0) return 0;
  const sorted = spreadScratch(n, 0);
  for (let i = 0; i < n; i++) sorted[i] = values[i] as number;
  sorted.subarray(0, n).sort();
  const own = middleOf(sorted, n);
  const deviations = spreadScratch(n, 1);
  for (let i = 0; i < n; i++) deviations[i] = Math.abs((sorted[i] as number) - own);
  deviations.subarray(0, n).sort();
  const mad = middleOf(deviations, n);
  let robust = 1.4826 * mad;
  if (!(mad > 0)) {
    let total = 0;
    for (let i = 0; i < n; i++) total += deviations[i] as number;
    robust = (1.2533 * total) / n;
  }
  const middle = centre ?? own;
  const limit = CLIP * robust;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const deviation = Math.min(Math.abs((sorted[i] as number) - middle), limit);
    squares += deviation * deviation;
  }
  return Math.sqrt(squares / n / CLIPPED_NORMAL_VARIANCE);
}

const spreadBuffers = [new Float64Array(64), new Float64Array(64)];
function spreadScratch(n: number, which: 0 | 1): Float64Array {
  if (n > (spreadBuffers[which] as Float64Array).length) spreadBuffers[which] = new Float64Array(n * 2);
  return spreadBuffers[which] as Float64Array;
}

function middleOf(sorted: Float64Array, n: number): number {
  const half = n >> 1;
  return n % 2 === 1 ? (sorted[half] as number) : ((sorted[half - 1] as number) + (sorted[half] as number)) / 2;
}

/** α̂ from the robust variance σ² of ln(v + ½) at mean μ: the part left once Poisson noise (≈ 1/(μ + ½)) is taken out. */
export function dispersionFromLogSpread(sigma: number, mu: number): number {
  return Math.max(0, sigma * sigma - 1 / (mu + 0.5));
}

/** The centre of a window: its median, or for small counts the mean without the largest value. */
export function windowMean(values: readonly number[]): number {
  const middle = median(values);
  if (middle >= SMALL_COUNT || values.length < 3) return Math.max(middle, MIN_MEAN);
  let largest = -Infinity;
  let total = 0;
  for (const value of values) {
    total += value;
    if (value > largest) largest = value;
  }
  return Math.max(MIN_MEAN, middle, (total - largest) / (values.length - 1));
}

/**
 * The history model's mean and unshrunk dispersion, from the baseline window's values. Where the window
 * spans two calendar years or more (`startMonth` given), the spread is that of each value around the
 * median of the other years' values (leave one year out): the months of one year share that year's level
 * (a new nurse, a good harvest), so only other years show how far a new year's month can fall from them.
 */
export function historyEstimate(baseline: Pick<Baseline, 'values' | 'indexes'>, startMonth?: number): Estimate {
  const mu = windowMean(baseline.values);
  const logs = baseline.values.map((value) => Math.log(value + 0.5));
  const years = startMonth === undefined ? undefined : baseline.indexes.map((i) => Math.floor((startMonth + i) / 12));
  const residuals = years ? leaveOneYearOut(logs, years) : undefined;
  if (residuals) return { mean: mu, ownDispersion: dispersionFromLogSpread(clippedSpread(residuals, 0), mu), n: baseline.values.length, crossValidated: true };
  return { mean: mu, ownDispersion: dispersionFromLogSpread(clippedSpread(logs), mu), n: baseline.values.length, crossValidated: false };
}

/** Each value less the median of the values of the other years; undefined unless there are two years or more. */
export function leaveOneYearOut(values: readonly number[], years: readonly number[]): number[] | undefined {
  const distinct: number[] = [];
  for (const year of years) if (!distinct.includes(year)) distinct.push(year);
  if (distinct.length < 2) return undefined;
  const medians = distinct.map((year) => {
    const others: number[] = [];
    for (let k = 0; k < values.length; k++) if (years[k] !== year) others.push(values[k] as number);
    return median(others);
  });
  return values.map((value, k) => value - (medians[distinct.indexOf(years[k] as number)] as number));
}

export interface Estimate {
  mean: number;
  ownDispersion: number;
  n: number;
  /** Whether the dispersion was measured on predictions of other years (then it already holds the error of the mean). */
  crossValidated: boolean;
  related?: number;
}

/** The weight a window's own dispersion estimate gets against the pooled one: n·μ / (μ + 5). */
export function dispersionWeight(n: number, mu: number): number {
  return (n * mu) / (mu + 5);
}

/** Shrinks α̂ toward the pooled value and widens it for the error of the estimated mean. */
export function finishModel(source: CountModel['source'], estimate: Estimate, pooled: number, thresholds: ModelThresholds): CountModel {
  const weight = dispersionWeight(estimate.n, estimate.mean);
  const prior = thresholds.dispersionPrior;
  const shrunk = (weight * estimate.ownDispersion + prior * pooled) / (weight + prior);
  const alpha = Math.max(thresholds.minDispersion, shrunk);
  const dispersion = estimate.crossValidated ? alpha : alpha + (HALF_PI * (alpha + 1 / (estimate.mean + 0.5))) / Math.max(1, estimate.n);
  return { source, mean: estimate.mean, dispersion, ownDispersion: estimate.ownDispersion, n: estimate.n, ...(estimate.related !== undefined ? { related: estimate.related } : {}) };
}

/** The pooled dispersion of a group's cells: the median of their own estimates (cells with μ ≥ 5), else the floor. */
export function pooledDispersion(estimates: readonly { mean: number; ownDispersion: number }[], floor: number): number {
  const usable = estimates.filter((estimate) => estimate.mean >= 5).map((estimate) => estimate.ownDispersion);
  return usable.length === 0 ? floor : Math.max(floor, median(usable));
}

export function logProbabilityOf(count: number, model: CountModel): number {
  return logNegativeBinomialProbability(count, model.mean, model.dispersion);
}

export function zAgainst(count: number, model: CountModel): number {
  return negativeBinomialZ(count, model.mean, model.dispersion);
}

/** ln P(X = 0). */
export function logZeroProbability(model: CountModel): number {
  return logNegativeBinomialProbability(0, model.mean, model.dispersion);
}

/** The whole counts whose one-sided tail z stays at or below the threshold. */
export function plausibleRange(model: CountModel, threshold: number): { low: number; high: number } {
  const { mean: mu, dispersion } = model;
  const zAt = (k: number) => negativeBinomialZ(k, mu, dispersion);
  // high: the largest k ≥ ⌊μ⌋ with z(k) ≤ threshold
  let lo = Math.floor(mu);
  let hi = Math.max(lo + 1, Math.ceil(mu + (threshold + 1) * Math.sqrt(mu + dispersion * mu * mu)) + 2);
  while (zAt(hi) <= threshold) hi *= 2;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (zAt(mid) <= threshold) lo = mid;
    else hi = mid;
  }
  const high = lo;
  // low: the smallest k ≤ ⌈μ⌉ with z(k) ≤ threshold
  let top = Math.ceil(mu);
  if (zAt(0) <= threshold) return { low: 0, high };
  let bottom = 0;
  while (top - bottom > 1) {
    const mid = (top + bottom) >> 1;
    if (zAt(mid) <= threshold) top = mid;
    else bottom = mid;
  }
  return { low: top, high };
}

/** ln P(X ≥ k) or ln P(X ≤ k), whichever side k is on. */
export function logTailOf(count: number, model: CountModel): number {
  return count >= model.mean
    ? logNegativeBinomialUpperTail(count, model.mean, model.dispersion)
    : logNegativeBinomialLowerTail(count, model.mean, model.dispersion);
}

export { zOfLogTail };
