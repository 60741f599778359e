// One patient: who they are, a new encounter of any type, and their past encounters (those of this
// device can be opened and changed; those of other systems are shown as they are).
import i18n from '@dhis2/d2-i18n'
import { Button, DataTable, DataTableBody, DataTableCell, DataTableColumnHeader, DataTableHead, DataTableRow, NoticeBox, Tag } from '@dhis2/ui'
import { ENCOUNTER_TYPES } from '@smc-bridge/contract'
import React from 'react'
import { useClinic } from '../shared/clinic-context'
import { localDate } from '../shared/local-date-time'
import { ageUnitLabel, encounterTypeLabel, sexLabel } from '../shared/encounter-labels'
import { useNavigate } from '../shared/navigation'
import { SOURCE } from '../shared/smc-bridge-api'
import { useFormatters } from '../shared/use-formatters'
import { ProgressTag } from '../sync/progress-tag'
import { useOutboxRecords } from '../sync/use-outbox-records'
import { estimatedAgeOn } from './patient-age'
import { patientHistory } from './patient-history'
import { displayName } from './patient-record'
import styles from './patients.module.css'
import { usePatient } from './use-patient'

export const PatientPage = ({ patientKey, saved }: { patientKey: string; saved?: string | undefined }) => {
    const patient = usePatient(patientKey)
    const records = useOutboxRecords()
    const navigate = useNavigate()
    const format = useFormatters()
    const { clock } = useClinic()
    if (patient === null) {
        return <NoticeBox warning title={i18n.t('Patient not found on this device')}>{i18n.t('Search for the patient again.')}</NoticeBox>
    }
    if (!patient || !records) {
        return null
    }
    const history = patientHistory(patient, records)
    const justSaved = saved ? records.find((record) => record.id === saved) : undefined
    const today = localDate(clock())
    const age = patient.estimatedAge && estimatedAgeOn(patient.estimatedAge, patient.estimatedAgeOn ?? today, today)
    return (
        <div className={styles.page}>
            {justSaved && (
                <NoticeBox valid title={i18n.t('Saved on this device')}>
                    {i18n.t('It is sent to the SMC bridge as soon as the network allows; the Outbox shows where it stands.')}
                </NoticeBox>
            )}
            <h2>{displayName(patient) || patient.identifiers[0]?.value}</h2>
            <dl className={styles.facts}>
                <dt>{i18n.t('Sex')}</dt>
                <dd>{sexLabel(patient.sex)}</dd>
                <dt>{i18n.t('Birth date or age')}</dt>
                <dd>
                    {patient.birthDate ? format.date(patient.birthDate) : ''}
                    {patient.birthDateEstimated ? ` (${i18n.t('estimated')})` : ''}
                    {age ? `≈ ${age.value} ${ageUnitLabel(age.unit)}` : ''}
                </dd>
                {patient.phone && (
                    <>
                        <dt>{i18n.t('Phone')}</dt>
                        <dd>{patient.phone}</dd>
                    </>
                )}
                {patient.village && (
                    <>
                        <dt>{i18n.t('Village or neighbourhood')}</dt>
                        <dd>{patient.village}</dd>
                    </>
                )}
                <dt>{i18n.t('Identifiers')}</dt>
                <dd>{patient.identifiers.map((identifier) => identifier.value).join(', ')}</dd>
            </dl>
            <h3>{i18n.t('New encounter')}</h3>
            <div className={styles.actions}>
                {ENCOUNTER_TYPES.map((type) => (
                    <Button key={type} onClick={() => navigate({ page: 'new-encounter', patientKey: patient.key, type })}>
                        {encounterTypeLabel(type)}
                    </Button>
                ))}
            </div>
            <h3>{i18n.t('Past encounters')}</h3>
            {history.length === 0 ? (
                <p>{i18n.t('None yet.')}</p>
            ) : (
                <div className={styles.tableWrap}>
                    <DataTable>
                        <DataTableHead>
                            <DataTableRow>
                                <DataTableColumnHeader>{i18n.t('Date')}</DataTableColumnHeader>
                                <DataTableColumnHeader>{i18n.t('Visit')}</DataTableColumnHeader>
                                <DataTableColumnHeader>{i18n.t('State')}</DataTableColumnHeader>
                                <DataTableColumnHeader>{i18n.t('Action')}</DataTableColumnHeader>
                            </DataTableRow>
                        </DataTableHead>
                        <DataTableBody>
                            {history.map((past) => (
                                <DataTableRow key={`${past.source}|${past.id}`} dataTest="past-encounter">
                                    <DataTableCell>{format.dateTime(past.occurredAt)}</DataTableCell>
                                    <DataTableCell>
                                        {encounterTypeLabel(past.type)} {past.status === 'entered-in-error' && <Tag neutral>{i18n.t('Withdrawn')}</Tag>}
                                    </DataTableCell>
                                    <DataTableCell>{past.record ? <ProgressTag record={past.record} /> : <Tag>{i18n.t('In the SMC bridge')}</Tag>}</DataTableCell>
                                    <DataTableCell>
                                        {past.record ? (
                                            <Button small onClick={() => navigate({ page: 'encounter', id: past.id })}>
                                                {i18n.t('Open')}
                                            </Button>
                                        ) : (
                                            <span className={styles.muted}>
                                                {past.source === SOURCE ? i18n.t('Entered on another device') : i18n.t('Recorded in {{- source}}; read only', { source: past.source })}
                                            </span>
                                        )}
                                    </DataTableCell>
                                </DataTableRow>
                            ))}
                        </DataTableBody>
                    </DataTable>
                </div>
            )}
        </div>
    )
}
