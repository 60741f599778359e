// The summary statistics the rules and the baselines are written in. Standard deviations are population
// ones (divide by n), as DHIS2's outlier detection computes them (`stddev_pop`).

export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return values.length === 0 ? NaN : sum / values.length;
}

export function populationStandardDeviation(values: readonly number[]): number {
  const middle = mean(values);
  let squares = 0;
  for (const value of values) squares += (value - middle) ** 2;
  return values.length === 0 ? NaN : Math.sqrt(squares / values.length);
}

export function median(values: readonly number[]): number {
  const n = values.length;
  if (n === 0) return NaN;
  if (n === 1) return values[0] as number;
  // A typed array sorts numerically without a comparator (the screening takes thousands of small medians).
  const sorted = scratch(n);
  for (let i = 0; i < n; i++) sorted[i] = values[i] as number;
  sorted.subarray(0, n).sort();
  const half = n >> 1;
  return n % 2 === 1 ? (sorted[half] as number) : ((sorted[half - 1] as number) + (sorted[half] as number)) / 2;
}

let buffer = new Float64Array(64);
function scratch(n: number): Float64Array {
  if (n > buffer.length) buffer = new Float64Array(Math.max(n, buffer.length * 2));
  return buffer;
}

/** Median absolute deviation from the median (not scaled). */
export function medianAbsoluteDeviation(values: readonly number[], middle = median(values)): number {
  const n = values.length;
  if (n === 0) return NaN;
  const deviations = new Array<number>(n);
  for (let i = 0; i < n; i++) deviations[i] = Math.abs((values[i] as number) - middle);
  return median(deviations);
}

/** Mean absolute deviation from the median: the scale the modified z-score falls back on when the MAD is 0. */
export function meanAbsoluteDeviation(values: readonly number[], middle = median(values)): number {
  return mean(values.map((value) => Math.abs(value - middle)));
}

export function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
