// The contract's messages in words a health worker can act on, in the user's language. The contract
// (shared with the middleware) says what is wrong in English, for integrators; each of its message
// templates has an entry here. contract-messages.test.ts triggers every rule of the contract and fails on
// a message without an entry, so a new rule cannot reach a clinician untranslated.
import i18n from '@dhis2/d2-i18n'
import { NOT_A_NUMBER } from './form-values'

/** A message the app itself gives, beside the contract's: the middleware refused the encounter as too large. */
export const TOO_LARGE = 'too-large'

const formatNumber = (value: string) => new Intl.NumberFormat(i18n.language || 'en').format(Number(value))

function unitLabel(unit: string): string {
    switch (unit) {
        case 'visits':
            return i18n.t('visits')
        case 'weeks':
            return i18n.t('weeks')
        case 'doses':
            return i18n.t('doses')
        case 'days':
            return i18n.t('days')
        case 'beats/min':
            return i18n.t('beats/min')
        case 'breaths/min':
            return i18n.t('breaths/min')
        default:
            // °C, kg, cm, mmHg, mm, g, g/dL, % and none are the same in every language the app speaks.
            return unit
    }
}

const range = ([min = '', max = '', unit = '']: string[]) => `${formatNumber(min)}–${formatNumber(max)} ${unitLabel(unit)}`.trim()

type Say = (parts: string[]) => string

