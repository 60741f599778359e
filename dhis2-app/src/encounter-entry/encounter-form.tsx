// The encounter form: the visit, the patient, then the sections of the encounter's type. Enter saves;
// the contract checks the whole encounter and each error appears beside its field and in a summary.
import i18n from '@dhis2/d2-i18n'
import { Button } from '@dhis2/ui'
import type { Encounter, FieldError } from '@smc-bridge/contract'
import React, { useState } from 'react'
import { displayName } from '../patients/patient-record'
import { PatientFields } from '../patients/patient-fields'
import { ageUnitLabel, encounterTypeLabel, sexLabel } from '../shared/encounter-labels'
import { placeErrors } from '../shared/field-errors'
import { enterMovesOn } from '../shared/enter-moves-on'
import { offsetDateTime } from '../shared/local-date-time'
import { useFormatters } from '../shared/use-formatters'
import { AncSection } from './anc-section'
import { DeliverySection } from './delivery-section'
import { DiagnosesSection } from './diagnoses-section'
import type { EncounterDraft, EncounterIdentity } from './encounter-draft'
import styles from './encounter-form.module.css'
import { SECTIONS_BY_TYPE, type SectionName } from './encounter-sections'
import { ErrorSummary } from './error-summary'
import { FamilyPlanningSection } from './family-planning-section'
import { ImmunizationSection } from './immunization-section'
import { MalariaSection } from './malaria-section'
import { PostnatalSection } from './postnatal-section'
import { ReferralSection } from './referral-section'
import type { SectionProps } from './section-props'
import { TreatmentsSection } from './treatments-section'
import { checkDraft } from './validate-draft'
import { VisitSection } from './visit-section'
import { VitalsSection } from './vitals-section'

const SECTION_COMPONENTS: { [K in SectionName]: React.ComponentType<SectionProps<K>> } = {
    vitals: VitalsSection,
    diagnoses: DiagnosesSection,
    treatments: TreatmentsSection,
    anc: AncSection,
    delivery: DeliverySection,
    postnatal: PostnatalSection,
    malaria: MalariaSection,
    immunization: ImmunizationSection,
    familyPlanning: FamilyPlanningSection,
    referral: ReferralSection,
}

interface EncounterFormProps {
    initial: EncounterDraft
    identity: EncounterIdentity
    clock: () => Date
    /** Errors from the middleware's refusal, shown until the next check. */
    refusal?: FieldError[]
    onSave: (encounter: Encounter) => Promise<void>
    onCancel: () => void
    /** Open the patient's details at once (a new patient, or details to complete). */
    patientOpen?: boolean
    /** Further actions beside Save (withdraw, discard), given the current draft. */
    renderActions?: (draft: EncounterDraft, check: () => Encounter | undefined) => React.ReactNode
}

export const EncounterForm = ({ initial, identity, clock, refusal, onSave, onCancel, patientOpen = false, renderActions }: EncounterFormProps) => {
    const [draft, setDraft] = useState(initial)
    const [errors, setErrors] = useState<FieldError[]>(refusal ?? [])
    const [attempt, setAttempt] = useState(0)
    const [saving, setSaving] = useState(false)
    const [showPatient, setShowPatient] = useState(patientOpen || errors.some((error) => error.path.startsWith('/patient')))

    const run = (candidate: EncounterDraft, status = identity.status) => {
        const now = clock()
        return checkDraft(candidate, { ...identity, status }, now, offsetDateTime(now))
    }

    const change = (next: EncounterDraft) => {
        setDraft(next)
        if (attempt > 0) {
            // After a first try, errors follow the typing, so each disappears as it is fixed.
            const result = run(next)
            setErrors(result.ok ? [] : result.errors)
        }
    }

    const check = (status?: Encounter['status']): Encounter | undefined => {
        const result = run(draft, status)
        setAttempt((count) => count + 1)
        setErrors(result.ok ? [] : result.errors)
        if (!result.ok && result.errors.some((error) => error.path.startsWith('/patient'))) {
            setShowPatient(true)
        }
        return result.ok ? result.encounter : undefined
    }

    const submit = async (event: React.FormEvent) => {
        event.preventDefault()
        const encounter = check()
        if (encounter) {
            setSaving(true)
            try {
                await onSave(encounter)
            } finally {
                setSaving(false)
            }
        }
    }

    const format = useFormatters()
    const placed = placeErrors(errors, draft.patient.ageKnownAs)
    const { ageKnownAs, ageValue, ageUnit, birthDate } = draft.patient
    const age = ageKnownAs === 'age' ? ageValue && `${ageValue} ${ageUnitLabel(ageUnit)}` : /^\d{4}-\d{2}-\d{2}$/.test(birthDate) ? format.date(birthDate) : ''
    return (
        <form className={styles.form} onSubmit={submit} onKeyDown={enterMovesOn} noValidate aria-label={encounterTypeLabel(draft.type)}>
            {errors.length > 0 && (
                <ErrorSummary
                    errors={errors}
                    ageKnownAs={draft.patient.ageKnownAs}
                    attempt={attempt}
                    title={attempt === 0 ? i18n.t('The SMC bridge refused this encounter; correct it and save again') : i18n.t('Check these fields before saving')}
                />
            )}
            <VisitSection draft={draft} onChange={(visit) => change({ ...draft, ...visit })} errors={placed} autoFocus={attempt === 0 && errors.length === 0} />
            <section className={styles.section} aria-labelledby="patient-title">
                <details open={showPatient} onToggle={(event) => setShowPatient((event.target as HTMLDetailsElement).open)}>
                    <summary id="patient-title" className={styles.summary}>
                        {i18n.t('Patient')} — {displayName({ name: { given: draft.patient.given, family: draft.patient.family } }) || i18n.t('no name')}
                        {draft.patient.sex ? `, ${sexLabel(draft.patient.sex)}` : ''}
                        {age ? `, ${age}` : ''}
                    </summary>
                    {showPatient && <PatientFields value={draft.patient} onChange={(patient) => change({ ...draft, patient })} errors={placed} />}
                </details>
            </section>
            {SECTIONS_BY_TYPE[draft.type].map((name) => {
                const Section = SECTION_COMPONENTS[name] as React.ComponentType<SectionProps<typeof name>>
                return <Section key={name} draft={draft} value={draft[name]} onChange={(value) => change({ ...draft, [name]: value })} errors={placed} />
            })}
            <div className={styles.actions}>
                <Button type="submit" primary disabled={saving}>
                    {i18n.t('Save')}
                </Button>
                <Button secondary onClick={onCancel}>
                    {i18n.t('Cancel')}
                </Button>
                {renderActions?.(draft, () => check('entered-in-error'))}
            </div>
        </form>
    )
}
