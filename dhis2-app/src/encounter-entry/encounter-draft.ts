// An encounter as the form holds it (strings, as typed) and the contract's encounter made from it. The
// app only parses here; whether the result is a valid encounter is for the contract to say.
import type { Encounter, EncounterType, FieldError, Patient } from '@smc-bridge/contract'
import { patientCandidate, type PatientDraft } from '../patients/patient-draft'
import { compact, optionalText as optional, readNumber } from '../shared/form-values'
import { localDate, localTime, recordedWallClock, wallClockDateTime } from '../shared/local-date-time'
import { SOURCE } from '../shared/smc-bridge-api'
import { commonDiagnoses } from './common-diagnoses'
import { SECTIONS_BY_TYPE, VITALS_BY_TYPE, type VitalKey } from './encounter-sections'
import type {
    BirthOutcome,
    DeliveryMode,
    DeliveryPlace,
    FpMethod,
    MalariaTreatment,
    NewbornSex,
    PostnatalSubject,
    Role,
    TestMethod,
    TestResult,
    Treatment,
    Urgency,
    Vaccine,
} from './option-labels'

export interface DiagnosisDraft {
    /** A common diagnosis' code, 'other' (then `code` is typed), or '' for none chosen yet. */
    choice: string
    code: string
    text: string
}

export interface EncounterDraft {
    type: EncounterType
    date: string
    time: string
    practitionerName: string
    practitionerRole: Role | ''
    patient: PatientDraft
    vitals: Record<VitalKey, string>
    diagnoses: DiagnosisDraft[]
    treatments: Treatment[]
    anc: { visitNumber: string; gestationalAgeWeeks: string; iptpDose: string; hemoglobinGdl: string; llinGiven: boolean }
    delivery: {
        mode: DeliveryMode | ''
        place: DeliveryPlace | ''
        gestationalAgeWeeks: string
        outcomes: { outcome: BirthOutcome | ''; sex: NewbornSex | ''; birthWeightGrams: string }[]
    }
    postnatal: { daysAfterDelivery: string; subject: PostnatalSubject | '' }
    malaria: {
        suspected: boolean
        testMethod: TestMethod | ''
        testResult: TestResult | ''
        severe: boolean
        treatment: MalariaTreatment | ''
    }
    immunization: { doses: { vaccine: Vaccine | ''; doseNumber: string }[]; pregnant: boolean }
    familyPlanning: { method: FpMethod | ''; newUser: 'yes' | 'no' | '' }
    referral: { targetCode: string; targetName: string; urgency: Urgency | ''; reason: string }
}

/** Everything about the encounter that the health worker does not type. */
export interface EncounterIdentity {
    id: string
    version: number
    facility: Encounter['facility']
    identifiers: Patient['identifiers']
    status: Encounter['status']
    training: boolean
}

const NO_VITALS = Object.fromEntries(VITALS_BY_TYPE.consultation.map((key) => [key, ''])) as Record<VitalKey, string>

export const emptyOutcome = (): EncounterDraft['delivery']['outcomes'][number] => ({ outcome: '', sex: '', birthWeightGrams: '' })
export const emptyDose = (): EncounterDraft['immunization']['doses'][number] => ({ vaccine: '', doseNumber: '' })
export const emptyDiagnosis = (): DiagnosisDraft => ({ choice: '', code: '', text: '' })

export interface DraftDefaults {
    now: Date
    patient: PatientDraft
    practitioner?: Encounter['practitioner']
    /** The visit number this antenatal visit most likely is. */
    ancVisitNumber?: number
}

export function newDraft(type: EncounterType, { now, patient, practitioner, ancVisitNumber }: DraftDefaults): EncounterDraft {
    return {
        type,
        date: localDate(now),
        time: localTime(now),
        practitionerName: practitioner?.name ?? '',
        practitionerRole: practitioner?.role ?? '',
        patient,
        vitals: { ...NO_VITALS },
        diagnoses: [emptyDiagnosis()],
        treatments: [],
        anc: { visitNumber: ancVisitNumber ? String(ancVisitNumber) : '', gestationalAgeWeeks: '', iptpDose: '', hemoglobinGdl: '', llinGiven: false },
        delivery: { mode: '', place: 'facility', gestationalAgeWeeks: '', outcomes: [emptyOutcome()] },
        postnatal: { daysAfterDelivery: '', subject: 'mother' },
        malaria: { suspected: true, testMethod: 'rdt', testResult: '', severe: false, treatment: '' },
        immunization: { doses: [emptyDose()], pregnant: false },
        familyPlanning: { method: '', newUser: '' },
        referral: { targetCode: '', targetName: '', urgency: '', reason: '' },
    }
}

