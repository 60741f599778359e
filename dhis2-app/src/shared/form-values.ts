// Reading what a form's inputs hold (strings) into the values of the contract.
import type { FieldError } from '@smc-bridge/contract'

/** A number typed with a decimal point or comma; undefined when empty, NaN when not a number. */
export function parseNumber(text: string): number | undefined {
    const trimmed = text.trim().replace(',', '.')
    if (trimmed === '') {
        return undefined
    }
    return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(trimmed) ? Number(trimmed) : Number.NaN
}

/** The message the app gives a number field that holds no number (translated with the contract's). */
export const NOT_A_NUMBER = 'not-a-number'

/** Reads a number field, or records at `path` that it holds no number. */
export function readNumber(
    text: string,
    path: string,
    errors: FieldError[]
): number | undefined {
    const value = parseNumber(text)
    if (value !== undefined && Number.isNaN(value)) {
        errors.push({ path, message: NOT_A_NUMBER })
        return undefined
    }
    return value
}

export const optionalText = (text: string) => (text.trim() === '' ? undefined : text.trim())

/** Drops undefined members, and returns undefined for an object left empty. */
export function compact<T extends Record<string, unknown>>(object: T): Partial<T> | undefined {
    const entries = Object.entries(object).filter(([, value]) => value !== undefined)
    return entries.length === 0 ? undefined : (Object.fromEntries(entries) as Partial<T>)
}
