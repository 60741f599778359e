import { useEffect, useState } from 'react'
import { useClinic } from '../shared/clinic-context'
import type { SyncStatus } from './sync-loop'

export function useSyncStatus(): SyncStatus {
    const { sync } = useClinic()
    const [status, setStatus] = useState(sync.current)
    useEffect(() => {
        setStatus(sync.current)
        return sync.subscribe(setStatus)
    }, [sync])
    return status
}
