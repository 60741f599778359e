// The screening of a facility's values: every cell rule on every cell of the month, the logical relations
// of the month (and of the year, in December), then the signals that explain some flags as real events.
// Pure: the history in, the flags out. The same call serves a form at entry (one month) and a nightly run
// over a whole history.
import type { DataQualityConfig } from './config.js';
import { SCREENING_DEFAULTS, type ScreeningThresholds } from './defaults.js';
import { judgeCell } from './cell-rules.js';
import { indexHistory, type FacilityHistory, type IndexedHistory } from './facility-history.js';
import { modelBook, monthModels } from './month-models.js';
import type { Flag } from './flag.js';
import { monthNumber, periodOf } from './periods.js';
import { checkRelations } from './relations.js';
import { relabel, SignalBook, type KnownEvent } from './signals.js';

export type ScreeningConfig = Pick<DataQualityConfig, 'relations' | 'signals'> & {
  groups?: DataQualityConfig['groups'];
  screening?: Partial<ScreeningThresholds>;
};

export interface ScreeningOptions {
  knownEvents?: readonly KnownEvent[];
  /**
   * Keep flags whose strength is at least this (1, the default, is each rule's threshold). Lower values
   * show what a stricter screening would raise, for a precision–recall curve.
   */
  minScore?: number;
  /** One flag per cell (its strongest rule) instead of one per rule that fired. */
  strongestOnly?: boolean;
}

/** Flags for the values of one period, judged against the months before it. */
export function screenPeriod(history: FacilityHistory, period: string, config: ScreeningConfig, options: ScreeningOptions = {}): Flag[] {
  return screenPeriods(history, [period], config, options);
}

/**
 * Flags for the values of several periods, each judged against the months before it (never the ones
 * after: a later month in the history changes nothing for an earlier one). The same flags as a
 * screenPeriod of each, for the price of indexing the history once.
 */
export function screenPeriods(history: FacilityHistory, periods: readonly string[], config: ScreeningConfig, options: ScreeningOptions = {}): Flag[] {
  const indexed = indexHistory(history);
  return screenIndexes(indexed, periods.map((period) => monthNumber(period) - indexed.startMonth), config, options);
}

/** Flags for every period from `from` (default: the history's start) to its end. */
export function screenHistory(history: FacilityHistory, config: ScreeningConfig, options: ScreeningOptions & { from?: string } = {}): Flag[] {
  const indexed = indexHistory(history);
  const first = options.from === undefined ? 0 : Math.max(0, monthNumber(options.from) - indexed.startMonth);
  const indexes = Array.from({ length: Math.max(0, indexed.length - first) }, (_, i) => first + i);
  return screenIndexes(indexed, indexes, config, options);
}

function screenIndexes(history: IndexedHistory, indexes: readonly number[], config: ScreeningConfig, options: ScreeningOptions): Flag[] {
  const thresholds: ScreeningThresholds = { ...SCREENING_DEFAULTS, ...config.screening };
  const minScore = options.minScore ?? 1;
  const signals = new SignalBook(history, config.signals, options.knownEvents ?? [], thresholds);
  const book = modelBook(history, config.groups ?? [], config.relations);
  const flags: Flag[] = [];
  for (const index of indexes) {
    if (index < 0 || index >= history.length) continue;
    const period = periodOf(history.startMonth + index);
    const models = monthModels(history, book, index, thresholds);
    history.cells.forEach((cell, c) => {
      const cellModels = models[c];
      if (!cellModels) return;
      const judgement = judgeCell({ orgUnit: history.orgUnit, startMonth: history.startMonth, cell, index, thresholds, models: cellModels }, minScore);
      const { verdicts, historyOnly } = judgement;
      const flagged = { cell, index, model: cellModels.history };
      if (verdicts.length > 0) {
        const kept = options.strongestOnly ? [verdicts.reduce((best, verdict) => (verdict.score > best.score ? verdict : best))] : verdicts;
        const first = kept[0] as (typeof kept)[number];
        // A known event explains any rise in its elements and months. A configured signal explains a flag
        // the history or balance model raised; a trusted related model has already allowed for the group's
        // moves, where a relation's balance has not (an epidemic raises suspected cases more than outpatient
        // visits, a stock-out cuts the tests and not the suspected cases).
        const byGroup = cellModels.related?.source === 'related';
        const explanation = signals.knownEvent(cell.dataElement, period, first.direction) ?? (byGroup ? undefined : signals.explain(flagged, first.direction));
        for (const verdict of kept) flags.push(explanation ? relabel(verdict.flag(), explanation) : verdict.flag());
      } else if (historyOnly) {
        // The related cells moved with this one: not an error; a signal when a configured one holds.
        const explanation = signals.knownEvent(cell.dataElement, period, historyOnly.direction) ?? signals.explain(flagged, historyOnly.direction);
        if (explanation) flags.push(relabel(historyOnly.flag(), explanation));
      }
    });
    for (const flag of checkRelations(history, config.relations, index)) if (flag.score >= minScore) flags.push(flag);
  }
  return flags;
}
