// WHO toolkit age category options carry ISO 8601 bands as codes: `P0Y--P5Y` is "from 0 years, under 5
// years", `P15Y--P999Y` is "15 years and over". A patient is in a band when, counted in calendar terms
// from the birth date, the encounter date is on or after the lower bound and before the upper bound.
import { DateTime, Duration } from 'luxon';

export interface AgeBand {
  code: string;
  from: Duration;
  to: Duration;
}

export function parseAgeBand(code: string): AgeBand | undefined {
  const parts = code.split('--');
  if (parts.length !== 2) return undefined;
  const [from, to] = parts.map((part) => Duration.fromISO(part as string));
  if (!from?.isValid || !to?.isValid) return undefined;
  const start = DateTime.fromISO('2000-01-01');
  if (start.plus(to) <= start.plus(from)) return undefined;
  return { code, from, to };
}

/** Whether someone born on `birthDate` is inside the band on `date` (both YYYY-MM-DD). */
export function isInAgeBand(band: AgeBand, birthDate: string, date: string): boolean {
  const born = DateTime.fromISO(birthDate);
  const on = DateTime.fromISO(date);
  return born.plus(band.from) <= on && on < born.plus(band.to);
}
