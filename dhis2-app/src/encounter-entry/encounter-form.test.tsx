// The encounter form per type, its defaults, a full save, and the contract's messages beside the fields.
import { screen, waitFor, within } from '@testing-library/react'
import { ENCOUNTER_TYPES, validateEncounter, type EncounterType } from '@smc-bridge/contract'
import type userEvent from '@testing-library/user-event'
import { openClinicDatabase } from '../shared/clinic-database'
import { localDate } from '../shared/local-date-time'
import { BAMBUI, patientRecord, USER_ID } from '../test-utils/fixtures'
import { field, queryField } from '../test-utils/queries'
import { renderClinic, seedDevice } from '../test-utils/render'
import { RouteFake } from '../test-utils/route-fake'

const PATIENT = patientRecord({
    encounters: [{ source: 'smc-platform', id: 'earlier-anc', version: 1, type: 'anc', occurredAt: '2026-08-01T09:00:00+01:00', status: 'completed' }],
})

async function openForm(type: EncounterType, setup: Parameters<typeof renderClinic>[1] = {}) {
    await seedDevice({ patients: [PATIENT] })
    window.location.hash = `#/encounters/new?patient=${encodeURIComponent(PATIENT.key)}&type=${type}`
    const rendered = await renderClinic(undefined, { route: new RouteFake(), ...setup })
    await screen.findByRole('form')
    return rendered
}

async function outboxRecords() {
    const database = await openClinicDatabase(USER_ID)
    const records = await database.getAll('outbox')
    database.close()
    return records
}

/** What each type shows, written out here rather than read from the app's own table. */
const SECTIONS: Record<EncounterType, string[]> = {
    consultation: ['visit', 'vitals', 'diagnoses', 'treatments'],
    anc: ['visit', 'anc', 'vitals', 'treatments'],
    delivery: ['visit', 'delivery'],
    postnatal: ['visit', 'postnatal', 'vitals'],
    malaria: ['visit', 'malaria', 'vitals', 'treatments'],
    immunization: ['visit', 'immunization', 'vitals'],
    family_planning: ['visit', 'family-planning'],
    referral: ['visit', 'referral', 'diagnoses'],
}
const ALL_SECTIONS = ['visit', 'vitals', 'diagnoses', 'treatments', 'anc', 'delivery', 'postnatal', 'malaria', 'immunization', 'family-planning', 'referral']

test.each(ENCOUNTER_TYPES)('a %s shows its sections and no other', async (type) => {
    await openForm(type)
    const shown = ALL_SECTIONS.filter((section) => screen.queryByTestId(`section-${section}`))
    expect(shown.sort()).toEqual([...SECTIONS[type]].sort())
})

type User = ReturnType<typeof userEvent.setup>

/** What a health worker must enter for each type, beyond what the form fills in by itself. */
const REQUIRED_ENTRY: Record<EncounterType, (user: User) => Promise<void>> = {
    consultation: async (user) => user.selectOptions(field('Diagnosis 1'), 'B54'),
    anc: async (user) => user.type(field('Gestational age (weeks)'), '20'),
    delivery: async (user) => {
        await user.click(screen.getByLabelText('Normal (vaginal)'))
        await user.selectOptions(field('Outcome, baby 1'), 'live_birth')
    },
    postnatal: async (user) => user.type(field('Days since the delivery'), '6'),
    malaria: async (user) => {
        await user.click(screen.getByLabelText('Positive'))
        await user.selectOptions(field('Antimalarial treatment'), 'act')
    },
    immunization: async (user) => {
        await user.selectOptions(field('Vaccine 1'), 'bcg')
        await user.type(field('Dose number, vaccine 1'), '1')
    },
    family_planning: async (user) => {
        await user.selectOptions(field('Method'), 'pill')
        await user.click(screen.getByLabelText('No'))
    },
    referral: async (user) => {
        await user.type(field('Referred to (facility name)'), 'Hôpital de district de Bamenda')
        await user.click(screen.getByLabelText('Urgent'))
    },
}

/** The parts of the contract each type's encounter may carry beyond the visit and the patient. */
const CONTRACT_SECTIONS: Record<EncounterType, string[]> = {
    consultation: ['vitals', 'diagnoses', 'treatments'],
    anc: ['anc', 'vitals', 'treatments'],
    delivery: ['delivery'],
    postnatal: ['postnatal', 'vitals'],
    malaria: ['malaria', 'vitals', 'treatments'],
    immunization: ['immunization', 'vitals'],
    family_planning: ['familyPlanning'],
    referral: ['referral', 'diagnoses'],
}
const VISIT_KEYS = ['schemaVersion', 'id', 'version', 'source', 'facility', 'occurredAt', 'recordedAt', 'type', 'status', 'patient', 'practitioner']

