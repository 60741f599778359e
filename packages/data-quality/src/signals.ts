// Real events that look like errors to a per-cell rule. A value that jumps along with the elements it
// moves with (tested, positive and treated all up: an epidemic; tested down while presumptive treatment
// goes up: an RDT stock-out) is coherent, where a keying error touches one cell. The configured signals
// say which coherent moves explain which flags; a declared campaign explains rises in its elements and
// months. An explained flag is kept, relabelled `kind: 'signal'`, so nothing is hidden.
import type { Signal } from './config.js';
import { formatCount } from './explanations.js';
import { totalSeries, type IndexedHistory } from './facility-history.js';
import type { CellRuleId, Flag } from './flag.js';
import { baselineAt } from './outliers/seasonal-baseline.js';
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

export class SignalBook {
  private readonly totals = new Map<string, (number | null)[]>();
  private readonly verdicts = new Map<string, boolean>();

  constructor(
    private readonly history: IndexedHistory,
    private readonly signals: readonly Signal[],
    private readonly events: readonly KnownEvent[],
    private readonly thresholds: ScreeningThresholds,
  ) {}

  /** The signal or event that explains a flag in this direction on this element at this month, if any. */
  explain(dataElement: string, period: string, direction: 'rise' | 'fall', index: number): { id: string; label: { en: string; fr: string } } | undefined {
    if (direction === 'rise') {
      const event = this.events.find(
        (candidate) =>
          candidate.dataElements.includes(dataElement) &&
          candidate.periods.includes(period) &&
          (candidate.orgUnits === undefined || candidate.orgUnits.includes(this.history.orgUnit)),
      );
      if (event) return { id: event.id, label: event.label };
    }
    for (const signal of this.signals) {
      if (!signal.explains.some((entry) => entry.change === direction && entry.dataElements.includes(dataElement))) continue;
      if (this.holds(signal, index)) return { id: signal.id, label: signal.label };
    }
    return undefined;
  }

  private holds(signal: Signal, index: number): boolean {
    const key = `${signal.id}@${index}`;
    let verdict = this.verdicts.get(key);
    if (verdict === undefined) {
      verdict = signal.when.every((condition) => {
        const ratio = this.ratioToUsual(condition.dataElements, index);
        return ratio !== undefined && (condition.change === 'rise' ? ratio >= condition.ratio : ratio <= condition.ratio);
      });
      this.verdicts.set(key, verdict);
    }
    return verdict;
  }

  private ratioToUsual(dataElements: readonly string[], index: number): number | undefined {
    const key = dataElements.join('+');
    let series = this.totals.get(key);
    if (!series) {
      series = totalSeries(this.history, dataElements.map((dataElement) => ({ dataElement })));
      this.totals.set(key, series);
    }
    const value = series[index];
    const baseline = baselineAt(series, index, this.thresholds);
    if (value === null || value === undefined || !baseline) return undefined;
    return (value + 0.5) / (baseline.median + 0.5);
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