/** The form's values for a past encounter, to change it (a new version) or withdraw it; numbers are
 * written with the decimal separator of the user's language. */
export function draftOfEncounter(encounter: Encounter, patient: PatientDraft, decimalSeparator = '.'): EncounterDraft {
    const text = (value: string | number | undefined) => (value === undefined ? '' : String(value).replace('.', decimalSeparator))
    const { date, time } = recordedWallClock(encounter.occurredAt)
    const draft = newDraft(encounter.type, { now: new Date(), patient, practitioner: encounter.practitioner })
    const common = new Set(commonDiagnoses().map((diagnosis) => diagnosis.code))
    const { vitals, anc, delivery, postnatal, malaria, immunization, familyPlanning, referral } = encounter
    return {
        ...draft,
        date,
        time,
        vitals: { ...draft.vitals, ...Object.fromEntries(Object.entries(vitals ?? {}).map(([key, value]) => [key, text(value)])) },
        diagnoses: encounter.diagnoses?.length
            ? encounter.diagnoses.map(({ code, text: note }) => ({ choice: common.has(code) ? code : 'other', code: common.has(code) ? '' : code, text: note ?? '' }))
            : draft.diagnoses,
        treatments: encounter.treatments ?? [],
        anc: anc
            ? {
                  visitNumber: text(anc.visitNumber),
                  gestationalAgeWeeks: text(anc.gestationalAgeWeeks),
                  iptpDose: text(anc.iptpDose),
                  hemoglobinGdl: text(anc.hemoglobinGdl),
                  llinGiven: anc.llinGiven ?? false,
              }
            : draft.anc,
        delivery: delivery
            ? {
                  mode: delivery.mode,
                  place: delivery.place,
                  gestationalAgeWeeks: text(delivery.gestationalAgeWeeks),
                  outcomes: delivery.outcomes.map((outcome) => ({ outcome: outcome.outcome, sex: outcome.sex ?? '', birthWeightGrams: text(outcome.birthWeightGrams) })),
              }
            : draft.delivery,
        postnatal: postnatal ? { daysAfterDelivery: text(postnatal.daysAfterDelivery), subject: postnatal.subject ?? '' } : draft.postnatal,
        malaria: malaria
            ? {
                  suspected: malaria.suspected,
                  testMethod: malaria.test?.method ?? '',
                  testResult: malaria.test?.result ?? '',
                  severe: malaria.severe ?? false,
                  treatment: malaria.treatment ?? '',
              }
            : draft.malaria,
        immunization: immunization
            ? { doses: immunization.doses.map((dose) => ({ vaccine: dose.vaccine, doseNumber: text(dose.doseNumber) })), pregnant: immunization.pregnant ?? false }
            : draft.immunization,
        familyPlanning: familyPlanning ? { method: familyPlanning.method, newUser: familyPlanning.newUser ? 'yes' : 'no' } : draft.familyPlanning,
        referral: referral
            ? { targetCode: referral.target.code ?? '', targetName: referral.target.name ?? '', urgency: referral.urgency, reason: referral.reason ?? '' }
            : draft.referral,
    }
}

