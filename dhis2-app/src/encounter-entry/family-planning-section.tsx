import i18n from '@dhis2/d2-i18n'
import React from 'react'
import { RadioGroup } from '../shared/radio-group'
import { SelectField } from '../shared/select-field'
import { FormSection } from './form-section'
import { fpMethodOptions } from './option-labels'
import { fieldAt } from '../shared/field-errors'
import type { SectionProps } from './section-props'

export const FamilyPlanningSection = ({ value, onChange, errors }: SectionProps<'familyPlanning'>) => (
    <FormSection id="family-planning" title={i18n.t('Family planning')}>
        <SelectField
            {...fieldAt('/familyPlanning/method', errors)}
            required
            value={value.method}
            options={fpMethodOptions()}
            emptyLabel={i18n.t('Choose…')}
            onChange={(method) => onChange({ ...value, method })}
        />
        <RadioGroup
            {...fieldAt('/familyPlanning/newUser', errors)}
            legend={fieldAt('/familyPlanning/newUser', errors).label}
            required
            value={value.newUser}
            options={[
                { value: 'yes', label: i18n.t('Yes') },
                { value: 'no', label: i18n.t('No') },
            ]}
            onChange={(newUser) => onChange({ ...value, newUser })}
        />
    </FormSection>
)
