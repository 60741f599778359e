import { createContext, useContext } from 'react'
import type { Route } from './routes'

export const NavigationContext = createContext<(route: Route) => void>(() => undefined)

/** Goes to another screen. */
export const useNavigate = () => useContext(NavigationContext)
