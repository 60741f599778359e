import React from 'react'
import styles from './form-fields.module.css'

/** A field's error and help text, with the ids the control's aria-describedby points at. */
export const FieldMessage = ({ id, error, help }: { id: string; error?: string | undefined; help?: string | undefined }) => (
    <>
        {error && (
            <p id={`${id}-error`} className={styles.error}>
                {error}
            </p>
        )}
        {help && (
            <p id={`${id}-help`} className={styles.help}>
                {help}
            </p>
        )}
    </>
)

export const describedBy = (id: string, error?: string, help?: string) =>
    [error && `${id}-error`, help && `${id}-help`].filter(Boolean).join(' ') || undefined
