// Errors placed beside their fields: each contract error names its field by JSON Pointer; a few point at a
// part of the encounter that the form shows as another field (the date for occurredAt, the age for a
// missing birth date when only the age is known).
import type { FieldError } from '@smc-bridge/contract'
import { describeMessage } from './contract-messages'
import { labelOf } from './field-labels'

export type FieldErrors = ReadonlyMap<string, string>

export const NO_ERRORS: FieldErrors = new Map()

/** The form field that shows an error at `pointer`. */
export function fieldOf(pointer: string, ageKnownAs: 'birthDate' | 'age'): string {
    if (pointer === '/occurredAt' || pointer === '/recordedAt') return '/occurredAt'
    if (pointer === '/patient/birthDate' && ageKnownAs === 'age') return '/patient/estimatedAge/value'
    if (pointer === '/patient/estimatedAge' || pointer === '/patient/estimatedAge/value') {
        return ageKnownAs === 'age' ? '/patient/estimatedAge/value' : '/patient/birthDate'
    }
    if (pointer === '/referral/target') return '/referral/target/name'
    if (pointer === '/malaria/test') return '/malaria/test/method'
    if (/^\/treatments\/\d+$/.test(pointer)) return '/treatments'
    return pointer
}

/** Translated messages by form field; two errors on one field are shown together. */
export function placeErrors(errors: FieldError[], ageKnownAs: 'birthDate' | 'age'): FieldErrors {
    const placed = new Map<string, string>()
    for (const { path, message } of errors) {
        const field = fieldOf(path, ageKnownAs)
        const words = describeMessage(message)
        const already = placed.get(field)
        placed.set(field, already && already !== words ? `${already} ${words}` : words)
    }
    return placed
}

/** The DOM id of a field, from its pointer: /vitals/temperatureC → field-vitals-temperatureC. */
export const fieldId = (pointer: string) => `field${pointer.replace(/\//g, '-')}`

/** The id, label and error of the field at a contract pointer. */
export const fieldAt = (pointer: string, errors: FieldErrors) => ({
    id: fieldId(pointer),
    label: labelOf(pointer),
    error: errors.get(pointer),
})
