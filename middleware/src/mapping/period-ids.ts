// DHIS2 period identifiers (reference/dhis2-web-api.md §3) for the day an encounter happened, in the
// calendar of the place it happened: `occurredAt` read in the facility's time zone (mapping/facility-table.ts),
// whatever offset it was sent with. Weekly periods are ISO weeks (Monday first, week 1 holds 4 January)
// written `2026W47`, as DHIS2 does.
import { localDateTimeOf, type TimeZone } from '@smc-bridge/contract';
import { DateTime } from 'luxon';
import type { PeriodType } from '../mapping-files/rule-file-schemas.js';


export function periodOf(periodType: PeriodType, occurredAt: string, timeZone?: TimeZone): string {
  const local = localDateTimeOf(occurredAt, timeZone);
  switch (periodType) {
    case 'Monthly':
      return `${local.year}${String(local.month).padStart(2, '0')}`;
    case 'Weekly':
      return `${local.weekYear}W${local.weekNumber}`;
  }
}

/** First and last day (YYYY-MM-DD) of a Monthly or Weekly period id; undefined when DHIS2 would reject it. */
export function periodBounds(period: string): { start: string; end: string } | undefined {
  const monthly = /^(\d{4})-?(\d{2})$/.exec(period);
  if (monthly) {
    const start = DateTime.fromObject({ year: Number(monthly[1]), month: Number(monthly[2]), day: 1 });
    if (!start.isValid) return undefined;
    return { start: start.toISODate() as string, end: start.endOf('month').toISODate() as string };
  }
  const weekly = /^(\d{4})W(\d\d?)$/.exec(period);
  if (weekly) {
    const [weekYear, weekNumber] = [Number(weekly[1]), Number(weekly[2])];
    const start = DateTime.fromObject({ weekYear, weekNumber, weekday: 1 });
    if (weekNumber < 1 || !start.isValid || start.weekYear !== weekYear || start.weekNumber !== weekNumber) return undefined;
    return { start: start.toISODate() as string, end: start.plus({ days: 6 }).toISODate() as string };
  }
  return undefined;
}
