// How far an encounter has got, in the words the health worker sees: saved on this device, sent, in DHIS2,
// in the FHIR record, or refused (with the reason) or outdated.
import i18n from '@dhis2/d2-i18n'
import type { TargetStatus } from '../shared/smc-bridge-api'
import type { OutboxRecord } from './outbox-record'

export type EncounterProgress = 'saved' | 'sending' | 'sent' | 'in-dhis2' | 'in-fhir' | 'in-both' | 'practice' | 'refused' | 'stale'

export function progressOf(record: OutboxRecord): EncounterProgress {
    switch (record.state) {
        case 'pending':
            return 'saved'
        case 'sending':
            return 'sending'
        case 'refused':
            return 'refused'
        case 'stale':
            return 'stale'
        case 'sent': {
            const dhis2 = record.targets?.dhis2?.state === 'delivered'
            const fhir = record.targets?.fhir?.state === 'delivered'
            if (dhis2 && fhir) return 'in-both'
            if (dhis2) return 'in-dhis2'
            if (fhir) return 'in-fhir'
            return record.encounter.training ? 'practice' : 'sent'
        }
    }
}

export function progressLabel(progress: EncounterProgress): string {
    switch (progress) {
        case 'saved':
            return i18n.t('Saved on this device')
        case 'sending':
            return i18n.t('Sending')
        case 'sent':
            return i18n.t('Sent')
        case 'in-dhis2':
            return i18n.t('In DHIS2')
        case 'in-fhir':
            return i18n.t('In the FHIR record')
        case 'in-both':
            return i18n.t('In DHIS2 and the FHIR record')
        case 'practice':
            return i18n.t('Sent (practice, not counted)')
        case 'refused':
            return i18n.t('Refused')
        case 'stale':
            return i18n.t('Outdated')
    }
}

export const progressTone = (progress: EncounterProgress): 'positive' | 'negative' | 'neutral' | undefined =>
    progress === 'refused' || progress === 'stale' ? 'negative' : progress.startsWith('in-') ? 'positive' : progress === 'sent' ? undefined : 'neutral'

/** Where one target (DHIS2 or the FHIR server) stands, for a sent encounter. */
export function targetLabel(status: TargetStatus | undefined): string {
    switch (status?.state) {
        case undefined:
            return i18n.t('Waiting for news')
        case 'accepted':
            return i18n.t('Received')
        case 'mapped':
            return i18n.t('Counted, waiting to be sent')
        case 'retrying':
            return i18n.t('Trying again')
        case 'delivered':
            return i18n.t('Delivered')
        case 'failed':
            return i18n.t('Failed; the SMC team can see why')
        case 'skipped':
            return i18n.t('Not sent (practice or withdrawn)')
    }
}
