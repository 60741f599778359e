// The related model of a cell (outliers/count-model.ts says what a count model is): what the other cells of
// its group this month say its value should be. Each related cell p turns into a prediction through its
// usual log ratio to this cell over the same months of earlier years (the seasonal window):
//   ln(μ + ½) = weighted median over p of [ln(x_p + ½) + median_s(ln(x_c,s + ½) − ln(x_p,s + ½))].
// An epidemic, a busy year or a second year of history in the malaria season moves the related cells too,
// so it moves the prediction; a keying slip touches one cell.
// - Weights: 1 / (the variance of the pair's log ratio over the window), each variance shrunk toward the
//   related cells' median variance (PAIR_PRIOR months' worth), so that the luckiest-looking pair of a dozen
//   noisy estimates is not trusted alone; no related cell carries more than a third of the weight.
// - A prediction more than a factor of three from the plain median of the predictions (a related cell with a
//   slip of its own) carries no weight; if more than a quarter of the weight is that far, part of the group
//   moved and part did not (a stock-out: testing collapses while fever cases hold) and there is no model.
// - Dispersion: the spread of this cell's window months around what the related cells predicted for them,
//   each month predicted with ratios estimated without its year (leave one year out): the months of one
//   year share that year's level, so only other years show the error of predicting a new year.
// - Disagreement: the weighted median distance of the predictions from the combined one this month ÷ its
//   median over the window months (near 1 in an ordinary month or an epidemic, large when the group splits).
// Written with typed scratch arrays and insertion sorts (a window holds at most 15 months, a group some
// dozens of cells): it runs for every grouped cell of every screened month.
import { clippedSpread, dispersionFromLogSpread, windowMean, type Estimate } from './count-model.js';

export interface RelatedEstimate extends Estimate {
  related: number;
  disagreement: number;
}

/** Months' worth of the related cells' median variance in each pair's variance. */
const PAIR_PRIOR = 4;
/** The smallest variance of a pair's log ratio (a spread of 0.1). */
const MIN_PAIR_VARIANCE = 0.01;
/** ln 3: a related cell's prediction this far from the others' median is not used. */
const FAR_PREDICTION = Math.log(3);
const MAX_WEIGHT_SHARE = 1 / 3;
/** The largest share of the related cells' weight that may be left out as far from the others. */
const MAX_FAR_SHARE = 0.25;
/** The smallest usual disagreement (ln units, a factor 1.16) a month's disagreement is divided by: with few related cells and little noise the usual one is a small, noisy number. */
const MIN_DISAGREEMENT = 0.15;
/** The smallest mean a model gives. */
const MIN_MEAN = 0.25;

// Scratch space, reused across calls (grown when a call needs more).
let capacity = 0;
let sortedRatios = new Float64Array(0);
/** Per related cell and window month: the month's rank among the cell's sorted ratios, or −1. */
let ranks = new Int32Array(0);
/** Per related cell and rank: the window month of that ratio. */
let monthAt = new Int32Array(0);
let withoutYear = new Float64Array(0);
let scratchA = new Float64Array(64);
let scratchB = new Float64Array(64);
let scratchTags = new Int32Array(64);

function ensure(size: number, small: number): void {
  if (size > capacity) {
    capacity = Math.max(size, capacity * 2);
    sortedRatios = new Float64Array(capacity);
    ranks = new Int32Array(capacity);
    monthAt = new Int32Array(capacity);
    withoutYear = new Float64Array(capacity);
  }
  if (small > scratchA.length) {
    scratchA = new Float64Array(small * 2);
    scratchB = new Float64Array(small * 2);
    scratchTags = new Int32Array(small * 2);
  }
}

/**
 * The related-cells estimate for one cell: `logs[c]` holds ln(x + ½) of every cell by month (NaN where
 * not reported), `window` the month indexes of the cell's seasonal window, `related` the indexes (into
 * logs) of the other cells of its group, `startMonth` the month number of index 0 (for calendar years).
 * Undefined with fewer than `minRelated` usable related cells, fewer than `minMonths` window months (or,
 * when more than three are asked for, a window within one calendar year), or a split group.
 */
