import i18n from '@dhis2/d2-i18n'
import React from 'react'
import { RadioGroup } from '../shared/radio-group'
import { TextField } from '../shared/text-field'
import { FormSection } from './form-section'
import { postnatalSubjectOptions } from './option-labels'
import { fieldAt } from '../shared/field-errors'
import type { SectionProps } from './section-props'

export const PostnatalSection = ({ value, onChange, errors }: SectionProps<'postnatal'>) => (
    <FormSection id="postnatal" title={i18n.t('Postnatal visit')}>
        <RadioGroup
            {...fieldAt('/postnatal/subject', errors)}
            legend={fieldAt('/postnatal/subject', errors).label}
            value={value.subject}
            options={postnatalSubjectOptions()}
            onChange={(subject) => onChange({ ...value, subject })}
        />
        <TextField
            {...fieldAt('/postnatal/daysAfterDelivery', errors)}
            kind="whole"
            narrow
            required
            value={value.daysAfterDelivery}
            onChange={(daysAfterDelivery) => onChange({ ...value, daysAfterDelivery })}
        />
    </FormSection>
)
