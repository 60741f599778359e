import type { Encounter } from '@smc-bridge/contract'
import { useCallback } from 'react'
import { patientAfterEncounter } from '../patients/patient-updates'
import { useClinic } from '../shared/clinic-context'
import type { OutboxRecord } from '../sync/outbox-record'

/**
 * Saves an encounter: into the outbox first (that is the save; sending comes later), then the patient's
 * details as entered, the practitioner for the next form, and a nudge to the sync loop.
 */
export function useSaveEncounter(): (encounter: Encounter, patientKey: string | undefined) => Promise<OutboxRecord> {
    const { outbox, patients, sync, updateDevice, clock } = useClinic()
    return useCallback(
        async (encounter, patientKey) => {
            const record = await outbox.save(encounter)
            const patient = patientKey === undefined ? undefined : await patients.get(patientKey)
            if (patient) {
                await patients.put(patientAfterEncounter(patient, record.encounter, clock()))
            }
            if (encounter.practitioner) {
                updateDevice({ lastPractitioner: encounter.practitioner })
            }
            sync.kick()
            return record
        },
        [outbox, patients, sync, updateDevice, clock]
    )
}
