// Districts from DHIS2's org unit hierarchy (the stand-in over HTTP, through the DHIS2 client): a facility's
// parent or its ancestor at a level, read page by page, kept in Redis; a facility DHIS2 does not hold is
// placed by its code and counted; DHIS2 refusing is an error, DHIS2 not answering falls back to the codes.
import { Redis } from 'ioredis';
import { DEFAULT_PERSONAL_ACCESS_TOKEN, orgUnitUid, startDhis2StandInServer, standInMetadata, type Dhis2StandInServer } from '@smc-bridge/stand-ins';
import { Dhis2Client } from '../../src/dhis2/dhis2-client.js';
import { districtMap, HierarchyRefused, OrgUnitDistricts, readOrgUnits } from '../../src/quality/org-unit-districts.js';
import { RedisKeys } from '../../src/redis/keys.js';
import { deleteKeysOf, TEST_REDIS_URL, uniquePrefix } from '../support/redis.js';

const prefix = uniquePrefix('dq-districts');
const keys = new RedisKeys(prefix);
let redis: Redis;
let dhis2: Dhis2StandInServer;
const clientOf = (token = DEFAULT_PERSONAL_ACCESS_TOKEN, url = dhis2.url) => new Dhis2Client({ url, auth: { kind: 'token', token }, timeoutMs: 5000 });

beforeAll(async () => {
  redis = new Redis(TEST_REDIS_URL);
  const metadata = standInMetadata(['CM_NW_BAM_CSI001', 'CM_NW_BAM_CSI002', 'CM_SW_BUE_CSI001']);
  (metadata.organisationUnits as unknown as Record<string, unknown>[]).push({ id: orgUnitUid('NKWEN-HC'), code: 'NKWEN-HC', name: 'CSI Nkwen', shortName: 'CSI Nkwen', openingDate: '2000-01-01', parent: { id: orgUnitUid('CM_NW_BAM') } });
  dhis2 = await startDhis2StandInServer({ metadata });
});
afterAll(async () => {
  redis.disconnect();
  await dhis2.close();
  await deleteKeysOf(prefix);
});

test("a facility's district is its parent, or its ancestor at a level; paging reads every unit", async () => {
  const units = await readOrgUnits(clientOf(), 2);
  expect(units.length).toBe(3 + 2 + 4); // country, 2 regions, 2 districts, 4 facilities
  expect(await readOrgUnits(clientOf())).toEqual(units);
  const byParent = districtMap(units, 'parent');
  expect(byParent.get('CM_NW_BAM_CSI001')).toBe('CM_NW_BAM');
  expect(byParent.get('NKWEN-HC')).toBe('CM_NW_BAM');
  expect(byParent.get('CM_SW_BUE_CSI001')).toBe('CM_SW_BUE');
  const byRegion = districtMap(units, 2);
  expect(byRegion.get('NKWEN-HC')).toBe('CM_NW');
  expect(byRegion.get('CM_SW_BUE_CSI001')).toBe('CM_SW');
  expect(byRegion.get('CM_NW_BAM')).toBe('CM_NW');
  // At or above the level, an org unit has no district of that level.
  expect(byRegion.has('CM_NW')).toBe(false);
  expect(districtMap(units, 3).get('NKWEN-HC')).toBe('CM_NW_BAM');
});

test('the map is kept in Redis; a facility DHIS2 does not hold is placed by its code and counted', async () => {
  const districts = await new OrgUnitDistricts({ redis, keys, client: clientOf(), level: 'parent' }).load();
  expect(districts.from).toMatchObject({ source: 'dhis2', level: 'parent' });
  expect(districts.of('NKWEN-HC')).toBe('CM_NW_BAM');
  expect(districts.of('ML_SIK_KAD_CSCOM02')).toBe('ML_SIK_KAD');
  expect([...districts.notInHierarchy()]).toEqual(['ML_SIK_KAD_CSCOM02']);
  expect(await redis.ttl(keys.qualityOrgUnitDistricts('parent'))).toBeGreaterThan(3600);
  // From the cache: no DHIS2 needed (this client could not reach it).
  const cached = await new OrgUnitDistricts({ redis, keys, client: clientOf(DEFAULT_PERSONAL_ACCESS_TOKEN, 'http://127.0.0.1:9'), level: 'parent' }).load();
  expect(cached.from.source).toBe('dhis2');
  expect(cached.of('NKWEN-HC')).toBe('CM_NW_BAM');
});

test('DHIS2 not answering falls back to the codes and says why; DHIS2 refusing is an error', async () => {
  const down = await new OrgUnitDistricts({ redis, keys, client: clientOf(DEFAULT_PERSONAL_ACCESS_TOKEN, 'http://127.0.0.1:9'), level: 4 }).load();
  expect(down.from).toMatchObject({ source: 'code-pattern', reason: expect.stringMatching(/DHIS2 did not answer/) });
  expect(down.of('NKWEN-HC')).toBe('NKWEN-HC');
  const unconfigured = await new OrgUnitDistricts({ redis, keys, level: 'parent' }).load();
  expect(unconfigured.from).toMatchObject({ source: 'code-pattern', reason: expect.stringMatching(/DHIS2_URL/) });
  await expect(new OrgUnitDistricts({ redis, keys, client: clientOf('d2pat_wrongwrongwrongwrongwrongwrong121525610202'), level: 5 }).load()).rejects.toBeInstanceOf(HierarchyRefused);
});
