// The form's check before saving: the shared contract's `validateEncounter` on the whole encounter, the
// same call the middleware makes (through checkWithContract, to name every problem at once).
import type { Encounter, FieldError } from '@smc-bridge/contract'
import { checkWithContract } from '../shared/contract-check'
import { encounterCandidate, type EncounterDraft, type EncounterIdentity } from './encounter-draft'

export type DraftCheck = { ok: true; encounter: Encounter } | { ok: false; errors: FieldError[] }

export function checkDraft(draft: EncounterDraft, identity: EncounterIdentity, now: Date, recordedAt: string): DraftCheck {
    const { candidate, inputErrors } = encounterCandidate(draft, identity, recordedAt)
    const result = checkWithContract(candidate, now)
    if (result.ok && inputErrors.length === 0) {
        return result
    }
    // A field that holds no number was left out of the candidate; the contract may then call it missing.
    const unreadable = new Set(inputErrors.map((error) => error.path))
    const contractErrors = result.ok ? [] : result.errors.filter((error) => !unreadable.has(error.path))
    // The app sets recordedAt itself (now): an error about it follows from one about the visit's date and
    // time, which is the one a health worker can fix; saying both reads as two problems.
    const visitRefused = contractErrors.some((error) => error.path === '/occurredAt')
    const shown = visitRefused ? contractErrors.filter((error) => error.path !== '/recordedAt') : contractErrors
    return { ok: false, errors: [...inputErrors, ...shown] }
}
