// Default thresholds of every rule. Sources: DHIS2 core and the WHO Data Quality Tool for the anchors'
// own thresholds, the C-SUM malaria threshold for the seasonal window, and packages/data-quality/README.md
// for the ones this package introduces.

export const SCREENING_DEFAULTS = {
  /**
   * z (the standard-normal z with the same one-sided tail) above which a value is an outlier against its
   * negative-binomial count model. Higher than the 3.5 of a modified z (Iglewicz–Hoaglin; DHIS2, the WHO DQ
   * Tool): the keying-slip rules find the slips, and this rule is left the gross errors no slip explains;
   * set on the benchmark's tuning seed.
   */
  modifiedZ: 5,
  /** Previous years whose same calendar month ±1 make the seasonal baseline (C-SUM uses 5). */
  seasonalYears: 5,
  /** Months of history before the seasonal baseline is used; with less, the trailing months are. */
  minHistoryMonths: 24,
  trailingMonths: 12,
  /** Fewer reported baseline values than this and a cell is not scored. */
  minBaselineValues: 6,
  /** The smallest dispersion α (variance μ + αμ²) a count model gets. */
  minDispersion: 0.02,
  /** How many window values the pooled dispersion of the facility's group counts for when shrinking a cell's own. */
  dispersionPrior: 6,
  /** Related cells (same group, reported this month, enough months in common) needed for a related model. */
  minRelated: 3,
  /**
   * The related model is trusted alone (without the history model's agreement) when its variance on the
   * log scale is at most this share of the history model's, and when the related cells' predictions
   * disagree this month at most `relatedAgreement` times as much as usual.
   */
  relatedSharpness: 1,
  relatedAgreement: 3,
  /** Window months (each predicted leaving its year out) the related model's spread must rest on. */
  relatedMonths: 9,
  /**
   * Bayes factors: how many times likelier the value is as a keying slip of a usual value than as a count
   * of its own (under every model the cell has) before the slip is flagged. Multiplicative: the mean over
   * ×10, ÷10 (a digit dropped) and a digit keyed twice; transposition: two adjacent digits swapped;
   * cumulative: the year-to-date total entered (March onwards, at least two earlier months reported).
   */
  multiplicativeBayesFactor: 30,
  transpositionBayesFactor: 30,
  cumulativeBayesFactor: 300,
  /**
   * The weight of "some other error" beside "a count of its own" in the Bayes factors' denominator: a
   * log-uniform spread over a value 100 times too small to 100 times too large, so that a gross outlier is
   * not credited to whichever slip moves it nearest the usual value.
   */
  otherErrorWeight: 0.01,
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
