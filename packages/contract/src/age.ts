// Patient age at an encounter, from a birth date or an estimated age. Ages are counted in the calendar of
// the place where the encounter happened: the date part of `occurredAt` read with its own UTC offset.
import { DateTime } from 'luxon';

export type AgeUnit = 'years' | 'months' | 'weeks' | 'days';

export interface AgeSource {
  birthDate?: string | undefined;
  estimatedAge?: { value: number; unit: AgeUnit } | undefined;
}

/** The calendar date (YYYY-MM-DD) of an ISO date-time, in the offset the date-time carries. */
export function localDateOf(isoDateTime: string): string {
  const dateTime = DateTime.fromISO(isoDateTime, { setZone: true });
  if (!dateTime.isValid) throw new RangeError(`not an ISO date-time: ${dateTime.invalidExplanation ?? ''}`);
  return dateTime.toISODate() as string;
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
export function ageAt(patient: AgeSource, occurredAt: string): AgeAtEncounter {
  const date = localDateOf(occurredAt);
  const encounterDate = DateTime.fromISO(date);
  let birthDate = patient.birthDate;
  if (birthDate === undefined && patient.estimatedAge !== undefined) {
    const { value, unit } = patient.estimatedAge;
    birthDate = encounterDate.minus({ [unit]: value }).toISODate() as string;
  }
  if (birthDate === undefined) return { date };
  const born = DateTime.fromISO(birthDate);
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
export function effectiveBirthDate(patient: AgeSource, occurredAt: string): string | undefined {
  return ageAt(patient, occurredAt).birthDate;
}
