// Dates and times as the health worker sees them: the device's wall clock, written down with the device's
// UTC offset at that moment (the contract needs an offset; the middleware files the encounter in the
// facility's time zone whatever offset it carries).

const pad = (value: number, length = 2) => String(value).padStart(length, '0')

/** The local calendar date, YYYY-MM-DD. */
export function localDate(at: Date): string {
    return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`
}

/** The local time of day, HH:mm. */
export function localTime(at: Date): string {
    return `${pad(at.getHours())}:${pad(at.getMinutes())}`
}

function offsetOf(at: Date): string {
    const minutesEast = -at.getTimezoneOffset()
    const sign = minutesEast >= 0 ? '+' : '-'
    const absolute = Math.abs(minutesEast)
    return `${sign}${pad(Math.floor(absolute / 60))}:${pad(absolute % 60)}`
}

/** An instant as an ISO 8601 date-time with seconds and the device's offset, e.g. 2026-10-02T09:30:00+01:00. */
export function offsetDateTime(at: Date): string {
    return `${localDate(at)}T${localTime(at)}:${pad(at.getSeconds())}${offsetOf(at)}`
}

/**
 * A wall-clock date and time typed by the user, with the offset the device had then. Undefined when
 * either is not a real date or time (the form then reports the field as missing).
 */
export function wallClockDateTime(date: string, time: string): string | undefined {
    const dateParts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
    const timeParts = /^(\d{2}):(\d{2})$/.exec(time)
    if (!dateParts || !timeParts) {
        return undefined
    }
    const [year, month, day] = dateParts.slice(1).map(Number) as [number, number, number]
    const [hours, minutes] = timeParts.slice(1).map(Number) as [number, number]
    const at = new Date(year, month - 1, day, hours, minutes, 0)
    if (at.getFullYear() !== year || at.getMonth() !== month - 1 || at.getDate() !== day || at.getHours() !== hours) {
        return undefined
    }
    return offsetDateTime(at)
}

/** The date and time an ISO date-time was written with (its own offset, not the device's). */
export function recordedWallClock(isoDateTime: string): { date: string; time: string } {
    return { date: isoDateTime.slice(0, 10), time: isoDateTime.slice(11, 16) }
}

/** Whole days from one calendar date (YYYY-MM-DD) to another. */
export function daysBetween(from: string, to: string): number {
    return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)
}
