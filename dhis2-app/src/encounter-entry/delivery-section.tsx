import i18n from '@dhis2/d2-i18n'
import { Button } from '@dhis2/ui'
import React from 'react'
import { GroupError } from '../shared/group-error'
import { RadioGroup } from '../shared/radio-group'
import { SelectField } from '../shared/select-field'
import { TextField } from '../shared/text-field'
import { emptyOutcome, type EncounterDraft } from './encounter-draft'
import styles from './encounter-form.module.css'
import { fieldId } from '../shared/field-errors'
import { FormSection } from './form-section'
import { birthOutcomeOptions, deliveryModeOptions, deliveryPlaceOptions, newbornSexOptions } from './option-labels'
import { fieldAt } from '../shared/field-errors'
import type { SectionProps } from './section-props'

const MAX_BABIES = 6

type Outcome = EncounterDraft['delivery']['outcomes'][number]

export const DeliverySection = ({ value, onChange, errors }: SectionProps<'delivery'>) => {
    const changeOutcome = (index: number, outcome: Outcome) => onChange({ ...value, outcomes: value.outcomes.map((current, at) => (at === index ? outcome : current)) })
    return (
        <FormSection id="delivery" title={i18n.t('Delivery')}>
            <RadioGroup {...fieldAt('/delivery/mode', errors)} legend={fieldAt('/delivery/mode', errors).label} required value={value.mode} options={deliveryModeOptions()} onChange={(mode) => onChange({ ...value, mode })} />
            <RadioGroup {...fieldAt('/delivery/place', errors)} legend={fieldAt('/delivery/place', errors).label} required value={value.place} options={deliveryPlaceOptions()} onChange={(place) => onChange({ ...value, place })} />
            <TextField
                {...fieldAt('/delivery/gestationalAgeWeeks', errors)}
                kind="whole"
                narrow
                value={value.gestationalAgeWeeks}
                onChange={(gestationalAgeWeeks) => onChange({ ...value, gestationalAgeWeeks })}
            />
            {value.outcomes.map((outcome, index) => {
                const pointer = `/delivery/outcomes/${index}`
                return (
                    <div key={index} className={styles.row}>
                        <SelectField
                            {...fieldAt(`${pointer}/outcome`, errors)}
                            error={errors.get(`${pointer}/outcome`) ?? errors.get(pointer)}
                            required
                            value={outcome.outcome}
                            options={birthOutcomeOptions()}
                            emptyLabel={i18n.t('Choose…')}
                            onChange={(chosen) => changeOutcome(index, { ...outcome, outcome: chosen })}
                        />
                        <SelectField
                            {...fieldAt(`${pointer}/sex`, errors)}
                            value={outcome.sex}
                            options={newbornSexOptions()}
                            emptyLabel={i18n.t('Not given')}
                            onChange={(sex) => changeOutcome(index, { ...outcome, sex })}
                        />
                        <TextField
                            {...fieldAt(`${pointer}/birthWeightGrams`, errors)}
                            kind="whole"
                            narrow
                            value={outcome.birthWeightGrams}
                            onChange={(birthWeightGrams) => changeOutcome(index, { ...outcome, birthWeightGrams })}
                        />
                        {value.outcomes.length > 1 && (
                            <Button small secondary onClick={() => onChange({ ...value, outcomes: value.outcomes.filter((_, at) => at !== index) })}>
                                {i18n.t('Remove baby {{number}}', { number: index + 1 })}
                            </Button>
                        )}
                    </div>
                )
            })}
            <GroupError id={fieldId('/delivery/outcomes')} error={errors.get('/delivery/outcomes')} />
            {value.outcomes.length < MAX_BABIES && (
                <div className={styles.actions}>
                    <Button small onClick={() => onChange({ ...value, outcomes: [...value.outcomes, emptyOutcome()] })}>
                        {i18n.t('Add a baby (twins, triplets)')}
                    </Button>
                </div>
            )}
        </FormSection>
    )
}
