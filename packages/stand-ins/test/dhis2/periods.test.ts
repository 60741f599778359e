// Period identifiers (reference/dhis2-web-api.md §3): ISO weeks as DHIS2 defines them, months, and the
// E7611 conflict for what does not parse.
import { parsePeriod } from '../../src/dhis2/index.js';
import { formatDay, periodContaining, shiftPeriod } from '../../src/dhis2/periods.js';
import { ANC_VISITS, BAMBUI, newStandIn, post, summaryOf } from './fixture.js';

function span(iso: string): [string, string] | null {
  const period = parsePeriod(iso);
  return period && [formatDay(period.startDay), formatDay(period.endDay)];
}

test.each([
  ['2021W53', null], // 2021 has 52 ISO weeks
  ['2020W53', ['2020-12-28', '2021-01-03']], // 2020 has 53
  ['2026W53', ['2026-12-28', '2027-01-03']],
  ['2026W47', ['2026-11-16', '2026-11-22']],
  ['2025W1', ['2024-12-30', '2025-01-05']], // week 1 starts in the previous year
  ['2025W01', ['2024-12-30', '2025-01-05']],
  ['2024W0', null],
  ['2024W54', null],
  ['202611', ['2026-11-01', '2026-11-30']],
  ['2026-11', ['2026-11-01', '2026-11-30']],
  ['202613', null],
  ['202600', null],
  ['20240229', ['2024-02-29', '2024-02-29']],
  ['20230229', null],
  ['2024Q1', ['2024-01-01', '2024-03-31']],
  ['2024Q5', null],
  ['2024BiW27', null], // 2024 has 52 weeks: bi-week 27 would start in week 53
  ['2026BiW27', ['2026-12-28', '2027-01-10']],
  ['2024NovS1', ['2023-11-01', '2024-04-30']],
  ['2024April', ['2024-04-01', '2025-03-31']],
  ['2024WedW1', ['2024-01-03', '2024-01-09']],
  ['2024W', null],
  ['2024-W05', null],
])('%s → %j', (iso, expected) => {
  expect(span(iso)).toEqual(expected);
});

test('canonical identifiers: week numbers lose their zero, dashed months and days lose the dash', () => {
  expect(parsePeriod('2025W01')?.iso).toBe('2025W1');
  expect(parsePeriod('2026-11')?.iso).toBe('202611');
  expect(parsePeriod('2024-02-29')?.iso).toBe('20240229');
});

test('the current period and its neighbours, across a year end', () => {
  const newYearsEve2026 = parsePeriod('20261231')?.startDay as number;
  expect(periodContaining('Weekly', newYearsEve2026).iso).toBe('2026W53');
  expect(shiftPeriod(periodContaining('Weekly', newYearsEve2026), 1).iso).toBe('2027W1');
  expect(shiftPeriod(periodContaining('Monthly', newYearsEve2026), -12).iso).toBe('202512');
  expect(periodContaining('SixMonthlyNov', newYearsEve2026).iso).toBe('2027NovS1');
});

test('invalid periods in an import are E7611 with the identifier as posted; valid week 53 is stored', () => {
  const standIn = newStandIn();
  const summary = summaryOf(
    post(standIn, {
      orgUnit: BAMBUI,
      dataValues: [
        { dataElement: ANC_VISITS, period: '2021W53', value: '1' },
        { dataElement: ANC_VISITS, period: '202613', value: '1' },
        { dataElement: ANC_VISITS, period: '2020W53', value: '1' },
      ],
    }),
  );
  expect(summary.conflicts).toEqual([
    { object: '2021W53', objects: { period: '2021W53' }, value: 'Period not valid: `2021W53`', errorCode: 'E7611', property: 'period', indexes: [0] },
    { object: '202613', objects: { period: '202613' }, value: 'Period not valid: `202613`', errorCode: 'E7611', property: 'period', indexes: [1] },
  ]);
  expect(summary.importCount.imported).toBe(1);
  expect(standIn.valueOf({ dataElement: ANC_VISITS, period: '2020W53', orgUnit: BAMBUI })).toBe('1');
});
