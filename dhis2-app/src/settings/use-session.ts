import { useCurrentUserInfo, useDataEngine } from '@dhis2/app-runtime'
import { useEffect, useState } from 'react'
import { cachedSession, fetchSession, type Session } from './session'

export type SessionState = { loading: true } | { loading: false; session: Session; offline: boolean } | { loading: false; error: Error }

export function useSession(): SessionState {
    const engine = useDataEngine()
    // The platform has loaded /api/me before the app renders; its id tells whose cached session to trust.
    const platformUserId = useCurrentUserInfo()?.id
    const [state, setState] = useState<SessionState>({ loading: true })

    useEffect(() => {
        let current = true
        fetchSession(engine).then(
            (session) => current && setState({ loading: false, session, offline: false }),
            (error: Error) => {
                const session = cachedSession(platformUserId)
                if (current) setState(session ? { loading: false, session, offline: true } : { loading: false, error })
            }
        )
        return () => {
            current = false
        }
    }, [engine, platformUserId])

    return state
}
