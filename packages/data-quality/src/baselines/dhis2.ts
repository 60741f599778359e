// DHIS2 core's outlier detection and min-max generation, as defined in reference/data-quality.md (§1,
// AnalyticsZScoreSqlStatementProcessor and the FACTOR_OF_DEVIATION setting), over one cell's series:
// - z-score: z = |x − mean| / sd over every reported value of the series, 0 when sd = 0; flagged when
//   z > threshold (3.0); bounds mean ± sd·threshold;
// - modified z-score: z = 0.6745·|x − median| / MAD, 0 when MAD = 0; flagged when z > threshold (3.5);
//   bounds median ± MAD·threshold / 0.6745;
// - min-max: bounds mean ± factor·sd (factor 2.0) generated from the months before the value, then applied
//   to it at entry; a value outside them is flagged (with sd = 0 the bounds are the mean itself).
// Both z-scores pool the whole series, as DHIS2's analytics table does: the value is part of its own
// mean, and every season shares one mean.
import { mean, median, medianAbsoluteDeviation, populationStandardDeviation } from '../statistics.js';

export interface SeriesScore {
  index: number;
  value: number;
  /** The method's statistic (z, modified z, or for min-max the distance in SDs). */
  z: number;
  flagged: boolean;
  low: number;
  high: number;
}

function reported(values: readonly (number | null)[]): { index: number; value: number }[] {
  const out: { index: number; value: number }[] = [];
  values.forEach((value, index) => {
    if (value !== null && value !== undefined) out.push({ index, value });
  });
  return out;
}

export function dhis2ZScores(values: readonly (number | null)[], threshold = 3): SeriesScore[] {
  const points = reported(values);
  const numbers = points.map((point) => point.value);
  const middle = mean(numbers);
  const sd = populationStandardDeviation(numbers);
  return points.map(({ index, value }) => {
    const z = sd === 0 ? 0 : Math.abs(value - middle) / sd;
    return { index, value, z, flagged: z > threshold, low: middle - sd * threshold, high: middle + sd * threshold };
  });
}

export function dhis2ModifiedZScores(values: readonly (number | null)[], threshold = 3.5): SeriesScore[] {
  const points = reported(values);
  const numbers = points.map((point) => point.value);
  const middle = median(numbers);
  const mad = medianAbsoluteDeviation(numbers, middle);
  return points.map(({ index, value }) => {
    const z = mad === 0 ? 0 : (0.6745 * Math.abs(value - middle)) / mad;
    return { index, value, z, flagged: z > threshold, low: middle - (mad * threshold) / 0.6745, high: middle + (mad * threshold) / 0.6745 };
  });
}

/** Min-max bounds from the reported values before `index`; undefined with fewer than minValues of them. */
export function dhis2MinMaxAt(values: readonly (number | null)[], index: number, factor = 2, minValues = 6): SeriesScore | undefined {
  const value = values[index];
  if (value === null || value === undefined) return undefined;
  const history = reported(values.slice(0, index)).map((point) => point.value);
  if (history.length < minValues) return undefined;
  const middle = mean(history);
  const sd = populationStandardDeviation(history);
  const low = middle - factor * sd;
  const high = middle + factor * sd;
  const z = sd > 0 ? Math.abs(value - middle) / sd : value === middle ? 0 : Infinity;
  return { index, value, z, flagged: value < low || value > high, low, high };
}
