// A labelled choice from a short list. Native <select>: type-ahead and arrow keys from the keyboard, the
// phone's own picker on a touch screen, nothing to download.
import { Label } from '@dhis2/ui'
import React from 'react'
import { describedBy, FieldMessage } from './field-message'
import styles from './form-fields.module.css'

interface SelectFieldProps<T extends string> {
    id: string
    label: string
    value: T | ''
    options: { value: T; label: string }[]
    onChange: (value: T | '') => void
    /** The words for "nothing chosen"; without them a choice is always made. */
    emptyLabel?: string
    error?: string | undefined
    help?: string
    required?: boolean
    narrow?: boolean
}

export function SelectField<T extends string>({ id, label, value, options, onChange, emptyLabel, error, help, required, narrow }: SelectFieldProps<T>) {
    return (
        <div className={styles.field}>
            <Label htmlFor={id} required={required}>
                {label}
            </Label>
            <select
                id={id}
                name={id}
                className={`${styles.control} ${narrow ? styles.narrow : ''}`}
                value={value}
                onChange={(event) => onChange(event.target.value as T | '')}
                aria-invalid={error ? true : undefined}
                aria-describedby={describedBy(id, error, help)}
                aria-required={required || undefined}
            >
                {emptyLabel !== undefined && <option value="">{emptyLabel}</option>}
                {options.map((option) => (
                    <option key={option.value} value={option.value}>
                        {option.label}
                    </option>
                ))}
            </select>
            <FieldMessage id={id} error={error} help={help} />
        </div>
    )
}
