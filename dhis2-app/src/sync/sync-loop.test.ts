// The outbox and the sync loop together, on IndexedDB (fake-indexeddb) against a fake of the middleware.
import { openClinicDatabase, type ClinicDatabase } from '../shared/clinic-database'
import { createRouteClient } from '../shared/route-client'
import { ancVisit, USER_ID } from '../test-utils/fixtures'
import { RouteFake } from '../test-utils/route-fake'
import { versionForChange } from './outbox-record'
import { Outbox } from './outbox-store'
import { SyncLoop } from './sync-loop'

const SETTINGS = { batchSize: 50, syncIntervalSeconds: 30, maxBackoffSeconds: 300, statusPollSeconds: 120 }

let database: ClinicDatabase
let route: RouteFake

/** One page of the app: its outbox and sync loop over the device's database. */
function page(settings = SETTINGS) {
    const outbox = new Outbox(database)
    const loop = new SyncLoop({ outbox, route: createRouteClient('http://dhis2.test', route.fetch), settings: () => settings, lockName: 'test' })
    return { outbox, loop }
}

beforeEach(async () => {
    database = await openClinicDatabase(USER_ID)
    route = new RouteFake()
})

afterEach(() => database.close())

test('saved while offline, sent when the Route answers again, gzip-compressed', async () => {
    const { outbox, loop } = page()
    await outbox.save(ancVisit())
    route.fail({ kind: 'offline' })
    expect(await loop.runOnce()).toEqual({ kind: 'offline' })
    expect(await outbox.get(ancVisit().id)).toMatchObject({ state: 'pending', attempts: 1 })

    expect(await loop.runOnce()).toBeUndefined()
    expect(await outbox.get(ancVisit().id)).toMatchObject({ state: 'sent', acceptedVersion: 1 })
    const post = route.requests.filter((request) => request.method === 'POST').at(-1)!
    expect(post.headers).toMatchObject({ 'Content-Encoding': 'gzip', 'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest' })
    expect(Array.from((post.raw as Uint8Array).slice(0, 2))).toEqual([0x1f, 0x8b])
    expect(post.json).toEqual({ encounters: [ancVisit()] })
})

test('a reload mid-send sends again what was on its way, and the middleware holds it once', async () => {
    const first = page()
    await first.outbox.save(ancVisit())
    route.fail({ kind: 'hang' })
    void first.loop.runOnce() // the request never ends: the power is cut
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(await first.outbox.get(ancVisit().id)).toMatchObject({ state: 'sending' })

    const second = page() // the page again, after the reload
    await second.loop.start()
    second.loop.stop()
    await second.loop.runOnce()
    expect(await second.outbox.get(ancVisit().id)).toMatchObject({ state: 'sent' })
    expect(route.held.size).toBe(1)
    expect(route.posted.map((encounter) => encounter.id)).toEqual([ancVisit().id, ancVisit().id])
})

test('a resend after a lost reply is a duplicate, and counts as sent', async () => {
    const { outbox, loop } = page()
    await outbox.save(ancVisit())
    route.fail({ kind: 'lose-reply' })
    expect(await loop.runOnce()).toEqual({ kind: 'offline' })
    expect(route.held.has(ancVisit().id)).toBe(true)
    expect(await outbox.get(ancVisit().id)).toMatchObject({ state: 'pending' })

    await loop.runOnce()
    expect(await outbox.get(ancVisit().id)).toMatchObject({ state: 'sent', acceptedVersion: 1 })
    const lastAnswer = route.requests.filter((request) => request.method === 'POST').length
    expect(lastAnswer).toBe(2)
})

test('a refused encounter keeps the reason; corrected, it goes again under the same version', async () => {
    const { outbox, loop } = page()
    // The device clock was wrong when the birth date was typed: it lies after the visit.
    const wrong = ancVisit({ patient: { ...ancVisit().patient, birthDate: '2030-01-01' } })
    await outbox.save(wrong)
    await loop.runOnce()
    const refused = await outbox.get(wrong.id)
    expect(refused).toMatchObject({ state: 'refused', errors: [{ path: '/patient/birthDate', message: 'is after the encounter date' }] })
    expect(route.held.size).toBe(0)

    expect(versionForChange(refused)).toBe(1)
    await outbox.save(ancVisit())
    await loop.runOnce()
    expect(await outbox.get(wrong.id)).toMatchObject({ state: 'sent', acceptedVersion: 1 })
    expect(route.held.get(wrong.id)?.encounter.patient.birthDate).toBe('1999-04-11')
})

