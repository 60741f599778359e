// The balance model of a cell (outliers/count-model.ts says what a count model is): what a month relation
// of mappings/data-quality.yaml says the cell should be, given this month's other side of the relation and
// the other cells of its own side. Tests done are tied to the suspected cases they were done on, confirmed
// cases treated to confirmed cases, births to deliveries, far more tightly than any cell is tied to its own
// history or to another single cell: a digit swapped in one RDT cell (12 → 21) leaves the tests of the
// month 9 short of the usual share of suspected cases, well outside their usual spread, where the cell's
// own history (season, a busy year) cannot tell 21 from 12.
//
// For the cell c on side A (c and the rest R of its side; R may be empty) against the other side B, over
// the cell's baseline window months s (every cell of both sides reported):
// - ratio form: A ≈ q·B, q̂ the median of A_s / B_s, predicted c = q̂·B − R;
// - slack form: A ≈ B + d, d̂ the median of A_s − B_s, predicted c = B + d̂ − R (outpatient visits are the
//   suspected malaria cases plus the other visits, which do not follow the malaria season);
// - the spread: Pearson residuals e_s = (c_s − predicted_s) / √max(1, predicted_s), each month predicted with
//   the median ratio (or slack) of the other calendar years' months (leave one year out, as the history model
//   does: the months of one year share its level), φ = their clipped spread²
//   (the form with the smaller φ is used), so that the variance this month is φ·μ; φ is at least 1 (no
//   count is known better than Poisson) and widened by (1 + π/(2n)) for the error of the medians. As a
//   negative binomial of mean μ: α = (φ − 1)/μ.
// Not given (undefined) with fewer than `minMonths` usable window months, where the other side or the rest
// is not reported this month, or where the rest of the cell's own side is itself off its usual share of B
// by more than `REST_Z` (the relation broke this month for the whole side: a stock-out cuts every test cell,
// a slip elsewhere on the side moves the rest). month-models.ts decides whether it judges the value.
import { clippedSpread } from './count-model.js';

export interface BalanceEstimate {
  mean: number;
  dispersion: number;
  n: number;
  form: 'ratio' | 'slack';
}

/** The rest of the side this many standard deviations off its usual share: the relation broke this month. */
export const REST_Z = 3;
const HALF_PI = Math.PI / 2;
const MIN_MEAN = 0.25;

// Scratch space reused across calls (a window holds at most 15 months).
let scratchC = new Float64Array(16);
let scratchR = new Float64Array(16);
let scratchB = new Float64Array(16);
let scratchE = new Float64Array(16);
let scratchQ = new Float64Array(16);
let scratchY = new Int32Array(16);
let scratchO = new Float64Array(16);
/** Per window month: the median of the side's ratio (or slack) over the other years' months. */
let scratchM = new Float64Array(16);

function ensure(n: number): void {
  if (n <= scratchC.length) return;
  scratchC = new Float64Array(n * 2);
  scratchR = new Float64Array(n * 2);
  scratchB = new Float64Array(n * 2);
  scratchE = new Float64Array(n * 2);
  scratchQ = new Float64Array(n * 2);
  scratchY = new Int32Array(n * 2);
  scratchO = new Float64Array(n * 2);
  scratchM = new Float64Array(n * 2);
}

/**
 * Into scratchM: for each of the n window months, the median of scratchQ over the months of the other
 * calendar years (leave one year out: the months of one year share its level), or over all n when the
 * window holds one year or fewer than two months of other years.
 */
function otherYearMedians(n: number, all: number): void {
  for (let k = 0; k < n; k++) {
    const year = scratchY[k] as number;
    if (k > 0 && scratchY[k - 1] === year) {
      scratchM[k] = scratchM[k - 1] as number;
      continue;
    }
    let kept = 0;
    for (let j = 0; j < n; j++) if (scratchY[j] !== year) scratchO[kept++] = scratchQ[j] as number;
    scratchM[k] = kept >= 2 ? medianOf(scratchO, kept) : all;
  }
}

/** The sum of the cells at month s; NaN if one of them is not reported. */
export function sumAt(values: readonly (readonly (number | null)[])[], cells: readonly number[], s: number): number {
  let total = 0;
  for (const cell of cells) {
    const value = (values[cell] as readonly (number | null)[])[s];
    if (value === null || value === undefined) return NaN;
    total += value;
  }
  return total;
}

/**
 * The balance estimate of cell `cell` at month `index`: `values[k]` is cell k's series, `rest` the other
 * cells of its side, `other` the cells of the other side, `window` the months it is estimated on.
 */
