// Patient age at an encounter, from a birth date or an estimated age. Ages are counted in the calendar of
// the place where the encounter happened: the date of `occurredAt` in the facility's time zone (an IANA
// zone such as Africa/Douala), whatever UTC offset the timestamp was sent with. Without a zone, the offset
// the timestamp carries stands in for it.
import { DateTime, IANAZone } from 'luxon';

export type AgeUnit = 'years' | 'months' | 'weeks' | 'days';

export interface AgeSource {
  birthDate?: string | undefined;
  estimatedAge?: { value: number; unit: AgeUnit } | undefined;
}

/** An IANA time zone name; undefined means "the offset the timestamp carries". */
export type TimeZone = string | undefined;

/** The encounter's instant as a wall-clock time in the facility's zone. Throws a RangeError (naming no input). */
export function localDateTimeOf(isoDateTime: string, timeZone?: TimeZone): DateTime {
  const parsed = DateTime.fromISO(isoDateTime, timeZone === undefined ? { setZone: true } : { zone: timeZone });
  if (!parsed.isValid) throw new RangeError(`not an ISO date-time in zone ${timeZone ?? 'of its offset'} (${parsed.invalidReason ?? 'invalid'})`);
  return parsed;
}

/** The calendar date (YYYY-MM-DD) of an ISO date-time in the facility's zone. */
export function localDateOf(isoDateTime: string, timeZone?: TimeZone): string {
  return localDateTimeOf(isoDateTime, timeZone).toISODate() as string;
}

/** Whether a name is an IANA time zone this runtime knows. */
export function isTimeZone(name: string): boolean {
  return IANAZone.isValidZone(name);
}

export interface AgeAtEncounter {
  /** The encounter's local calendar date. */
  date: string;
  /** The recorded birth date, or the one implied by the estimated age; undefined when neither is given. */
  birthDate?: string;
  /** Completed years and days at the encounter (negative when the birth date is after it). */
  years?: number;
  days?: number;
}

/** Everything about the patient's age at an encounter, with each date parsed once. */
export function ageAt(patient: AgeSource, occurredAt: string, timeZone?: TimeZone): AgeAtEncounter {
  const date = localDateOf(occurredAt, timeZone);
  const encounterDate = DateTime.fromISO(date, { zone: 'utc' });
  let birthDate = patient.birthDate;
  if (birthDate === undefined && patient.estimatedAge !== undefined) {
    const { value, unit } = patient.estimatedAge;
    birthDate = encounterDate.minus({ [unit]: value }).toISODate() as string;
  }
  if (birthDate === undefined) return { date };
  const born = DateTime.fromISO(birthDate, { zone: 'utc' });
  return {
    date,
    birthDate,
    years: Math.floor(encounterDate.diff(born, 'years').years),
    days: Math.floor(encounterDate.diff(born, 'days').days),
  };
}

/**
 * The birth date implied by the patient's data: the recorded one, or the encounter date minus the
 * estimated age. Undefined when neither is given.
 */
export function effectiveBirthDate(patient: AgeSource, occurredAt: string, timeZone?: TimeZone): string | undefined {
  return ageAt(patient, occurredAt, timeZone).birthDate;
}
