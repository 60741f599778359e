// screenPeriods: several months of one history judged in one call give exactly the flags of judging each
// month alone, and a month's flags do not depend on the months after it (the push job screens a facility's
// backlog of months, sent in one post, this way).
import { readFileSync } from 'node:fs';
import { expect, test } from '@jest/globals';
import { generateSeries, injectErrors } from '../src/benchmark/index.js';
import { parseDataQualityConfig } from '../src/config.js';
import { periodOf, monthNumber } from '../src/periods.js';
import { screenPeriod, screenPeriods } from '../src/screen.js';

const config = parseDataQualityConfig(readFileSync(new URL('../../../mappings/data-quality.yaml', import.meta.url), 'utf8'), 'mappings/data-quality.yaml');

test('the months of one call raise the flags each raises alone, whatever the later months hold', () => {
  const series = generateSeries({ seed: 99, facilities: 12, start: '202101', months: 48 });
  const errors = injectErrors(series, { seed: 100, cellRate: 0.05, swapRate: 0.05, from: 24 });
  expect(errors.length).toBeGreaterThan(10);
  const periods = Array.from({ length: 12 }, (_, i) => periodOf(monthNumber('202401') + i));
  let flagged = 0;
  for (const facility of series.facilities) {
    const together = screenPeriods(facility.history, periods, config, { knownEvents: series.campaigns });
    const alone = periods.flatMap((period) => screenPeriod(facility.history, period, config, { knownEvents: series.campaigns }));
    expect(together).toEqual(alone);
    flagged += together.length;
    // The history cut after June: the first half-year's flags are the same.
    const cut = { ...facility.history, cells: facility.history.cells.map((cell) => ({ ...cell, values: cell.values.slice(0, 36 + 6) })) };
    const firstHalf = periods.slice(0, 6);
    expect(screenPeriods(cut, firstHalf, config, { knownEvents: series.campaigns })).toEqual(together.filter((flag) => firstHalf.includes(flag.period)));
  }
  expect(flagged).toBeGreaterThan(0);
});
