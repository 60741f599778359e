import type { FieldErrors } from '../shared/field-errors'
import type { EncounterDraft } from './encounter-draft'

/** What every section gets: its part of the draft, a way to change it, and the errors placed so far. */
export interface SectionProps<K extends keyof EncounterDraft> {
    draft: EncounterDraft
    value: EncounterDraft[K]
    onChange: (value: EncounterDraft[K]) => void
    errors: FieldErrors
}
