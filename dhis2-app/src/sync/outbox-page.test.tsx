// The states view: what waits, where each encounter stands, and a refusal a clinician can act on.
import { screen, waitFor, within } from '@testing-library/react'
import { openClinicDatabase } from '../shared/clinic-database'
import { ancVisit, patientRecord, USER_ID } from '../test-utils/fixtures'
import { field } from '../test-utils/queries'
import { renderClinic, seedDevice } from '../test-utils/render'
import { RouteFake } from '../test-utils/route-fake'
import { newRecord, type OutboxRecord } from './outbox-record'

const saved = (overrides: Partial<OutboxRecord> & { id?: string } = {}): OutboxRecord => ({
    ...newRecord(ancVisit(overrides.id ? { id: overrides.id } : {}), new Date().toISOString()),
    ...overrides,
})

const refused = saved({
    encounter: ancVisit({ patient: { ...ancVisit().patient, birthDate: '2030-01-01' } }),
    state: 'refused',
    attempts: 1,
    errors: [{ path: '/patient/birthDate', message: 'is after the encounter date' }],
})

async function storedRecord(id: string) {
    const database = await openClinicDatabase(USER_ID)
    const record = await database.get('outbox', id)
    database.close()
    return record
}

const rowOf = (id: string) => within(screen.getByTestId(`outbox-${id}`))

test('each encounter’s state, in words', async () => {
    await seedDevice({
        outbox: [
            saved({ id: 'waiting', state: 'pending', attempts: 0 }),
            saved({ id: 'sent', state: 'sent', attempts: 1, acceptedVersion: 1, targets: { dhis2: { state: 'mapped' }, fhir: { state: 'accepted' } } }),
            saved({ id: 'dhis2', state: 'sent', attempts: 1, acceptedVersion: 1, targets: { dhis2: { state: 'delivered' }, fhir: { state: 'retrying', reason: 'HTTP 503' } } }),
            saved({ id: 'both', state: 'sent', attempts: 1, acceptedVersion: 1, targets: { dhis2: { state: 'delivered' }, fhir: { state: 'delivered' } } }),
            saved({ id: 'stale', state: 'stale', attempts: 1, currentVersion: 3 }),
        ],
    })
    window.location.hash = '#/outbox'
    // Nothing answers: the states are those the device holds.
    const route = new RouteFake()
    route.offline = true
    await renderClinic(undefined, { route })
    await screen.findByTestId('outbox-waiting')
    expect(rowOf('waiting').getByText('Saved on this device')).toBeInTheDocument()
    expect(rowOf('sent').getByText('Sent')).toBeInTheDocument()
    expect(rowOf('sent').getByText('Counted, waiting to be sent')).toBeInTheDocument()
    expect(rowOf('dhis2').getByText('In DHIS2')).toBeInTheDocument()
    expect(rowOf('dhis2').getByText('Trying again')).toBeInTheDocument()
    expect(rowOf('both').getByText('In DHIS2 and the FHIR record')).toBeInTheDocument()
    expect(rowOf('stale').getByText('Outdated')).toBeInTheDocument()
    expect(rowOf('stale').getByText(/A newer version \(3\) was saved on another device/)).toBeInTheDocument()
    expect(await screen.findByText('Offline', {}, { timeout: 5000 })).toBeInTheDocument()
})

test('a refusal says which field and what to do, in French too', async () => {
    await seedDevice({ outbox: [refused] })
    window.location.hash = '#/outbox'
    await renderClinic(undefined, { language: 'fr', route: new RouteFake().fail({ kind: 'offline' }) })
    const row = within(await screen.findByTestId(`outbox-${refused.id}`))
    expect(row.getByText('Refusée')).toBeInTheDocument()
    expect(row.getByRole('listitem')).toHaveTextContent('Date de naissance — La date de naissance est après la date de la visite')
})

test('a refused encounter is corrected and saved again under the same version, and goes through', async () => {
    await seedDevice({ outbox: [refused], patients: [patientRecord()] })
    window.location.hash = '#/outbox'
    const { user, route } = await renderClinic()
    const row = within(await screen.findByTestId(`outbox-${refused.id}`))
    expect(row.getByRole('listitem')).toHaveTextContent('Birth date — The birth date is after the date of the visit')
    await user.click(row.getByRole('button', { name: 'Correct' }))

    expect(await screen.findByText('The SMC bridge refused this encounter; correct it and save again')).toBeInTheDocument()
    expect(field('Birth date')).toHaveAccessibleDescription('The birth date is after the date of the visit')
    await user.clear(field('Birth date'))
    await user.type(field('Birth date'), '1999-04-11')
    await user.click(screen.getByRole('button', { name: 'Save' }))

    expect(await screen.findByText('Saved on this device')).toBeInTheDocument()
    await waitFor(async () => expect(await storedRecord(refused.id)).toMatchObject({ state: 'sent', acceptedVersion: 1 }))
    expect(route.posted.map((encounter) => [encounter.id, encounter.version, encounter.patient.birthDate])).toEqual([[refused.id, 1, '1999-04-11']])
})

test('a past encounter is changed as a new version, then withdrawn as entered in error', async () => {
    const route = new RouteFake()
    route.held.set(ancVisit().id, { encounter: ancVisit(), targets: {} })
    await seedDevice({ outbox: [saved({ state: 'sent', attempts: 1, acceptedVersion: 1 })], patients: [patientRecord()] })
    window.location.hash = `#/patients/${encodeURIComponent(patientRecord().key)}`
    const { user } = await renderClinic(undefined, { route })

    const past = await screen.findByTestId('past-encounter')
    await user.click(within(past).getByRole('button', { name: 'Open' }))
    await user.clear(await screen.findByLabelText(/^Weight \(kg\)/))
    await user.type(field('Weight (kg)'), '63')
    await user.click(screen.getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(route.held.get(ancVisit().id)?.encounter).toMatchObject({ version: 2, vitals: { weightKg: 63 } }))

    await user.click(await screen.findByRole('button', { name: 'Open' }))
    await user.click(await screen.findByRole('button', { name: 'Withdraw (entered in error)' }))
    await user.click(screen.getByRole('button', { name: 'Yes, withdraw it' }))
    await waitFor(() => expect(route.held.get(ancVisit().id)?.encounter).toMatchObject({ version: 3, status: 'entered-in-error' }))
    expect(await screen.findByText('Withdrawn')).toBeInTheDocument()

    // Opened again, it says it is withdrawn and offers no second withdrawal.
    await user.click(await screen.findByRole('button', { name: 'Open' }))
    expect(await screen.findByText('This visit was withdrawn')).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Withdraw (entered in error)' })).toBeNull()
})

test('a refused encounter no version of which was ever held can simply be deleted', async () => {
    await seedDevice({ outbox: [refused], patients: [patientRecord()] })
    window.location.hash = `#/encounters/${refused.id}`
    const { user } = await renderClinic()
    expect(screen.queryByRole('button', { name: 'Withdraw (entered in error)' })).toBeNull()
    await user.click(await screen.findByRole('button', { name: 'Delete from this device' }))
    await waitFor(async () => expect(await storedRecord(refused.id)).toBeUndefined())
})