test.each(ENCOUNTER_TYPES)('a %s saved with what it requires is an encounter the contract accepts', async (type) => {
    const { user, route } = await openForm(type)
    await REQUIRED_ENTRY[type](user)
    await user.click(screen.getByRole('button', { name: 'Save' }))
    expect(await screen.findByText('Saved on this device')).toBeInTheDocument()
    const [record] = await outboxRecords()
    expect(validateEncounter(record?.encounter, new Date())).toMatchObject({ ok: true })
    const extra = Object.keys(record?.encounter ?? {}).filter((key) => !VISIT_KEYS.includes(key))
    expect(extra.every((key) => CONTRACT_SECTIONS[type].includes(key))).toBe(true)
    await waitFor(async () => expect((await outboxRecords())[0]).toMatchObject({ state: 'sent', targets: { dhis2: { state: 'accepted' } } }))
    expect(route.held.has(record?.id ?? '')).toBe(true)
})

test('Enter in a field moves to the next field and saves nothing: only the Save button saves', async () => {
    const { user } = await openForm('consultation')
    await user.type(field('Temperature (°C)'), '37.2{Enter}')
    expect(field('Temperature (°C)')).not.toHaveFocus()
    expect(document.activeElement?.tagName).toMatch(/INPUT|SELECT|TEXTAREA|BUTTON/)
    expect(screen.queryByText('Check these fields before saving')).toBeNull()
    expect(await outboxRecords()).toEqual([])
    await REQUIRED_ENTRY.consultation(user)
    await user.click(screen.getByRole('button', { name: 'Save' }))
    expect(await screen.findByText('Saved on this device')).toBeInTheDocument()
    expect(await outboxRecords()).toHaveLength(1)
})

test('a visit dated in the future is one error, on the date: not a second about the record time the form sets itself', async () => {
    const { user } = await openForm('consultation')
    await REQUIRED_ENTRY.consultation(user)
    const tomorrow = localDate(new Date(Date.now() + 36 * 3600_000))
    await user.clear(field('Date of the visit'))
    await user.type(field('Date of the visit'), tomorrow)
    await user.click(screen.getByRole('button', { name: 'Save' }))
    expect(await screen.findByText('Check these fields before saving')).toBeInTheDocument()
    expect(field('Date of the visit')).toHaveAccessibleDescription(/future/)
    expect(document.body.textContent).not.toMatch(/Recorded before the visit/)
    expect(await outboxRecords()).toEqual([])
})

test('a malaria visit asks for temperature and weight only, and the test result once a test is chosen', async () => {
    const { user } = await openForm('malaria')
    const vitals = within(screen.getByTestId('section-vitals'))
    expect(vitals.getAllByRole('textbox').map((input) => input.id)).toEqual(['field-vitals-temperatureC', 'field-vitals-weightKg'])
    expect(screen.getByRole('group', { name: /Test result/ })).toBeInTheDocument()
    await user.selectOptions(field('Test'), 'Not tested')
    expect(screen.queryByRole('group', { name: /Test result/ })).toBeNull()
})

test('defaults save typing: today, now, the last practitioner, the next antenatal visit number', async () => {
    await openForm('anc', { device: { practiceMode: false, lastPractitioner: { name: 'Esther Fru', role: 'midwife' } } })
    expect(field('Date of the visit')).toHaveValue(localDate(new Date()))
    expect((field('Time') as HTMLInputElement).value).toMatch(/^\d\d:\d\d$/)
    expect(field('Seen by')).toHaveValue('Esther Fru')
    expect(field('Role')).toHaveValue('midwife')
    expect(field('Antenatal visit number')).toHaveValue('2')
    expect(screen.getByText('CSI Bambui')).toBeInTheDocument()
})

