// Renders the app (or part of it) as the platform would: a data engine answering the DHIS2 requests
// (CustomDataProvider), the Route answered by a RouteFake, and the device's IndexedDB (fake-indexeddb).
import { CustomDataProvider } from '@dhis2/app-runtime'
import i18n from '@dhis2/d2-i18n'
import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import React from 'react'
import { ClinicApp } from '../app/clinic-app'
import { ClinicProvider } from '../app/clinic-provider'
import type { PatientRecord } from '../patients/patient-record'
import { openClinicDatabase } from '../shared/clinic-database'
import type { OrganisationUnit } from '../settings/session'
import type { OutboxRecord } from '../sync/outbox-record'
import { BAMBUI, USER_ID } from './fixtures'
import { RouteFake } from './route-fake'

export interface ClinicSetup {
    route?: RouteFake
    /** The org units the DHIS2 user is assigned to. */
    orgUnits?: OrganisationUnit[]
    /** The dataStore's smc-clinic/settings; absent (404) unless given. */
    sharedSettings?: Record<string, unknown>
    language?: 'en' | 'fr'
    /** Practice mode, the chosen facility… as the device remembers them. */
    device?: Record<string, unknown>
    /** DHIS2 itself cannot be reached (its API answers nothing). */
    dhis2Offline?: boolean
}

const unreachable = async (): Promise<never> => {
    throw Object.assign(new Error('An unknown network error occurred'), { type: 'network' })
}

export async function seedDevice({ patients = [], practicePatients = [], outbox = [] }: { patients?: PatientRecord[]; practicePatients?: PatientRecord[]; outbox?: OutboxRecord[] }) {
    const database = await openClinicDatabase(USER_ID)
    for (const patient of patients) await database.put('patients', patient)
    for (const patient of practicePatients) await database.put('practice-patients', patient)
    for (const record of outbox) await database.put('outbox', record)
    database.close()
}

export async function renderClinic(ui: React.ReactElement = <ClinicApp />, setup: ClinicSetup = {}) {
    const orgUnits = setup.orgUnits ?? [BAMBUI]
    const route = setup.route ?? new RouteFake()
    if (route.allowedOrgUnits.size === 0) orgUnits.forEach((unit) => route.allowedOrgUnits.add(unit.id))
    if (setup.device) localStorage.setItem(`smc-clinic:${USER_ID}:device`, JSON.stringify(setup.device))
    await i18n.changeLanguage(setup.language ?? 'en')
    const data: React.ComponentProps<typeof CustomDataProvider>['data'] = {
        me: setup.dhis2Offline ? unreachable : { id: USER_ID, username: 'efru', organisationUnits: orgUnits.map(({ id }) => ({ id })) },
        organisationUnits: setup.dhis2Offline ? unreachable : { organisationUnits: orgUnits as never },
        'dataStore/smc-clinic/settings': async () => {
            if (setup.sharedSettings) return setup.sharedSettings as never
            throw Object.assign(new Error('Not Found'), { details: { httpStatusCode: 404 } })
        },
    }
    const user = userEvent.setup()
    const result = render(
        <CustomDataProvider data={data}>
            <ClinicProvider routeFetch={route.fetch}>{ui}</ClinicProvider>
        </CustomDataProvider>
    )
    // The session and the database are ready once the provider stops showing its loaders.
    await waitFor(() => expect(screen.queryByText(/Loading your facilities|Opening the records|Chargement|Ouverture/)).toBeNull())
    return { ...result, route, user }
}
