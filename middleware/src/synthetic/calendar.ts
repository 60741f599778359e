// Calendar-date arithmetic on YYYY-MM-DD strings (the form the contract uses for dates), done by luxon.
import { DateTime, type DurationLike } from 'luxon';

function parse(date: string): DateTime {
  const parsed = DateTime.fromISO(date, { zone: 'utc' });
  if (!parsed.isValid) throw new RangeError(`not a calendar date: ${date}`);
  return parsed;
}

export function isCalendarDate(date: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && DateTime.fromISO(date, { zone: 'utc' }).isValid;
}

export function addToDate(date: string, duration: DurationLike): string {
  return parse(date).plus(duration).toISODate() as string;
}

export function addDays(date: string, days: number): string {
  return addToDate(date, { days });
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round(parse(to).diff(parse(from), 'days').days);
}

/** Completed years from `from` to `to`, counted the way age is. */
export function yearsBetween(from: string, to: string): number {
  return Math.floor(parse(to).diff(parse(from), 'years').years);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: string): number {
  return parse(date).weekday;
}

export function laterDate(a: string, b: string): string {
  return a > b ? a : b;
}
