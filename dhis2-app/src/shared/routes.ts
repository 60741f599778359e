// The app's screens, in the URL's hash so the browser's back button and a reload keep the place.
import { ENCOUNTER_TYPES, type EncounterType } from '@smc-bridge/contract'

export type Route =
    | { page: 'patients' }
    | { page: 'register' }
    | { page: 'patient'; key: string; saved?: string }
    | { page: 'new-encounter'; patientKey: string; type: EncounterType }
    | { page: 'encounter'; id: string }
    | { page: 'outbox' }
    | { page: 'settings' }

const isType = (value: string): value is EncounterType => (ENCOUNTER_TYPES as readonly string[]).includes(value)

export function parseRoute(hash: string): Route {
    const [path = '', query = ''] = hash.replace(/^#/, '').split('?')
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent)
    const params = new URLSearchParams(query)
    switch (parts[0]) {
        case 'outbox':
            return { page: 'outbox' }
        case 'settings':
            return { page: 'settings' }
        case 'patients':
            if (parts[1] === 'new') return { page: 'register' }
            if (parts[1]) return params.get('saved') ? { page: 'patient', key: parts[1], saved: params.get('saved') as string } : { page: 'patient', key: parts[1] }
            return { page: 'patients' }
        case 'encounters': {
            const type = params.get('type') ?? ''
            const patientKey = params.get('patient')
            if (parts[1] === 'new' && patientKey && isType(type)) return { page: 'new-encounter', patientKey, type }
            if (parts[1] && parts[1] !== 'new') return { page: 'encounter', id: parts[1] }
            return { page: 'patients' }
        }
        default:
            return { page: 'patients' }
    }
}

export function hrefOf(route: Route): string {
    switch (route.page) {
        case 'patients':
            return '#/patients'
        case 'register':
            return '#/patients/new'
        case 'patient':
            return `#/patients/${encodeURIComponent(route.key)}${route.saved ? `?saved=${encodeURIComponent(route.saved)}` : ''}`
        case 'new-encounter':
            return `#/encounters/new?${new URLSearchParams({ patient: route.patientKey, type: route.type }).toString()}`
        case 'encounter':
            return `#/encounters/${encodeURIComponent(route.id)}`
        case 'outbox':
            return '#/outbox'
        case 'settings':
            return '#/settings'
    }
}
