// The sync loop: sends what waits in the outbox, in batches, whenever the Route answers, and asks the
// middleware how far sent encounters have got (DHIS2, FHIR) until both are settled.
//
// One pass at a time per device: a pass runs under a Web Lock where the browser has them, so two open tabs
// do not send the same records (they could, harmlessly: the id + version turns a resend into a duplicate).
import type { RouteClient, RouteFailure } from '../shared/route-client'
import type { BatchAnswer, EncounterStatusesAnswer } from '../shared/smc-bridge-api'
import { randomToken } from '../shared/random-id'
import { backoffSeconds } from './backoff'
import type { Outbox } from './outbox-store'

export interface SyncSettings {
    batchSize: number
    syncIntervalSeconds: number
    maxBackoffSeconds: number
    statusPollSeconds: number
}

export interface SyncStatus {
    passing: boolean
    /** Failed passes in a row. */
    failures: number
    /** Why the last pass stopped, when it failed. */
    problem?: RouteFailure
    lastSentAt?: string
    lastCheckedAt?: string
    nextPassAt?: string
}

export interface SyncLoopOptions {
    outbox: Outbox
    route: RouteClient
    settings: () => SyncSettings
    lockName: string
    clock?: () => Date
    random?: () => number
    isOnline?: () => boolean
}

const STATUS_IDS_PER_REQUEST = 100

export class SyncLoop {
    private status: SyncStatus = { passing: false, failures: 0 }
    private readonly listeners = new Set<(status: SyncStatus) => void>()
    private timer: ReturnType<typeof setTimeout> | undefined
    private stopped = true
    private resumed = false
    private inFlight = false
    private passAgain = false
    private compress = true
    private lastPollAt = 0
    private readonly clock: () => Date
    private readonly random: () => number
    private readonly isOnline: () => boolean

    constructor(private readonly options: SyncLoopOptions) {
        this.clock = options.clock ?? (() => new Date())
        this.random = options.random ?? Math.random
        this.isOnline = options.isOnline ?? (() => typeof navigator === 'undefined' || navigator.onLine !== false)
    }

    get current(): SyncStatus {
        return this.status
    }

    subscribe(listener: (status: SyncStatus) => void): () => void {
        this.listeners.add(listener)
        return () => this.listeners.delete(listener)
    }

    private report(change: Partial<SyncStatus>): void {
        this.status = { ...this.status, ...change }
        this.listeners.forEach((listener) => listener(this.status))
    }

    /** Queues again what a previous page left mid-send (once per loop), then passes at once. */
    async start(): Promise<void> {
        this.stopped = false
        if (!this.resumed) {
            this.resumed = true
            await this.options.outbox.resumeInterrupted()
        }
        if (!this.stopped) {
            this.schedule(0)
        }
    }

    stop(): void {
        this.stopped = true
        clearTimeout(this.timer)
    }

    /** Pass as soon as possible (after a save, when the network comes back, or on request). */
    kick({ checkStatuses = false }: { checkStatuses?: boolean } = {}): void {
        if (checkStatuses) {
            this.lastPollAt = 0
        }
        if (this.inFlight) {
            this.passAgain = true
        } else if (!this.stopped) {
            this.schedule(0)
        }
    }

    private schedule(delayMs: number): void {
        clearTimeout(this.timer)
        this.report({ nextPassAt: new Date(this.clock().getTime() + delayMs).toISOString() })
        this.timer = setTimeout(() => void this.pass(), delayMs)
    }

    private async pass(): Promise<void> {
        if (this.inFlight) {
            this.passAgain = true
            return
        }
        this.inFlight = true
        this.report({ passing: true })
        let failure: RouteFailure | undefined
        try {
            failure = await this.underLock(() => this.runOnce())
        } catch {
            failure = { kind: 'unexpected' }
        }
        this.inFlight = false
        const failures = failure ? this.status.failures + 1 : 0
        this.report(failure ? { passing: false, failures, problem: failure } : { passing: false, failures, problem: undefined })
        if (this.stopped) {
            return
        }
        const settings = this.options.settings()
        const again = this.passAgain && !failure
        this.passAgain = false
        this.schedule(again ? 0 : backoffSeconds(failures, settings.syncIntervalSeconds, settings.maxBackoffSeconds, this.random) * 1000)
    }

    private async underLock(run: () => Promise<RouteFailure | undefined>): Promise<RouteFailure | undefined> {
        const locks = typeof navigator === 'undefined' ? undefined : navigator.locks
        if (!locks) {
            return run()
        }
        // Another tab holds the lock and is passing: nothing to do here this time.
        return locks.request(this.options.lockName, { ifAvailable: true }, (lock) => (lock ? run() : undefined))
    }

    /** One pass: send everything that waits, then check delivery states if due. Returns why it stopped. */
    async runOnce(): Promise<RouteFailure | undefined> {
        if (!this.isOnline()) {
            return { kind: 'offline' }
        }
        return (await this.sendPending()) ?? (await this.checkStatuses())
    }

    private async sendPending(): Promise<RouteFailure | undefined> {
        const { outbox, route } = this.options
        let limit = this.options.settings().batchSize
        for (;;) {
            const attemptId = randomToken()
            const batch = await outbox.takeBatch(limit, attemptId)
            if (batch.length === 0) {
                return undefined
            }
            const answer = await route.post<BatchAnswer>(
                'encounters',
                { encounters: batch.map((record) => record.encounter) },
                { compress: this.compress, answered: [422] }
            )
            if (answer.ok && Array.isArray(answer.body.results)) {
                await outbox.applyResults(attemptId, batch, answer.body.results)
                this.report({ lastSentAt: this.clock().toISOString() })
                continue
            }
            const failure: RouteFailure = answer.ok ? { kind: 'unexpected', status: answer.status } : answer.failure
            if (failure.kind === 'too-large' && batch.length === 1) {
                await outbox.refuseAsTooLarge(attemptId, batch[0]!)
                continue
            }
            await outbox.release(attemptId, batch)
            if (failure.kind === 'too-large') {
                limit = Math.ceil(batch.length / 2)
                continue
            }
            if (failure.kind === 'bad-request' && this.compress) {
                // Something on the way mangles compressed bodies: send plain JSON from now on.
                this.compress = false
                continue
            }
            return failure
        }
    }

    private async checkStatuses(): Promise<RouteFailure | undefined> {
        const now = this.clock().getTime()
        if (now - this.lastPollAt < this.options.settings().statusPollSeconds * 1000) {
            return undefined
        }
        const waiting = await this.options.outbox.awaitingDelivery()
        for (let start = 0; start < waiting.length; start += STATUS_IDS_PER_REQUEST) {
            const ids = waiting.slice(start, start + STATUS_IDS_PER_REQUEST).map((record) => encodeURIComponent(record.id))
            const answer = await this.options.route.get<EncounterStatusesAnswer>(`encounters?ids=${ids.join(',')}`)
            if (!answer.ok) {
                return answer.failure
            }
            await this.options.outbox.applyStatuses(answer.body.encounters ?? [])
        }
        if (waiting.length > 0) {
            // Nothing followed yet: the next pass looks again, so a fresh send hears back soon.
            this.lastPollAt = now
            this.report({ lastCheckedAt: this.clock().toISOString() })
        }
        return undefined
    }
}
