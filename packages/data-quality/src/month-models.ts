// The count models of every cell of a facility at one month (outliers/count-model.ts): the history model of
// each cell from its baseline window, with its dispersion shrunk toward the median of its group's cells;
// then, for a cell in a configured group, the related model from the group's other cells this month
// (outliers/related-model.ts), and, for a cell in a month relation of the configuration, the balance model
// from the relation's other cells (outliers/balance-model.ts); the sharper of these two that is trusted
// judges the value instead of the history model (trustRelated, trustBalance).
import type { Group, LogicalRelation } from './config.js';
import type { ScreeningThresholds } from './defaults.js';
import type { IndexedHistory } from './facility-history.js';
import type { CellModels } from './cell-rules.js';
import { finishModel, historyEstimate, pooledDispersion, zAgainst, type CountModel, type Estimate } from './outliers/count-model.js';
import { relatedEstimate, type RelatedEstimate } from './outliers/related-model.js';
import { balanceEstimate } from './outliers/balance-model.js';
import type { Bilingual } from './flag.js';
import { baselineAt, type Baseline } from './outliers/seasonal-baseline.js';

/** What stays the same for every month of one screening call: the groups of the cells and their logarithms. */
export interface ModelBook {
  /** Per cell (history.cells order): its group's position in `groups`, or −1. */
  groupOf: Int32Array;
  /** Per cell: the other cells of its group. */
  relatedOf: number[][];
  groups: readonly Group[];
  /** Per cell: ln(x + ½) by month, NaN where not reported (filled for grouped cells only). */
  logs: Float64Array[];
  /** Per cell: the month relations it is on one side of. */
  balances: Balance[][];
  /** Per cell: its values (history.cells order). */
  values: readonly (readonly (number | null)[])[];
}

/** A cell's place in a month relation: the other cells of its side and the cells of the other side. */
export interface Balance {
  rest: number[];
  other: number[];
  label: Bilingual;
}

export function modelBook(history: IndexedHistory, groups: readonly Group[], relations: readonly LogicalRelation[] = []): ModelBook {
  const groupOf = new Int32Array(history.cells.length).fill(-1);
  const byElement = new Map<string, number>();
  groups.forEach((group, g) => {
    for (const dataElement of group.dataElements) byElement.set(dataElement, g);
  });
  history.cells.forEach((cell, i) => {
    groupOf[i] = byElement.get(cell.dataElement) ?? -1;
  });
  const relatedOf = history.cells.map((_, i) => {
    const g = groupOf[i] as number;
    if (g < 0) return [];
    const others: number[] = [];
    for (let j = 0; j < history.cells.length; j++) if (j !== i && groupOf[j] === g) others.push(j);
    return others;
  });
  const logs = history.cells.map((cell, i) => {
    const row = new Float64Array(history.length).fill(NaN);
    if ((groupOf[i] as number) < 0) return row;
    cell.values.forEach((value, s) => {
      if (value !== null && value !== undefined) row[s] = Math.log(value + 0.5);
    });
    return row;
  });
  return { groupOf, relatedOf, groups, logs, balances: balancesOf(history, relations), values: history.cells.map((cell) => cell.values) };
}

function balancesOf(history: IndexedHistory, relations: readonly LogicalRelation[]): Balance[][] {
  const balances: Balance[][] = history.cells.map(() => []);
  const cellsOf = (side: LogicalRelation['left'], combo: string | undefined) => {
    const found: number[] = [];
    history.cells.forEach((cell, i) => {
      const on = side.some(
        (operand) => operand.dataElement === cell.dataElement && (operand.categoryOptionCombo === undefined || operand.categoryOptionCombo === cell.categoryOptionCombo),
      );
      if (on && (combo === undefined || cell.categoryOptionCombo === combo)) found.push(i);
    });
    return found;
  };
  for (const relation of relations) {
    if (relation.period !== 'month') continue;
    const combos = relation.byCategoryOptionCombo ? [...new Set(cellsOf(relation.left, undefined).map((i) => (history.cells[i] as IndexedHistory['cells'][number]).categoryOptionCombo))] : [undefined];
    for (const combo of combos) {
      const left = cellsOf(relation.left, combo);
      const right = cellsOf(relation.right, combo);
      if (left.length === 0 || right.length === 0) continue;
      const label = {
        en: `the other cells of the relation ${relation.id}`,
        fr: `les autres cellules de la relation ${relation.id}`,
      };
      for (const [side, other] of [
        [left, right],
        [right, left],
      ] as const) {
        for (const i of side) if (!other.includes(i)) (balances[i] as Balance[]).push({ rest: side.filter((j) => j !== i), other: [...other], label });
      }
    }
  }
  return balances;
}

