// Default thresholds of every rule. Sources: DHIS2 core and the WHO Data Quality Tool for the anchors'
// own thresholds, the C-SUM malaria threshold for the seasonal window, and packages/data-quality/README.md
// for the ones this package introduces.

export const SCREENING_DEFAULTS = {
  /** Modified z above which a value is an outlier (Iglewicz–Hoaglin; DHIS2 and the WHO DQ Tool use 3.5). */
  modifiedZ: 3.5,
  /** Previous years whose same calendar month ±1 make the seasonal baseline (C-SUM uses 5). */
  seasonalYears: 5,
  /** Months of history before the seasonal baseline is used; with less, the trailing months are. */
  minHistoryMonths: 24,
  trailingMonths: 12,
  /** Fewer reported baseline values than this and a cell is not scored. */
  minBaselineValues: 6,
  /** x / usual ≥ ratio or ≤ 1 / ratio, and |x − usual| ≥ minDifference: a multiplicative (×10, ÷10) error. */
  multiplicativeRatio: 8,
  multiplicativeMinDifference: 10,
  /**
   * A moderate outlier (z ≥ this) that a keying edit (two adjacent digits swapped; ×10, ÷10, a doubled
   * digit dropped) brings within fitZ of the usual value.
   */
  transpositionZ: 3,
  keyingZ: 2.5,
  fitZ: 0.75,
  /** A value above this z that matches the year-to-date sum plus a usual month. */
  cumulativeZ: 3,
  /** The same non-zero value this many months running, when chance alone gives it less than the probability. */
  repeatRun: 3,
  repeatProbability: 0.001,
  /** A zero after this many reported non-zero months, when chance alone gives a zero less than the probability. */
  steadyMonths: 6,
  suddenZeroProbability: 0.002,
} as const;

export type ScreeningThresholds = { -readonly [K in keyof typeof SCREENING_DEFAULTS]: number };

/** The WHO Data Quality Tool's defaults (src/data/metaData.json), which the DQR scorecard reproduces. */
export const SCORECARD_DEFAULTS = {
  completenessTarget: 0.9,
  extremeOutlierSd: 3,
  moderateOutlierSd: 2,
  modifiedZ: 3.5,
  consistencyOverTime: 0.33,
  referenceYears: 3,
} as const;

export type ScorecardThresholds = { -readonly [K in keyof typeof SCORECARD_DEFAULTS]: number };
