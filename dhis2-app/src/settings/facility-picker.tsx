import i18n from '@dhis2/d2-i18n'
import React from 'react'
import { useClinic } from '../shared/clinic-context'
import { SelectField } from '../shared/select-field'

/** The facility the encounters are for, when the user works at more than one. */
export const FacilityPicker = ({ id = 'facility-picker' }: { id?: string }) => {
    const { session, facility, updateDevice } = useClinic()
    if (session.facilities.length < 2) {
        return facility ? <span>{facility.name}</span> : null
    }
    return (
        <SelectField
            id={id}
            label={i18n.t('Facility')}
            value={facility?.uid ?? ''}
            options={session.facilities.map((candidate) => ({ value: candidate.uid, label: candidate.name }))}
            emptyLabel={facility ? undefined : i18n.t('Choose your facility…')}
            onChange={(uid) => uid && updateDevice({ facilityUid: uid })}
        />
    )
}
