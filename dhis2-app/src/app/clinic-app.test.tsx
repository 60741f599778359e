import { screen } from '@testing-library/react'
import { BAMBUI, USER_ID } from '../test-utils/fixtures'
import { renderClinic } from '../test-utils/render'

test('without DHIS2, the app starts with the facilities last seen on this device', async () => {
    localStorage.setItem('smc-clinic:session', JSON.stringify({ userId: USER_ID, facilities: [{ uid: BAMBUI.id, code: BAMBUI.code, name: 'CSI Bambui' }] }))
    await renderClinic(undefined, { dhis2Offline: true })
    expect(await screen.findByText('DHIS2 could not be reached; working with the facilities last seen on this device.')).toBeInTheDocument()
    expect(screen.getByText('CSI Bambui')).toBeInTheDocument()
    expect(screen.getByLabelText('Search by name, phone or identifier')).toBeInTheDocument()
})

test('without DHIS2 and never seen before, it says what to do', async () => {
    await renderClinic(undefined, { dhis2Offline: true })
    expect(await screen.findByText('Could not load your DHIS2 user')).toBeInTheDocument()
})

test('a user with no facility is told to ask for one', async () => {
    await renderClinic(undefined, { orgUnits: [] })
    expect(await screen.findByText('No facility')).toBeInTheDocument()
})

test('the outbox link shows what waits', async () => {
    const { route } = await renderClinic()
    expect(route.requests).toEqual([expect.objectContaining({ path: `patients?orgUnit=${BAMBUI.id}` })])
    expect(screen.getByRole('link', { name: 'Outbox' })).toHaveAttribute('href', '#/outbox')
})
