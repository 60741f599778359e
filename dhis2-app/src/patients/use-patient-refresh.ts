import { useCallback, useEffect, useState } from 'react'
import type { RouteClient, RouteFailure } from '../shared/route-client'
import type { PatientsAnswer } from '../shared/smc-bridge-api'
import type { Facility } from '../settings/session'
import type { PatientDirectory } from './patient-directory'

export interface PatientListState {
    refreshing: boolean
    refreshedAt?: string
    problem?: RouteFailure
    refresh: () => void
}

/**
 * Keeps the facility's patients on the device up to date with the middleware's list: at start, when the
 * facility or the mode changes, and every few minutes. Offline, the device's copy is all there is.
 */
export function usePatientRefresh(
    route: RouteClient,
    directory: PatientDirectory,
    facility: Facility | undefined,
    practice: boolean,
    everyMinutes: number,
    clock: () => Date
): PatientListState {
    const [state, setState] = useState<Omit<PatientListState, 'refresh'>>({ refreshing: false })

    const refresh = useCallback(async () => {
        if (!facility) {
            return
        }
        setState((current) => ({ ...current, refreshing: true }))
        const answer = await route.get<PatientsAnswer>(`patients?orgUnit=${encodeURIComponent(facility.uid)}${practice ? '&training=true' : ''}`)
        if (answer.ok && Array.isArray(answer.body.patients)) {
            await directory.mergeFromServer(facility.uid, answer.body.patients)
            setState({ refreshing: false, refreshedAt: clock().toISOString() })
        } else {
            setState((current) => ({ ...current, refreshing: false, problem: answer.ok ? { kind: 'unexpected', status: answer.status } : answer.failure }))
        }
    }, [route, directory, facility, practice, clock])

    useEffect(() => {
        setState({ refreshing: false })
        void refresh()
        const timer = setInterval(() => void refresh(), everyMinutes * 60_000)
        return () => clearInterval(timer)
    }, [refresh, everyMinutes])

    return { ...state, refresh: () => void refresh() }
}
