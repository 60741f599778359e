// The outbox in IndexedDB. Every save lands here first, in one transaction, before anything is sent; a
// send marks its records `sending` with the batch's attempt id before the request leaves, so a reload, a
// closed tab or a power cut mid-send leaves them `sending`, and `resumeInterrupted` queues them again (the
// id + version makes the resend harmless).
import type { Encounter } from '@smc-bridge/contract'
import type { ClinicDatabase } from '../shared/clinic-database'
import type { EncounterStatus, ItemResult } from '../shared/smc-bridge-api'
import {
    applyItemResult,
    applyStatus,
    awaitsDelivery,
    canDiscard,
    newRecord,
    refuseAsTooLarge,
    releaseRecord,
    versionForChange,
    type OutboxRecord,
} from './outbox-record'

type Listener = () => void

export class Outbox {
    private readonly listeners = new Set<Listener>()

    constructor(
        private readonly database: ClinicDatabase,
        private readonly clock: () => Date = () => new Date()
    ) {}

    /** Called after every change made through this outbox. */
    subscribe(listener: Listener): () => void {
        this.listeners.add(listener)
        return () => this.listeners.delete(listener)
    }

    private changed(): void {
        this.listeners.forEach((listener) => listener())
    }

    get(id: string): Promise<OutboxRecord | undefined> {
        return this.database.get('outbox', id)
    }

    all(): Promise<OutboxRecord[]> {
        return this.database.getAll('outbox')
    }

    /**
     * Saves a new encounter or a change to one. The version is decided here, in the same transaction as
     * the write, from what the outbox holds at that moment (a send may have started since the form opened).
     */
    async save(encounter: Encounter): Promise<OutboxRecord> {
        const transaction = this.database.transaction('outbox', 'readwrite')
        const previous = await transaction.store.get(encounter.id)
        const record = newRecord({ ...encounter, version: versionForChange(previous) }, this.clock().toISOString(), previous)
        await transaction.store.put(record)
        await transaction.done
        this.changed()
        return record
    }

    /** Deletes a record no version of which the middleware can hold (see `canDiscard`); false otherwise. */
    async discard(id: string): Promise<boolean> {
        const transaction = this.database.transaction('outbox', 'readwrite')
        const record = await transaction.store.get(id)
        const discardable = record !== undefined && canDiscard(record)
        if (discardable) {
            await transaction.store.delete(id)
        }
        await transaction.done
        if (discardable) {
            this.changed()
        }
        return discardable
    }

    /** After a start: records a previous page left `sending` go back in the queue. */
    async resumeInterrupted(): Promise<number> {
        const transaction = this.database.transaction('outbox', 'readwrite')
        const interrupted = await transaction.store.index('state').getAll('sending')
        for (const record of interrupted) {
            await transaction.store.put(releaseRecord(record, record.attemptId ?? ''))
        }
        await transaction.done
        if (interrupted.length > 0) {
            this.changed()
        }
        return interrupted.length
    }

    /** The oldest pending records, marked `sending` under `attemptId`. */
    async takeBatch(limit: number, attemptId: string): Promise<OutboxRecord[]> {
        const transaction = this.database.transaction('outbox', 'readwrite')
        const pending = await transaction.store.index('state').getAll('pending')
        const batch = pending
            .sort((a, b) => a.savedAt.localeCompare(b.savedAt))
            .slice(0, limit)
            .map((record): OutboxRecord => ({ ...record, state: 'sending', attemptId, attempts: record.attempts + 1 }))
        for (const record of batch) {
            await transaction.store.put(record)
        }
        await transaction.done
        if (batch.length > 0) {
            this.changed()
        }
        return batch
    }

    private async update(ids: string[], change: (record: OutboxRecord, index: number) => OutboxRecord): Promise<void> {
        const transaction = this.database.transaction('outbox', 'readwrite')
        for (const [index, id] of ids.entries()) {
            const record = await transaction.store.get(id)
            if (record) {
                await transaction.store.put(change(record, index))
            }
        }
        await transaction.done
        this.changed()
    }

    /** Applies a batch answer; `batch` is what was sent, in order, so results are matched by index. */
    applyResults(attemptId: string, batch: OutboxRecord[], results: ItemResult[]): Promise<void> {
        const now = this.clock().toISOString()
        const byIndex = new Map(results.map((result) => [result.index, result]))
        return this.update(
            batch.map((record) => record.id),
            (record, index) => {
                const result = byIndex.get(index)
                if (result === undefined || result.id !== record.id) {
                    return releaseRecord(record, attemptId)
                }
                return applyItemResult(record, attemptId, result, now)
            }
        )
    }

    /** The batch got no usable answer: its records wait for the next attempt. */
    release(attemptId: string, batch: OutboxRecord[]): Promise<void> {
        return this.update(
            batch.map((record) => record.id),
            (record) => releaseRecord(record, attemptId)
        )
    }

    refuseAsTooLarge(attemptId: string, record: OutboxRecord): Promise<void> {
        return this.update([record.id], (current) => refuseAsTooLarge(current, attemptId))
    }

    async awaitingDelivery(): Promise<OutboxRecord[]> {
        return (await this.database.getAll('outbox')).filter(awaitsDelivery)
    }

    applyStatuses(statuses: EncounterStatus[]): Promise<void> {
        const now = this.clock().toISOString()
        const byId = new Map(statuses.map((status) => [status.id, status]))
        return this.update([...byId.keys()], (record) => applyStatus(record, byId.get(record.id) as EncounterStatus, now))
    }
}
