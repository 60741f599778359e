import i18n from '@dhis2/d2-i18n'
import React from 'react'
import { TextField } from '../shared/text-field'
import { VITALS_BY_TYPE, type VitalKey } from './encounter-sections'
import { FormSection } from './form-section'
import { fieldAt } from '../shared/field-errors'
import type { SectionProps } from './section-props'

/** Measurements that may have a fraction; the rest are whole numbers. */
const DECIMAL: ReadonlySet<VitalKey> = new Set(['temperatureC', 'weightKg', 'heightCm', 'spo2Percent'])

export const VitalsSection = ({ draft, value, onChange, errors }: SectionProps<'vitals'>) => (
    <FormSection id="vitals" title={i18n.t('Measurements')}>
        {VITALS_BY_TYPE[draft.type].map((key) => (
            <TextField
                key={key}
                {...fieldAt(`/vitals/${key}`, errors)}
                kind={DECIMAL.has(key) ? 'decimal' : 'whole'}
                narrow
                value={value[key]}
                onChange={(text) => onChange({ ...value, [key]: text })}
            />
        ))}
    </FormSection>
)
