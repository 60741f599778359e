import i18n from '@dhis2/d2-i18n'
import React from 'react'
import { CheckField } from '../shared/check-field'
import { GroupError } from '../shared/group-error'
import { fieldId } from '../shared/field-errors'
import { FormSection } from './form-section'
import { treatmentOptions } from './option-labels'
import type { SectionProps } from './section-props'

export const TreatmentsSection = ({ value, onChange, errors }: SectionProps<'treatments'>) => (
    <FormSection id="treatments" title={i18n.t('Treatments given')}>
        {treatmentOptions().map((option) => (
            <CheckField
                key={option.value}
                id={fieldId(`/treatments/${option.value}`)}
                label={option.label}
                checked={value.includes(option.value)}
                onChange={(checked) => onChange(checked ? [...value, option.value] : value.filter((treatment) => treatment !== option.value))}
            />
        ))}
        <GroupError id={fieldId('/treatments')} error={errors.get('/treatments')} />
    </FormSection>
)
