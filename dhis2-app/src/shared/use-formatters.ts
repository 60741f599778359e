// Dates and numbers in the user's language. Dates of encounters are shown as they were recorded there
// (the wall clock of the facility), not converted to the zone of whoever reads them.
import i18n from '@dhis2/d2-i18n'
import { useMemo } from 'react'

export interface Formatters {
    date: (isoDateOrDateTime: string) => string
    dateTime: (isoDateTime: string) => string
    /** An instant (e.g. the last sync), in the device's zone. */
    instant: (isoInstant: string) => string
    number: (value: number) => string
}

export function formattersFor(language: string): Formatters {
    const locale = language.replace('_', '-') || 'en'
    const wallDate = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' })
    const wallDateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })
    const instant = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })
    const number = new Intl.NumberFormat(locale)
    // The date and time as written in the string, whatever its offset.
    const asWallClock = (iso: string) => new Date(`${iso.slice(0, 16)}:00Z`)
    return {
        date: (iso) => wallDate.format(new Date(`${iso.slice(0, 10)}T00:00:00Z`)),
        dateTime: (iso) => (iso.length > 10 ? wallDateTime.format(asWallClock(iso)) : wallDate.format(new Date(`${iso}T00:00:00Z`))),
        instant: (iso) => instant.format(new Date(iso)),
        number: (value) => number.format(value),
    }
}

export function useFormatters(): Formatters {
    const language = i18n.language
    return useMemo(() => formattersFor(language ?? 'en'), [language])
}
