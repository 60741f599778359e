import i18n from '@dhis2/d2-i18n'
import { Button } from '@dhis2/ui'
import React from 'react'
import { CheckField } from '../shared/check-field'
import { GroupError } from '../shared/group-error'
import { SelectField } from '../shared/select-field'
import { TextField } from '../shared/text-field'
import { emptyDose, type EncounterDraft } from './encounter-draft'
import styles from './encounter-form.module.css'
import { fieldId } from '../shared/field-errors'
import { FormSection } from './form-section'
import { vaccineOptions } from './option-labels'
import { fieldAt } from '../shared/field-errors'
import type { SectionProps } from './section-props'

const MAX_DOSES = 12

type Dose = EncounterDraft['immunization']['doses'][number]

export const ImmunizationSection = ({ value, onChange, errors }: SectionProps<'immunization'>) => {
    const changeDose = (index: number, dose: Dose) => onChange({ ...value, doses: value.doses.map((current, at) => (at === index ? dose : current)) })
    return (
        <FormSection id="immunization" title={i18n.t('Vaccines given')}>
            {value.doses.map((dose, index) => {
                const pointer = `/immunization/doses/${index}`
                return (
                    <div key={index} className={styles.row}>
                        <SelectField
                            {...fieldAt(`${pointer}/vaccine`, errors)}
                            error={errors.get(`${pointer}/vaccine`) ?? errors.get(pointer)}
                            required
                            value={dose.vaccine}
                            options={vaccineOptions()}
                            emptyLabel={i18n.t('Choose…')}
                            onChange={(vaccine) => changeDose(index, { ...dose, vaccine })}
                        />
                        <TextField
                            {...fieldAt(`${pointer}/doseNumber`, errors)}
                            kind="whole"
                            narrow
                            required
                            help={dose.vaccine === 'opv' ? i18n.t('0 for the birth dose') : undefined}
                            value={dose.doseNumber}
                            onChange={(doseNumber) => changeDose(index, { ...dose, doseNumber })}
                        />
                        {value.doses.length > 1 && (
                            <Button small secondary onClick={() => onChange({ ...value, doses: value.doses.filter((_, at) => at !== index) })}>
                                {i18n.t('Remove vaccine {{number}}', { number: index + 1 })}
                            </Button>
                        )}
                    </div>
                )
            })}
            <GroupError id={fieldId('/immunization/doses')} error={errors.get('/immunization/doses')} />
            {value.doses.length < MAX_DOSES && (
                <div className={styles.actions}>
                    <Button small onClick={() => onChange({ ...value, doses: [...value.doses, emptyDose()] })}>
                        {i18n.t('Add a vaccine')}
                    </Button>
                </div>
            )}
            {value.doses.some((dose) => dose.vaccine === 'td') && (
                <CheckField {...fieldAt('/immunization/pregnant', errors)} checked={value.pregnant} onChange={(pregnant) => onChange({ ...value, pregnant })} />
            )}
        </FormSection>
    )
}
