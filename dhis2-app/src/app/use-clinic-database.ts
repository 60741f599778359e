import { useEffect, useState } from 'react'
import { openClinicDatabase, type ClinicDatabase } from '../shared/clinic-database'

export function useClinicDatabase(userId: string): { database?: ClinicDatabase; error?: Error } {
    const [state, setState] = useState<{ database?: ClinicDatabase; error?: Error }>({})

    useEffect(() => {
        let opened: ClinicDatabase | undefined
        let current = true
        openClinicDatabase(userId).then(
            (database) => {
                opened = database
                if (current) setState({ database })
                else database.close()
            },
            (error: Error) => current && setState({ error })
        )
        return () => {
            current = false
            opened?.close()
        }
    }, [userId])

    return state
}
