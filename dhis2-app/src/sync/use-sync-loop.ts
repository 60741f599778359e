import { useEffect, useState, type MutableRefObject } from 'react'
import type { RouteClient } from '../shared/route-client'
import type { Outbox } from './outbox-store'
import { SyncLoop, type SyncSettings } from './sync-loop'

/** The device's sync loop, running while the app is open; it passes at once when the network returns. */
export function useSyncLoop(outbox: Outbox, route: RouteClient, settings: MutableRefObject<SyncSettings>, lockName: string, clock: () => Date): SyncLoop {
    const [loop] = useState(() => new SyncLoop({ outbox, route, settings: () => settings.current, lockName, clock }))

    useEffect(() => {
        void loop.start()
        const online = () => loop.kick()
        window.addEventListener('online', online)
        return () => {
            window.removeEventListener('online', online)
            loop.stop()
        }
    }, [loop])

    return loop
}
