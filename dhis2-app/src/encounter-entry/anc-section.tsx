import i18n from '@dhis2/d2-i18n'
import React from 'react'
import { CheckField } from '../shared/check-field'
import { TextField } from '../shared/text-field'
import { FormSection } from './form-section'
import { fieldAt } from '../shared/field-errors'
import type { SectionProps } from './section-props'

export const AncSection = ({ value, onChange, errors }: SectionProps<'anc'>) => (
    <FormSection id="anc" title={i18n.t('Antenatal visit')}>
        <TextField {...fieldAt('/anc/visitNumber', errors)} kind="whole" narrow required value={value.visitNumber} onChange={(visitNumber) => onChange({ ...value, visitNumber })} />
        <TextField
            {...fieldAt('/anc/gestationalAgeWeeks', errors)}
            kind="whole"
            narrow
            required
            value={value.gestationalAgeWeeks}
            onChange={(gestationalAgeWeeks) => onChange({ ...value, gestationalAgeWeeks })}
        />
        <TextField
            {...fieldAt('/anc/iptpDose', errors)}
            kind="whole"
            narrow
            help={i18n.t('Leave empty if none was given today')}
            value={value.iptpDose}
            onChange={(iptpDose) => onChange({ ...value, iptpDose })}
        />
        <TextField {...fieldAt('/anc/hemoglobinGdl', errors)} kind="decimal" narrow value={value.hemoglobinGdl} onChange={(hemoglobinGdl) => onChange({ ...value, hemoglobinGdl })} />
        <CheckField {...fieldAt('/anc/llinGiven', errors)} checked={value.llinGiven} onChange={(llinGiven) => onChange({ ...value, llinGiven })} />
    </FormSection>
)