test('a full antenatal visit, typed and saved, goes to the outbox and on to the middleware', async () => {
    const { user, route } = await openForm('anc')
    await user.clear(field('Time'))
    await user.type(field('Time'), '00:01')
    await user.type(field('Seen by'), 'Esther Fru')
    await user.selectOptions(field('Role'), 'midwife')
    await user.type(field('Gestational age (weeks)'), '20')
    await user.type(field('IPTp-SP dose given'), '1')
    await user.type(field('Haemoglobin (g/dL)'), '11,2')
    await user.click(screen.getByLabelText('Insecticide-treated net given'))
    await user.type(field('Weight (kg)'), '61,5')
    await user.type(field('Blood pressure, systolic (mmHg)'), '112')
    await user.type(field('Blood pressure, diastolic (mmHg)'), '71')
    await user.click(screen.getByLabelText('Iron and folic acid'))
    await user.type(field('Temperature (°C)'), '36.8')
    await user.click(screen.getByRole('button', { name: 'Save' }))

    expect(await screen.findByText('Saved on this device')).toBeInTheDocument()
    const [record] = await outboxRecords()
    expect(record?.encounter).toMatchObject({
        schemaVersion: '1.0',
        version: 1,
        source: 'dhis2-app',
        facility: { code: BAMBUI.code, uid: BAMBUI.id },
        occurredAt: expect.stringMatching(new RegExp(`^${localDate(new Date())}T00:01:00[+-]\\d\\d:\\d\\d$`)),
        type: 'anc',
        status: 'completed',
        patient: { identifiers: PATIENT.identifiers, name: { given: 'Aminata', family: 'Ngôno' }, sex: 'female', birthDate: '1999-04-11' },
        practitioner: { name: 'Esther Fru', role: 'midwife' },
        vitals: { weightKg: 61.5, systolicMmHg: 112, diastolicMmHg: 71, temperatureC: 36.8 },
        treatments: ['iron_folic_acid'],
        anc: { visitNumber: 2, gestationalAgeWeeks: 20, iptpDose: 1, hemoglobinGdl: 11.2, llinGiven: true },
    })
    expect(record?.encounter).not.toHaveProperty('training')
    expect(record?.encounter.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    await waitFor(() => expect(route.posted.map((encounter) => encounter.id)).toEqual([record?.id]))
    // Then the sync loop asks where it stands.
    await waitFor(async () => expect((await outboxRecords())[0]).toMatchObject({ state: 'sent', targets: { dhis2: { state: 'accepted' } } }))
})

test('an error appears beside its field in English', async () => {
    const { user } = await openForm('consultation')
    await user.type(field('Temperature (°C)'), '50')
    await user.type(field('Weight (kg)'), 'abc')
    await user.click(screen.getByRole('button', { name: 'Save' }))
    expect(field('Temperature (°C)')).toHaveAccessibleDescription('Too high; expected 30–45 °C')
    expect(field('Weight (kg)')).toHaveAccessibleDescription('Enter a number, e.g. 36.8')
    const summary = screen.getByTestId('error-summary')
    expect(summary).toHaveFocus()
    expect(within(summary).getByRole('button', { name: 'Temperature (°C) — Too high; expected 30–45 °C' })).toBeInTheDocument()
    expect(await outboxRecords()).toEqual([])

    await user.click(within(summary).getByRole('button', { name: /^Weight/ }))
    expect(field('Weight (kg)')).toHaveFocus()
    await user.clear(field('Temperature (°C)'))
    await user.type(field('Temperature (°C)'), '38')
    expect(field('Temperature (°C)')).not.toHaveAttribute('aria-invalid')
})

test('and in French, the user’s language, with French numbers', async () => {
    const { user } = await openForm('consultation', { language: 'fr' })
    await user.type(field('Poids (kg)'), '0,1')
    await user.click(screen.getByRole('button', { name: 'Enregistrer' }))
    expect(field('Poids (kg)')).toHaveAccessibleDescription('Trop bas ; attendu 0,3–300 kg')
})

test('a rule across fields is placed on the field to fix (a man at an antenatal visit)', async () => {
    const { user } = await openForm('anc')
    await user.click(screen.getByText(/^Patient —/))
    await user.click(screen.getByLabelText('Male'))
    await user.type(field('Gestational age (weeks)'), '20')
    await user.click(screen.getByRole('button', { name: 'Save' }))
    expect(screen.getByRole('group', { name: /^Sex/ })).toHaveAccessibleDescription('Pregnancy, delivery and postnatal care are for female patients; check the sex')
})

test('the keyboard alone: the fields come in reading order, Enter in a field moves on, Enter on Save saves', async () => {
    const { user, route } = await openForm('family_planning', { device: { practiceMode: false, lastPractitioner: { name: 'Esther Fru' } } })
    expect(field('Date of the visit')).toHaveFocus()
    const order: string[] = []
    for (let step = 0; step < 8; step++) {
        await user.tab()
        const focused = document.activeElement as HTMLElement
        order.push(focused.id || focused.getAttribute('name') || (focused.textContent ?? ''))
    }
    expect(order).toEqual([
        'field-time',
        'field-practitioner-name',
        'field-practitioner-role',
        'patient-title',
        'field-familyPlanning-method',
        'field-familyPlanning-newUser',
        'Save',
        'Cancel',
    ])

    await user.selectOptions(field('Method'), 'implant')
    screen.getByLabelText('Yes').focus()
    await user.keyboard(' ')
    // Enter in a field moves on (a half-filled visit is never saved by it); Enter on Save saves.
    field('Seen by').focus()
    await user.keyboard('{Enter}')
    expect(field('Seen by')).not.toHaveFocus()
    expect(await outboxRecords()).toEqual([])
    screen.getByRole('button', { name: 'Save' }).focus()
    await user.keyboard('{Enter}')
    expect(await screen.findByText('Saved on this device')).toBeInTheDocument()
    const [record] = await outboxRecords()
    expect(record?.encounter.familyPlanning).toEqual({ method: 'implant', newUser: true })
    await waitFor(async () => expect((await outboxRecords())[0]).toMatchObject({ state: 'sent', targets: { dhis2: { state: 'accepted' } } }))
    expect(route.posted).toHaveLength(1)
})
