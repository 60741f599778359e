import i18n from '@dhis2/d2-i18n'
import React from 'react'
import { describeMessage } from '../shared/contract-messages'
import { fieldLabel } from '../shared/field-labels'
import type { OutboxRecord } from './outbox-record'

/** Why the middleware refused an encounter, field by field, in words a clinician can act on. */
export const RefusalReasons = ({ record }: { record: OutboxRecord }) => {
    if (record.state === 'stale') {
        return (
            <p>
                {i18n.t('A newer version ({{version}}) was saved on another device. Open it to enter your changes again on top of it.', {
                    version: record.currentVersion,
                })}
            </p>
        )
    }
    if (record.state !== 'refused') {
        return null
    }
    return (
        <ul aria-label={i18n.t('Why it was refused')}>
            {(record.errors ?? []).map(({ path, message }, index) => {
                const label = fieldLabel(path)
                return (
                    <li key={index}>
                        {label ? <strong>{label}</strong> : null}
                        {label ? ' — ' : ''}
                        {describeMessage(message)}
                    </li>
                )
            })}
        </ul>
    )
}
