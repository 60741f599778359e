// The months the push's screening reads (quality/history-months.ts) are enough: on the data-quality
// benchmark's generated facilities, with its injected errors, screening a month from those months alone
// raises exactly the flags that screening it from the whole history does, and those that the package
// raises on the generator's own series.
import { fileURLToPath } from 'node:url';
import { monthNumber, periodOf, screenPeriod, type Flag } from '@smc-bridge/data-quality';
import { generateSeries, injectErrors } from '@smc-bridge/data-quality/benchmark';
import type { CellValue } from '../../src/domain/cells.js';
import { facilityHistory, isMonthlyPeriod, laterMonthsReading, monthsScreeningReads, monthValuesOf, monthValuesOfCells, type MonthValues } from '../../src/quality/history-months.js';
import { loadScreeningConfig } from '../../src/quality/screening-config.js';

const config = loadScreeningConfig(fileURLToPath(new URL('../../../mappings', import.meta.url)));

test('monthly periods, and the 25 months read before one', () => {
  expect(isMonthlyPeriod('202610')).toBe(true);
  expect(isMonthlyPeriod('2026W42')).toBe(false);
  expect(isMonthlyPeriod('202613')).toBe(false);
  const months = monthsScreeningReads('202610');
  expect(months).toHaveLength(25);
  expect(months.slice(-13)).toEqual(['202509', '202510', '202511', '202512', '202601', '202602', '202603', '202604', '202605', '202606', '202607', '202608', '202609']);
  expect(months.slice(0, 3)).toEqual(['202109', '202110', '202111']);
});

test('the later months whose screening reads a month: exactly those whose 25 months include it', () => {
  for (const period of ['202601', '202610', '202412']) {
    const later = laterMonthsReading(period);
    expect(later).toHaveLength(25);
    const reading = Array.from({ length: 80 }, (_, ahead) => periodOf(monthNumber(period) + 1 + ahead)).filter((q) => monthsScreeningReads(q).includes(period));
    expect(later).toEqual(reading);
  }
  expect(laterMonthsReading('202610', 2).at(-1)).toBe('202811');
});

test('in a reported month a cell without a value counted nothing; a month never sent is not reported', () => {
  const months = new Map<string, MonthValues>([
    ['202608', monthValuesOf({ '["A","x"]': '2' })],
    ['202609', monthValuesOf({})],
    ['202610', monthValuesOfCells([{ dataElement: 'B', categoryOptionCombo: 'x', value: 5 }])],
  ]);
  expect(facilityHistory('F', '202610', months, undefined)).toEqual({
    orgUnit: 'F',
    start: '202608',
    cells: [
      { dataElement: 'A', categoryOptionCombo: 'x', values: [2, null, 0] },
      { dataElement: 'B', categoryOptionCombo: 'x', values: [0, null, 5] },
    ],
  });
  expect(facilityHistory('F', '202610', months, new Set(['B'])).cells.map((cell) => cell.dataElement)).toEqual(['B']);
});

test('screening from the months read raises the same flags as screening from the whole history', () => {
  const series = generateSeries({ seed: 11, facilities: 12, start: '202101', months: 60 });
  injectErrors(series, { seed: 5, cellRate: 0.03, swapRate: 0.01, from: 12 });
  const start = monthNumber(series.start);
  const describe = (flags: Flag[]) => flags.map((f) => `${f.ruleId} ${f.explainedRule ?? ''} ${f.dataElement} ${f.categoryOptionCombo} ${f.value} ${f.score.toFixed(6)}`).sort();
  let compared = 0;
  for (const facility of series.facilities) {
    const monthOf = (index: number): MonthValues => {
      const cells: CellValue[] = facility.history.cells.flatMap((cell) => (cell.values[index] === null || cell.values[index] === undefined ? [] : [{ dataElement: cell.dataElement, categoryOptionCombo: cell.categoryOptionCombo, value: cell.values[index] as number }]));
      return cells.length === 0 ? undefined : monthValuesOfCells(cells);
    };
    for (const index of [20, 27, 35, 47, 59]) {
      const period = periodOf(start + index);
      const whole = new Map(Array.from({ length: index + 1 }, (_, i) => [periodOf(start + i), monthOf(i)] as const));
      const read = new Map([...monthsScreeningReads(period).filter((p) => monthNumber(p) >= start).map((p) => [p, monthOf(monthNumber(p) - start)] as const), [period, monthOf(index)] as const]);
      const expected = describe(screenPeriod(facilityHistory(facility.orgUnit, period, whole, undefined), period, config));
      // The same as the package judging the generator's own series (leading months not reported included),
      // its cells in the order facilityHistory gives them (a relation names its left side's first cell).
      const byCell = (a: { dataElement: string; categoryOptionCombo: string }, b: typeof a) => (a.dataElement < b.dataElement ? -1 : a.dataElement > b.dataElement ? 1 : a.categoryOptionCombo < b.categoryOptionCombo ? -1 : a.categoryOptionCombo > b.categoryOptionCombo ? 1 : 0);
      const own = { ...facility.history, cells: facility.history.cells.map((cell) => ({ ...cell, values: cell.values.slice(0, index + 1) })).sort(byCell) };
      expect(expected).toEqual(describe(screenPeriod(own, period, config)));
      expect(describe(screenPeriod(facilityHistory(facility.orgUnit, period, read, undefined), period, config))).toEqual(expected);
      compared += expected.length;
    }
  }
  expect(compared).toBeGreaterThan(10);
});
