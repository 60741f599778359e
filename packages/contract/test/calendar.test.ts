// The contract's calendar arithmetic against luxon's, on random dates, durations, zones and instants:
// the same local dates, month-end clamping, completed years (29 February birthdays included), days and
// ISO weeks. luxon is the reference here only; the contract does not load it.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  completedYears,
  daysBetween,
  formatCalendarDate,
  isIanaTimeZone,
  isoWeekOf,
  localCalendarDate,
  minusCalendar,
  parseCalendarDate,
  plusCalendar,
  type CalendarDate,
  zoneOffsetMs,
} from '../src/calendar.js';

const date = fc.date({ min: new Date('1880-01-01T00:00:00Z'), max: new Date('2120-12-31T00:00:00Z'), noInvalidDate: true }).map((d): CalendarDate => ({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }));
const luxonDate = (d: CalendarDate) => DateTime.fromObject(d, { zone: 'utc' });
const ZONES = ['Africa/Douala', 'Africa/Bamako', 'Europe/Paris', 'America/Sao_Paulo', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/St_Johns', 'Etc/UTC'];

test('plus and minus clamp to the month end exactly as luxon does', () => {
  fc.assert(
    fc.property(date, fc.integer({ min: -150, max: 150 }), fc.integer({ min: -30, max: 30 }), fc.integer({ min: -10, max: 10 }), fc.integer({ min: -400, max: 400 }), (d, years, months, weeks, days) => {
      expect(formatCalendarDate(plusCalendar(d, { years, months, weeks, days }))).toBe(luxonDate(d).plus({ years, months, weeks, days }).toISODate());
      expect(formatCalendarDate(minusCalendar(d, { months }))).toBe(luxonDate(d).minus({ months }).toISODate());
    }),
    { numRuns: 2000 },
  );
});

test('completed years and days between two dates are luxon’s, 29 February birthdays included', () => {
  const leapBirthdays = fc.integer({ min: 1900, max: 2096 }).filter((y) => y % 4 === 0 && y !== 1900).map((year) => ({ year, month: 2, day: 29 }));
  fc.assert(
    fc.property(fc.oneof(date, leapBirthdays), date, (born, on) => {
      if (daysBetween(born, on) < 0) return;
      expect(completedYears(born, on)).toBe(Math.floor(luxonDate(on).diff(luxonDate(born), 'years').years));
      expect(daysBetween(born, on)).toBe(Math.round(luxonDate(on).diff(luxonDate(born), 'days').days));
    }),
    { numRuns: 3000 },
  );
});

test('ISO weeks are luxon’s', () => {
  fc.assert(
    fc.property(date, (d) => {
      const luxon = luxonDate(d);
      expect(isoWeekOf(d)).toEqual({ weekYear: luxon.weekYear, weekNumber: luxon.weekNumber });
    }),
    { numRuns: 3000 },
  );
});

test('the local date of an instant in an IANA zone is luxon’s, across DST changes and odd offsets', () => {
  const instant = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true });
  fc.assert(
    fc.property(instant, fc.constantFrom(...ZONES), fc.constantFrom('Z', '+01:00', '-05:00', '+14:00', '-12:00', '+05:45'), (at, zone, offset) => {
      const iso = DateTime.fromJSDate(at, { zone: offset === 'Z' ? 'utc' : `UTC${offset}` }).toISO({ suppressMilliseconds: false }) as string;
      expect(formatCalendarDate(localCalendarDate(iso, zone)!)).toBe(DateTime.fromISO(iso, { zone }).toISODate());
      expect(formatCalendarDate(localCalendarDate(iso)!)).toBe(DateTime.fromISO(iso, { setZone: true }).toISODate());
    }),
    { numRuns: 3000 },
  );
});

test('the offset is luxon’s at every quarter of an hour of days when the offset changes, and of the days beside them', () => {
  // Spring and autumn in Paris, Lord Howe's half-hour change, Samoa's skipped day, Casablanca's Ramadan pause.
  const days: [string, string][] = [
    ['Europe/Paris', '2026-03-29'], ['Europe/Paris', '2026-10-25'], ['America/Havana', '2026-03-08'],
    ['Australia/Lord_Howe', '2026-04-05'], ['Pacific/Apia', '2011-12-30'], ['Africa/Casablanca', '2026-02-15'],
  ];
  for (const [zone, day] of days) {
    const start = Date.parse(`${day}T00:00:00Z`);
    // The day before first, so that its whole-day offset is cached before the changing day is asked.
    for (let ms = start - 86_400_000; ms < start + 2 * 86_400_000; ms += 15 * 60_000) {
      for (const at of [ms, ms + 7 * 60_000]) {
        const expected = DateTime.fromMillis(at, { zone }).offset * 60_000;
        expect([zone, new Date(at).toISOString(), zoneOffsetMs(zone, at)]).toEqual([zone, new Date(at).toISOString(), expected]);
      }
    }
  }
});

test('dates that do not exist and names that are not IANA zones are refused', () => {
  expect(parseCalendarDate('2026-02-29')).toBeUndefined();
  expect(parseCalendarDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
  expect(parseCalendarDate('2026-13-01')).toBeUndefined();
  expect(localCalendarDate('2026-10-31', 'Africa/Douala')).toBeUndefined();
  for (const zone of ['Africa/Douala', 'Etc/GMT+1', 'UTC']) expect([zone, isIanaTimeZone(zone)]).toEqual([zone, true]);
  for (const zone of ['UTC+0', '+01:00', 'Mars/Olympus', '', 'Africa/../Douala']) expect([zone, isIanaTimeZone(zone)]).toEqual([zone, false]);
});
