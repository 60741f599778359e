// The outbox: what waits on this device, and where each encounter saved here stands.
import i18n from '@dhis2/d2-i18n'
import {
    Button,
    DataTable,
    DataTableBody,
    DataTableCell,
    DataTableColumnHeader,
    DataTableHead,
    DataTableRow,
    Tag,
} from '@dhis2/ui'
import React from 'react'
import { displayName } from '../patients/patient-record'
import { useClinic } from '../shared/clinic-context'
import { encounterTypeLabel } from '../shared/encounter-labels'
import { useNavigate } from '../shared/navigation'
import { useFormatters } from '../shared/use-formatters'
import { targetLabel } from './encounter-progress'
import type { OutboxRecord } from './outbox-record'
import { ProgressTag } from './progress-tag'
import { RefusalReasons } from './refusal-reasons'
import { SyncStatusLine } from './sync-status-line'
import { useOutboxRecords } from './use-outbox-records'
import { useSyncStatus } from './use-sync-status'

const needsAttention = (record: OutboxRecord) => record.state === 'refused' || record.state === 'stale'

export const OutboxPage = () => {
    const { sync } = useClinic()
    const records = useOutboxRecords()
    const status = useSyncStatus()
    const navigate = useNavigate()
    const format = useFormatters()
    if (!records) {
        return null
    }
    const waiting = records.filter((record) => record.state === 'pending' || record.state === 'sending').length
    const refused = records.filter(needsAttention).length
    const sorted = [...records].sort((a, b) => Number(needsAttention(b)) - Number(needsAttention(a)) || b.savedAt.localeCompare(a.savedAt))
    return (
        <div>
            <h2>{i18n.t('Outbox')}</h2>
            <SyncStatusLine status={status} waiting={waiting} />
            {refused > 0 && (
                <p role="alert">
                    <strong>{i18n.t('{{count}} refused. Open each one, correct it and save it again.', { count: refused })}</strong>
                </p>
            )}
            <Button onClick={() => sync.kick({ checkStatuses: true })} disabled={status.passing}>
                {status.passing ? i18n.t('Sending…') : i18n.t('Send and check now')}
            </Button>
            {records.length === 0 ? (
                <p>{i18n.t('Nothing has been saved on this device yet.')}</p>
            ) : (
                <div style={{ overflowX: 'auto' }}>
                    <DataTable>
                        <DataTableHead>
                            <DataTableRow>
                                <DataTableColumnHeader>{i18n.t('Patient')}</DataTableColumnHeader>
                                <DataTableColumnHeader>{i18n.t('Visit')}</DataTableColumnHeader>
                                <DataTableColumnHeader>{i18n.t('State')}</DataTableColumnHeader>
                                <DataTableColumnHeader>{i18n.t('DHIS2')}</DataTableColumnHeader>
                                <DataTableColumnHeader>{i18n.t('FHIR record')}</DataTableColumnHeader>
                                <DataTableColumnHeader>{i18n.t('Action')}</DataTableColumnHeader>
                            </DataTableRow>
                        </DataTableHead>
                        <DataTableBody>
                            {sorted.map((record) => (
                                <DataTableRow key={record.id} dataTest={`outbox-${record.id}`}>
                                    <DataTableCell>{displayName(record.encounter.patient) || record.encounter.patient.identifiers[0]?.value}</DataTableCell>
                                    <DataTableCell>
                                        {encounterTypeLabel(record.encounter.type)}, {format.dateTime(record.encounter.occurredAt)}
                                        {record.encounter.status === 'entered-in-error' && <Tag neutral>{i18n.t('Withdrawn')}</Tag>}
                                    </DataTableCell>
                                    <DataTableCell>
                                        <ProgressTag record={record} />
                                        <RefusalReasons record={record} />
                                    </DataTableCell>
                                    <DataTableCell>{record.state === 'sent' ? targetLabel(record.targets?.dhis2) : '—'}</DataTableCell>
                                    <DataTableCell>{record.state === 'sent' ? targetLabel(record.targets?.fhir) : '—'}</DataTableCell>
                                    <DataTableCell>
                                        <Button small primary={needsAttention(record)} onClick={() => navigate({ page: 'encounter', id: record.id })}>
                                            {needsAttention(record) ? i18n.t('Correct') : i18n.t('Open')}
                                        </Button>
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