export function relatedEstimate(
  logs: readonly Float64Array[],
  cell: number,
  related: readonly number[],
  window: readonly number[],
  index: number,
  minRelated: number,
  startMonth = 0,
  minMonths = 3,
): RelatedEstimate | undefined {
  const own = logs[cell] as Float64Array;
  const months: number[] = [];
  for (const s of window) if (!Number.isNaN(own[s] as number)) months.push(s);
  const m = months.length;
  if (m < Math.max(3, minMonths)) return undefined;
  const yearOf = months.map((s) => Math.floor((startMonth + s) / 12));
  const years: number[] = [];
  for (const year of yearOf) if (!years.includes(year)) years.push(year);
  const byYear = years.length >= 2;
  if (minMonths > 3 && !byYear) return undefined;
  const minPairs = Math.max(3, Math.ceil(m / 2));
  ensure(related.length * Math.max(m, years.length), Math.max(m, related.length));

  const peers: Float64Array[] = [];
  const predictions: number[] = [];
  const variances: number[] = [];
  const counts: number[] = [];
  for (const p of related) {
    const peer = logs[p] as Float64Array;
    const now = peer[index] as number;
    if (Number.isNaN(now)) continue;
    let n = 0;
    for (let k = 0; k < m; k++) {
      const value = peer[months[k] as number] as number;
      if (Number.isNaN(value)) continue;
      scratchA[n] = (own[months[k] as number] as number) - value;
      scratchTags[n] = k;
      n++;
    }
    if (n < minPairs) continue;
    sortWithTags(scratchA, scratchTags, n);
    const j = peers.length;
    const base = j * m;
    for (let k = 0; k < m; k++) ranks[base + k] = -1;
    for (let r = 0; r < n; r++) {
      sortedRatios[base + r] = scratchA[r] as number;
      ranks[base + (scratchTags[r] as number)] = r;
      monthAt[base + r] = scratchTags[r] as number;
    }
    const ratio = medianOfSorted(sortedRatios, base, n);
    const spread = clippedSpread(scratchA.subarray(0, n), ratio);
    peers.push(peer);
    predictions.push(now + ratio);
    variances.push(spread * spread);
    counts.push(n);
  }
  if (predictions.length < minRelated) return undefined;

  const typical = medianOf(variances);
  const centre = medianOf(predictions);
  let far = 0;
  let all = 0;
  const weights = variances.map((variance, j) => {
    const n = counts[j] as number;
    const weight = 1 / Math.max(MIN_PAIR_VARIANCE, (n * variance + PAIR_PRIOR * typical) / (n + PAIR_PRIOR));
    all += weight;
    if (Math.abs((predictions[j] as number) - centre) <= FAR_PREDICTION) return weight;
    far += weight;
    return 0;
  });
  if (far > MAX_FAR_SHARE * all) return undefined;
  capWeights(weights, MAX_WEIGHT_SHARE);
  let used = 0;
  for (const weight of weights) if (weight > 0) used++;
  if (used < minRelated) return undefined;
  const predicted = weightedMedian(predictions, weights);
  const disagreementNow = weightedMedian(
    predictions.map((prediction) => Math.abs(prediction - predicted)),
    weights,
  );

  // Each related cell's ratio without each year of the window (NaN with fewer than two months left).
  const yearCount = years.length;
  if (byYear) {
    for (let j = 0; j < peers.length; j++) {
      const base = j * m;
      const n = counts[j] as number;
      for (let y = 0; y < yearCount; y++) {
        const year = years[y] as number;
        let kept = 0;
        // the sorted ratios of the other years, in order
        for (let r = 0; r < n; r++) if (yearOf[monthAt[base + r] as number] !== year) scratchB[kept++] = sortedRatios[base + r] as number;
        withoutYear[j * yearCount + y] = kept >= 2 ? medianOfSorted(scratchB, 0, kept) : NaN;
      }
    }
  }

  const residuals: number[] = [];
  const levels: number[] = [];
  const usual: number[] = [];
  const monthPredictions: number[] = [];
  const monthWeights: number[] = [];
  for (let k = 0; k < m; k++) {
    monthPredictions.length = 0;
    monthWeights.length = 0;
    const s = months[k] as number;
    const y = years.indexOf(yearOf[k] as number);
    for (let j = 0; j < peers.length; j++) {
      const weight = weights[j] as number;
      const rank = ranks[j * m + k] as number;
      if (weight === 0 || rank < 0) continue;
      const n = counts[j] as number;
      let ratio = byYear ? (withoutYear[j * yearCount + y] as number) : NaN;
      if (Number.isNaN(ratio)) ratio = medianWithout(sortedRatios, j * m, n, rank);
      monthPredictions.push(((peers[j] as Float64Array)[s] as number) + ratio);
      monthWeights.push(weight);
    }
    if (monthPredictions.length < 2) continue;
    const combined = weightedMedian(monthPredictions, monthWeights);
    residuals.push((own[s] as number) - combined);
    levels.push(Math.exp(own[s] as number) - 0.5);
    for (let j = 0; j < monthPredictions.length; j++) monthPredictions[j] = Math.abs((monthPredictions[j] as number) - combined);
    usual.push(weightedMedian(monthPredictions, monthWeights));
  }
  if (residuals.length < 3) return undefined;
  return {
    mean: Math.max(MIN_MEAN, Math.exp(predicted) - 0.5),
    ownDispersion: dispersionFromLogSpread(clippedSpread(residuals, 0), windowMean(levels)),
    n: residuals.length,
    crossValidated: byYear,
    related: used,
    disagreement: disagreementNow / Math.max(MIN_DISAGREEMENT, medianOf(usual)),
  };
}

