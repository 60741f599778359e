// Which of a facility's months the screening of one month reads, and the history it is given. The
// package's rules look at the same calendar month ±1 in up to five previous years (the seasonal window),
// the trailing twelve months (the fallback while history is short, repeated values, sudden zeros, this
// year's earlier months for a year-to-date figure, a calendar year's relations in December) and decide
// between the two by whether the first reported month is 24 or more months back. So the trailing thirteen
// months and the three months around the same month of years 2 to 5 are all it needs: 25 cell groups
// instead of 60, with the same flags (test/quality/history-months.test.ts checks it on generated series).
import { monthNumber, periodOf, type CellSeries, type FacilityHistory } from '@smc-bridge/data-quality';
import type { CellValue } from '../domain/cells.js';
import { cellInGroupKeyOf } from '../domain/cells.js';

/** Monthly DHIS2 periods (YYYYMM): the only ones the screening judges. */
export function isMonthlyPeriod(period: string): boolean {
  return /^\d{4}(0[1-9]|1[0-2])$/.test(period);
}

/** The earlier periods whose values the screening of `period` reads, oldest first. */
export function monthsScreeningReads(period: string, seasonalYears = 5): string[] {
  const month = monthNumber(period);
  const read = new Set<number>();
  for (let back = 1; back <= 13; back++) read.add(month - back);
  for (let year = 2; year <= seasonalYears; year++) for (let offset = -1; offset <= 1; offset++) read.add(month - 12 * year + offset);
  return [...read].sort((a, b) => a - b).map(periodOf);
}

/**
 * The history the package judges: one series per cell of the given data elements (every combo seen), from
 * the oldest month read to `period`. A month whose group DHIS2 was never sent is not reported (null); in
 * a month that was, a cell without a value counted nothing (0): the bridge reports every cell of a group.
 */
export function facilityHistory(
  orgUnit: string,
  period: string,
  months: ReadonlyMap<string, readonly CellValue[] | undefined>,
  dataElements: ReadonlySet<string> | undefined,
): FacilityHistory {
  const periods = [...months.keys()].sort();
  const start = periods[0] ?? period;
  const first = monthNumber(start);
  const length = monthNumber(period) - first + 1;
  const cells = new Map<string, { dataElement: string; categoryOptionCombo: string }>();
  for (const values of months.values()) {
    for (const cell of values ?? []) {
      if (dataElements && !dataElements.has(cell.dataElement)) continue;
      cells.set(cellInGroupKeyOf(cell), { dataElement: cell.dataElement, categoryOptionCombo: cell.categoryOptionCombo });
    }
  }
  const series = new Map<string, (number | null)[]>();
  for (const key of cells.keys()) series.set(key, new Array<number | null>(length).fill(null));
  for (const [monthPeriod, values] of months) {
    if (values === undefined) continue;
    const index = monthNumber(monthPeriod) - first;
    for (const column of series.values()) column[index] = 0;
    for (const cell of values) series.get(cellInGroupKeyOf(cell))?.splice(index, 1, cell.value);
  }
  const list: CellSeries[] = [...cells].map(([key, cell]) => ({ ...cell, values: series.get(key)! }));
  return { orgUnit, start, cells: list };
}
