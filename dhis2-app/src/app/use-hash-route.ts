import { useCallback, useEffect, useState } from 'react'
import { hrefOf, parseRoute, type Route } from '../shared/routes'

export function useHashRoute(): [Route, (route: Route) => void] {
    const [route, setRoute] = useState(() => parseRoute(window.location.hash))

    useEffect(() => {
        const follow = () => setRoute(parseRoute(window.location.hash))
        window.addEventListener('hashchange', follow)
        return () => window.removeEventListener('hashchange', follow)
    }, [])

    const navigate = useCallback((next: Route) => {
        window.location.hash = hrefOf(next)
        setRoute(next)
    }, [])

    return [route, navigate]
}
