import type { useDataEngine } from '@dhis2/app-runtime'
import { BAMBUI, DISTRICT, KATI, USER_ID } from '../test-utils/fixtures'
import { cachedSession, facilitiesOf, fetchSession } from './session'

type Engine = ReturnType<typeof useDataEngine>

test('only org units with a code are facilities, by name', () => {
    expect(facilitiesOf([KATI, DISTRICT, BAMBUI]).map((facility) => facility.code)).toEqual(['ML_KK_KAT_CSCOM02', 'CM_NW_BAM_CSI001'])
})

test('the session comes from /api/me and /api/organisationUnits, and is kept for an offline start', async () => {
    const queries: unknown[] = []
    const engine = {
        query: async (query: Record<string, unknown>) => {
            queries.push(query)
            return 'me' in query ? { me: { id: USER_ID, username: 'efru', organisationUnits: [{ id: BAMBUI.id }, { id: DISTRICT.id }] } } : { units: { organisationUnits: [BAMBUI, DISTRICT] } }
        },
    } as unknown as Engine
    const session = await fetchSession(engine)
    expect(queries).toEqual([
        { me: { resource: 'me', params: { fields: 'id,username,organisationUnits[id,code,displayName,level,path]' } } },
        {
            units: {
                resource: 'organisationUnits',
                params: { filter: `id:in:[${BAMBUI.id},${DISTRICT.id}]`, fields: 'id,code,displayName,level,path', paging: false },
            },
        },
    ])
    expect(session.facilities.map((facility) => facility.uid)).toEqual([BAMBUI.id])
    expect(cachedSession(USER_ID)).toEqual(session)
    expect(cachedSession('someone-else')).toBeUndefined()
})
