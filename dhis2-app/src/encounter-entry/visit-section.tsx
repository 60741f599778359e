import i18n from '@dhis2/d2-i18n'
import React from 'react'
import { SelectField } from '../shared/select-field'
import { TextField } from '../shared/text-field'
import type { EncounterDraft } from './encounter-draft'
import type { FieldErrors } from '../shared/field-errors'
import { FormSection } from './form-section'
import { roleOptions } from './option-labels'
import { fieldAt } from '../shared/field-errors'

interface VisitSectionProps {
    draft: EncounterDraft
    onChange: (change: Partial<EncounterDraft>) => void
    errors: FieldErrors
    autoFocus?: boolean
}

/** When, and by whom; today, now and the last practitioner are filled in already. */
export const VisitSection = ({ draft, onChange, errors, autoFocus }: VisitSectionProps) => (
    <FormSection id="visit" title={i18n.t('Visit')}>
        <TextField {...fieldAt('/occurredAt', errors)} kind="date" required value={draft.date} onChange={(date) => onChange({ date })} autoFocus={autoFocus} />
        <TextField {...fieldAt('/time', errors)} kind="time" required value={draft.time} onChange={(time) => onChange({ time })} />
        <TextField
            {...fieldAt('/practitioner/name', errors)}
            value={draft.practitionerName}
            onChange={(practitionerName) => onChange({ practitionerName })}
            autoComplete="name"
        />
        <SelectField
            {...fieldAt('/practitioner/role', errors)}
            value={draft.practitionerRole}
            options={roleOptions()}
            emptyLabel={i18n.t('Not given')}
            onChange={(practitionerRole) => onChange({ practitionerRole })}
        />
    </FormSection>
)
