// Every message the shared contract can give has words for a clinician, in English and in French. The
// messages are found by breaking valid encounters of every type, rule by rule and field by field, so a
// new rule or a new field in the contract makes this test fail until the app has a translation for it.
import i18n from '@dhis2/d2-i18n'
import { ENCOUNTER_TYPES, validateEncounter, type Encounter } from '@smc-bridge/contract'
import { ancVisit, encounterOfType } from '../test-utils/fixtures'
import { clinicianWordsFor, TOO_LARGE } from './contract-messages'
import { NOT_A_NUMBER } from './form-values'

const now = new Date()

function messagesOf(candidate: unknown): string[] {
    const result = validateEncounter(candidate, now)
    return result.ok ? [] : result.errors.map((error) => error.message)
}

const change = (encounter: Encounter, edit: (copy: Record<string, any>) => void) => {
    const copy = structuredClone(encounter) as Record<string, any>
    edit(copy)
    return copy
}

/** One breach of each cross-field and clock rule. */
const RULE_BREACHES: [string, unknown][] = [
    ['no facility', change(ancVisit(), (e) => (e.facility = {}))],
    ['before 2000', change(ancVisit(), (e) => (e.occurredAt = '1999-06-01T10:00:00+01:00'))],
    ['in the future', change(ancVisit(), (e) => (e.occurredAt = '2999-06-01T10:00:00+01:00'))],
    ['recorded in the future', change(ancVisit(), (e) => (e.recordedAt = '2999-06-01T10:00:00+01:00'))],
    ['recorded before it happened', change(ancVisit(), (e) => (e.recordedAt = '2001-06-01T10:00:00+01:00'))],
    ['no birth date nor age', change(ancVisit(), (e) => delete e.patient.birthDate)],
    ['both birth date and age', change(ancVisit(), (e) => (e.patient.estimatedAge = { value: 30, unit: 'years' }))],
    ['born after the visit', change(ancVisit(), (e) => (e.patient.birthDate = '2100-01-01'))],
    ['older than 120', change(encounterOfType('consultation'), (e) => (e.patient.birthDate = '1850-01-01'))],
    ['a newborn check of a child', change(encounterOfType('postnatal'), (e) => (e.postnatal.subject = 'newborn'))],
    ['a mother of 8', change(ancVisit(), (e) => (e.patient.birthDate = `${now.getFullYear() - 8}-01-01`))],
    ['a pregnant man', change(ancVisit(), (e) => (e.patient.sex = 'male'))],
    ['family planning for a child of 2', change(encounterOfType('family_planning'), (e) => (e.patient.birthDate = `${now.getFullYear() - 2}-01-01`))],
    ['a missing section', change(ancVisit(), (e) => delete e.anc)],
    ['diastolic above systolic', change(ancVisit(), (e) => (e.vitals.diastolicMmHg = 130))],
    ['a referral to nowhere', change(encounterOfType('referral'), (e) => (e.referral.target = {}))],
    ['a test without suspicion', change(encounterOfType('malaria'), (e) => (e.malaria.suspected = false))],
    ['no identifier', change(ancVisit(), (e) => (e.patient.identifiers = []))],
    ['no outcome', change(encounterOfType('delivery'), (e) => (e.delivery.outcomes = []))],
    ['no dose', change(encounterOfType('immunization'), (e) => (e.immunization.doses = []))],
    ['too many diagnoses', change(encounterOfType('consultation'), (e) => (e.diagnoses = Array.from({ length: 21 }, () => ({ code: 'B54' }))))],
    ['a field the contract does not know', change(ancVisit(), (e) => (e.weight = 61))],
    ['another schema version', change(ancVisit(), (e) => (e.schemaVersion = '2.0'))],
    ['an unreadable input', { get id(): string { throw new Error('unreadable') }, toJSON: () => ({}) }],
]

/** Values that break a field in every way a field can be broken. */
const BAD_VALUES: unknown[] = [undefined, '', ' ', 'x', 'x'.repeat(300), '\u0001', -1, 0, 0.5, 1e9, true, [], {}, '2999-12-31', '1700-01-01', '2026-02-30', '2026-10-02T09:30:00.1234567891+01:00', '2026-10-02T09:30:00+15:00', '2026-10-02T09:30']

function leafPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
    if (Array.isArray(value)) return [path, ...value.flatMap((item, index) => leafPaths(item, [...path, index]))]
    if (value && typeof value === 'object') return [path, ...Object.entries(value).flatMap(([key, item]) => leafPaths(item, [...path, key]))]
    return [path]
}

function setAt(encounter: Encounter, path: (string | number)[], value: unknown): unknown {
    if (path.length === 0) return value
    const copy = structuredClone(encounter) as Record<string | number, any>
    let node = copy
    for (const key of path.slice(0, -1)) node = node[key]
    const last = path[path.length - 1] as string | number
    if (value === undefined) delete node[last]
    else node[last] = value
    return copy
}

function everyContractMessage(): Set<string> {
    const messages = new Set<string>()
    for (const [, candidate] of RULE_BREACHES) messagesOf(candidate).forEach((message) => messages.add(message))
    for (const type of ENCOUNTER_TYPES) {
        const encounter = encounterOfType(type)
        for (const path of leafPaths(encounter)) {
            for (const value of BAD_VALUES) messagesOf(setAt(encounter, path, value)).forEach((message) => messages.add(message))
        }
    }
    return messages
}

const contractMessages = [...everyContractMessage()]
const appMessages = [NOT_A_NUMBER, TOO_LARGE]

test('the sweep reaches the contract’s rules', () => {
    expect(contractMessages.length).toBeGreaterThan(40)
    for (const expected of ['is after the encounter date', 'must be lower than systolicMmHg', 'is in the future; check the device clock', 'above the plausible range 30–45 °C']) {
        expect(contractMessages).toContain(expected)
    }
})

test.each(RULE_BREACHES)('each rule breach gives a message (%s)', (_, candidate) => {
    expect(messagesOf(candidate).length).toBeGreaterThan(0)
})

test('every message the contract gives has words for a clinician', () => {
    const untranslated = contractMessages.filter((message) => clinicianWordsFor(message) === undefined)
    expect(untranslated).toEqual([])
})

test('and those words exist in French', async () => {
    const english = new Map([...contractMessages, ...appMessages].map((message) => [message, clinicianWordsFor(message)]))
    await i18n.changeLanguage('fr')
    const notFrench = [...english].filter(([message, words]) => clinicianWordsFor(message) === words).map(([message]) => message)
    expect(notFrench).toEqual([])
})

test('numbers in messages follow the language', async () => {
    expect(clinicianWordsFor('below the plausible range 0.3–300 kg')).toBe('Too low; expected 0.3–300 kg')
    expect(clinicianWordsFor('below the plausible range 20–250 beats/min')).toBe('Too low; expected 20–250 beats/min')
    await i18n.changeLanguage('fr')
    expect(clinicianWordsFor('below the plausible range 0.3–300 kg')).toBe('Trop bas ; attendu 0,3–300 kg')
    expect(clinicianWordsFor('below the plausible range 20–250 beats/min')).toBe('Trop bas ; attendu 20–250 battements/min')
})
