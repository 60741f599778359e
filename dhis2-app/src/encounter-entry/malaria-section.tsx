import i18n from '@dhis2/d2-i18n'
import React from 'react'
import { CheckField } from '../shared/check-field'
import { RadioGroup } from '../shared/radio-group'
import { SelectField } from '../shared/select-field'
import { FormSection } from './form-section'
import { malariaTreatmentOptions, testMethodOptions, testResultOptions } from './option-labels'
import { fieldAt } from '../shared/field-errors'
import type { SectionProps } from './section-props'

/** Test and treat: suspected, tested (RDT by default), the result, and what was given. */
export const MalariaSection = ({ value, onChange, errors }: SectionProps<'malaria'>) => (
    <FormSection id="malaria" title={i18n.t('Malaria')}>
        <CheckField {...fieldAt('/malaria/suspected', errors)} checked={value.suspected} onChange={(suspected) => onChange({ ...value, suspected })} />
        <SelectField
            {...fieldAt('/malaria/test/method', errors)}
            value={value.testMethod}
            options={testMethodOptions()}
            emptyLabel={i18n.t('Not tested')}
            onChange={(testMethod) => onChange({ ...value, testMethod, ...(testMethod === '' ? { testResult: '' } : {}) })}
        />
        {value.testMethod !== '' && (
            <RadioGroup
                {...fieldAt('/malaria/test/result', errors)}
                legend={fieldAt('/malaria/test/result', errors).label}
                required
                value={value.testResult}
                options={testResultOptions()}
                onChange={(testResult) => onChange({ ...value, testResult })}
            />
        )}
        <CheckField {...fieldAt('/malaria/severe', errors)} checked={value.severe} onChange={(severe) => onChange({ ...value, severe })} />
        <SelectField
            {...fieldAt('/malaria/treatment', errors)}
            value={value.treatment}
            options={malariaTreatmentOptions()}
            emptyLabel={i18n.t('Not given')}
            onChange={(treatment) => onChange({ ...value, treatment })}
        />
    </FormSection>
)