export function balanceEstimate(
  values: readonly (readonly (number | null)[])[],
  cell: number,
  rest: readonly number[],
  other: readonly number[],
  window: readonly number[],
  index: number,
  minMonths: number,
  startMonth = 0,
): BalanceEstimate | undefined {
  const bNow = sumAt(values, other, index);
  const rNow = sumAt(values, rest, index);
  if (!(bNow > 0) || Number.isNaN(rNow)) return undefined;
  ensure(window.length);
  const own = values[cell] as readonly (number | null)[];
  let n = 0;
  for (const s of window) {
    const c = own[s];
    if (c === null || c === undefined) continue;
    const b = sumAt(values, other, s);
    const r = sumAt(values, rest, s);
    if (!(b > 0) || Number.isNaN(r)) continue;
    scratchC[n] = c;
    scratchR[n] = r;
    scratchB[n] = b;
    scratchY[n] = Math.floor((startMonth + s) / 12);
    n++;
  }
  if (n < Math.max(3, minMonths)) return undefined;
  const widen = 1 + HALF_PI / n;

  // The side's ratio and slack to the other side, and the cell's Pearson spread under each, each month
  // predicted from the other years' months.
  for (let k = 0; k < n; k++) scratchQ[k] = ((scratchC[k] as number) + (scratchR[k] as number)) / (scratchB[k] as number);
  const q = medianOf(scratchQ, n);
  otherYearMedians(n, q);
  for (let k = 0; k < n; k++) scratchE[k] = pearson(scratchC[k] as number, (scratchM[k] as number) * (scratchB[k] as number) - (scratchR[k] as number));
  const ratioPhi = squaredSpread(n);
  for (let k = 0; k < n; k++) scratchQ[k] = (scratchC[k] as number) + (scratchR[k] as number) - (scratchB[k] as number);
  const d = medianOf(scratchQ, n);
  otherYearMedians(n, d);
  for (let k = 0; k < n; k++) scratchE[k] = pearson(scratchC[k] as number, (scratchB[k] as number) + (scratchM[k] as number) - (scratchR[k] as number));
  const slackPhi = squaredSpread(n);
  const form = ratioPhi <= slackPhi ? 'ratio' : 'slack';
  const phi = Math.max(1, form === 'ratio' ? ratioPhi : slackPhi) * widen;

  // The rest of the side against its own usual share of the other side, in the same form.
  if (rest.length > 0) {
    for (let k = 0; k < n; k++) scratchQ[k] = form === 'ratio' ? (scratchR[k] as number) / (scratchB[k] as number) : (scratchR[k] as number) - (scratchB[k] as number);
    const usual = medianOf(scratchQ, n);
    otherYearMedians(n, usual);
    const restAt = (b: number, share: number) => (form === 'ratio' ? share * b : b + share);
    for (let k = 0; k < n; k++) scratchE[k] = pearson(scratchR[k] as number, restAt(scratchB[k] as number, scratchM[k] as number));
    const restPhi = Math.max(1, squaredSpread(n)) * widen;
    const expectedNow = restAt(bNow, usual);
    if (Math.abs(rNow - expectedNow) > REST_Z * Math.sqrt(restPhi * Math.max(1, expectedNow))) return undefined;
  }

  const predicted = form === 'ratio' ? q * bNow - rNow : bNow + d - rNow;
  const mean = Math.max(MIN_MEAN, predicted);
  return { mean, dispersion: (phi - 1) / mean, n, form };
}

/** A count's Pearson residual against its prediction. */
function pearson(count: number, expected: number): number {
  return (count - expected) / Math.sqrt(Math.max(1, expected));
}

function squaredSpread(n: number): number {
  const spread = clippedSpread(scratchE.subarray(0, n), 0);
  return spread * spread;
}

let scratchSort = new Float64Array(16);

/** The median of values[0..n), sorted in scratch space (insertion sort: n is at most a window's 15). */
function medianOf(values: Float64Array, n: number): number {
  if (n > scratchSort.length) scratchSort = new Float64Array(n * 2);
  const sorted = scratchSort;
  for (let i = 0; i < n; i++) {
    const value = values[i] as number;
    let j = i - 1;
    while (j >= 0 && (sorted[j] as number) > value) {
      sorted[j + 1] = sorted[j] as number;
      j--;
    }
    sorted[j + 1] = value;
  }
  const half = n >> 1;
  return n % 2 === 1 ? (sorted[half] as number) : ((sorted[half - 1] as number) + (sorted[half] as number)) / 2;
}
