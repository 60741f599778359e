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

/**
 * The birth date implied by the patient's data: the recorded one, or the encounter date minus the
 * estimated age. Undefined when neither is given.
 */
export function effectiveBirthDate(patient: AgeSource, occurredAt: string): string | undefined {
  if (patient.birthDate !== undefined) return patient.birthDate;
  if (patient.estimatedAge === undefined) return undefined;
  const { value, unit } = patient.estimatedAge;
  return DateTime.fromISO(localDateOf(occurredAt))
    .minus({ [unit]: value })
    .toISODate() as string;
}

/** Age in completed days at the encounter (negative when the birth date is after it). */
export function ageInDays(patient: AgeSource, occurredAt: string): number | undefined {
  const birthDate = effectiveBirthDate(patient, occurredAt);
  if (birthDate === undefined) return undefined;
  const encounterDate = DateTime.fromISO(localDateOf(occurredAt));
  return Math.floor(encounterDate.diff(DateTime.fromISO(birthDate), 'days').days);
}

/** Age in completed years at the encounter (negative when the birth date is after it). */
export function ageInYears(patient: AgeSource, occurredAt: string): number | undefined {
  const birthDate = effectiveBirthDate(patient, occurredAt);
  if (birthDate === undefined) return undefined;
  const encounterDate = DateTime.fromISO(localDateOf(occurredAt));
  return Math.floor(encounterDate.diff(DateTime.fromISO(birthDate), 'years').years);
}
