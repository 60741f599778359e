import { screen, waitFor, within } from '@testing-library/react'
import { BAMBUI, KATI, patientRecord, serverPatient } from '../test-utils/fixtures'
import { renderClinic, seedDevice } from '../test-utils/render'
import { RouteFake } from '../test-utils/route-fake'

const rowsNamed = () => screen.queryAllByTestId('patient-row').map((row) => within(row).getByRole('link').textContent)

test('the facility’s patients come from the middleware and are found whatever the accents and case', async () => {
    const route = new RouteFake()
    route.patients.set(BAMBUI.id, {
        real: [
            serverPatient({ key: 'p1', name: { given: 'Aminata', family: 'NGONO' } }),
            serverPatient({ key: 'p2', identifiers: [{ system: 'smc-patient', value: 'P-2' }], name: { given: 'Jeanne', family: 'Ngôno' } }),
            serverPatient({ key: 'p3', identifiers: [{ system: 'smc-patient', value: 'P-3' }], name: { given: 'Fatou', family: 'Diallo' }, phone: '+223 76 00 11 22' }),
        ],
        practice: [],
    })
    const { user } = await renderClinic(undefined, { route })
    await waitFor(() => expect(rowsNamed()).toHaveLength(3))
    expect(route.requests.find((request) => request.path.startsWith('patients'))?.path).toBe(`patients?orgUnit=${BAMBUI.id}`)

    await user.type(screen.getByLabelText('Search by name, phone or identifier'), 'ngono')
    expect(rowsNamed().sort()).toEqual(['Aminata NGONO', 'Jeanne Ngôno'])
    await user.clear(screen.getByLabelText('Search by name, phone or identifier'))
    await user.type(screen.getByLabelText('Search by name, phone or identifier'), '76 00 11')
    expect(rowsNamed()).toEqual(['Fatou Diallo'])
})

test('offline, the patients kept on the device are searched, and a registration works', async () => {
    await seedDevice({ patients: [patientRecord({ key: 'kept', name: { given: 'Awa', family: 'Ngono' } })] })
    const route = new RouteFake().fail({ kind: 'offline' })
    const { user } = await renderClinic(undefined, { route })
    expect(await screen.findByText('Could not update the patient list; showing the patients kept on this device.')).toBeInTheDocument()
    await user.type(screen.getByLabelText('Search by name, phone or identifier'), 'NGÔNO')
    expect(rowsNamed()).toEqual(['Awa Ngono'])

    await user.click(screen.getByRole('button', { name: 'Register a new patient' }))
    await user.type(await screen.findByLabelText('Given name'), 'Mariam')
    await user.type(screen.getByLabelText('Family name'), 'Koné')
    await user.click(screen.getByLabelText('Female'))
    await user.type(screen.getByLabelText(/^Birth date\*?$/), '1994-03-02')
    await user.type(screen.getByLabelText('Phone'), '+223 66 12 34 56')
    await user.click(screen.getByRole('button', { name: 'Register' }))

    expect(await screen.findByRole('heading', { name: 'Mariam Koné' })).toBeInTheDocument()
    expect(screen.getByText(/^CM_NW_BAM_CSI001-[0-9A-HJKMNP-TV-Z]{8}$/)).toBeInTheDocument()
    await user.click(screen.getByRole('link', { name: 'Patients' }))
    await user.type(await screen.findByLabelText('Search by name, phone or identifier'), 'kone')
    expect(rowsNamed()).toEqual(['Mariam Koné'])
})

test('registering someone already on the device (same name and birth date) asks first: open them, or register a different person', async () => {
    const { user } = await renderClinic(undefined, { route: new RouteFake() })
    const registerMariam = async () => {
        await user.click(await screen.findByRole('button', { name: 'Register a new patient' }))
        await user.type(await screen.findByLabelText('Given name'), 'Mariam')
        await user.type(screen.getByLabelText('Family name'), 'KONE')
        await user.click(screen.getByLabelText('Female'))
        await user.type(screen.getByLabelText(/^Birth date\*?$/), '1994-03-02')
        await user.click(screen.getByRole('button', { name: 'Register' }))
    }
    await registerMariam()
    const first = await screen.findByRole('heading', { name: 'Mariam KONE' })
    expect(first).toBeInTheDocument()
    const firstUrl = window.location.hash
    await user.click(screen.getByRole('link', { name: 'Patients' }))
    await registerMariam()
    expect(await screen.findByText('This patient may already be on this device')).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Open Mariam KONE' }))
    expect(await screen.findByRole('heading', { name: 'Mariam KONE' })).toBeInTheDocument()
    expect(window.location.hash).toBe(firstUrl)

    await user.click(screen.getByRole('link', { name: 'Patients' }))
    await registerMariam()
    await user.click(await screen.findByRole('button', { name: 'Register a different person' }))
    expect(await screen.findByRole('heading', { name: 'Mariam KONE' })).toBeInTheDocument()
    expect(window.location.hash).not.toBe(firstUrl)
    await user.click(screen.getByRole('link', { name: 'Patients' }))
    await user.type(await screen.findByLabelText('Search by name, phone or identifier'), 'kone')
    expect(rowsNamed()).toEqual(['Mariam KONE', 'Mariam KONE'])
})

test('a registration the contract would refuse shows why beside the field', async () => {
    const { user } = await renderClinic(undefined, { route: new RouteFake() })
    await user.click(await screen.findByRole('button', { name: 'Register a new patient' }))
    await user.type(await screen.findByLabelText('Given name'), 'Awa')
    await user.click(screen.getByLabelText('Female'))
    await user.type(screen.getByLabelText('Phone'), '12ab')
    await user.click(screen.getByRole('button', { name: 'Register' }))
    const phone = screen.getByLabelText('Phone')
    expect(phone).toHaveAttribute('aria-invalid', 'true')
    expect(phone).toHaveAccessibleDescription('Enter a phone number of 6 to 20 digits, with + for a country code')
    expect(screen.getByLabelText(/^Birth date\*?$/)).toHaveAccessibleDescription('Enter the birth date, or the age if the birth date is not known')
})

test('a user with several facilities chooses one; the middleware refuses a facility not theirs', async () => {
    const route = new RouteFake()
    route.allowedOrgUnits.add(BAMBUI.id)
    const { user } = await renderClinic(undefined, { route, orgUnits: [BAMBUI, KATI] })
    const picker = within(await screen.findByRole('banner')).getByLabelText('Facility')
    expect(screen.getByText('Choose your facility')).toBeInTheDocument()
    await user.selectOptions(picker, 'CSCom Kati')
    expect(await screen.findByText('This facility is not yours in DHIS2')).toBeInTheDocument()
    await user.selectOptions(within(screen.getByRole('banner')).getByLabelText('Facility'), 'CSI Bambui')
    await waitFor(() => expect(screen.queryByText('This facility is not yours in DHIS2')).toBeNull())
})
