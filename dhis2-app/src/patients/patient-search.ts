// Patient search as a health worker types: by name (accents and case ignored, so "ngono" finds "NGONO" and
// "Ngôno"; each word typed is the start of a word of the name), by phone (digits only, spaces ignored) or by
// identifier. Every word of the query must match something.
import { displayName, type PatientRecord } from './patient-record'

export function foldForSearch(text: string): string {
    return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
}

const wordsOf = (text: string) => foldForSearch(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean)

// An apostrophe joins a name as often as it splits it: "N'Dri" is typed "ndri" as well as "n dri".
const APOSTROPHES = /['\u2019\u02bc`]/gu

/** The words of a name: each part, and each word with its apostrophes dropped (N'Dri: n, dri, ndri). */
const nameWordsOf = (text: string) => {
    const joined = foldForSearch(text)
        .split(/[^\p{L}\p{N}'\u2019\u02bc`]+/u)
        .map((word) => word.replace(APOSTROPHES, ''))
        .filter(Boolean)
    return [...new Set([...wordsOf(text), ...joined])]
}

function tokenMatches(token: string, patient: PatientRecord, nameWords: string[]): boolean {
    if (nameWords.some((word) => word.startsWith(token))) {
        return true
    }
    if (/^\d{3,}$/.test(token) && (patient.phone ?? '').replace(/\D/g, '').includes(token)) {
        return true
    }
    return patient.identifiers.some(({ value }) => foldForSearch(value).includes(token))
}

/** A query that is a number as people write phone numbers: "677 12 34", "+237-677". */
const phoneDigits = (query: string) => (/^[\d\s+\-().]+$/.test(query) ? query.replace(/\D/g, '') : '')

export function matchesQuery(patient: PatientRecord, query: string): boolean {
    const digits = phoneDigits(query.trim())
    if (digits.length >= 3 && (patient.phone ?? '').replace(/\D/g, '').includes(digits)) {
        return true
    }
    const tokens = wordsOf(query)
    if (tokens.length === 0) {
        return false
    }
    const nameWords = nameWordsOf(displayName(patient))
    return tokens.every((token) => tokenMatches(token, patient, nameWords))
}

const lastSeen = (patient: PatientRecord) => Date.parse(patient.lastEncounterAt ?? '') || 0

/** Most recently seen first; an empty query lists the most recent patients. */
export function searchPatients(patients: PatientRecord[], query: string, limit = 50): PatientRecord[] {
    const found = query.trim() === '' ? patients : patients.filter((patient) => matchesQuery(patient, query))
    return [...found]
        .sort((a, b) => lastSeen(b) - lastSeen(a) || displayName(a).localeCompare(displayName(b)))
        .slice(0, limit)
}