/** Each contract message template, as a pattern, and what the app says instead. */
const MESSAGES: [RegExp, Say][] = [
    [/^is required$/, () => i18n.t('Required')],
    [/^must not be empty$/, () => i18n.t('Required')],
    [/^at least one identifier is required$/, () => i18n.t('The patient needs an identifier')],
    [/^is required when there is no estimatedAge$/, () => i18n.t('Enter the birth date, or the age if the birth date is not known')],
    [/^give either birthDate \(with birthDateEstimated when unsure\) or estimatedAge, not both$/, () => i18n.t('Enter either the birth date or the age, not both')],
    [/^is after the encounter date$/, () => i18n.t('The birth date is after the date of the visit')],
    [/^implies an age over (\d+) years$/, ([years]) => i18n.t('This makes the patient older than {{years}} years; check the birth date or age', { years })],
    [/^implies a newborn older than (\d+) days$/, ([days]) => i18n.t('A newborn check is for babies up to {{days}} days old; check the birth date', { days })],
    [
        /^implies a maternal age of (-?\d+) years, outside (\d+)–(\d+)$/,
        ([years, min, max]) =>
            i18n.t('This makes the mother {{years}} years old, outside {{min}} to {{max}}; check the birth date or age', { years, min, max }),
    ],
    [
        /^implies a family planning client of (-?\d+) years, under (\d+)$/,
        ([years, min]) => i18n.t('Family planning is for clients of {{min}} years or more; check the birth date or age', { min, years }),
    ],
    [/^must be female for pregnancy, delivery or postnatal care$/, () => i18n.t('Pregnancy, delivery and postnatal care are for female patients; check the sex')],
    [/^is required for an encounter of type "([a-z_]+)"$/, () => i18n.t('This section is required for this type of visit')],
    [/^needs a DHIS2 org unit code or uid$/, () => i18n.t('Choose your facility')],
    [/^needs the code or the name of the facility referred to$/, () => i18n.t('Enter the facility the patient is referred to')],
    [/^must be lower than systolicMmHg$/, () => i18n.t('The diastolic pressure must be lower than the systolic')],
    [/^must be true when a malaria test was done$/, () => i18n.t('A malaria test is only done when malaria is suspected')],
    [/^is before occurredAt$/, () => i18n.t('Recorded before the visit took place; check the date and time')],
    [/^is in the future; check the device clock$/, () => i18n.t('This is in the future; check the date, the time and the device clock')],
    [/^is before (\d{4}-\d{2}-\d{2}); check the device clock$/, () => i18n.t('This date is too far in the past; check the date and the device clock')],
    [/^below the plausible range (-?[\d.]+)–(-?[\d.]+) ?(.*)$/, (parts) => i18n.t('Too low; expected {{- range}}', { range: range(parts) })],
    [/^above the plausible range (-?[\d.]+)–(-?[\d.]+) ?(.*)$/, (parts) => i18n.t('Too high; expected {{- range}}', { range: range(parts) })],
    [/^must be a whole number$/, () => i18n.t('Enter a whole number')],
    [/^must be 1 or more$/, () => i18n.t('Enter 1 or more')],
    [/^must be a calendar date YYYY-MM-DD$/, () => i18n.t('Enter a date')],
    [/^must be a date between the years 1800 and 2999$/, () => i18n.t('Enter a date with a four-digit year')],
    [/^must be an ISO 8601 date-time with seconds and a UTC offset/, () => i18n.t('Enter a date and a time')],
    [/^must have at most 9 fractional digits of a second$/, () => i18n.t('Enter a date and a time')],
    [/^must have a UTC offset between -14:00 and \+14:00$/, () => i18n.t('The device clock has an impossible time zone; check its settings')],
    [/^must be a phone number of 6–20 digits, optionally starting with \+$/, () => i18n.t('Enter a phone number of 6 to 20 digits, with + for a country code')],
    [/^must be an ICD-10 code such as B54 or A09\.0$/, () => i18n.t('Enter an ICD-10 code such as B54 or A09.0')],
    [/^must not contain control characters or invalid Unicode$/, () => i18n.t('Contains characters that cannot be stored; retype it')],
    [/^use letters, digits, "\.", "_" or "-", starting with a letter or digit$/, () => i18n.t('Use only letters, digits, dots, underscores or hyphens, starting with a letter or digit')],
    [/^a delivery has at least one outcome$/, () => i18n.t('Enter the outcome of the birth')],
    [/^at least one dose is required$/, () => i18n.t('Enter at least one vaccine dose')],
    [/^Too big: expected string to have <=(\d+) characters$/, ([max]) => i18n.t('Too long; at most {{max}} characters', { max })],
    [/^Too big: expected array to have <=(\d+) items$/, ([max]) => i18n.t('Too many; at most {{max}}', { max })],
    [/^Invalid option: expected one of /, () => i18n.t('Choose one of the options')],
    [/^could not be checked \(\w+\); correct the values and send it again$/, () => i18n.t('Could not be checked; correct the values and save again')],
    // The parts of the contract no health worker fills in; seen only if the app itself went wrong.
    [/^must be "[\d.]+"$/, () => i18n.t('The app sent an unknown contract version; update the app')],
    [/^use lowercase letters, digits and "-" \(at most 40\)$/, () => i18n.t('The app sent an invalid source; update the app')],
    [/^must be a DHIS2 uid: a letter then 10 letters or digits$/, () => i18n.t('The facility has an invalid DHIS2 id; choose it again')],
    [/^is not a field of the contract$/, () => i18n.t('The app sent a field the contract does not know; update the app')],
    [/^Invalid input: expected \w+, received \w+$/, () => i18n.t('The app sent a value of the wrong kind; update the app')],
    [new RegExp(`^${NOT_A_NUMBER}$`), () => i18n.t('Enter a number, e.g. 36.8')],
    [new RegExp(`^${TOO_LARGE}$`), () => i18n.t('This encounter is too large to send; remove some diagnoses, treatments or doses')],
]

/** What the app says for a contract message, or undefined for a message it has no words for. */
export function clinicianWordsFor(message: string): string | undefined {
    for (const [pattern, say] of MESSAGES) {
        const match = pattern.exec(message)
        if (match) {
            return say(match.slice(1))
        }
    }
    return undefined
}

/** The message to show: the app's words, or the contract's own (English) when it has none. */
export function describeMessage(message: string): string {
    return clinicianWordsFor(message) ?? message
}
