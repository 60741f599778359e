// Ledger behaviour case by case: replacement, stale versions, removal, dirty groups, provenance.
import { Redis } from 'ioredis';
import { Ledger, type CellGroup } from '../../src/ledger/ledger.js';
import type { Contribution } from '../../src/mapping/aggregate-contributions.js';
import { deleteKeysWithPrefix } from '../../src/redis/keys.js';
import { TEST_REDIS_URL, uniquePrefix } from '../support/redis.js';

const prefix = uniquePrefix('ledger');
let redis: Redis;
let ledger: Ledger;
const group: CellGroup = { dataSet: 'SMC_MONTHLY', orgUnit: 'CM_NW_BAM_CSI001', period: '202610', attributeOptionCombo: 'default' };
const anc1 = (value = 1, coc = 'RMN_20PLUS'): Contribution => ({ ...group, dataElement: 'RMNCAH_ANC1', categoryOptionCombo: coc, value, rule: 'anc-1st-visit' });

beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL);
  ledger = new Ledger(redis, prefix);
});
afterAll(async () => {
  await deleteKeysWithPrefix(redis, prefix);
  redis.disconnect();
});

test('versions replace each other; older and equal versions change nothing', async () => {
  expect(await ledger.replace('smc-platform', 'a', 1, [anc1()])).toEqual([group]);
  await ledger.replace('smc-platform', 'b', 1, [anc1()]);
  expect(await ledger.cellsOf(group)).toEqual([{ dataElement: 'RMNCAH_ANC1', categoryOptionCombo: 'RMN_20PLUS', value: 2 }]);

  // Version 2 of "a" moves it to another age band.
  await ledger.replace('smc-platform', 'a', 2, [anc1(1, 'RMN_15_19Y')]);
  expect(await ledger.replace('smc-platform', 'a', 1, [anc1()])).toEqual([]);
  expect(await ledger.replace('smc-platform', 'a', 2, [anc1()])).toEqual([]);
  expect((await ledger.cellsOf(group)).sort((x, y) => x.categoryOptionCombo.localeCompare(y.categoryOptionCombo))).toEqual([
    { dataElement: 'RMNCAH_ANC1', categoryOptionCombo: 'RMN_15_19Y', value: 1 },
    { dataElement: 'RMNCAH_ANC1', categoryOptionCombo: 'RMN_20PLUS', value: 1 },
  ]);
  expect(await ledger.encountersBehind(group, 'RMNCAH_ANC1', 'RMN_20PLUS')).toEqual([{ source: 'smc-platform', id: 'b', value: 1 }]);
});

test('a version with no contributions (entered in error) removes the old ones and marks the group dirty', async () => {
  await ledger.replace('smc-platform', 'c', 1, [anc1()]);
  while (await ledger.claimDirty(group));
  expect(await ledger.replace('smc-platform', 'c', 2, [])).toEqual([group]);
  expect(await ledger.encountersBehind(group, 'RMNCAH_ANC1', 'RMN_20PLUS')).toEqual([{ source: 'smc-platform', id: 'b', value: 1 }]);
  expect(await ledger.dirtyGroups()).toEqual([group]);
  expect(await ledger.claimDirty(group)).toBe(true);
  expect(await ledger.claimDirty(group)).toBe(false);
});
