// An age told once ("about 30 years") grows with time: a patient registered with an estimated age a year
// ago is about 31 today.
import type { Patient } from '@smc-bridge/contract'
import { daysBetween } from '../shared/local-date-time'

type EstimatedAge = NonNullable<Patient['estimatedAge']>

const DAYS_PER_UNIT: Record<EstimatedAge['unit'], number> = { days: 1, weeks: 7, months: 30.4375, years: 365.25 }

export function estimatedAgeOn(age: EstimatedAge, toldOn: string, date: string): EstimatedAge {
    const elapsedDays = Math.max(0, daysBetween(toldOn, date))
    return { value: age.value + Math.floor(elapsedDays / DAYS_PER_UNIT[age.unit]), unit: age.unit }
}
