// Which of a facility's months the screening of one month reads, and the history it is given. The
// package's rules look at the same calendar month ±1 in up to five previous years (the seasonal window),
// the trailing twelve months (the fallback while history is short, repeated values, sudden zeros, this
// year's earlier months for a year-to-date figure, a calendar year's relations in December) and decide
// between the two by whether the first reported month is 24 or more months back. So the trailing thirteen
// months and the three months around the same month of years 2 to 5 are all it needs: 25 cell groups
// instead of 60, with the same flags (test/quality/history-months.test.ts checks it on generated series).
import { monthNumber, periodOf, type CellSeries, type FacilityHistory } from '@smc-bridge/data-quality';
import { cellInGroupKeyOf, type CellValue } from '../domain/cells.js';

/** Monthly DHIS2 periods (YYYYMM): the only ones the screening judges. */
export function isMonthlyPeriod(period: string): boolean {
  return /^\d{4}(0[1-9]|1[0-2])$/.test(period);
}

const monthsRead = new Map<string, readonly string[]>();

/** The earlier periods whose values the screening of `period` reads, oldest first. */
export function monthsScreeningReads(period: string, seasonalYears = 5): readonly string[] {
  const key = `${period}/${seasonalYears}`;
  const known = monthsRead.get(key);
  if (known) return known;
  const month = monthNumber(period);
  const read = new Set<number>();
  for (let back = 1; back <= 13; back++) read.add(month - back);
  for (let year = 2; year <= seasonalYears; year++) for (let offset = -1; offset <= 1; offset++) read.add(month - 12 * year + offset);
  const periods = [...read].sort((a, b) => a - b).map(periodOf);
  if (monthsRead.size > 10_000) monthsRead.clear();
  monthsRead.set(key, periods);
  return periods;
}

/** The later periods whose screening reads `period` (the inverse of monthsScreeningReads), oldest first. */
export function laterMonthsReading(period: string, seasonalYears = 5): readonly string[] {
  const month = monthNumber(period);
  const later = new Set<number>();
  for (let ahead = 1; ahead <= 13; ahead++) later.add(month + ahead);
  for (let year = 2; year <= seasonalYears; year++) for (let offset = -1; offset <= 1; offset++) later.add(month + 12 * year - offset);
  return [...later].sort((a, b) => a - b).map(periodOf);
}

/** A month's values by cell (`cellInGroupKeyOf`, as the ledger's pushed record keys them); undefined: not reported. */
export type MonthValues = ReadonlyMap<string, number> | undefined;

/** The values of a ledger hash of cells ([dataElement, categoryOptionCombo] → value); undefined when empty. */
export function monthValuesOf(fields: Record<string, string>): MonthValues {
  const values = new Map<string, number>();
  for (const field in fields) values.set(field, Number(fields[field]));
  return values.size === 0 ? undefined : values;
}

/** The cells of a month, by their key. */
export function monthValuesOfCells(cells: readonly CellValue[]): Map<string, number> {
  const values = new Map<string, number>();
  for (const cell of cells) {
    const key = cellInGroupKeyOf(cell);
    values.set(key, (values.get(key) ?? 0) + cell.value);
  }
  return values;
}

// Cell keys repeat in every month and group of a facility: each is parsed once.
const parsedKeys = new Map<string, { dataElement: string; categoryOptionCombo: string }>();
export function cellOfKey(key: string): { dataElement: string; categoryOptionCombo: string } {
  let cell = parsedKeys.get(key);
  if (cell === undefined) {
    const [dataElement, categoryOptionCombo] = JSON.parse(key) as [string, string];
    cell = { dataElement, categoryOptionCombo };
    if (parsedKeys.size >= 50_000) parsedKeys.clear();
    parsedKeys.set(key, cell);
  }
  return cell;
}

/**
 * The history the package judges: one series per cell of the given data elements (every combo seen), from
 * the oldest month given to `period` (months after it are left out). A month whose group DHIS2 was never
 * sent is not reported (null); in a month that was, a cell without a value counted nothing (0): the bridge
 * reports every cell of a group.
 */
export function facilityHistory(orgUnit: string, period: string, months: ReadonlyMap<string, MonthValues>, dataElements: ReadonlySet<string> | undefined): FacilityHistory {
  // From the oldest month with values: months before a facility's first report change nothing the rules see.
  let first = monthNumber(period);
  for (const [monthPeriod, values] of months) if (values !== undefined) first = Math.min(first, monthNumber(monthPeriod));
  const length = monthNumber(period) - first + 1;
  const series = new Map<string, (number | null)[] | null>();
  const cells: CellSeries[] = [];
  for (const values of months.values()) {
    if (values === undefined) continue;
    for (const key of values.keys()) {
      if (series.has(key)) continue;
      const cell = cellOfKey(key);
      if (dataElements && !dataElements.has(cell.dataElement)) {
        series.set(key, null);
        continue;
      }
      const column = new Array<number | null>(length).fill(null);
      series.set(key, column);
      cells.push({ dataElement: cell.dataElement, categoryOptionCombo: cell.categoryOptionCombo, values: column });
    }
  }
  const columns = cells.map((cell) => cell.values as (number | null)[]);
  for (const [monthPeriod, values] of months) {
    if (values === undefined) continue;
    const index = monthNumber(monthPeriod) - first;
    if (index < 0 || index >= length) continue;
    for (const column of columns) column[index] = 0;
    for (const [key, value] of values) {
      const column = series.get(key);
      if (column) column[index] = value;
    }
  }
  cells.sort((a, b) => (a.dataElement < b.dataElement ? -1 : a.dataElement > b.dataElement ? 1 : a.categoryOptionCombo < b.categoryOptionCombo ? -1 : a.categoryOptionCombo > b.categoryOptionCombo ? 1 : 0));
  return { orgUnit, start: periodOf(first), cells };
}
