// Practice mode, for training health workers: visible on every screen, its encounters flagged and never
// counted, its patients never mixed with real ones, and one click to leave.
import { screen, waitFor, within } from '@testing-library/react'
import { openClinicDatabase } from '../shared/clinic-database'
import { BAMBUI, patientRecord, serverPatient, USER_ID } from '../test-utils/fixtures'
import { field } from '../test-utils/queries'
import { renderClinic, seedDevice } from '../test-utils/render'
import { RouteFake } from '../test-utils/route-fake'

const BANNER = 'Practice mode — nothing here counts'
const searchRows = () => screen.queryAllByTestId('patient-row').map((row) => within(row).getByRole('link').textContent)

test('turned on in the settings, it is marked on every screen and left with one click', async () => {
    window.location.hash = '#/settings'
    const { user } = await renderClinic()
    expect(screen.queryByText(BANNER)).toBeNull()
    await user.click(await screen.findByLabelText('Practice mode', { selector: 'input' }))
    for (const screenName of ['Patients', 'Outbox', 'Settings']) {
        await user.click(screen.getByRole('link', { name: screenName }))
        expect(await screen.findByText(BANNER)).toBeInTheDocument()
    }
    await user.click(screen.getByRole('button', { name: 'Leave practice mode' }))
    expect(screen.queryByText(BANNER)).toBeNull()
    expect(localStorage.getItem(`smc-clinic:${USER_ID}:device`)).toContain('"practiceMode":false')
})

test('practice patients and real patients never meet', async () => {
    const route = new RouteFake()
    route.patients.set(BAMBUI.id, {
        real: [serverPatient({ key: 'real', name: { given: 'Awa', family: 'Ngono' } })],
        practice: [serverPatient({ key: 'trainee', identifiers: [{ system: 'smc-patient', value: 'T-1' }], name: { given: 'Exercice', family: 'Ngono' } })],
    })
    const { user } = await renderClinic(undefined, { route, device: { practiceMode: true } })
    await waitFor(() => expect(searchRows()).toEqual(['Exercice Ngono']))
    expect(route.requests.map((request) => request.path)).toContain(`patients?orgUnit=${BAMBUI.id}&training=true`)

    await user.click(screen.getByRole('button', { name: 'Register a new patient' }))
    expect(await screen.findByRole('heading', { name: 'Register a practice patient' })).toBeInTheDocument()
    await user.type(field('Given name'), 'Stagiaire')
    await user.type(field('Family name'), 'Ngono')
    await user.click(screen.getByLabelText('Male'))
    await user.click(screen.getByLabelText('No, only the age'))
    await user.type(field('Age'), '30')
    await user.click(screen.getByRole('button', { name: 'Register' }))
    await screen.findByRole('heading', { name: 'Stagiaire Ngono' })

    await user.click(screen.getByRole('button', { name: 'Leave practice mode' }))
    await user.click(screen.getByRole('link', { name: 'Patients' }))
    await user.type(await screen.findByLabelText('Search by name, phone or identifier'), 'ngono')
    await waitFor(() => expect(searchRows()).toEqual(['Awa Ngono']))

    const database = await openClinicDatabase(USER_ID)
    expect((await database.getAll('patients')).map((patient) => patient.key)).toEqual(['real'])
    expect((await database.getAll('practice-patients')).map((patient) => patient.name?.given).sort()).toEqual(['Exercice', 'Stagiaire'])
    database.close()
})

test('an encounter entered in practice mode carries the training flag, and only practice mode lists it', async () => {
    await seedDevice({ practicePatients: [patientRecord()] })
    window.location.hash = `#/encounters/new?patient=${encodeURIComponent(patientRecord().key)}&type=family_planning`
    const { user, route } = await renderClinic(undefined, { device: { practiceMode: true } })
    await user.selectOptions(await screen.findByLabelText(/^Method/), 'pill')
    await user.click(screen.getByLabelText('No'))
    await user.click(screen.getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(route.posted).toHaveLength(1))
    expect(route.posted[0]).toMatchObject({ training: true, type: 'family_planning' })

    await user.click(screen.getByRole('link', { name: /^Outbox/ }))
    expect(await screen.findByText(/Sent \(practice, not counted\)|Sending|Sent/)).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Leave practice mode' }))
    expect(await screen.findByText('Nothing has been saved on this device yet.')).toBeInTheDocument()
})
