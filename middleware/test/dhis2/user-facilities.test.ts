// Which facilities a DHIS2 user may see: the org units DHIS2 assigns the user, and those below them.
import type { Dhis2Answer } from '../../src/dhis2/dhis2-client.js';
import { UserFacilities } from '../../src/dhis2/user-facilities.js';

const ORG_UNITS: Record<string, { id: string; code?: string; path: string }> = {
  CmRootUid01: { id: 'CmRootUid01', code: 'CM', path: '/CmRootUid01' },
  NwRegion001: { id: 'NwRegion001', code: 'CM_NW', path: '/CmRootUid01/NwRegion001' },
  BamDistrict: { id: 'BamDistrict', code: 'CM_NW_BAM', path: '/CmRootUid01/NwRegion001/BamDistrict' },
  BamCsi00001: { id: 'BamCsi00001', code: 'CM_NW_BAM_CSI001', path: '/CmRootUid01/NwRegion001/BamDistrict/BamCsi00001' },
  SwCsi000001: { id: 'SwCsi000001', code: 'CM_SW_BUE_CSI001', path: '/CmRootUid01/SwRegion001/BueDistrict/SwCsi000001' },
};
const USERS: Record<string, string[]> = { 'nurse.ngono': ['BamCsi00001'], 'district.bam': ['BamDistrict'] };

function fakeDhis2() {
  const calls: string[] = [];
  const request = async (_method: string, path: string, options: { params?: Record<string, string> } = {}): Promise<Dhis2Answer> => {
    calls.push(path);
    if (path === '/users') {
      const username = /^username:eq:(.*)$/.exec(options.params?.['filter'] ?? '')?.[1] ?? '';
      // DHIS2's eq filter: exact; but a prefix-like name must not leak either way.
      const users = Object.entries(USERS).filter(([name]) => name === username).map(([name, units]) => ({ username: name, organisationUnits: units.map((id) => ORG_UNITS[id]) }));
      return { status: 200, body: { users } };
    }
    const unit = ORG_UNITS[decodeURIComponent(path.replace('/organisationUnits/', ''))];
    return unit ? { status: 200, body: unit } : { status: 404, body: { httpStatusCode: 404 } };
  };
  return { request, calls };
}

test('a user sees the facility assigned, and a district user every facility below the district; nobody else', async () => {
  const facilities = new UserFacilities(fakeDhis2());
  expect((await facilities.readableBy('nurse.ngono', 'BamCsi00001'))?.code).toBe('CM_NW_BAM_CSI001');
  expect(await facilities.readableBy('nurse.ngono', 'SwCsi000001')).toBeUndefined();
  expect(await facilities.readableBy('nurse.ngono', 'BamDistrict')).toBeUndefined();
  expect((await facilities.readableBy('district.bam', 'BamCsi00001'))?.code).toBe('CM_NW_BAM_CSI001');
  expect(await facilities.readableBy('district.bam', 'SwCsi000001')).toBeUndefined();
  expect(await facilities.readableBy('nobody', 'BamCsi00001')).toBeUndefined();
  expect(await facilities.readableBy('nurse.ngono', 'NoSuchUnit1')).toBeUndefined();
  expect(await facilities.readableBy('nurse.ngono', '../users')).toBeUndefined();
});

test('answers are kept a while, so polling costs DHIS2 nothing', async () => {
  const dhis2 = fakeDhis2();
  const facilities = new UserFacilities(dhis2);
  for (let i = 0; i < 5; i++) await facilities.readableBy('nurse.ngono', 'BamCsi00001');
  expect(dhis2.calls).toHaveLength(2);
  const expired = new UserFacilities(dhis2, 0);
  await expired.readableBy('nurse.ngono', 'BamCsi00001');
  await expired.readableBy('nurse.ngono', 'BamCsi00001');
  expect(dhis2.calls).toHaveLength(6);
});
