// The one way to the middleware: the DHIS2 Route smc-bridge, called with the user's DHIS2 session. No key
// or credential is ever in the browser; DHIS2 adds the Route's key and the user's name on the way.
//
// Plain fetch, not the app-runtime data engine: the engine can send neither a gzip body nor custom headers.
import { canGzip, gzip } from './gzip'
import type { ProblemDocument } from './smc-bridge-api'

/** Why a request did not get a usable answer; each kind is what the sync loop and the screens act on. */
export type RouteFailureKind =
    | 'offline' // no answer at all: network down, DHIS2 unreachable
    | 'signed-out' // 401: the DHIS2 session expired
    | 'forbidden' // 403: the user lacks the Route's authority, or the facility is not theirs
    | 'unavailable' // 502, 503, 504: middleware down or the Route timed out
    | 'too-large' // 413
    | 'bad-request' // 400, 415: the request itself was refused
    | 'not-found' // 404: the Route or the resource does not exist
    | 'unexpected' // anything else, e.g. a login page instead of JSON

export interface RouteFailure {
    kind: RouteFailureKind
    status?: number
    problem?: ProblemDocument
}

export type RouteAnswer<T> = { ok: true; status: number; body: T } | { ok: false; failure: RouteFailure }

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>

const ROUTE_PATH = 'api/routes/smc-bridge/run/'

function failureKind(status: number): RouteFailureKind {
    if (status === 401) return 'signed-out'
    if (status === 403) return 'forbidden'
    if (status === 404) return 'not-found'
    if (status === 413) return 'too-large'
    if (status === 400 || status === 415) return 'bad-request'
    if (status === 502 || status === 503 || status === 504) return 'unavailable'
    return 'unexpected'
}

async function readJson(response: Response): Promise<unknown> {
    if (!(response.headers.get('content-type') ?? '').includes('json')) {
        return undefined
    }
    try {
        return await response.json()
    } catch {
        return undefined
    }
}

export interface RouteClient {
    get<T>(path: string): Promise<RouteAnswer<T>>
    /** POSTs JSON, gzip-compressed when the browser can. `answered` lists statuses whose body is an answer. */
    post<T>(path: string, body: unknown, options?: { compress?: boolean; answered?: number[] }): Promise<RouteAnswer<T>>
}

export function createRouteClient(baseUrl: string, fetchImpl: FetchLike = (url, init) => fetch(url, init)): RouteClient {
    const root = `${baseUrl.replace(/\/+$/, '')}/${ROUTE_PATH}`

    async function send<T>(path: string, init: RequestInit, answered: number[]): Promise<RouteAnswer<T>> {
        let response: Response
        try {
            response = await fetchImpl(root + path, {
                ...init,
                credentials: 'include',
                headers: {
                    Accept: 'application/json',
                    // Without it an expired session answers with a redirect to the login page, not a 401.
                    'X-Requested-With': 'XMLHttpRequest',
                    ...(init.headers as Record<string, string>),
                },
            })
        } catch {
            return { ok: false, failure: { kind: 'offline' } }
        }
        const body = await readJson(response)
        if ((response.ok || answered.includes(response.status)) && body !== undefined) {
            return { ok: true, status: response.status, body: body as T }
        }
        const kind = response.ok ? 'unexpected' : failureKind(response.status)
        return { ok: false, failure: { kind, status: response.status, problem: body as ProblemDocument | undefined } }
    }

    return {
        get: (path) => send(path, { method: 'GET' }, []),
        async post(path, body, { compress = true, answered = [] } = {}) {
            const json = JSON.stringify(body)
            if (compress && canGzip()) {
                // DHIS2 drops Content-Encoding when it proxies; the middleware knows gzip by its magic number.
                return send(
                    path,
                    {
                        method: 'POST',
                        headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
                        body: (await gzip(json)) as BodyInit,
                    },
                    answered
                )
            }
            return send(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: json }, answered)
        },
    }
}
