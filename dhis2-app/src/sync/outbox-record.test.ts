import { ancVisit } from '../test-utils/fixtures'
import { applyItemResult, applyStatus, awaitsDelivery, canDiscard, newRecord, relativeErrors, versionForChange, type OutboxRecord } from './outbox-record'

const record = (overrides: Partial<OutboxRecord> = {}): OutboxRecord => ({ ...newRecord(ancVisit(), '2026-10-02T08:00:00.000Z'), ...overrides })

describe('the version a change carries', () => {
    test('a new encounter is version 1', () => {
        expect(versionForChange(undefined)).toBe(1)
    })

    test('a version that never left the device is changed in place', () => {
        expect(versionForChange(record({ state: 'pending', attempts: 0 }))).toBe(1)
    })

    test('a refused version is not held, so its correction keeps the number', () => {
        expect(versionForChange(record({ state: 'refused', attempts: 2 }))).toBe(1)
    })

    test.each([
        ['sent', { state: 'sent', attempts: 1, acceptedVersion: 1 }],
        ['being sent', { state: 'sending', attempts: 1, attemptId: 'A' }],
        ['back in the queue after a send without answer', { state: 'pending', attempts: 1 }],
    ] as const)('a version that may be held (%s) is never reused', (_, state) => {
        expect(versionForChange(record(state))).toBe(2)
    })

    test('an outdated copy goes above the version the middleware holds', () => {
        expect(versionForChange(record({ state: 'stale', attempts: 1, currentVersion: 4 }))).toBe(5)
    })
})

describe('applying the answer for one batch item', () => {
    const sending = record({ state: 'sending', attemptId: 'A', attempts: 1 })
    const result = { index: 3, source: 'dhis2-app', id: sending.id, version: 1 }

    test('accepted and duplicate both mean held', () => {
        for (const status of ['accepted', 'duplicate'] as const) {
            const applied = applyItemResult(sending, 'A', { ...result, status }, 'now')
            expect(applied).toMatchObject({ state: 'sent', acceptedVersion: 1, sentAt: 'now' })
            expect(applied.attemptId).toBeUndefined()
        }
    })

    test('a refusal keeps the errors, pointing into the encounter', () => {
        const applied = applyItemResult(sending, 'A', { ...result, status: 'rejected', errors: [{ path: '/encounters/3/patient/birthDate', message: 'is after the encounter date' }] }, 'now')
        expect(applied).toMatchObject({ state: 'refused', errors: [{ path: '/patient/birthDate', message: 'is after the encounter date' }] })
    })

    test('stale records the version held', () => {
        expect(applyItemResult(sending, 'A', { ...result, status: 'stale', currentVersion: 3 }, 'now')).toMatchObject({ state: 'stale', currentVersion: 3 })
    })

    test('a record changed while its batch was on the way stays queued, but learns what is held', () => {
        const changed = record({ encounter: ancVisit({ version: 2 }), state: 'pending', attempts: 0 })
        const applied = applyItemResult(changed, 'A', { ...result, status: 'accepted' }, 'now')
        expect(applied).toMatchObject({ state: 'pending', acceptedVersion: 1 })
        expect(versionForChange(applied)).toBe(2)
    })
})

test('errors of the whole batch item keep their path; other items are not touched', () => {
    expect(relativeErrors([{ path: '/encounters/1', message: 'x' }, { path: '/encounters/10/id', message: 'y' }], 1)).toEqual([
        { path: '', message: 'x' },
        { path: '/encounters/10/id', message: 'y' },
    ])
})

describe('delivery', () => {
    const sent = record({ state: 'sent', attempts: 1, acceptedVersion: 1 })

    test('waits until both targets are settled', () => {
        expect(awaitsDelivery(sent)).toBe(true)
        const mapped = applyStatus(sent, { id: sent.id, version: 1, status: 'completed', training: false, processed: true, targets: { dhis2: { state: 'delivered' }, fhir: { state: 'retrying', reason: 'HTTP 503' } } }, 'now')
        expect(awaitsDelivery(mapped)).toBe(true)
        const done = applyStatus(sent, { id: sent.id, version: 1, status: 'completed', training: false, processed: true, targets: { dhis2: { state: 'delivered' }, fhir: { state: 'failed' } } }, 'now')
        expect(awaitsDelivery(done)).toBe(false)
    })

    test('a newer version on the middleware makes the copy outdated', () => {
        expect(applyStatus(sent, { id: sent.id, version: 3, status: 'completed', training: false, processed: true, targets: {} }, 'now')).toMatchObject({ state: 'stale', currentVersion: 3 })
    })
})

test('only what no version of can be held may be deleted', () => {
    expect(canDiscard(record())).toBe(true)
    expect(canDiscard(record({ state: 'refused', attempts: 1 }))).toBe(true)
    expect(canDiscard(record({ state: 'pending', attempts: 1 }))).toBe(false)
    expect(canDiscard(record({ state: 'refused', attempts: 1, acceptedVersion: 1 }))).toBe(false)
})
