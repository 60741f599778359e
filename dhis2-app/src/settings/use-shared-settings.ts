import { useDataEngine } from '@dhis2/app-runtime'
import { useCallback, useEffect, useState } from 'react'
import { DATASTORE_NAMESPACE, DEFAULT_SETTINGS, parseSharedSettings, SETTINGS_KEY, type SharedSettings } from './shared-settings'

const cacheKey = 'smc-clinic:shared-settings'

function cached(): SharedSettings {
    try {
        return parseSharedSettings(JSON.parse(localStorage.getItem(cacheKey) ?? 'null'))
    } catch {
        return DEFAULT_SETTINGS
    }
}

/** The shared settings: the last known ones at once, then DHIS2's (a missing key means the defaults). */
export function useSharedSettings(): { settings: SharedSettings; save: (settings: SharedSettings) => Promise<void> } {
    const engine = useDataEngine()
    const [settings, setSettings] = useState<SharedSettings>(cached)

    const keep = useCallback((next: SharedSettings) => {
        localStorage.setItem(cacheKey, JSON.stringify(next))
        setSettings(next)
    }, [])

    useEffect(() => {
        let current = true
        engine
            .query({ settings: { resource: `dataStore/${DATASTORE_NAMESPACE}/${SETTINGS_KEY}` } })
            .then(
                ({ settings: stored }) => current && keep(parseSharedSettings(stored)),
                (error: { details?: { httpStatusCode?: number } }) => {
                    if (current && error.details?.httpStatusCode === 404) keep(DEFAULT_SETTINGS)
                }
            )
        return () => {
            current = false
        }
    }, [engine, keep])

    const save = useCallback(
        async (next: SharedSettings) => {
            await engine.mutate({ type: 'update', resource: `dataStore/${DATASTORE_NAMESPACE}`, id: SETTINGS_KEY, data: { ...next } })
            keep(next)
        },
        [engine, keep]
    )

    return { settings, save }
}