/**
 * The models of every cell reported at `index` (undefined where the cell is not reported or has too little
 * history). A related model is estimated only for a value its history model finds at least a little
 * unusual (z ≥ `RELATED_MIN_Z`): an ordinary value is no slip, and judging it by its group alone could only
 * flag a cell that held while its group moved.
 */
export function monthModels(history: IndexedHistory, book: ModelBook, index: number, thresholds: ScreeningThresholds): (CellModels | undefined)[] {
  const count = history.cells.length;
  const baselines: (Baseline | undefined)[] = new Array(count);
  const estimates: (Estimate | undefined)[] = new Array(count);
  const byGroup = new Map<number, Estimate[]>();
  for (let i = 0; i < count; i++) {
    const cell = history.cells[i] as IndexedHistory['cells'][number];
    const value = cell.values[index];
    if (value === null || value === undefined) continue;
    const baseline = baselineAt(cell.values, index, thresholds);
    if (!baseline) continue;
    baselines[i] = baseline;
    const estimate = historyEstimate(baseline, history.startMonth);
    estimates[i] = estimate;
    const g = book.groupOf[i] as number;
    const list = byGroup.get(g) ?? [];
    list.push(estimate);
    byGroup.set(g, list);
  }
  const pooledHistory = new Map<number, number>();
  for (const [g, list] of byGroup) pooledHistory.set(g, pooledDispersion(list, thresholds.minDispersion));
  const histories: (CountModel | undefined)[] = estimates.map((estimate, i) =>
    estimate ? finishModel('history', estimate, pooledHistory.get(book.groupOf[i] as number) as number, thresholds) : undefined,
  );

  const zNow = new Float64Array(count).fill(NaN);
  /** Cell j's z this month under its history model (0 without one), computed once. */
  const historyZ = (j: number): number => {
    let z = zNow[j] as number;
    if (Number.isNaN(z)) {
      const model = histories[j];
      z = model ? zAgainst((history.cells[j] as IndexedHistory['cells'][number]).values[index] as number, model) : 0;
      zNow[j] = z;
    }
    return z;
  };

  const related: (RelatedEstimate | undefined)[] = new Array(count);
  const relatedByGroup = new Map<number, Estimate[]>();
  for (let i = 0; i < count; i++) {
    const baseline = baselines[i];
    const historyModel = histories[i];
    const g = book.groupOf[i] as number;
    if (!baseline || !historyModel || g < 0) continue;
    if (historyZ(i) < RELATED_MIN_Z) continue;
    const cell = history.cells[i] as IndexedHistory['cells'][number];
    // Ratios between elements can follow the season (test positivity; the part of outpatient visits that is
    // not malaria), so they are taken over the same months of earlier years only, never a trailing year.
    const seasonal = baseline.window === 'seasonal' ? baseline : baselineAt(cell.values, index, thresholds, 'seasonal');
    if (!seasonal) continue;
    const estimate = relatedEstimate(book.logs, i, book.relatedOf[i] as number[], seasonal.indexes, index, thresholds.minRelated, history.startMonth, thresholds.relatedMonths);
    if (!estimate) continue;
    related[i] = estimate;
    const list = relatedByGroup.get(g) ?? [];
    list.push(estimate);
    relatedByGroup.set(g, list);
  }
  const pooledRelated = new Map<number, number>();
  for (const [g, list] of relatedByGroup) pooledRelated.set(g, pooledDispersion(list, thresholds.minDispersion));

  const models: (CellModels | undefined)[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const baseline = baselines[i];
    const historyModel = histories[i];
    if (!baseline || !historyModel) continue;
    const g = book.groupOf[i] as number;
    const relatedOne = related[i];
    let chosen: { model: CountModel; label: Bilingual } | undefined;
    if (relatedOne) {
      const relatedModel = finishModel('related', relatedOne, pooledRelated.get(g) as number, thresholds);
      if (trustRelated(historyModel, relatedModel, relatedOne, thresholds)) chosen = { model: relatedModel, label: (book.groups[g] as Group).label };
    }
    const balance = balanceModel(history, book, i, baseline, index, historyModel, thresholds, historyZ);
    if (balance && (!chosen || logVariance(balance.model) < logVariance(chosen.model))) chosen = balance;
    const historyZNow = historyZ(i);
    models[i] = chosen
      ? { baseline, history: historyModel, related: chosen.model, relatedLabel: chosen.label, historyZ: historyZNow }
      : { baseline, history: historyModel, historyZ: historyZNow };
  }
  return models;
}

