import i18n from '@dhis2/d2-i18n'
import { Button } from '@dhis2/ui'
import React from 'react'
import { GroupError } from '../shared/group-error'
import { SelectField } from '../shared/select-field'
import { TextField } from '../shared/text-field'
import { commonDiagnoses } from './common-diagnoses'
import { emptyDiagnosis, type DiagnosisDraft } from './encounter-draft'
import styles from './encounter-form.module.css'
import { fieldId } from '../shared/field-errors'
import { fieldLabel } from '../shared/field-labels'
import { FormSection } from './form-section'
import type { SectionProps } from './section-props'

const MAX_DIAGNOSES = 20

export const DiagnosesSection = ({ value, onChange, errors }: SectionProps<'diagnoses'>) => {
    const change = (index: number, diagnosis: DiagnosisDraft) => onChange(value.map((current, at) => (at === index ? diagnosis : current)))
    const options = [
        ...commonDiagnoses().map(({ code, label }) => ({ value: code, label: `${label} (${code})` })),
        { value: 'other', label: i18n.t('Other (type the ICD-10 code)') },
    ]
    return (
        <FormSection id="diagnoses" title={i18n.t('Diagnoses')}>
            {value.map((diagnosis, index) => {
                const pointer = `/diagnoses/${index}`
                return (
                    <div key={index} className={styles.row}>
                        <SelectField
                            id={fieldId(pointer + (diagnosis.choice === 'other' ? '/choice' : '/code'))}
                            label={fieldLabel(pointer) ?? ''}
                            value={diagnosis.choice}
                            options={options}
                            emptyLabel={i18n.t('None')}
                            error={diagnosis.choice === 'other' ? undefined : errors.get(`${pointer}/code`) ?? errors.get(pointer)}
                            onChange={(choice) => change(index, { ...diagnosis, choice })}
                        />
                        {diagnosis.choice === 'other' && (
                            <TextField
                                id={fieldId(`${pointer}/code`)}
                                label={i18n.t('ICD-10 code')}
                                narrow
                                value={diagnosis.code}
                                error={errors.get(`${pointer}/code`) ?? errors.get(pointer)}
                                onChange={(code) => change(index, { ...diagnosis, code })}
                            />
                        )}
                        <TextField
                            id={fieldId(`${pointer}/text`)}
                            label={fieldLabel(`${pointer}/text`) ?? ''}
                            value={diagnosis.text}
                            error={errors.get(`${pointer}/text`)}
                            onChange={(text) => change(index, { ...diagnosis, text })}
                        />
                        {value.length > 1 && (
                            <Button small secondary onClick={() => onChange(value.filter((_, at) => at !== index))}>
                                {i18n.t('Remove diagnosis {{number}}', { number: index + 1 })}
                            </Button>
                        )}
                    </div>
                )
            })}
            <GroupError id={fieldId('/diagnoses')} error={errors.get('/diagnoses')} />
            {value.length < MAX_DIAGNOSES && (
                <div className={styles.actions}>
                    <Button small onClick={() => onChange([...value, emptyDiagnosis()])}>
                        {i18n.t('Add a diagnosis')}
                    </Button>
                </div>
            )}
        </FormSection>
    )
}