test('an outdated copy is marked stale; a change goes above the version held', async () => {
    const { outbox, loop } = page()
    route.held.set(ancVisit().id, { encounter: ancVisit({ version: 3 }), targets: {} })
    await outbox.save(ancVisit())
    await loop.runOnce()
    const stale = await outbox.get(ancVisit().id)
    expect(stale).toMatchObject({ state: 'stale', currentVersion: 3 })

    const saved = await outbox.save(ancVisit({ vitals: { weightKg: 62 } }))
    expect(saved.encounter.version).toBe(4)
    await loop.runOnce()
    expect(await outbox.get(ancVisit().id)).toMatchObject({ state: 'sent', acceptedVersion: 4 })
})

test('a change saved while its previous version is on the way is a new version, sent next', async () => {
    const { outbox, loop } = page()
    await outbox.save(ancVisit())
    const batch = await outbox.takeBatch(50, 'A') // version 1 leaves
    const changed = await outbox.save(ancVisit({ vitals: { weightKg: 63 } }))
    expect(changed.encounter.version).toBe(2)
    await outbox.applyResults('A', batch, [{ index: 0, status: 'accepted', source: 'dhis2-app', id: ancVisit().id, version: 1 }])
    expect(await outbox.get(ancVisit().id)).toMatchObject({ state: 'pending', acceptedVersion: 1, encounter: { version: 2 } })

    await loop.runOnce()
    expect(await outbox.get(ancVisit().id)).toMatchObject({ state: 'sent', acceptedVersion: 2 })
    expect(route.posted.map((encounter) => encounter.version)).toEqual([2])
})

test.each([
    [503, 'unavailable'],
    [502, 'unavailable'],
    [401, 'signed-out'],
    [403, 'forbidden'],
    [404, 'not-found'],
] as const)('an answer %i keeps everything waiting (%s)', async (status, kind) => {
    const { outbox, loop } = page()
    await outbox.save(ancVisit())
    route.fail({ kind: 'status', status })
    expect(await loop.runOnce()).toMatchObject({ kind, status })
    expect(await outbox.get(ancVisit().id)).toMatchObject({ state: 'pending' })
})

test('a batch too large is halved until it passes', async () => {
    const { outbox, loop } = page({ ...SETTINGS, batchSize: 4 })
    for (let index = 0; index < 4; index++) await outbox.save(ancVisit({ id: `enc-${index}` }))
    route.fail({ kind: 'status', status: 413 })
    expect(await loop.runOnce()).toBeUndefined()
    const sizes = route.requests.filter((request) => request.method === 'POST').map((request) => (request.json as { encounters: unknown[] }).encounters.length)
    expect(sizes).toEqual([4, 2, 2])
    expect((await outbox.all()).every((record) => record.state === 'sent')).toBe(true)
})

test('a 400 for a compressed body is retried once as plain JSON', async () => {
    const { outbox, loop } = page()
    await outbox.save(ancVisit())
    route.fail({ kind: 'status', status: 400 })
    await loop.runOnce()
    const posts = route.requests.filter((request) => request.method === 'POST')
    expect(posts.map((request) => request.headers['Content-Encoding'])).toEqual(['gzip', undefined])
    expect(await outbox.get(ancVisit().id)).toMatchObject({ state: 'sent' })
})

test('sent encounters are followed until DHIS2 and the FHIR server have settled', async () => {
    const { outbox, loop } = page({ ...SETTINGS, statusPollSeconds: 30 })
    await outbox.save(ancVisit())
    await loop.runOnce()
    expect((await outbox.get(ancVisit().id))?.targets).toEqual({ dhis2: { state: 'accepted' }, fhir: { state: 'accepted' } })

    route.setTargets(ancVisit().id, { dhis2: { state: 'delivered', version: 1 }, fhir: { state: 'delivered', version: 1 } })
    loop.kick({ checkStatuses: true })
    loop.stop()
    await loop.runOnce()
    expect(await outbox.awaitingDelivery()).toEqual([])
    const statusRequests = route.requests.filter((request) => request.path.startsWith('encounters?ids='))
    expect(statusRequests.at(-1)?.path).toBe(`encounters?ids=${ancVisit().id}`)

    await loop.runOnce() // nothing left to follow: no request
    expect(route.requests.filter((request) => request.path.startsWith('encounters?ids='))).toHaveLength(statusRequests.length)
})

test('practice encounters go too, flagged, and the middleware skips them', async () => {
    const { outbox, loop } = page()
    await outbox.save(ancVisit({ training: true }))
    await loop.runOnce()
    expect(route.posted[0]?.training).toBe(true)
    expect((await outbox.get(ancVisit().id))?.targets).toEqual({ dhis2: { state: 'skipped' }, fhir: { state: 'skipped' } })
})
