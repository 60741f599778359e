// WHO toolkit age category options carry ISO 8601 bands as codes: `P0Y--P5Y` is "from 0 years, under 5
// years", `P15Y--P999Y` is "15 years and over". A patient is in a band when, counted in calendar terms
// from the birth date, the encounter date is on or after the lower bound and before the upper bound.
import { compareDates, parseCalendarDate, plusCalendar, type CalendarDuration } from '@smc-bridge/contract';

export interface AgeBand {
  code: string;
  from: CalendarDuration;
  to: CalendarDuration;
}

/** An ISO 8601 duration of years, months, weeks and days (`P5Y`, `P1Y6M`, `P28D`); undefined otherwise. */
function parseDuration(text: string): CalendarDuration | undefined {
  const match = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(text);
  if (!match || text === 'P') return undefined;
  const [, years, months, weeks, days] = match;
  return { years: Number(years ?? 0), months: Number(months ?? 0), weeks: Number(weeks ?? 0), days: Number(days ?? 0) };
}

export function parseAgeBand(code: string): AgeBand | undefined {
  const parts = code.split('--');
  if (parts.length !== 2) return undefined;
  const [from, to] = parts.map((part) => parseDuration(part as string));
  if (!from || !to) return undefined;
  const start = { year: 2000, month: 1, day: 1 };
  if (compareDates(plusCalendar(start, to), plusCalendar(start, from)) <= 0) return undefined;
  return { code, from, to };
}

/** Whether someone born on `birthDate` is inside the band on `date` (both YYYY-MM-DD). */
export function isInAgeBand(band: AgeBand, birthDate: string, date: string): boolean {
  const born = parseCalendarDate(birthDate);
  const on = parseCalendarDate(date);
  if (!born || !on) return false;
  return compareDates(plusCalendar(born, band.from), on) <= 0 && compareDates(on, plusCalendar(born, band.to)) < 0;
}