/** A count model's variance on the log scale: α + 1/(μ + ½). */
function logVariance(model: CountModel): number {
  return model.dispersion + 1 / (model.mean + 0.5);
}

/** Below this z against its history model a value gets no balance model. */
export const BALANCE_MIN_Z = 1;
/**
 * A balance model is not used where another cell of the relation is more unusual against its own history
 * than this cell and than this z: a slip there would move the prediction and blame this cell.
 */
export const BALANCE_OTHER_Z = 2;
/** The balance model is trusted only where its prediction has at most this z under the history model. */
export const BALANCE_USUAL_Z = 3;

/**
 * The sharpest trusted balance model of cell i (outliers/balance-model.ts), over its history window: one
 * whose prediction the history model finds usual (z ≤ `BALANCE_USUAL_Z`: a slip in another cell of the
 * relation, or an epidemic the relation's other side shows, moves the prediction away from the cell's
 * usual value, and the history model judges instead), and sharper than the history model. A relation one
 * of whose other cells is more unusual against its own history than this one (and than z 2) is not used.
 * `historyZ(j)` is cell j's z this month under its history model.
 */
export function balanceModel(
  history: IndexedHistory,
  book: ModelBook,
  i: number,
  baseline: Baseline,
  index: number,
  historyModel: CountModel,
  thresholds: ScreeningThresholds,
  historyZ: (j: number) => number,
): { model: CountModel; label: Bilingual } | undefined {
  const balances = book.balances[i] as Balance[];
  if (balances.length === 0) return undefined;
  const z = historyZ(i);
  if (z < BALANCE_MIN_Z) return undefined;
  const values = book.values;
  let best: { model: CountModel; label: Bilingual } | undefined;
  for (const balance of balances) {
    const limit = Math.max(z, BALANCE_OTHER_Z);
    if (balance.other.some((j) => historyZ(j) > limit) || balance.rest.some((j) => historyZ(j) > limit)) continue;
    const estimate = balanceEstimate(values, i, balance.rest, balance.other, baseline.indexes, index, thresholds.minBaselineValues, history.startMonth);
    if (!estimate) continue;
    const model: CountModel = { source: 'balance', mean: estimate.mean, dispersion: estimate.dispersion, ownDispersion: estimate.dispersion, n: estimate.n };
    if (zAgainst(Math.round(estimate.mean), historyModel) > BALANCE_USUAL_Z) continue;
    if (logVariance(model) > thresholds.relatedSharpness * logVariance(historyModel)) continue;
    if (!best || logVariance(model) < logVariance(best.model)) best = { model, label: balance.label };
  }
  return best;
}

/** Below this z against its history model a value gets no related model. */
export const RELATED_MIN_Z = 1;

/**
 * Whether the related model judges the value instead of the history model: its dispersion was measured
 * leaving each year out over at least `relatedMonths` window months, it is sharper than the history model
 * (its variance on the log scale, α + 1/(μ + ½), at most `relatedSharpness` times the history model's),
 * and the related cells' predictions disagree this month at most `relatedAgreement` times as much as usual.
 */
export function trustRelated(
  history: CountModel,
  related: CountModel,
  estimate: Pick<RelatedEstimate, 'crossValidated' | 'n' | 'disagreement'>,
  thresholds: Pick<ScreeningThresholds, 'relatedSharpness' | 'relatedAgreement' | 'relatedMonths'>,
): boolean {
  const logVariance = (model: CountModel) => model.dispersion + 1 / (model.mean + 0.5);
  return (
    estimate.crossValidated &&
    estimate.n >= thresholds.relatedMonths &&
    logVariance(related) <= thresholds.relatedSharpness * logVariance(history) &&
    estimate.disagreement <= thresholds.relatedAgreement
  );
}
