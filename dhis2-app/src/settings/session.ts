// Who is working and where: the DHIS2 user and the facilities they may record for. A facility is an org
// unit with a code (the contract's facility.code is the org unit code). The last answer is kept on the
// device so the app still starts when DHIS2 cannot be reached.
import type { useDataEngine } from '@dhis2/app-runtime'

type DataEngine = ReturnType<typeof useDataEngine>

export interface Facility {
    uid: string
    code: string
    name: string
    path?: string
}

export interface Session {
    userId: string
    username?: string
    facilities: Facility[]
}

export interface OrganisationUnit {
    id: string
    code?: string
    displayName?: string
    level?: number
    path?: string
}

interface MeAnswer {
    me: { id: string; username?: string; organisationUnits?: OrganisationUnit[] }
}

interface OrganisationUnitsAnswer {
    units: { organisationUnits: OrganisationUnit[] }
}

export function facilitiesOf(units: OrganisationUnit[]): Facility[] {
    const byUid = new Map<string, Facility>()
    for (const { id, code, displayName, path } of units) {
        if (code) {
            byUid.set(id, { uid: id, code, name: displayName || code, ...(path ? { path } : {}) })
        }
    }
    return [...byUid.values()].sort((a, b) => a.name.localeCompare(b.name))
}

const ORG_UNIT_FIELDS = 'id,code,displayName,level,path'
const cacheKey = 'smc-clinic:session'

export async function fetchSession(engine: DataEngine): Promise<Session> {
    const { me } = (await engine.query({
        me: { resource: 'me', params: { fields: `id,username,organisationUnits[${ORG_UNIT_FIELDS}]` } },
    })) as unknown as MeAnswer
    const assigned = me.organisationUnits ?? []
    let units = assigned
    if (assigned.length > 0) {
        // The org unit list gives each unit's code and name as DHIS2 holds them now, in the user's language.
        const { units: answer } = (await engine.query({
            units: {
                resource: 'organisationUnits',
                params: { filter: `id:in:[${assigned.map((unit) => unit.id).join(',')}]`, fields: ORG_UNIT_FIELDS, paging: false },
            },
        })) as unknown as OrganisationUnitsAnswer
        units = answer.organisationUnits
    }
    const session: Session = { userId: me.id, facilities: facilitiesOf(units), ...(me.username ? { username: me.username } : {}) }
    localStorage.setItem(cacheKey, JSON.stringify(session))
    return session
}

/** The last session this device saw, for a start without DHIS2 (only if it is the same user). */
export function cachedSession(userId: string | undefined): Session | undefined {
    try {
        const session = JSON.parse(localStorage.getItem(cacheKey) ?? 'null') as Session | null
        return session && (userId === undefined || session.userId === userId) ? session : undefined
    } catch {
        return undefined
    }
}
