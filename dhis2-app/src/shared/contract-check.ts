// The contract checks an encounter in two stages: its structure first, and the rules that relate fields
// (ages, dates, sections) only once the structure holds. A health worker should see every problem at
// once, not one stage per save, so the fields that failed are taken out and the contract asked again,
// until it names nothing new. Every error still comes from the contract's own validateEncounter.
import { validateEncounter, type FieldError, type Validation } from '@smc-bridge/contract'

const MAX_ROUNDS = 4

const segmentsOf = (pointer: string) => pointer.split('/').slice(1).map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))

function without(candidate: unknown, pointers: string[]): unknown {
    const copy = structuredClone(candidate) as Record<string, unknown>
    for (const pointer of pointers) {
        const segments = segmentsOf(pointer)
        const last = segments.pop()
        let node: unknown = copy
        for (const segment of segments) node = (node as Record<string, unknown> | undefined)?.[segment]
        if (last !== undefined && node && typeof node === 'object') {
            if (Array.isArray(node)) node[Number(last)] = undefined
            else delete (node as Record<string, unknown>)[last]
        }
    }
    return copy
}

const within = (pointer: string, reported: string[]) => reported.some((known) => pointer === known || pointer.startsWith(`${known}/`))

export function checkWithContract(candidate: unknown, now: Date): Validation {
    const first = validateEncounter(candidate, now)
    if (first.ok) {
        return first
    }
    const errors: FieldError[] = [...first.errors]
    let current = candidate
    for (let round = 1; round < MAX_ROUNDS; round++) {
        const reported = errors.map((error) => error.path).filter((path) => path !== '')
        current = without(current, reported)
        const next = validateEncounter(current, now)
        const fresh = next.ok ? [] : next.errors.filter((error) => !within(error.path, reported))
        if (fresh.length === 0) {
            break
        }
        errors.push(...fresh)
    }
    return { ok: false, errors }
}
