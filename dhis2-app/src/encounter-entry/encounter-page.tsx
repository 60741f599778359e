// Entering a new encounter for a patient, or changing one saved on this device (a new version, or the same
// one while it never left the device), or withdrawing it as entered in error.
import i18n from '@dhis2/d2-i18n'
import { Button, NoticeBox } from '@dhis2/ui'
import type { Encounter, EncounterType } from '@smc-bridge/contract'
import React, { useEffect, useState } from 'react'
import { patientDraftOf } from '../patients/patient-draft'
import { shareIdentifier, type PatientRecord } from '../patients/patient-record'
import { usePatient } from '../patients/use-patient'
import { useClinic } from '../shared/clinic-context'
import { encounterTypeLabel } from '../shared/encounter-labels'
import { localDate } from '../shared/local-date-time'
import { useNavigate } from '../shared/navigation'
import { newEncounterId } from '../shared/random-id'
import { canDiscard, versionForChange, type OutboxRecord } from '../sync/outbox-record'
import { useOutboxRecords } from '../sync/use-outbox-records'
import { draftOfEncounter, newDraft, type EncounterDraft, type EncounterIdentity } from './encounter-draft'
import { EncounterForm } from './encounter-form'
import { useSaveEncounter } from './use-save-encounter'

/** The visit number this antenatal visit most likely is: one more than those already known. */
function nextAncVisit(patient: PatientRecord, records: OutboxRecord[]): number {
    const fromMiddleware = patient.encounters.filter((encounter) => encounter.type === 'anc' && encounter.status === 'completed').map((encounter) => encounter.id)
    const fromDevice = records
        .filter((record) => record.encounter.type === 'anc' && record.encounter.status === 'completed' && shareIdentifier(patient.identifiers, record.encounter.patient.identifiers))
        .map((record) => record.id)
    return new Set([...fromMiddleware, ...fromDevice]).size + 1
}

export const NewEncounterPage = ({ patientKey, type }: { patientKey: string; type: EncounterType }) => {
    const { facility, practiceMode, device, clock } = useClinic()
    const patient = usePatient(patientKey)
    const records = useOutboxRecords()
    const [id] = useState(() => newEncounterId())
    if (patient === null) {
        return <NoticeBox warning title={i18n.t('Patient not found on this device')}>{i18n.t('Search for the patient again.')}</NoticeBox>
    }
    if (!patient || !records || !facility) {
        return null
    }
    const now = clock()
    const initial = newDraft(type, {
        now,
        patient: patientDraftOf(patient, localDate(now)),
        practitioner: device.lastPractitioner,
        ancVisitNumber: nextAncVisit(patient, records),
    })
    const identity: EncounterIdentity = {
        id,
        version: 1,
        facility: { code: facility.code, uid: facility.uid },
        identifiers: patient.identifiers,
        status: 'completed',
        training: practiceMode,
    }
    return <EncounterEditor title={encounterTypeLabel(type)} initial={initial} identity={identity} patientKey={patient.key} />
}

