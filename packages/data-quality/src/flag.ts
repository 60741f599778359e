// What the screening says about a value: a flag names its rule, the cells it is about, the value, the
// range that would not have been flagged, a severity and a sentence in English and French that says what
// to check. `kind: 'signal'` marks something real worth knowing (a campaign month, an epidemic, a stock-out)
// that is not a data error and is not counted as one.
import type { CellRef } from './facility-history.js';

export const CELL_RULES = [
  'seasonal-outlier',
  'multiplicative-error',
  'digit-transposition',
  'cumulative-as-monthly',
  'repeated-value',
  'sudden-zero',
] as const;
export type CellRuleId = (typeof CELL_RULES)[number];
export type RuleId = CellRuleId | `relation:${string}` | `signal:${string}` | 'signal:campaign-month';

export type Severity = 'info' | 'warning' | 'critical';

export interface Bilingual {
  en: string;
  fr: string;
}

export interface Flag {
  ruleId: RuleId;
  kind: 'error' | 'signal';
  severity: Severity;
  orgUnit: string;
  period: string;
  /** The cell the flag is about; for a relation, its left side's first cell. */
  dataElement: string;
  categoryOptionCombo: string;
  /** Every cell the rule read (one for a cell rule; both sides for a relation). */
  cells: CellRef[];
  value: number;
  /**
   * For a cell rule, the usual counts (z ≤ 3.5 under the cell's count model); for a relation, the values it
   * would have accepted. High is null where there is no upper bound.
   */
  expected: { low: number; high: number | null };
  /** Strength against the rule's threshold: 1 at the threshold, larger is more suspicious. */
  score: number;
  /** For a relabelled flag: the error rule that fired before the signal explained it. */
  explainedRule?: CellRuleId;
  explanation: Bilingual;
}
