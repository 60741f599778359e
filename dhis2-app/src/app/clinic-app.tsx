// The app inside the providers: the practice banner, the navigation, the facility, and the current screen.
import { useSetOnlineStatusMessage } from '@dhis2/app-runtime'
import i18n from '@dhis2/d2-i18n'
import { NoticeBox } from '@dhis2/ui'
import React, { useEffect } from 'react'
import { ExistingEncounterPage, NewEncounterPage } from '../encounter-entry/encounter-page'
import { PatientPage } from '../patients/patient-page'
import { PatientsPage } from '../patients/patients-page'
import { RegisterPage } from '../patients/register-page'
import { useClinic } from '../shared/clinic-context'
import { NavigationContext } from '../shared/navigation'
import { hrefOf, type Route } from '../shared/routes'
import { FacilityPicker } from '../settings/facility-picker'
import { PracticeBanner } from '../settings/practice-banner'
import { SettingsPage } from '../settings/settings-page'
import { OutboxPage } from '../sync/outbox-page'
import { useOutboxRecords } from '../sync/use-outbox-records'
import styles from './app.module.css'
import { useHashRoute } from './use-hash-route'

const Screen = ({ route }: { route: Route }) => {
    switch (route.page) {
        case 'patients':
            return <PatientsPage />
        case 'register':
            return <RegisterPage />
        case 'patient':
            return <PatientPage patientKey={route.key} saved={route.saved} />
        case 'new-encounter':
            return <NewEncounterPage key={`${route.patientKey}|${route.type}`} patientKey={route.patientKey} type={route.type} />
        case 'encounter':
            return <ExistingEncounterPage key={route.id} id={route.id} />
        case 'outbox':
            return <OutboxPage />
        case 'settings':
            return <SettingsPage />
    }
}

/** The number of encounters that wait, next to the header bar's online badge and on the Outbox link. */
function useWaitingCount(): number {
    const records = useOutboxRecords() ?? []
    const waiting = records.filter((record) => record.state === 'pending' || record.state === 'sending').length
    const setStatusMessage = useSetOnlineStatusMessage()
    useEffect(() => {
        setStatusMessage(waiting > 0 ? i18n.t('{{count}} waiting to be sent', { count: waiting }) : undefined)
    }, [waiting, setStatusMessage])
    return waiting
}

export const ClinicApp = () => {
    const { session, facility, practiceMode, offlineStart } = useClinic()
    const [route, navigate] = useHashRoute()
    const waiting = useWaitingCount()
    const section = route.page === 'outbox' ? 'outbox' : route.page === 'settings' ? 'settings' : 'patients'
    const link = (target: Route, name: typeof section, label: string) => (
        <a className={styles.navLink} href={hrefOf(target)} aria-current={section === name ? 'page' : undefined}>
            {label}
        </a>
    )
    const needsFacility = !facility && route.page !== 'settings' && route.page !== 'outbox'
    return (
        <NavigationContext.Provider value={navigate}>
            <div className={`${styles.shell} ${practiceMode ? styles.practice : ''}`}>
                <PracticeBanner />
                <header className={styles.bar}>
                    <nav className={styles.nav} aria-label={i18n.t('Main')}>
                        {link({ page: 'patients' }, 'patients', i18n.t('Patients'))}
                        {link({ page: 'outbox' }, 'outbox', waiting > 0 ? i18n.t('Outbox ({{count}} waiting)', { count: waiting }) : i18n.t('Outbox'))}
                        {link({ page: 'settings' }, 'settings', i18n.t('Settings'))}
                    </nav>
                    <FacilityPicker />
                </header>
                <main className={styles.main}>
                    {offlineStart && <p role="status">{i18n.t('DHIS2 could not be reached; working with the facilities last seen on this device.')}</p>}
                    {session.facilities.length === 0 ? (
                        <NoticeBox warning title={i18n.t('No facility')}>
                            {i18n.t('Your DHIS2 user is not assigned to any facility with a code. Ask your administrator to assign you to your facility.')}
                        </NoticeBox>
                    ) : needsFacility ? (
                        <NoticeBox title={i18n.t('Choose your facility')}>
                            <FacilityPicker id="facility-picker-start" />
                        </NoticeBox>
                    ) : (
                        <Screen route={route} />
                    )}
                </main>
            </div>
        </NavigationContext.Provider>
    )
}
