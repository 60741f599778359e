// Puts the user's session, the device's database and stores, the settings and the sync loop in place for
// every screen. Nothing renders before the session and the database are ready.
import { useConfig } from '@dhis2/app-runtime'
import i18n from '@dhis2/d2-i18n'
import { Center, CircularLoader, NoticeBox } from '@dhis2/ui'
import React, { useCallback, useMemo, useRef, useState } from 'react'
import { PatientDirectory } from '../patients/patient-directory'
import { usePatientRefresh } from '../patients/use-patient-refresh'
import type { ClinicDatabase } from '../shared/clinic-database'
import { createRouteClient, type FetchLike } from '../shared/route-client'
import { loadDeviceSettings, storeDeviceSettings, type DeviceSettings } from '../settings/device-settings'
import type { Session } from '../settings/session'
import { useSession } from '../settings/use-session'
import { useSharedSettings } from '../settings/use-shared-settings'
import { Outbox } from '../sync/outbox-store'
import { useSyncLoop } from '../sync/use-sync-loop'
import { ClinicContext, type Clinic } from '../shared/clinic-context'
import { useClinicDatabase } from './use-clinic-database'

interface ClinicProviderProps {
    children: React.ReactNode
    /** How the Route is called; window.fetch unless a test says otherwise. */
    routeFetch?: FetchLike
    clock?: () => Date
}

const systemClock = () => new Date()

const Loading = ({ label }: { label: string }) => (
    <Center>
        <CircularLoader aria-label={label} />
        <p>{label}</p>
    </Center>
)

export const ClinicProvider = ({ children, routeFetch, clock = systemClock }: ClinicProviderProps) => {
    const state = useSession()
    if (state.loading) {
        return <Loading label={i18n.t('Loading your facilities…')} />
    }
    if ('error' in state) {
        return (
            <NoticeBox error title={i18n.t('Could not load your DHIS2 user')}>
                {i18n.t('Connect to the network once, then reload the app. The app needs to know your facilities before it can work offline.')}
            </NoticeBox>
        )
    }
    return (
        <SessionDatabase session={state.session} offlineStart={state.offline} routeFetch={routeFetch} clock={clock}>
            {children}
        </SessionDatabase>
    )
}

type ReadyProps = Omit<ClinicProviderProps, 'clock'> & { session: Session; offlineStart: boolean; clock: () => Date }

const SessionDatabase = (props: ReadyProps) => {
    const { database, error } = useClinicDatabase(props.session.userId)
    if (error) {
        return (
            <NoticeBox error title={i18n.t('This browser cannot keep data on the device')}>
                {i18n.t('Nothing can be saved offline. Leave private browsing, or free space on the device, and reload.')}
            </NoticeBox>
        )
    }
    return database ? <ClinicReady {...props} database={database} /> : <Loading label={i18n.t('Opening the records on this device…')} />
}

const ClinicReady = ({ children, routeFetch, clock, session, offlineStart, database }: ReadyProps & { database: ClinicDatabase }) => {
    const { baseUrl } = useConfig()
    const route = useMemo(() => createRouteClient(baseUrl, routeFetch), [baseUrl, routeFetch])
    const { settings: shared, save: saveShared } = useSharedSettings()
    const sharedRef = useRef(shared)
    sharedRef.current = shared

    const [device, setDevice] = useState<DeviceSettings>(() => loadDeviceSettings(session.userId))
    const updateDevice = useCallback(
        (change: Partial<DeviceSettings>) =>
            setDevice((current) => {
                const next = { ...current, ...change }
                storeDeviceSettings(session.userId, next)
                return next
            }),
        [session.userId]
    )
    const { facilities } = session
    const facility = facilities.find((candidate) => candidate.uid === device.facilityUid) ?? (facilities.length === 1 ? facilities[0] : undefined)

    const outbox = useMemo(() => new Outbox(database, clock), [database, clock])
    const directories = useMemo(
        () => ({ real: new PatientDirectory(database, 'patients'), practice: new PatientDirectory(database, 'practice-patients') }),
        [database]
    )
    const patients = device.practiceMode ? directories.practice : directories.real
    const sync = useSyncLoop(outbox, route, sharedRef, `smc-clinic-sync-${session.userId}`, clock)
    const patientList = usePatientRefresh(route, patients, facility, device.practiceMode, shared.patientRefreshMinutes, clock)

    const clinic: Clinic = {
        session,
        offlineStart,
        facility,
        practiceMode: device.practiceMode,
        device,
        updateDevice,
        shared,
        saveShared,
        outbox,
        patients,
        patientList,
        route,
        sync,
        clock,
    }
    return <ClinicContext.Provider value={clinic}>{children}</ClinicContext.Provider>
}
