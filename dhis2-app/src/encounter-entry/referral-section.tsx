import i18n from '@dhis2/d2-i18n'
import React from 'react'
import { RadioGroup } from '../shared/radio-group'
import { TextField } from '../shared/text-field'
import { FormSection } from './form-section'
import { urgencyOptions } from './option-labels'
import { fieldAt } from '../shared/field-errors'
import type { SectionProps } from './section-props'

export const ReferralSection = ({ value, onChange, errors }: SectionProps<'referral'>) => (
    <FormSection id="referral" title={i18n.t('Referral')}>
        <TextField {...fieldAt('/referral/target/name', errors)} required value={value.targetName} onChange={(targetName) => onChange({ ...value, targetName })} />
        <TextField {...fieldAt('/referral/target/code', errors)} narrow value={value.targetCode} onChange={(targetCode) => onChange({ ...value, targetCode })} />
        <RadioGroup
            {...fieldAt('/referral/urgency', errors)}
            legend={fieldAt('/referral/urgency', errors).label}
            required
            value={value.urgency}
            options={urgencyOptions()}
            onChange={(urgency) => onChange({ ...value, urgency })}
        />
        <TextField {...fieldAt('/referral/reason', errors)} value={value.reason} onChange={(reason) => onChange({ ...value, reason })} />
    </FormSection>
)