/** Each section of the contract, from the form; undefined when the health worker entered nothing in it. */
function sectionCandidate(draft: EncounterDraft, section: (typeof SECTIONS_BY_TYPE)[EncounterType][number], errors: FieldError[]): unknown {
    const number = (value: string, path: string) => readNumber(value, path, errors)
    switch (section) {
        case 'vitals':
            return compact(Object.fromEntries(VITALS_BY_TYPE[draft.type].map((key) => [key, number(draft.vitals[key], `/vitals/${key}`)])))
        case 'diagnoses': {
            const diagnoses = draft.diagnoses
                .map(({ choice, code, text: note }) => compact({ code: choice === 'other' ? optional(code)?.toUpperCase() : optional(choice), text: optional(note) }))
                .filter((diagnosis) => diagnosis !== undefined)
            return diagnoses.length > 0 ? diagnoses : undefined
        }
        case 'treatments':
            return draft.treatments.length > 0 ? draft.treatments : undefined
        case 'anc': {
            const { visitNumber, gestationalAgeWeeks, iptpDose, hemoglobinGdl, llinGiven } = draft.anc
            return (
                compact({
                    visitNumber: number(visitNumber, '/anc/visitNumber'),
                    gestationalAgeWeeks: number(gestationalAgeWeeks, '/anc/gestationalAgeWeeks'),
                    iptpDose: number(iptpDose, '/anc/iptpDose'),
                    hemoglobinGdl: number(hemoglobinGdl, '/anc/hemoglobinGdl'),
                    llinGiven: llinGiven || undefined,
                }) ?? {}
            )
        }
        case 'delivery': {
            const { mode, place, gestationalAgeWeeks, outcomes } = draft.delivery
            return compact({
                mode: mode || undefined,
                place: place || undefined,
                gestationalAgeWeeks: number(gestationalAgeWeeks, '/delivery/gestationalAgeWeeks'),
                outcomes: outcomes
                    .map((outcome, index) =>
                        compact({
                            outcome: outcome.outcome || undefined,
                            sex: outcome.sex || undefined,
                            birthWeightGrams: number(outcome.birthWeightGrams, `/delivery/outcomes/${index}/birthWeightGrams`),
                        })
                    )
                    .map((outcome) => outcome ?? {}),
            })
        }
        case 'postnatal':
            return (
                compact({
                    daysAfterDelivery: number(draft.postnatal.daysAfterDelivery, '/postnatal/daysAfterDelivery'),
                    subject: draft.postnatal.subject || undefined,
                }) ?? {}
            )
        case 'malaria': {
            const { suspected, testMethod, testResult, severe, treatment } = draft.malaria
            const tested = testMethod !== '' || testResult !== ''
            return compact({
                suspected,
                test: tested ? compact({ method: testMethod || undefined, result: testResult || undefined }) : undefined,
                severe: severe || undefined,
                treatment: treatment || undefined,
            })
        }
        case 'immunization': {
            const doses = draft.immunization.doses
                .map((dose, index) => compact({ vaccine: dose.vaccine || undefined, doseNumber: number(dose.doseNumber, `/immunization/doses/${index}/doseNumber`) }))
                .filter((dose) => dose !== undefined)
            const givesTd = draft.immunization.doses.some((dose) => dose.vaccine === 'td')
            return { doses, ...(givesTd && draft.immunization.pregnant ? { pregnant: true } : {}) }
        }
        case 'familyPlanning': {
            const { method, newUser } = draft.familyPlanning
            return compact({ method: method || undefined, newUser: newUser === '' ? undefined : newUser === 'yes' }) ?? {}
        }
        case 'referral': {
            const { targetCode, targetName, urgency, reason } = draft.referral
            return compact({
                target: compact({ code: optional(targetCode), name: optional(targetName) }) ?? {},
                urgency: urgency || undefined,
                reason: optional(reason),
            })
        }
    }
}

/**
 * The candidate encounter for the contract to judge, and the fields that hold no number. Only the sections
 * of the encounter's type are included, so nothing entered and then hidden is ever sent.
 */
export function encounterCandidate(
    draft: EncounterDraft,
    identity: EncounterIdentity,
    recordedAt: string
): { candidate: Record<string, unknown>; inputErrors: FieldError[] } {
    const inputErrors: FieldError[] = []
    const sections = Object.fromEntries(SECTIONS_BY_TYPE[draft.type].map((section) => [section, sectionCandidate(draft, section, inputErrors)]))
    const candidate = compact({
        schemaVersion: '1.0',
        id: identity.id,
        version: identity.version,
        source: SOURCE,
        facility: identity.facility,
        occurredAt: wallClockDateTime(draft.date, draft.time),
        recordedAt,
        type: draft.type,
        status: identity.status,
        training: identity.training || undefined,
        patient: patientCandidate(draft.patient, identity.identifiers, inputErrors),
        practitioner: compact({ name: optional(draft.practitionerName), role: draft.practitionerRole || undefined }),
        ...sections,
    }) as Record<string, unknown>
    return { candidate, inputErrors }
}
