// Finding a patient: search as you type, among the facility's patients kept on this device (so it works
// offline); or register a new one.
import i18n from '@dhis2/d2-i18n'
import { Button, DataTable, DataTableBody, DataTableCell, DataTableColumnHeader, DataTableHead, DataTableRow, NoticeBox } from '@dhis2/ui'
import React, { useMemo, useState } from 'react'
import { useClinic } from '../shared/clinic-context'
import { ageUnitLabel, sexLabel } from '../shared/encounter-labels'
import { useNavigate } from '../shared/navigation'
import { hrefOf } from '../shared/routes'
import { TextField } from '../shared/text-field'
import { useFormatters } from '../shared/use-formatters'
import { displayName } from './patient-record'
import { searchPatients } from './patient-search'
import styles from './patients.module.css'
import { useFacilityPatients } from './use-facility-patients'

const PatientListStatus = () => {
    const { patientList } = useClinic()
    const format = useFormatters()
    if (patientList.problem?.kind === 'forbidden') {
        return (
            <NoticeBox warning title={i18n.t('This facility is not yours in DHIS2')}>
                {i18n.t('The SMC bridge does not give its patients to your user. Choose another facility, or ask your administrator.')}
            </NoticeBox>
        )
    }
    if (patientList.problem) {
        return <p className={styles.muted}>{i18n.t('Could not update the patient list; showing the patients kept on this device.')}</p>
    }
    if (patientList.refreshedAt) {
        return <p className={styles.muted}>{i18n.t('Patient list updated {{- when}}.', { when: format.instant(patientList.refreshedAt) })}</p>
    }
    return null
}

export const PatientsPage = () => {
    const navigate = useNavigate()
    const patients = useFacilityPatients()
    const format = useFormatters()
    const [query, setQuery] = useState('')
    const found = useMemo(() => searchPatients(patients ?? [], query), [patients, query])
    return (
        <div className={styles.page}>
            <h2>{i18n.t('Patients')}</h2>
            <div className={styles.searchRow} role="search">
                <TextField
                    id="patient-search"
                    kind="search"
                    label={i18n.t('Search by name, phone or identifier')}
                    value={query}
                    onChange={setQuery}
                    autoFocus
                />
                <Button primary onClick={() => navigate({ page: 'register' })}>
                    {i18n.t('Register a new patient')}
                </Button>
            </div>
            <PatientListStatus />
            {patients && found.length === 0 && <p role="status">{query ? i18n.t('No patient found. Check the spelling, or register the patient.') : i18n.t('No patient on this device yet.')}</p>}
            {found.length > 0 && (
                <div className={styles.tableWrap}>
                    <DataTable>
                        <DataTableHead>
                            <DataTableRow>
                                <DataTableColumnHeader>{i18n.t('Name')}</DataTableColumnHeader>
                                <DataTableColumnHeader>{i18n.t('Sex')}</DataTableColumnHeader>
                                <DataTableColumnHeader>{i18n.t('Birth date or age')}</DataTableColumnHeader>
                                <DataTableColumnHeader>{i18n.t('Village or neighbourhood')}</DataTableColumnHeader>
                                <DataTableColumnHeader>{i18n.t('Phone')}</DataTableColumnHeader>
                                <DataTableColumnHeader>{i18n.t('Last visit')}</DataTableColumnHeader>
                            </DataTableRow>
                        </DataTableHead>
                        <DataTableBody>
                            {found.map((patient) => (
                                <DataTableRow key={patient.key} dataTest="patient-row">
                                    <DataTableCell>
                                        <a href={hrefOf({ page: 'patient', key: patient.key })}>{displayName(patient) || patient.identifiers[0]?.value}</a>
                                    </DataTableCell>
                                    <DataTableCell>{sexLabel(patient.sex)}</DataTableCell>
                                    <DataTableCell>
                                        {patient.birthDate ? format.date(patient.birthDate) : patient.estimatedAge ? `≈ ${patient.estimatedAge.value} ${ageUnitLabel(patient.estimatedAge.unit)}` : ''}
                                    </DataTableCell>
                                    <DataTableCell>{patient.village ?? ''}</DataTableCell>
                                    <DataTableCell>{patient.phone ?? ''}</DataTableCell>
                                    <DataTableCell>{patient.lastEncounterAt ? format.date(patient.lastEncounterAt) : ''}</DataTableCell>
                                </DataTableRow>
                            ))}
                        </DataTableBody>
                    </DataTable>
                </div>
            )}
        </div>
    )
}
