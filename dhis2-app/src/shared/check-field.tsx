import { Checkbox } from '@dhis2/ui'
import React from 'react'
import { FieldMessage } from './field-message'
import styles from './form-fields.module.css'

interface CheckFieldProps {
    id: string
    label: string
    checked: boolean
    onChange: (checked: boolean) => void
    error?: string | undefined
}

/** A labelled yes/no box (@dhis2/ui's Checkbox, whose label wraps the input). */
export const CheckField = ({ id, label, checked, onChange, error }: CheckFieldProps) => (
    <div id={id} className={styles.field}>
        <Checkbox name={id} label={label} checked={checked} error={Boolean(error)} onChange={({ checked: next }) => onChange(next)} />
        <FieldMessage id={id} error={error} />
    </div>
)
