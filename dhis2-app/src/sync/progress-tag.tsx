import { Tag } from '@dhis2/ui'
import React from 'react'
import type { OutboxRecord } from './outbox-record'
import { progressLabel, progressOf, progressTone } from './encounter-progress'

export const ProgressTag = ({ record }: { record: OutboxRecord }) => {
    const progress = progressOf(record)
    const tone = progressTone(progress)
    return (
        <Tag positive={tone === 'positive'} negative={tone === 'negative'} neutral={tone === 'neutral'} dataTest={`progress-${progress}`}>
            {progressLabel(progress)}
        </Tag>
    )
}
