// Calendar-date arithmetic on YYYY-MM-DD strings (the form the contract uses for dates), done by luxon.
import { DateTime, type DurationLike } from 'luxon';

// Parsing dominates the generator's run time and the same dates recur constantly (visit days, birth dates),
// so parsed dates are kept; luxon DateTimes are immutable, so sharing them is safe.
const parsedDates = new Map<string, DateTime>();
const MAX_PARSED_DATES = 20_000;

function parse(date: string): DateTime {
  let parsed = parsedDates.get(date);
  if (parsed === undefined) {
    parsed = DateTime.fromISO(date, { zone: 'utc' });
    if (!parsed.isValid) throw new RangeError(`not a calendar date: ${date}`);
    if (parsedDates.size >= MAX_PARSED_DATES) parsedDates.clear();
    parsedDates.set(date, parsed);
  }
  return parsed;
}

export function isCalendarDate(date: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && DateTime.fromISO(date, { zone: 'utc' }).isValid;
}

export function addToDate(date: string, duration: DurationLike): string {
  return parse(date).plus(duration).toISODate() as string;
}

const MILLIS_PER_DAY = 86_400_000;

export function addDays(date: string, days: number): string {
  // In UTC every day lasts 24 hours, so whole days can be added to the instant (cheaper than plus()).
  return DateTime.fromMillis(parse(date).toMillis() + days * MILLIS_PER_DAY, { zone: 'utc' }).toISODate() as string;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  // Both are UTC midnights, so the difference is a whole number of 24-hour days (cheaper than diff()).
  return Math.round((parse(to).toMillis() - parse(from).toMillis()) / MILLIS_PER_DAY);
}

/** Completed years from `from` to `to`, counted the way age is. */
export function yearsBetween(from: string, to: string): number {
  const start = parse(from);
  const end = parse(to);
  const beforeAnniversary = end.month < start.month || (end.month === start.month && end.day < start.day);
  return end.year - start.year - (beforeAnniversary ? 1 : 0);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: string): number {
  return parse(date).weekday;
}

export function laterDate(a: string, b: string): string {
  return a > b ? a : b;
}
