import i18n from '@dhis2/d2-i18n'
import { NoticeBox } from '@dhis2/ui'
import React from 'react'
import { useFormatters } from '../shared/use-formatters'
import type { SyncStatus } from './sync-loop'

/** What the sync loop is doing, and what (if anything) the health worker can do about it. */
export const SyncStatusLine = ({ status, waiting }: { status: SyncStatus; waiting: number }) => {
    const format = useFormatters()
    const next = status.nextPassAt ? format.instant(status.nextPassAt) : ''
    switch (status.problem?.kind) {
        case undefined:
            return (
                <p role="status">
                    {waiting === 0 ? i18n.t('Everything saved on this device has been sent.') : i18n.t('{{count}} waiting to be sent.', { count: waiting })}{' '}
                    {status.lastSentAt ? i18n.t('Last sent {{- when}}.', { when: format.instant(status.lastSentAt) }) : ''}
                </p>
            )
        case 'offline':
            return (
                <NoticeBox title={i18n.t('Offline')}>
                    {i18n.t('Encounters stay safe on this device and are sent when the network returns. Next try {{- when}}.', { when: next })}
                </NoticeBox>
            )
        case 'signed-out':
            return (
                <NoticeBox warning title={i18n.t('Your DHIS2 session has expired')}>
                    {i18n.t('Reload the page and sign in again. Nothing saved on this device is lost.')}
                </NoticeBox>
            )
        case 'forbidden':
            return (
                <NoticeBox warning title={i18n.t('No access to the SMC bridge')}>
                    {i18n.t('Your DHIS2 user may not send encounters (authority {{- authority}}). Ask your administrator. Nothing is lost meanwhile.', {
                        authority: 'M_smcclinic',
                    })}
                </NoticeBox>
            )
        case 'not-found':
            return (
                <NoticeBox warning title={i18n.t('The SMC bridge is not set up in DHIS2')}>
                    {i18n.t('The DHIS2 route smc-bridge is missing. Ask your administrator. Nothing is lost meanwhile.')}
                </NoticeBox>
            )
        default:
            return (
                <NoticeBox title={i18n.t('The SMC bridge is not answering')}>
                    {i18n.t('Encounters stay safe on this device. Next try {{- when}}.', { when: next })}
                    {status.problem?.problem?.detail ? ` ${status.problem.problem.detail}` : ''}
                </NoticeBox>
            )
    }
}
