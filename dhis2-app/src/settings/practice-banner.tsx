import i18n from '@dhis2/d2-i18n'
import { Button } from '@dhis2/ui'
import React from 'react'
import { useClinic } from '../shared/clinic-context'
import styles from './settings.module.css'

/** On every screen while practising: what it means, and the one click out of it. */
export const PracticeBanner = () => {
    const { practiceMode, updateDevice } = useClinic()
    if (!practiceMode) {
        return null
    }
    return (
        <div className={styles.practiceBanner} role="region" aria-label={i18n.t('Practice mode')} data-test="practice-banner">
            <strong>{i18n.t('Practice mode — nothing here counts')}</strong>
            <Button small onClick={() => updateDevice({ practiceMode: false })}>
                {i18n.t('Leave practice mode')}
            </Button>
        </div>
    )
}
