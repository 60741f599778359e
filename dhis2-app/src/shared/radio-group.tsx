import { Radio } from '@dhis2/ui'
import React from 'react'
import { FieldMessage } from './field-message'
import styles from './form-fields.module.css'

interface RadioGroupProps<T extends string> {
    id: string
    legend: string
    value: T | ''
    options: { value: T; label: string }[]
    onChange: (value: T) => void
    error?: string | undefined
    required?: boolean
}

/** One choice among a few, all visible: a fieldset whose legend names the question. */
export function RadioGroup<T extends string>({ id, legend, value, options, onChange, error, required }: RadioGroupProps<T>) {
    return (
        <fieldset id={id} className={styles.fieldset} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined}>
            <legend className={styles.legend}>
                {legend}
                {required ? ' *' : ''}
            </legend>
            <div className={styles.options}>
                {options.map((option) => (
                    <Radio
                        key={option.value}
                        name={id}
                        value={option.value}
                        label={option.label}
                        checked={value === option.value}
                        error={Boolean(error)}
                        onChange={() => onChange(option.value)}
                    />
                ))}
            </div>
            <FieldMessage id={id} error={error} />
        </fieldset>
    )
}
