import fc from 'fast-check';
import { DateTime } from 'luxon';
import { isInAgeBand, parseAgeBand } from '../../src/mapping/age-bands.js';
import { periodBounds, periodOf } from '../../src/mapping/period-ids.js';

describe('periods', () => {
  test.each([
    ['Monthly', '2026-11-30T23:30:00+01:00', '202611'],
    ['Monthly', '2026-11-30T23:30:00-01:00', '202611'],
    ['Monthly', '2026-12-01T00:10:00+01:00', '202612'],
    ['Weekly', '2026-11-23T08:00:00+01:00', '2026W48'],
    ['Weekly', '2024-12-30T08:00:00+00:00', '2025W1'],
    ['Weekly', '2021-01-03T08:00:00+00:00', '2020W53'],
    ['Weekly', '2027-01-01T08:00:00+00:00', '2026W53'],
  ] as const)('%s period of %s is %s', (type, occurredAt, expected) => {
    expect(periodOf(type, occurredAt)).toBe(expected);
  });

  test.each(['2021W53', '2026W0', '202613', '2026W54', 'x'])('%s is not a period DHIS2 accepts', (period) => {
    expect(periodBounds(period)).toBeUndefined();
  });

  test('every date falls inside the bounds of its own monthly and weekly period', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2040-12-31'), noInvalidDate: true }),
        fc.integer({ min: -12, max: 14 }),
        (instant, offsetHours) => {
          const local = DateTime.fromJSDate(instant).setZone(`UTC${offsetHours >= 0 ? '+' : ''}${offsetHours}`);
          const occurredAt = local.toISO() as string;
          const day = local.toISODate() as string;
          for (const type of ['Monthly', 'Weekly'] as const) {
            const bounds = periodBounds(periodOf(type, occurredAt));
            expect(bounds).toBeDefined();
            expect(bounds!.start <= day && day <= bounds!.end).toBe(true);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('age bands', () => {
  const under5 = parseAgeBand('P0Y--P5Y')!;
  const infant = parseAgeBand('P0Y--P1Y')!;

  test('bounds are inclusive below, exclusive above, in calendar years', () => {
    expect(isInAgeBand(under5, '2021-11-23', '2026-11-22')).toBe(true);
    expect(isInAgeBand(under5, '2021-11-23', '2026-11-23')).toBe(false);
    // Born on 29 February: the first birthday falls on 28 February in a common year.
    expect(isInAgeBand(infant, '2024-02-29', '2025-02-27')).toBe(true);
    expect(isInAgeBand(infant, '2024-02-29', '2025-02-28')).toBe(false);
  });

  test.each(['P5Y', 'P5Y--P0Y', 'five--ten', 'P1Y--P1Y'])('%s is not a band', (code) => {
    expect(parseAgeBand(code)).toBeUndefined();
  });

  test('the WHO malaria bands partition every age: exactly one band holds each patient', () => {
    const bands = ['P0Y--P5Y', 'P5Y--P15Y', 'P15Y--P999Y'].map((code) => parseAgeBand(code)!);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 120 * 366 }), fc.date({ min: new Date('2000-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }), (ageDays, on) => {
        const date = DateTime.fromJSDate(on, { zone: 'utc' }).toISODate() as string;
        const birthDate = DateTime.fromISO(date).minus({ days: ageDays }).toISODate() as string;
        expect(bands.filter((band) => isInAgeBand(band, birthDate, date))).toHaveLength(1);
      }),
      { numRuns: 2000 },
    );
  });
});
