// Patient age at an encounter, from a birth date or an estimated age. Ages are counted in the calendar of
// the place where the encounter happened: the date of `occurredAt` in the facility's time zone (an IANA
// zone such as Africa/Douala), whatever UTC offset the timestamp was sent with. Without a zone, the offset
// the timestamp carries stands in for it.
import {
  completedYears,
  daysBetween,
  formatCalendarDate,
  isIanaTimeZone,
  localCalendarDate,
  minusCalendar,
  parseCalendarDate,
  type CalendarDate,
} from './calendar.js';

export type AgeUnit = 'years' | 'months' | 'weeks' | 'days';

export interface AgeSource {
  birthDate?: string | undefined;
  estimatedAge?: { value: number; unit: AgeUnit } | undefined;
}

/** An IANA time zone name; undefined means "the offset the timestamp carries". */
export type TimeZone = string | undefined;

/** The encounter's local calendar date in the facility's zone. Throws a RangeError (naming no input). */
export function localDateFieldsOf(isoDateTime: string, timeZone?: TimeZone): CalendarDate {
  const date = localCalendarDate(isoDateTime, timeZone);
  if (date === undefined) throw new RangeError(`not an ISO date-time with an offset, or not a zone (${timeZone ?? 'its offset'})`);
  return date;
}

/** The calendar date (YYYY-MM-DD) of an ISO date-time in the facility's zone. */
export function localDateOf(isoDateTime: string, timeZone?: TimeZone): string {
  return formatCalendarDate(localDateFieldsOf(isoDateTime, timeZone));
}

/** Whether a name is an IANA time zone this runtime knows. */
export function isTimeZone(name: string): boolean {
  return isIanaTimeZone(name);
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
  const encounterDate = localDateFieldsOf(occurredAt, timeZone);
  const date = formatCalendarDate(encounterDate);
  let born = patient.birthDate !== undefined ? parseCalendarDate(patient.birthDate) : undefined;
  if (patient.birthDate !== undefined && born === undefined) throw new RangeError('not a calendar date');
  if (born === undefined && patient.estimatedAge !== undefined) {
    const { value, unit } = patient.estimatedAge;
    born = minusCalendar(encounterDate, { [unit]: value });
  }
  if (born === undefined) return { date };
  return { date, birthDate: formatCalendarDate(born), years: completedYears(born, encounterDate), days: daysBetween(born, encounterDate) };
}

/**
 * The birth date implied by the patient's data: the recorded one, or the encounter date minus the
 * estimated age. Undefined when neither is given.
 */
export function effectiveBirthDate(patient: AgeSource, occurredAt: string, timeZone?: TimeZone): string | undefined {
  return ageAt(patient, occurredAt, timeZone).birthDate;
}
