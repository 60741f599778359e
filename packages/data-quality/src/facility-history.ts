// What the rules read: one facility's monthly values, cell by cell (data element × category option
// combo), from a first month on. A null is a month the facility did not report that cell.
import { monthNumber } from './periods.js';

export interface CellSeries {
  dataElement: string;
  categoryOptionCombo: string;
  /** One value per month from the history's start; null where nothing was reported. */
  values: readonly (number | null)[];
}

export interface FacilityHistory {
  orgUnit: string;
  /** Period (`YYYYMM`) of values[0] in every cell. */
  start: string;
  cells: readonly CellSeries[];
}

export interface CellRef {
  dataElement: string;
  categoryOptionCombo: string;
}

/** The history with its cells grouped by data element and its start as a month number. */
export interface IndexedHistory {
  orgUnit: string;
  startMonth: number;
  length: number;
  cells: readonly CellSeries[];
  byDataElement: ReadonlyMap<string, readonly CellSeries[]>;
}

export function indexHistory(history: FacilityHistory): IndexedHistory {
  const byDataElement = new Map<string, CellSeries[]>();
  let length = 0;
  for (const cell of history.cells) {
    const list = byDataElement.get(cell.dataElement) ?? [];
    list.push(cell);
    byDataElement.set(cell.dataElement, list);
    length = Math.max(length, cell.values.length);
  }
  return { orgUnit: history.orgUnit, startMonth: monthNumber(history.start), length, cells: history.cells, byDataElement };
}

/**
 * The sum of the given data elements (every combo, or the one named) at month index i; null when none of
 * the cells was reported.
 */
export function totalAt(
  history: IndexedHistory,
  operands: readonly { dataElement: string; categoryOptionCombo?: string | undefined }[],
  index: number,
): number | null {
  let total: number | null = null;
  for (const operand of operands) {
    for (const cell of history.byDataElement.get(operand.dataElement) ?? []) {
      if (operand.categoryOptionCombo !== undefined && cell.categoryOptionCombo !== operand.categoryOptionCombo) continue;
      const value = cell.values[index];
      if (value !== null && value !== undefined) total = (total ?? 0) + value;
    }
  }
  return total;
}

/** The series of totalAt over every month. */
export function totalSeries(
  history: IndexedHistory,
  operands: readonly { dataElement: string; categoryOptionCombo?: string | undefined }[],
): (number | null)[] {
  return Array.from({ length: history.length }, (_, index) => totalAt(history, operands, index));
}
