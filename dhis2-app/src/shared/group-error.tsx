import React from 'react'
import { FieldMessage } from './field-message'

/** An error about a group of fields (no dose entered, no outcome): focusable, so the summary can lead to it. */
export const GroupError = ({ id, error }: { id: string; error?: string | undefined }) =>
    error ? (
        <div id={id} tabIndex={-1}>
            <FieldMessage id={id} error={error} />
        </div>
    ) : null
