// @smc-bridge/data-quality: screening of a facility's monthly values against its own history, the
// DHIS2 and WHO DQ Tool methods it is compared with, and the WHO DQR district scorecard. No I/O and no
// runtime dependency; the YAML configuration parser is the separate `./config` entry.
export type { DataQualityConfig, LogicalRelation, Operand, RelatedIndicator, Signal } from './config.js';
export { SCORECARD_DEFAULTS, SCREENING_DEFAULTS, type ScorecardThresholds, type ScreeningThresholds } from './defaults.js';
export type { CellRef, CellSeries, FacilityHistory } from './facility-history.js';
export { CELL_RULES, type Bilingual, type CellRuleId, type Flag, type RuleId, type Severity } from './flag.js';
export { monthNumber, periodOf } from './periods.js';
export { screenHistory, screenPeriod, screenPeriods, type ScreeningConfig, type ScreeningOptions } from './screen.js';
export type { KnownEvent } from './signals.js';
export { baselineAt, type Baseline } from './outliers/seasonal-baseline.js';
export { expectedRange, outlierScore, type OutlierScore } from './outliers/robust-score.js';
export * from './baselines/dhis2.js';
export * from './baselines/who-dq-tool.js';
export * from './scorecard/dqr-scorecard.js';
