// The values a month is compared with: the same calendar month and the months either side of it in up to
// five previous years (the C-SUM window of malaria epidemic thresholds), so that a July–November peak is
// compared with earlier peaks, not with the dry season. With less than two years of history, or too few
// reported values in that window, the trailing twelve months stand in. `only` asks for one window whatever
// the history (the seasonal one then needs just the three months of last year).
import { SCREENING_DEFAULTS, type ScreeningThresholds } from '../defaults.js';
import { meanAbsoluteDeviation, median, medianAbsoluteDeviation } from '../statistics.js';

export interface Baseline {
  window: 'seasonal' | 'trailing';
  values: number[];
  /** The month index of each value. */
  indexes: number[];
  median: number;
  mad: number;
  meanAbsoluteDeviation: number;
  /** Indexes of the first and last month the window looked at (for the explanation). */
  from: number;
  to: number;
}

export type BaselineOptions = Pick<ScreeningThresholds, 'seasonalYears' | 'minHistoryMonths' | 'trailingMonths' | 'minBaselineValues'>;

export function baselineAt(
  series: readonly (number | null)[],
  index: number,
  options: BaselineOptions = SCREENING_DEFAULTS,
  only?: 'trailing' | 'seasonal',
): Baseline | undefined {
  let first = -1;
  for (let i = 0; i < index; i++) {
    if (series[i] !== null && series[i] !== undefined) {
      first = i;
      break;
    }
  }
  if (first < 0) return undefined;
  if (only === 'seasonal' || (only === undefined && index - first >= options.minHistoryMonths)) {
    const values: number[] = [];
    const indexes: number[] = [];
    let from = index;
    for (let year = 1; year <= options.seasonalYears; year++) {
      for (let offset = -1; offset <= 1; offset++) {
        const i = index - 12 * year + offset;
        if (i < 0 || i >= index) continue;
        const value = series[i];
        if (value === null || value === undefined) continue;
        values.push(value);
        indexes.push(i);
        from = Math.min(from, i);
      }
    }
    if (values.length >= (only === 'seasonal' ? 3 : options.minBaselineValues)) return summarise('seasonal', values, indexes, from, index - 11);
    if (only === 'seasonal') return undefined;
  }
  const values: number[] = [];
  const indexes: number[] = [];
  const from = Math.max(0, index - options.trailingMonths);
  for (let i = from; i < index; i++) {
    const value = series[i];
    if (value !== null && value !== undefined) {
      values.push(value);
      indexes.push(i);
    }
  }
  return values.length >= options.minBaselineValues ? summarise('trailing', values, indexes, from, index - 1) : undefined;
}

function summarise(window: Baseline['window'], values: number[], indexes: number[], from: number, to: number): Baseline {
  const middle = median(values);
  return {
    window,
    values,
    indexes,
    median: middle,
    mad: medianAbsoluteDeviation(values, middle),
    meanAbsoluteDeviation: meanAbsoluteDeviation(values, middle),
    from,
    to,
  };
}