export const ExistingEncounterPage = ({ id }: { id: string }) => {
    const { outbox, patients, practiceMode, clock } = useClinic()
    const [found, setFound] = useState<{ record?: OutboxRecord; patient?: PatientRecord }>()

    useEffect(() => {
        let current = true
        void (async () => {
            const record = await outbox.get(id)
            const patient = record && (await patients.findByIdentifiers(record.encounter.patient.identifiers))
            if (current) setFound({ ...(record ? { record } : {}), ...(patient ? { patient } : {}) })
        })()
        return () => {
            current = false
        }
    }, [outbox, patients, id])

    if (!found) {
        return null
    }
    const { record, patient } = found
    if (!record) {
        return <NoticeBox warning title={i18n.t('This encounter is not on this device')}>{i18n.t('Only encounters entered on this device can be changed here.')}</NoticeBox>
    }
    if ((record.encounter.training === true) !== practiceMode) {
        return (
            <NoticeBox warning title={practiceMode ? i18n.t('This is a real encounter') : i18n.t('This is a practice encounter')}>
                {practiceMode ? i18n.t('Leave practice mode to open it.') : i18n.t('Turn practice mode on in the settings to open it.')}
            </NoticeBox>
        )
    }
    const { encounter } = record
    const decimalSeparator = new Intl.NumberFormat(i18n.language || 'en').formatToParts(1.5).find((part) => part.type === 'decimal')?.value ?? '.'
    const initial = draftOfEncounter(
        encounter,
        patientDraftOf(patient ?? { ...encounter.patient, key: '', facility: {}, encounters: [] }, localDate(clock())),
        decimalSeparator
    )
    const identity: EncounterIdentity = {
        id: encounter.id,
        version: versionForChange(record),
        facility: encounter.facility,
        identifiers: encounter.patient.identifiers,
        status: 'completed',
        training: encounter.training === true,
    }
    const title = `${encounterTypeLabel(encounter.type)} — ${encounter.status === 'entered-in-error' ? i18n.t('withdrawn') : i18n.t('change')}`
    return (
        <EncounterEditor
            title={title}
            initial={initial}
            identity={identity}
            patientKey={patient?.key}
            record={record}
        />
    )
}

interface EncounterEditorProps {
    title: string
    initial: EncounterDraft
    identity: EncounterIdentity
    patientKey: string | undefined
    record?: OutboxRecord
}

const EncounterEditor = ({ title, initial, identity, patientKey, record }: EncounterEditorProps) => {
    const { outbox, clock } = useClinic()
    const navigate = useNavigate()
    const save = useSaveEncounter()
    const [confirmWithdraw, setConfirmWithdraw] = useState(false)
    const leave = (saved?: string) =>
        patientKey ? navigate({ page: 'patient', key: patientKey, ...(saved ? { saved } : {}) }) : navigate({ page: 'outbox' })
    const saveAndLeave = async (encounter: Encounter) => {
        await save(encounter, patientKey)
        leave(encounter.id)
    }
    const withdrawn = record?.encounter.status === 'entered-in-error'
    return (
        <div>
            <h2>{title}</h2>
            {withdrawn && (
                <NoticeBox title={i18n.t('This visit was withdrawn')}>
                    {i18n.t('It was withdrawn as entered in error and counts nowhere. Saving here keeps it withdrawn; to count a visit again, record it anew.')}
                </NoticeBox>
            )}
            {record?.state === 'stale' && (
                <NoticeBox warning title={i18n.t('A newer version exists')}>
                    {i18n.t('Another device saved version {{version}} of this encounter. Saving here replaces it with what you see.', { version: record.currentVersion })}
                </NoticeBox>
            )}
            <EncounterForm
                initial={initial}
                identity={withdrawn ? { ...identity, status: 'entered-in-error' } : identity}
                clock={clock}
                {...(record?.state === 'refused' && record.errors ? { refusal: record.errors } : {})}
                onSave={saveAndLeave}
                onCancel={() => leave()}
                renderActions={(_, checkWithdrawal) => {
                    if (!record || withdrawn) {
                        return null
                    }
                    if (canDiscard(record)) {
                        return (
                            <Button destructive secondary onClick={() => void outbox.discard(record.id).then(() => leave())}>
                                {i18n.t('Delete from this device')}
                            </Button>
                        )
                    }
                    return confirmWithdraw ? (
                        <>
                            <Button
                                destructive
                                onClick={() => {
                                    const encounter = checkWithdrawal()
                                    if (encounter) void saveAndLeave(encounter)
                                }}
                            >
                                {i18n.t('Yes, withdraw it')}
                            </Button>
                            <Button secondary onClick={() => setConfirmWithdraw(false)}>
                                {i18n.t('Keep it')}
                            </Button>
                        </>
                    ) : (
                        <Button destructive secondary onClick={() => setConfirmWithdraw(true)}>
                            {i18n.t('Withdraw (entered in error)')}
                        </Button>
                    )
                }}
            />
        </div>
    )
}
