// What belongs to this device and this user, not to the deployment: kept in localStorage under the user.
import type { Encounter } from '@smc-bridge/contract'

export interface DeviceSettings {
    practiceMode: boolean
    facilityUid?: string
    lastPractitioner?: NonNullable<Encounter['practitioner']>
}

const keyOf = (userId: string) => `smc-clinic:${userId}:device`

export function loadDeviceSettings(userId: string): DeviceSettings {
    try {
        const stored = JSON.parse(localStorage.getItem(keyOf(userId)) ?? 'null') as Partial<DeviceSettings> | null
        return { ...stored, practiceMode: stored?.practiceMode === true }
    } catch {
        return { practiceMode: false }
    }
}

export function storeDeviceSettings(userId: string, settings: DeviceSettings): void {
    localStorage.setItem(keyOf(userId), JSON.stringify(settings))
}
