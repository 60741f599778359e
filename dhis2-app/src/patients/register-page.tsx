import i18n from '@dhis2/d2-i18n'
import { Button, NoticeBox } from '@dhis2/ui'
import type { FieldError } from '@smc-bridge/contract'
import React, { useState } from 'react'
import { ErrorSummary } from '../encounter-entry/error-summary'
import { useClinic } from '../shared/clinic-context'
import { enterMovesOn } from '../shared/enter-moves-on'
import { placeErrors } from '../shared/field-errors'
import { localDate } from '../shared/local-date-time'
import { useNavigate } from '../shared/navigation'
import { likelySamePatient } from './likely-duplicate'
import { newLocalIdentifier } from './local-identifier'
import { EMPTY_PATIENT_DRAFT } from './patient-draft'
import { PatientFields } from './patient-fields'
import { displayName, type PatientRecord } from './patient-record'
import { registeredPatient } from './patient-updates'
import styles from './patients.module.css'
import { checkRegistration } from './validate-registration'

/** Registers a patient on this device (offline too), with an identifier made here. */
export const RegisterPage = () => {
    const { facility, patients, practiceMode, clock } = useClinic()
    const navigate = useNavigate()
    const [draft, setDraft] = useState(EMPTY_PATIENT_DRAFT)
    const [errors, setErrors] = useState<FieldError[]>([])
    const [attempt, setAttempt] = useState(0)
    const [identifier] = useState(() => (facility ? newLocalIdentifier(facility.code) : undefined))
    // A patient already on the device who looks like the same person, shown before registering a second one.
    const [sameAs, setSameAs] = useState<PatientRecord>()
    if (!facility || !identifier) {
        return null
    }
    const check = (next: typeof draft) => checkRegistration(next, [identifier], { code: facility.code, uid: facility.uid }, clock())

    const register = async (differentPerson: boolean) => {
        const result = check(draft)
        setAttempt((count) => count + 1)
        if (!result.ok) {
            setErrors(result.errors)
            return
        }
        const now = clock()
        const patient = registeredPatient(result.patient, { code: facility.code, uid: facility.uid }, now, localDate(now))
        const same = differentPerson ? undefined : likelySamePatient(await patients.ofFacility(facility.uid), patient)
        if (same) {
            setSameAs(same)
            return
        }
        await patients.put(patient)
        navigate({ page: 'patient', key: patient.key })
    }
    const submit = (event: React.FormEvent) => {
        event.preventDefault()
        void register(false)
    }

    return (
        <form className={styles.page} onSubmit={submit} onKeyDown={enterMovesOn} noValidate aria-labelledby="register-title">
            <h2 id="register-title">{practiceMode ? i18n.t('Register a practice patient') : i18n.t('Register a new patient')}</h2>
            <p className={styles.muted}>{i18n.t('Identifier {{- identifier}}, made on this device', { identifier: identifier.value })}</p>
            {errors.length > 0 && <ErrorSummary errors={errors} ageKnownAs={draft.ageKnownAs} attempt={attempt} title={i18n.t('Check these fields before saving')} />}
            {sameAs && (
                <NoticeBox warning title={i18n.t('This patient may already be on this device')}>
                    <p>{i18n.t('{{- name}}, with the same birth date or phone, is already registered here. Registering again would split their visits between two records.', { name: displayName(sameAs) })}</p>
                    <div className={styles.actions}>
                        <Button primary onClick={() => navigate({ page: 'patient', key: sameAs.key })}>
                            {i18n.t('Open {{- name}}', { name: displayName(sameAs) })}
                        </Button>
                        <Button secondary onClick={() => void register(true)}>
                            {i18n.t('Register a different person')}
                        </Button>
                    </div>
                </NoticeBox>
            )}
            {practiceMode && <NoticeBox title={i18n.t('Practice patient')}>{i18n.t('This patient exists only in practice mode and never appears among real patients.')}</NoticeBox>}
            <PatientFields
                value={draft}
                autoFocus
                errors={placeErrors(errors, draft.ageKnownAs)}
                onChange={(next) => {
                    setDraft(next)
                    if (attempt > 0) {
                        const result = check(next)
                        setErrors(result.ok ? [] : result.errors)
                    }
                }}
            />
            <div className={styles.actions}>
                <Button type="submit" primary>
                    {i18n.t('Register')}
                </Button>
                <Button secondary onClick={() => navigate({ page: 'patients' })}>
                    {i18n.t('Cancel')}
                </Button>
            </div>
        </form>
    )
}
