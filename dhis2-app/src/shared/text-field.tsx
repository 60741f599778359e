// A labelled text input. Native, not @dhis2/ui's InputField, because that one can set neither inputMode (a
// numeric keypad on phones) nor aria-invalid / aria-describedby (the error read out with the field).
import { Label } from '@dhis2/ui'
import React from 'react'
import { describedBy, FieldMessage } from './field-message'
import styles from './form-fields.module.css'

export type TextKind = 'text' | 'whole' | 'decimal' | 'date' | 'time' | 'tel' | 'search'

interface TextFieldProps {
    id: string
    label: string
    value: string
    onChange: (value: string) => void
    kind?: TextKind
    error?: string | undefined
    help?: string
    required?: boolean
    narrow?: boolean
    autoFocus?: boolean
    autoComplete?: string
    placeholder?: string
}

const INPUT_MODES: Partial<Record<TextKind, React.HTMLAttributes<HTMLInputElement>['inputMode']>> = {
    whole: 'numeric',
    decimal: 'decimal',
    tel: 'tel',
}

export const TextField = ({ id, label, value, onChange, kind = 'text', error, help, required, narrow, autoFocus, autoComplete = 'off', placeholder }: TextFieldProps) => (
    <div className={styles.field}>
        <Label htmlFor={id} required={required}>
            {label}
        </Label>
        <input
            id={id}
            name={id}
            className={`${styles.control} ${narrow ? styles.narrow : ''}`}
            type={kind === 'date' || kind === 'time' || kind === 'tel' || kind === 'search' ? kind : 'text'}
            inputMode={INPUT_MODES[kind]}
            value={value}
            onChange={(event) => onChange(event.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy(id, error, help)}
            aria-required={required || undefined}
            autoFocus={autoFocus}
            autoComplete={autoComplete}
            placeholder={placeholder}
        />
        <FieldMessage id={id} error={error} help={help} />
    </div>
)
