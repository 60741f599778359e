// A stand-in for the middleware behind the DHIS2 Route, in memory, for the app's tests. It follows the API
// the app is written against (POST encounters, GET encounters?ids=, GET patients?orgUnit=) and judges each
// encounter with the shared contract and the version rule, as the middleware does. Faults are queued per
// request: no answer at all, an HTTP status, a reply lost after the batch was stored, or a request that
// never ends (a power cut mid-send).
import { validateEncounter, type Encounter, type FieldError } from '@smc-bridge/contract'
import { gunzipSync } from 'zlib'
import type { FetchLike } from '../shared/route-client'
import type { EncounterStatus, ItemResult, ServerPatient, TargetStatus } from '../shared/smc-bridge-api'

export type Fault = { kind: 'offline' } | { kind: 'status'; status: number; body?: unknown } | { kind: 'lose-reply' } | { kind: 'hang' }

export interface SentRequest {
    method: string
    path: string
    headers: Record<string, string>
    /** The body as sent (bytes when gzip-compressed). */
    raw?: unknown
    /** The body decoded: JSON, gunzipped first when it starts with gzip's magic number. */
    json?: unknown
}

interface Held {
    encounter: Encounter
    targets: EncounterStatus['targets']
}

const jsonAnswer = (status: number, body: unknown, type = 'application/json') =>
    ({
        ok: status >= 200 && status < 300,
        status,
        headers: { get: (name: string) => (name.toLowerCase() === 'content-type' ? type : null) },
        json: async () => body,
    }) as unknown as Response

function decode(body: unknown): unknown {
    if (body === undefined || body === null) return undefined
    if (typeof body === 'string') return JSON.parse(body)
    const bytes = Buffer.from(body as Uint8Array)
    const text = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8')
    return JSON.parse(text)
}

export class RouteFake {
    readonly requests: SentRequest[] = []
    readonly held = new Map<string, Held>()
    private readonly faults: Fault[] = []
    /** Patients by org unit uid: [real, practice]. */
    readonly patients = new Map<string, { real: ServerPatient[]; practice: ServerPatient[] }>()
    /** Org units the user may read (403 for the others). */
    readonly allowedOrgUnits = new Set<string>()
    /** An extra refusal, beyond the contract (the middleware may know more). */
    refuse: (encounter: Encounter) => FieldError[] | undefined = () => undefined
    /** While true, no request gets any answer (after the queued faults). */
    offline = false
    now = () => new Date()

    /** Queues faults for the next requests, in order. */
    fail(...faults: Fault[]): this {
        this.faults.push(...faults)
        return this
    }

    /** The encounters of every POST so far, in order. */
    get posted(): Encounter[] {
        return this.requests.filter((request) => request.method === 'POST').flatMap((request) => (request.json as { encounters: Encounter[] }).encounters)
    }

    setTargets(id: string, targets: { dhis2?: TargetStatus; fhir?: TargetStatus }): void {
        const held = this.held.get(id)
        if (held) held.targets = { ...held.targets, ...targets }
    }

    readonly fetch: FetchLike = async (url, init) => {
        const path = url.slice(url.indexOf('/api/routes/smc-bridge/run/') + '/api/routes/smc-bridge/run/'.length)
        const request: SentRequest = { method: init.method ?? 'GET', path, headers: { ...(init.headers as Record<string, string>) }, raw: init.body, json: decode(init.body) }
        this.requests.push(request)
        const fault = this.faults.shift() ?? (this.offline ? ({ kind: 'offline' } as const) : undefined)
        if (fault?.kind === 'offline') throw new TypeError('Failed to fetch')
        if (fault?.kind === 'hang') return new Promise<Response>(() => undefined)
        if (fault?.kind === 'status') return jsonAnswer(fault.status, fault.body ?? { title: 'fault', status: fault.status }, 'application/problem+json')
        const answer = this.answer(request)
        if (fault?.kind === 'lose-reply') throw new TypeError('Failed to fetch')
        return answer
    }

    private answer({ method, path, json }: SentRequest): Response {
        const [resource = '', query = ''] = path.split('?')
        const params = new URLSearchParams(query)
        if (method === 'POST' && resource === 'encounters') {
            return this.ingest((json as { encounters: unknown[] }).encounters)
        }
        if (method === 'GET' && resource === 'encounters') {
            const ids = (params.get('ids') ?? '').split(',').filter(Boolean)
            const encounters = ids.flatMap((id) => {
                const held = this.held.get(id)
                if (!held) return []
                const { encounter, targets } = held
                return [{ id, version: encounter.version, status: encounter.status, training: encounter.training === true, processed: true, targets }]
            })
            return jsonAnswer(200, { encounters })
        }
        if (method === 'GET' && resource === 'patients') {
            const orgUnit = params.get('orgUnit') ?? ''
            if (!this.allowedOrgUnits.has(orgUnit)) return jsonAnswer(403, { title: 'Forbidden', status: 403 }, 'application/problem+json')
            const lists = this.patients.get(orgUnit) ?? { real: [], practice: [] }
            return jsonAnswer(200, { patients: params.get('training') === 'true' ? lists.practice : lists.real })
        }
        return jsonAnswer(404, { title: 'Not Found', status: 404 }, 'application/problem+json')
    }

    private ingest(encounters: unknown[]): Response {
        const results: ItemResult[] = encounters.map((candidate, index) => {
            const { id = '', version = 0, source = '' } = candidate as Partial<Encounter>
            const validation = validateEncounter(candidate, this.now(), ['encounters', index])
            const extra = validation.ok ? this.refuse(validation.encounter) : undefined
            if (!validation.ok || extra) {
                const errors = validation.ok ? (extra ?? []).map((error) => ({ ...error, path: `/encounters/${index}${error.path}` })) : validation.errors
                return { index, status: 'rejected', source, id, version, errors }
            }
            const held = this.held.get(id)
            if (held && held.encounter.version === version) return { index, status: 'duplicate', source, id, version }
            if (held && held.encounter.version > version) return { index, status: 'stale', source, id, version, currentVersion: held.encounter.version }
            const skipped = validation.encounter.training === true
            this.held.set(id, {
                encounter: validation.encounter,
                targets: skipped ? { dhis2: { state: 'skipped' }, fhir: { state: 'skipped' } } : { dhis2: { state: 'accepted' }, fhir: { state: 'accepted' } },
            })
            return { index, status: 'accepted', source, id, version }
        })
        const counts = { accepted: 0, duplicate: 0, stale: 0, rejected: 0 }
        results.forEach((result) => counts[result.status]++)
        return jsonAnswer(counts.rejected === results.length ? 422 : 202, { counts, results })
    }
}
