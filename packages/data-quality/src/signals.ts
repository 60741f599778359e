// Real events that look like errors to a per-cell rule. A value that jumps along with the elements it
// moves with (tested, positive and treated all up: an epidemic; tested down while presumptive treatment
// goes up: an RDT stock-out) is coherent, where a keying error touches one cell. The configured signals
// say which coherent moves explain which flags; a declared campaign explains rises in its elements and
// months. An explained flag is kept, relabelled `kind: 'signal'`, so nothing is hidden.
//
// A coherent move explains a value only as far as the value moved with the others:
// - each condition of a signal is judged on the totals of its elements without the flagged cell (where
//   other cells remain), so that a slip in one cell cannot make its own signal;
// - each total is compared with its usual value over last year's same months ±1 (or the seasonal window
//   of earlier years) where there are any, so that a malaria season is not taken for an epidemic, and the
//   trailing year otherwise;
// - the flagged value must be plausible as its usual value moved as the others moved: with r the move of
//   the other cells of its element (or, for an element of one cell, the median move of the signal's other
//   conditions in the same direction), x must have a z of at most `SAME_MOVE_Z` under the cell's count
//   model with its mean μ multiplied by r. A ×10 slip in one RDT cell, or in presumptive treatment, during
//   a real epidemic is still an error; one RDT cell falling to 0 in a stock-out that cut the rest to a
//   quarter is not.
import type { Signal } from './config.js';
import { formatCount } from './explanations.js';
import type { CellSeries, IndexedHistory } from './facility-history.js';
import type { CellRuleId, Flag } from './flag.js';
import { baselineAt } from './outliers/seasonal-baseline.js';
import { zAgainst, type CountModel } from './outliers/count-model.js';
import type { ScreeningThresholds } from './defaults.js';

/** A campaign (or any planned event) the ministry declared: rises in its elements and months are expected. */
export interface KnownEvent {
  id: string;
  label: { en: string; fr: string };
  dataElements: readonly string[];
  periods: readonly string[];
  /** Omit for every facility. */
  orgUnits?: readonly string[];
}

/** The flagged cell: its series, its value's month and its history count model. */
export interface FlaggedCell {
  cell: CellSeries;
  index: number;
  model: CountModel;
}

/** The largest z of a value against its usual mean moved as the other cells moved, for the same move. */
export const SAME_MOVE_Z = 3;

export class SignalBook {
  private readonly ratios = new Map<string, number | undefined>();

  constructor(
    private readonly history: IndexedHistory,
    private readonly signals: readonly Signal[],
    private readonly events: readonly KnownEvent[],
    private readonly thresholds: ScreeningThresholds,
  ) {}

  /** The known event that explains a rise on this element at this month, if any. */
  knownEvent(dataElement: string, period: string, direction: 'rise' | 'fall'): { id: string; label: { en: string; fr: string } } | undefined {
    if (direction !== 'rise') return undefined;
    const event = this.events.find(
      (candidate) =>
        candidate.dataElements.includes(dataElement) &&
        candidate.periods.includes(period) &&
        (candidate.orgUnits === undefined || candidate.orgUnits.includes(this.history.orgUnit)),
    );
    return event ? { id: event.id, label: event.label } : undefined;
  }

  /** The configured signal that explains this cell's move in this direction, if any. */
  explain(flagged: FlaggedCell, direction: 'rise' | 'fall'): { id: string; label: { en: string; fr: string } } | undefined {
    const { cell, index } = flagged;
    for (const signal of this.signals) {
      const entry = signal.explains.find((candidate) => candidate.change === direction && candidate.dataElements.includes(cell.dataElement));
      if (!entry) continue;
      const holds = signal.when.every((condition) => {
        const ratio = this.ratioToUsual(condition.dataElements, index, cell);
        return ratio !== undefined && (condition.change === 'rise' ? ratio >= condition.ratio : ratio <= condition.ratio);
      });
      if (!holds) continue;
      const value = cell.values[index] as number;
      // The move to compare with: the other cells of its element, or else the signal's conditions in the
      // same direction that do not rest on this element alone (presumptive treatment rising in a stock-out
      // is the signal itself; the same cell rising tenfold in an epidemic that raised the others 1.5-fold is not).
      let others = this.ratioToUsual([cell.dataElement], index, cell, true);
      if (others === undefined) {
        const moves = signal.when
          .filter((condition) => condition.change === direction && !(condition.dataElements.length === 1 && condition.dataElements[0] === cell.dataElement))
          .map((condition) => this.ratioToUsual(condition.dataElements, index, cell))
          .filter((ratio): ratio is number => ratio !== undefined);
        if (moves.length > 0) others = moves.sort((a, b) => a - b)[moves.length >> 1];
      }
      if (others !== undefined && zAgainst(value, { ...flagged.model, mean: Math.max(0.25, flagged.model.mean * others) }) > SAME_MOVE_Z) continue;
      return { id: signal.id, label: signal.label };
    }
    return undefined;
  }

  /**
   * This month's total of the elements ÷ its usual value, without the given cell where the elements have
   * other cells (with `othersOnly`, undefined where they have none).
   */
  private ratioToUsual(dataElements: readonly string[], index: number, without: CellSeries, othersOnly = false): number | undefined {
    const cells = dataElements.flatMap((dataElement) => [...(this.history.byDataElement.get(dataElement) ?? [])]);
    const rest = cells.filter((cell) => cell !== without);
    if (rest.length === 0 && othersOnly) return undefined;
    const used = rest.length > 0 ? rest : cells;
    const key = `${used.length === cells.length ? '' : `-${without.dataElement}|${without.categoryOptionCombo}`}${dataElements.join('+')}@${index}`;
    if (this.ratios.has(key)) return this.ratios.get(key);
    const series = Array.from({ length: index + 1 }, (_, i) => {
      let total: number | null = null;
      for (const cell of used) {
        const value = cell.values[i];
        if (value !== null && value !== undefined) total = (total ?? 0) + value;
      }
      return total;
    });
    const value = series[index];
    const baseline = baselineAt(series, index, this.thresholds, 'seasonal') ?? baselineAt(series, index, this.thresholds, 'trailing');
    const ratio = value === null || value === undefined || !baseline ? undefined : (value + 0.5) / (baseline.median + 0.5);
    this.ratios.set(key, ratio);
    return ratio;
  }
}

export function relabel(flag: Flag, signal: { id: string; label: { en: string; fr: string } }): Flag {
  return {
    ...flag,
    ruleId: `signal:${signal.id}`,
    kind: 'signal',
    severity: 'info',
    explainedRule: flag.ruleId as CellRuleId,
    explanation: {
      en: `${flag.explanation.en} Explained by: ${signal.label.en} at this facility this month (${formatCount(flag.value)} is not counted as a data error).`,
      fr: `${flag.explanation.fr} Expliqué par : ${signal.label.fr} dans cette formation sanitaire ce mois-ci (${formatCount(flag.value)} n'est pas compté comme une erreur de saisie).`,
    },
  };
}
