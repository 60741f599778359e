import type { FieldError } from '@smc-bridge/contract'
import { NoticeBox } from '@dhis2/ui'
import React, { useEffect, useRef } from 'react'
import { describeMessage } from '../shared/contract-messages'
import { fieldId, fieldOf } from '../shared/field-errors'
import { fieldLabel } from '../shared/field-labels'
import styles from './encounter-form.module.css'

function focusField(id: string): void {
    const target = document.getElementById(id)
    const control = target?.matches('input, select, textarea') ? target : target?.querySelector<HTMLElement>('input, select, textarea, [tabindex]')
    ;(control ?? target)?.focus()
}

interface ErrorSummaryProps {
    errors: FieldError[]
    ageKnownAs: 'birthDate' | 'age'
    title: string
    /** Changes when the health worker tries to save again: the summary takes the focus each time. */
    attempt: number
}

/** All that stops the save, each item leading to its field; it takes the focus so a screen reader reads it. */
export const ErrorSummary = ({ errors, ageKnownAs, title, attempt }: ErrorSummaryProps) => {
    const box = useRef<HTMLDivElement>(null)
    useEffect(() => {
        if (attempt > 0) box.current?.focus()
    }, [attempt])
    return (
        <div ref={box} tabIndex={-1} role="alert" data-test="error-summary">
            <NoticeBox error title={title}>
                <ul className={styles.errorList}>
                    {errors.map(({ path, message }, index) => {
                        const field = fieldOf(path, ageKnownAs)
                        const label = fieldLabel(field)
                        return (
                            <li key={index}>
                                <button type="button" className={styles.linkButton} onClick={() => focusField(fieldId(field))}>
                                    {label ? `${label} — ` : ''}
                                    {describeMessage(message)}
                                </button>
                            </li>
                        )
                    })}
                </ul>
            </NoticeBox>
        </div>
    )
}
