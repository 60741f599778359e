// DHIS2 period identifiers (reference/dhis2-web-api.md §3) for the day an encounter happened, in the
// calendar of the place it happened: `occurredAt` read in the facility's time zone (mapping/facility-table.ts),
// whatever offset it was sent with. Weekly periods are ISO weeks (Monday first, week 1 holds 4 January)
// written `2026W47`, as DHIS2 does.
import { daysInMonth, formatCalendarDate, isoWeekOf, localDateFieldsOf, plusCalendar, type TimeZone } from '@smc-bridge/contract';
import type { PeriodType } from '../mapping-files/rule-file-schemas.js';

export function periodOf(periodType: PeriodType, occurredAt: string, timeZone?: TimeZone): string {
  const local = localDateFieldsOf(occurredAt, timeZone);
  switch (periodType) {
    case 'Monthly':
      return `${local.year}${String(local.month).padStart(2, '0')}`;
    case 'Weekly': {
      const { weekYear, weekNumber } = isoWeekOf(local);
      return `${weekYear}W${weekNumber}`;
    }
  }
}

/** First and last day (YYYY-MM-DD) of a Monthly or Weekly period id; undefined when DHIS2 would reject it. */
export function periodBounds(period: string): { start: string; end: string } | undefined {
  const monthly = /^(\d{4})-?(\d{2})$/.exec(period);
  if (monthly) {
    const [year, month] = [Number(monthly[1]), Number(monthly[2])];
    if (month < 1 || month > 12) return undefined;
    return { start: formatCalendarDate({ year, month, day: 1 }), end: formatCalendarDate({ year, month, day: daysInMonth(year, month) }) };
  }
  const weekly = /^(\d{4})W(\d\d?)$/.exec(period);
  if (weekly) {
    const [weekYear, weekNumber] = [Number(weekly[1]), Number(weekly[2])];
    // Week 1 holds 4 January; its Monday is 4 January less (weekday − 1) days.
    const fourth = { year: weekYear, month: 1, day: 4 };
    const weekday = isoWeekdayOf(fourth);
    const start = plusCalendar(fourth, { days: 1 - weekday + (weekNumber - 1) * 7 });
    const week = isoWeekOf(start);
    if (weekNumber < 1 || week.weekYear !== weekYear || week.weekNumber !== weekNumber) return undefined;
    return { start: formatCalendarDate(start), end: formatCalendarDate(plusCalendar(start, { days: 6 })) };
  }
  return undefined;
}

function isoWeekdayOf(date: { year: number; month: number; day: number }): number {
  return ((new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() + 6) % 7) + 1;
}
