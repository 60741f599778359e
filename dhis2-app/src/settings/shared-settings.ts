// Settings shared by every device of the deployment, in the app's dataStore namespace (smc-clinic/settings),
// set by an administrator. Anything missing or out of range falls back to the default.
export interface SharedSettings {
    /** Encounters per request (the middleware takes up to 100). */
    batchSize: number
    /** Seconds between sync passes while all goes well. */
    syncIntervalSeconds: number
    /** The longest wait between passes after failures. */
    maxBackoffSeconds: number
    /** Seconds between checks of where sent encounters stand. */
    statusPollSeconds: number
    /** Minutes between refreshes of the facility's patient list. */
    patientRefreshMinutes: number
}

export const DATASTORE_NAMESPACE = 'smc-clinic'
export const SETTINGS_KEY = 'settings'

export const SETTING_LIMITS: Record<keyof SharedSettings, { min: number; max: number; default: number }> = {
    batchSize: { min: 1, max: 100, default: 50 },
    syncIntervalSeconds: { min: 5, max: 3600, default: 30 },
    maxBackoffSeconds: { min: 30, max: 3600, default: 300 },
    statusPollSeconds: { min: 30, max: 86400, default: 120 },
    patientRefreshMinutes: { min: 1, max: 1440, default: 15 },
}

export const DEFAULT_SETTINGS = Object.fromEntries(
    Object.entries(SETTING_LIMITS).map(([key, limit]) => [key, limit.default])
) as unknown as SharedSettings

export function parseSharedSettings(stored: unknown): SharedSettings {
    const values = (typeof stored === 'object' && stored !== null ? stored : {}) as Record<string, unknown>
    const settings = { ...DEFAULT_SETTINGS }
    for (const [key, limit] of Object.entries(SETTING_LIMITS) as [keyof SharedSettings, (typeof SETTING_LIMITS)[keyof SharedSettings]][]) {
        const value = values[key]
        if (typeof value === 'number' && Number.isInteger(value) && value >= limit.min && value <= limit.max) {
            settings[key] = value
        }
    }
    return settings
}
