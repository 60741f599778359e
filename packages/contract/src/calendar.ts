// Calendar arithmetic on plain dates, fast enough for every encounter at national volume (tens of thousands
// a second) and small enough for the app's bundle: local dates in an IANA zone, calendar additions with the
// month-end clamping luxon applies (31 January + 1 month = 28 February), completed years and days between
// dates, ISO weeks. Each rule matches luxon's on the same inputs (the contract's tests compare them).

export interface CalendarDate {
  year: number;
  month: number; // 1–12
  day: number; // 1–31
}

export interface CalendarDuration {
  years?: number;
  months?: number;
  weeks?: number;
  days?: number;
}

const DAY_MS = 86_400_000;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** `YYYY-MM-DD` (the date part of an ISO date-time will do) → its fields; undefined when not a real date. */
export function parseCalendarDate(text: string): CalendarDate | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

export function formatCalendarDate(date: CalendarDate): string {
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

const ordinal = (date: CalendarDate) => Date.UTC(date.year, date.month - 1, date.day) / DAY_MS;

function fromOrdinal(days: number): CalendarDate {
  const d = new Date(days * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return ordinal(to) - ordinal(from);
}

/** `date` moved by a duration, years and months first (the day clamped to the month's end), then weeks and days. */
export function plusCalendar(date: CalendarDate, duration: CalendarDuration): CalendarDate {
  const totalMonths = date.year * 12 + (date.month - 1) + (duration.years ?? 0) * 12 + (duration.months ?? 0);
  const year = Math.floor(totalMonths / 12);
  const month = totalMonths - year * 12 + 1;
  const moved = { year, month, day: Math.min(date.day, daysInMonth(year, month)) };
  const days = (duration.weeks ?? 0) * 7 + (duration.days ?? 0);
  return days === 0 ? moved : fromOrdinal(ordinal(moved) + days);
}

export function minusCalendar(date: CalendarDate, duration: CalendarDuration): CalendarDate {
  return plusCalendar(date, { years: -(duration.years ?? 0), months: -(duration.months ?? 0), weeks: -(duration.weeks ?? 0), days: -(duration.days ?? 0) });
}

/** Completed years from `birth` to `on`: the most years that, added to the birth date, do not pass `on`. */
export function completedYears(birth: CalendarDate, on: CalendarDate): number {
  let years = on.year - birth.year;
  if (compareDates(plusCalendar(birth, { years }), on) > 0) years -= 1;
  return years;
}

/** The ISO week (Monday first; week 1 holds 4 January) a date belongs to. */
export function isoWeekOf(date: CalendarDate): { weekYear: number; weekNumber: number } {
  const days = ordinal(date);
  const weekday = ((new Date(days * DAY_MS).getUTCDay() + 6) % 7) + 1; // Monday 1 … Sunday 7
  const thursday = fromOrdinal(days + 4 - weekday);
  const firstOfYear = ordinal({ year: thursday.year, month: 1, day: 1 });
  return { weekYear: thursday.year, weekNumber: Math.floor((ordinal(thursday) - firstOfYear) / 7) + 1 };
}

// Time zones: the offset of an IANA zone at an instant, from Intl. Every zone's offset changes only on a
// quarter-hour boundary and at most once in a day, so the offset is kept per zone and UTC day when the day
// starts and ends with the same offset (almost every day of almost every zone), else per quarter of an hour:
// a busy process asks Intl about twice a day per zone however spread its instants are.
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();
const QUARTER_MS = 15 * 60_000;

function formatterOf(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** The zone's offset at an instant on a quarter-hour boundary, asked of Intl. */
function offsetFromIntl(zone: string, quarterMs: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatterOf(zone).formatToParts(new Date(quarterMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return Date.UTC(parts['year']!, parts['month']! - 1, parts['day']!, parts['hour']!, parts['minute']!, parts['second']!) - quarterMs;
}

function remember(key: string, offset: number): number {
  if (offsets.size > 100_000) offsets.clear();
  offsets.set(key, offset);
  return offset;
}

/** The zone's UTC offset, in milliseconds, at the instant `ms`. */
export function zoneOffsetMs(zone: string, ms: number): number {
  const dayStart = Math.floor(ms / DAY_MS) * DAY_MS;
  const dayKey = `${zone}|d${dayStart}`;
  const wholeDay = offsets.get(dayKey);
  if (wholeDay !== undefined && !Number.isNaN(wholeDay)) return wholeDay;
  if (wholeDay === undefined) {
    const atStart = offsetFromIntl(zone, dayStart);
    const atEnd = offsetFromIntl(zone, dayStart + DAY_MS - QUARTER_MS);
    // NaN marks a day with a change in it: its quarters are kept one by one.
    remember(dayKey, atStart === atEnd ? atStart : NaN);
    if (atStart === atEnd) return atStart;
  }
  const quarter = Math.floor(ms / QUARTER_MS) * QUARTER_MS;
  const quarterKey = `${zone}|${quarter}`;
  return offsets.get(quarterKey) ?? remember(quarterKey, offsetFromIntl(zone, quarter));
}

/** Whether a name is an IANA time zone (Africa/Douala, Etc/UTC…), not a bare offset. */
export function isIanaTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  try {
    formatterOf(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * The calendar date of an ISO 8601 date-time with offset: in an IANA zone when one is given, else in the
 * offset the date-time carries (its own date part). Undefined when the text is not such a date-time.
 */
export function localCalendarDate(isoDateTime: string, zone?: string): CalendarDate | undefined {
  const own = parseCalendarDate(isoDateTime);
  if (own === undefined || !/T\d{2}:\d{2}/.test(isoDateTime)) return undefined;
  if (zone === undefined) return own;
  const ms = Date.parse(isoDateTime);
  if (Number.isNaN(ms)) return undefined;
  const local = new Date(ms + zoneOffsetMs(zone, ms));
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate() };
}
