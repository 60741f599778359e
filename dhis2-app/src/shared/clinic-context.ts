import { createContext, useContext } from 'react'
import type { PatientDirectory } from '../patients/patient-directory'
import type { PatientListState } from '../patients/use-patient-refresh'
import type { RouteClient } from './route-client'
import type { DeviceSettings } from '../settings/device-settings'
import type { Facility, Session } from '../settings/session'
import type { SharedSettings } from '../settings/shared-settings'
import type { Outbox } from '../sync/outbox-store'
import type { SyncLoop } from '../sync/sync-loop'

/** Everything a screen needs about where it is working: user, facility, mode, the device's stores. */
export interface Clinic {
    session: Session
    /** Started without reaching DHIS2: the facilities are the ones last seen. */
    offlineStart: boolean
    facility: Facility | undefined
    practiceMode: boolean
    device: DeviceSettings
    updateDevice: (change: Partial<DeviceSettings>) => void
    shared: SharedSettings
    saveShared: (settings: SharedSettings) => Promise<void>
    outbox: Outbox
    /** The patients of the current mode: real ones, or practice ones. */
    patients: PatientDirectory
    patientList: PatientListState
    route: RouteClient
    sync: SyncLoop
    clock: () => Date
}

export const ClinicContext = createContext<Clinic | undefined>(undefined)

export function useClinic(): Clinic {
    const clinic = useContext(ClinicContext)
    if (!clinic) {
        throw new Error('useClinic must be used inside <ClinicProvider>')
    }
    return clinic
}