/** Sorts values[0..n) ascending, carrying tags along (insertion sort: n is small). */
function sortWithTags(values: Float64Array, tags: Int32Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const value = values[i] as number;
    const tag = tags[i] as number;
    let j = i - 1;
    while (j >= 0 && (values[j] as number) > value) {
      values[j + 1] = values[j] as number;
      tags[j + 1] = tags[j] as number;
      j--;
    }
    values[j + 1] = value;
    tags[j + 1] = tag;
  }
}

function medianOfSorted(sorted: Float64Array, offset: number, n: number): number {
  const half = n >> 1;
  return n % 2 === 1 ? (sorted[offset + half] as number) : ((sorted[offset + half - 1] as number) + (sorted[offset + half] as number)) / 2;
}

/** The median of sorted[offset..offset + n) once the one at `rank` is taken out. */
export function medianWithout(sorted: Float64Array, offset: number, n: number, rank: number): number {
  const left = n - 1;
  if (left <= 0) return NaN;
  const at = (j: number) => sorted[offset + (j < rank ? j : j + 1)] as number;
  return left % 2 === 1 ? at((left - 1) / 2) : (at(left / 2 - 1) + at(left / 2)) / 2;
}

function medianOf(values: readonly number[]): number {
  const sorted = Float64Array.from(values).sort();
  return medianOfSorted(sorted, 0, sorted.length);
}

/** Caps each weight at `share` of the total, in place (repeated until none is above it). */
export function capWeights(weights: number[], share: number): void {
  for (let round = 0; round < weights.length; round++) {
    let total = 0;
    for (const weight of weights) total += weight;
    const cap = share * total;
    let capped = false;
    for (let j = 0; j < weights.length; j++) {
      if ((weights[j] as number) > cap * (1 + 1e-12)) {
        weights[j] = cap;
        capped = true;
      }
    }
    if (!capped) return;
  }
}

/** The value at which the weights on either side balance (the lower of two middle values on a tie). */
export function weightedMedian(values: readonly number[], weights: readonly number[]): number {
  const n = values.length;
  if (n === 1) return values[0] as number;
  ensure(0, n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    scratchA[i] = values[i] as number;
    scratchB[i] = weights[i] as number;
    total += weights[i] as number;
  }
  for (let i = 1; i < n; i++) {
    const value = scratchA[i] as number;
    const weight = scratchB[i] as number;
    let j = i - 1;
    while (j >= 0 && (scratchA[j] as number) > value) {
      scratchA[j + 1] = scratchA[j] as number;
      scratchB[j + 1] = scratchB[j] as number;
      j--;
    }
    scratchA[j + 1] = value;
    scratchB[j + 1] = weight;
  }
  let running = 0;
  for (let i = 0; i < n; i++) {
    running += scratchB[i] as number;
    if (running >= total / 2) return scratchA[i] as number;
  }
  return scratchA[n - 1] as number;
}
