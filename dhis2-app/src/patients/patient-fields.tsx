// The patient's details, for a registration and inside every encounter (whose patient part the contract
// checks with the rest of it).
import i18n from '@dhis2/d2-i18n'
import React from 'react'
import { ageUnitLabel, sexLabel } from '../shared/encounter-labels'
import { fieldAt, type FieldErrors } from '../shared/field-errors'
import { CheckField } from '../shared/check-field'
import { RadioGroup } from '../shared/radio-group'
import { SelectField } from '../shared/select-field'
import { TextField } from '../shared/text-field'
import type { AgeUnit, PatientDraft } from './patient-draft'
import styles from './patients.module.css'

interface PatientFieldsProps {
    value: PatientDraft
    onChange: (value: PatientDraft) => void
    errors: FieldErrors
    autoFocus?: boolean
}

const SEXES = ['female', 'male', 'other', 'unknown'] as const
const AGE_UNITS: AgeUnit[] = ['years', 'months', 'weeks', 'days']

export const PatientFields = ({ value, onChange, errors, autoFocus }: PatientFieldsProps) => {
    const set = (change: Partial<PatientDraft>) => onChange({ ...value, ...change })
    return (
        <div className={styles.fields}>
            <TextField {...fieldAt('/patient/name/given', errors)} value={value.given} onChange={(given) => set({ given })} autoFocus={autoFocus} />
            <TextField {...fieldAt('/patient/name/family', errors)} value={value.family} onChange={(family) => set({ family })} />
            <RadioGroup
                {...fieldAt('/patient/sex', errors)}
                legend={fieldAt('/patient/sex', errors).label}
                required
                value={value.sex}
                options={SEXES.map((sex) => ({ value: sex, label: sexLabel(sex) }))}
                onChange={(sex) => set({ sex })}
            />
            <RadioGroup
                id="field-patient-ageKnownAs"
                legend={i18n.t('Is the birth date known?')}
                value={value.ageKnownAs}
                options={[
                    { value: 'birthDate', label: i18n.t('Yes, the birth date') },
                    { value: 'age', label: i18n.t('No, only the age') },
                ]}
                onChange={(ageKnownAs) => set({ ageKnownAs })}
            />
            {value.ageKnownAs === 'birthDate' ? (
                <>
                    <TextField {...fieldAt('/patient/birthDate', errors)} kind="date" required value={value.birthDate} onChange={(birthDate) => set({ birthDate })} />
                    <CheckField
                        {...fieldAt('/patient/birthDateEstimated', errors)}
                        checked={value.birthDateEstimated}
                        onChange={(birthDateEstimated) => set({ birthDateEstimated })}
                    />
                </>
            ) : (
                <>
                    <TextField {...fieldAt('/patient/estimatedAge/value', errors)} kind="whole" narrow required value={value.ageValue} onChange={(ageValue) => set({ ageValue })} />
                    <SelectField
                        {...fieldAt('/patient/estimatedAge/unit', errors)}
                        narrow
                        value={value.ageUnit}
                        options={AGE_UNITS.map((unit) => ({ value: unit, label: ageUnitLabel(unit) }))}
                        onChange={(ageUnit) => set({ ageUnit: ageUnit || 'years' })}
                    />
                </>
            )}
            <TextField {...fieldAt('/patient/phone', errors)} kind="tel" value={value.phone} onChange={(phone) => set({ phone })} />
            <TextField {...fieldAt('/patient/village', errors)} value={value.village} onChange={(village) => set({ village })} />
            <TextField {...fieldAt('/patient/coverage/scheme', errors)} value={value.coverageScheme} onChange={(coverageScheme) => set({ coverageScheme })} />
            <TextField {...fieldAt('/patient/coverage/memberId', errors)} value={value.coverageMemberId} onChange={(coverageMemberId) => set({ coverageMemberId })} />
            <TextField
                {...fieldAt('/patient/coverage/validUntil', errors)}
                kind="date"
                value={value.coverageValidUntil}
                onChange={(coverageValidUntil) => set({ coverageValidUntil })}
            />
        </div>
    )
}
