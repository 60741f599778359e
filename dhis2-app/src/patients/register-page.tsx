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
import { newLocalIdentifier } from './local-identifier'
import { EMPTY_PATIENT_DRAFT } from './patient-draft'
import { PatientFields } from './patient-fields'
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
    if (!facility || !identifier) {
        return null
    }
    const check = (next: typeof draft) => checkRegistration(next, [identifier], { code: facility.code, uid: facility.uid }, clock())

    const submit = async (event: React.FormEvent) => {
        event.preventDefault()
        const result = check(draft)
        setAttempt((count) => count + 1)
        if (!result.ok) {
            setErrors(result.errors)
            return
        }
        const now = clock()
        const patient = registeredPatient(result.patient, { code: facility.code, uid: facility.uid }, now, localDate(now))
        await patients.put(patient)
        navigate({ page: 'patient', key: patient.key })
    }

    return (
        <form className={styles.page} onSubmit={submit} onKeyDown={enterMovesOn} noValidate aria-labelledby="register-title">
            <h2 id="register-title">{practiceMode ? i18n.t('Register a practice patient') : i18n.t('Register a new patient')}</h2>
            <p className={styles.muted}>{i18n.t('Identifier {{- identifier}}, made on this device', { identifier: identifier.value })}</p>
            {errors.length > 0 && <ErrorSummary errors={errors} ageKnownAs={draft.ageKnownAs} attempt={attempt} title={i18n.t('Check these fields before saving')} />}
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
