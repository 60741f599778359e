// Settings: practice mode, the facility and the remembered practitioner (this device), and the sync
// settings every device of the deployment shares (DHIS2 dataStore smc-clinic/settings).
import i18n from '@dhis2/d2-i18n'
import { Button, NoticeBox, SwitchField } from '@dhis2/ui'
import React, { useState } from 'react'
import { useClinic } from '../shared/clinic-context'
import { TextField } from '../shared/text-field'
import { FacilityPicker } from './facility-picker'
import { SETTING_LIMITS, type SharedSettings } from './shared-settings'
import styles from './settings.module.css'

const sharedLabel = (key: keyof SharedSettings): string => {
    switch (key) {
        case 'batchSize':
            return i18n.t('Encounters sent per request')
        case 'syncIntervalSeconds':
            return i18n.t('Seconds between sends')
        case 'maxBackoffSeconds':
            return i18n.t('Longest wait after failures (seconds)')
        case 'statusPollSeconds':
            return i18n.t('Seconds between checks of sent encounters')
        case 'patientRefreshMinutes':
            return i18n.t('Minutes between patient list updates')
    }
}

const SharedSettingsForm = () => {
    const { shared, saveShared } = useClinic()
    const [values, setValues] = useState(() => Object.fromEntries(Object.entries(shared).map(([key, value]) => [key, String(value)])) as Record<keyof SharedSettings, string>)
    const [outcome, setOutcome] = useState<'saved' | 'invalid' | 'failed'>()
    const submit = async (event: React.FormEvent) => {
        event.preventDefault()
        const parsed = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, Number(value)])) as unknown as SharedSettings
        const valid = (Object.keys(SETTING_LIMITS) as (keyof SharedSettings)[]).every((key) => {
            const value = parsed[key]
            return Number.isInteger(value) && value >= SETTING_LIMITS[key].min && value <= SETTING_LIMITS[key].max
        })
        if (!valid) {
            setOutcome('invalid')
            return
        }
        try {
            await saveShared(parsed)
            setOutcome('saved')
        } catch {
            setOutcome('failed')
        }
    }
    return (
        <form className={styles.group} onSubmit={submit} aria-labelledby="shared-settings-title">
            <h3 id="shared-settings-title">{i18n.t('Sync settings for every device')}</h3>
            <div className={styles.fields}>
                {(Object.keys(SETTING_LIMITS) as (keyof SharedSettings)[]).map((key) => (
                    <TextField
                        key={key}
                        id={`setting-${key}`}
                        kind="whole"
                        label={sharedLabel(key)}
                        help={i18n.t('From {{min}} to {{max}}', { min: SETTING_LIMITS[key].min, max: SETTING_LIMITS[key].max })}
                        value={values[key]}
                        onChange={(value) => setValues({ ...values, [key]: value })}
                    />
                ))}
            </div>
            {outcome === 'saved' && <NoticeBox valid>{i18n.t('Saved for every device.')}</NoticeBox>}
            {outcome === 'invalid' && <NoticeBox error>{i18n.t('Each value must be a whole number within its range.')}</NoticeBox>}
            {outcome === 'failed' && <NoticeBox error>{i18n.t('Could not save. You may not change these settings, or DHIS2 cannot be reached.')}</NoticeBox>}
            <div>
                <Button type="submit">{i18n.t('Save for every device')}</Button>
            </div>
        </form>
    )
}

export const SettingsPage = () => {
    const { practiceMode, device, updateDevice, session } = useClinic()
    return (
        <div className={styles.page}>
            <h2>{i18n.t('Settings')}</h2>
            <section className={styles.group} aria-labelledby="practice-title">
                <h3 id="practice-title">{i18n.t('Practice mode')}</h3>
                <p>{i18n.t('Practice mode is for training. Encounters entered in it are marked as practice and never counted, and practice patients stay apart from real ones.')}</p>
                <SwitchField
                    name="practice-mode"
                    label={i18n.t('Practice mode')}
                    checked={practiceMode}
                    onChange={({ checked }) => updateDevice({ practiceMode: checked })}
                />
            </section>
            {session.facilities.length > 1 && (
                <section className={styles.group} aria-labelledby="facility-title">
                    <h3 id="facility-title">{i18n.t('Facility')}</h3>
                    <FacilityPicker id="settings-facility" />
                </section>
            )}
            <section className={styles.group} aria-labelledby="practitioner-title">
                <h3 id="practitioner-title">{i18n.t('Practitioner')}</h3>
                <p>
                    {device.lastPractitioner?.name
                        ? i18n.t('New encounters start with {{- name}} as the practitioner.', { name: device.lastPractitioner.name })
                        : i18n.t('New encounters start with the practitioner of the last encounter saved.')}
                </p>
                {device.lastPractitioner && (
                    <div>
                        <Button small onClick={() => updateDevice({ lastPractitioner: undefined })}>
                            {i18n.t('Forget the practitioner')}
                        </Button>
                    </div>
                )}
            </section>
            <SharedSettingsForm />
        </div>
    )
}
