// Ledger behaviour case by case: replacement, stale versions, removal, dirty groups, provenance.
import { Redis } from 'ioredis';
import { RedisKeys } from '../../src/redis/keys.js';
import { Ledger } from '../../src/ledger/ledger.js';
import { deleteKeysWithPrefix } from '../../src/redis/keys.js';
import { TEST_REDIS_URL, uniquePrefix } from '../support/redis.js';
import type { CellGroup, Contribution } from '../../src/domain/cells.js';

const prefix = uniquePrefix('ledger');
let redis: Redis;
let ledger: Ledger;
const group: CellGroup = { dataSet: 'SMC_MONTHLY', orgUnit: 'CM_NW_BAM_CSI001', period: '202610', attributeOptionCombo: 'default' };
const anc1 = (value = 1, coc = 'RMN_20PLUS'): Contribution => ({ ...group, dataElement: 'RMNCAH_ANC1', categoryOptionCombo: coc, value, rule: 'anc-1st-visit' });

beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL);
  ledger = new Ledger(redis, new RedisKeys(prefix));
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

test('replaceMany says what each version did, and remembers a withdrawal until DHIS2 confirms it', async () => {
  const group: CellGroup = { dataSet: 'SMC_MONTHLY', orgUnit: 'ML_KAY_CSCOM002', period: '202610', attributeOptionCombo: 'default' };
  const other: CellGroup = { ...group, period: '202609' };
  const anc1 = (): Contribution => ({ ...group, dataElement: 'RMNCAH_ANC1', categoryOptionCombo: 'RMN_20PLUS', value: 1, rule: 'anc-1st-visit' });
  const [first, second, third] = await ledger.replaceMany([
    { source: 'smc-platform', id: 'w1', version: 1, contributions: [anc1()] },
    { source: 'smc-platform', id: 'w2', version: 1, contributions: [] },
    { source: 'smc-platform', id: 'w3', version: 1, contributions: [anc1(), { ...anc1(), ...other }] },
  ]);
  expect(first).toEqual({ outcome: 'applied', withdrew: false, touched: [group] });
  expect(second).toEqual({ outcome: 'applied', withdrew: false, touched: [] });
  expect(third?.touched).toHaveLength(2);

  // w1 is withdrawn (entered in error); w3 moves out of `group` into `other` only, which is no withdrawal but
  // still a departure from `group` that DHIS2 must confirm.
  const [withdrawal, move] = await ledger.replaceMany([
    { source: 'smc-platform', id: 'w1', version: 2, contributions: [] },
    { source: 'smc-platform', id: 'w3', version: 2, contributions: [{ ...anc1(), ...other }] },
  ]);
  expect(withdrawal).toEqual({ outcome: 'applied', withdrew: true, touched: [group] });
  expect(move?.withdrew).toBe(false);
  expect(await ledger.leftFrom(group)).toEqual(
    expect.arrayContaining([
      { source: 'smc-platform', id: 'w1', version: 2 },
      { source: 'smc-platform', id: 'w3', version: 2 },
    ]),
  );
  await ledger.forgetLeft(group, [{ source: 'smc-platform', id: 'w3', version: 2 }]);

  // A re-run of the same versions (a worker killed after the ledger step) learns what they did the first time.
  const rerun = await ledger.replaceMany([
    { source: 'smc-platform', id: 'w1', version: 2, contributions: [] },
    { source: 'smc-platform', id: 'w1', version: 1, contributions: [anc1()] },
  ]);
  expect(rerun).toEqual([
    { outcome: 'held', withdrew: true, touched: [] },
    { outcome: 'stale', withdrew: false, touched: [] },
  ]);

  // Confirming an older withdrawal does not forget a newer one.
  await ledger.forgetLeft(group, [{ source: 'smc-platform', id: 'w1', version: 1 }]);
  expect(await ledger.leftFrom(group)).toHaveLength(1);
  await ledger.forgetLeft(group, [{ source: 'smc-platform', id: 'w1', version: 2 }]);
  expect(await ledger.leftFrom(group)).toEqual([]);

  // Counting again in the group clears a pending withdrawal.
  await ledger.replace('smc-platform', 'w1', 3, []);
  expect(await ledger.leftFrom(group)).toEqual([]);
  await ledger.replace('smc-platform', 'w3', 3, []);
  expect(await ledger.leftFrom(other)).toEqual([{ source: 'smc-platform', id: 'w3', version: 3 }]);
  await ledger.replace('smc-platform', 'w3', 4, [{ ...anc1(), ...other }]);
  expect(await ledger.leftFrom(other)).toEqual([]);
});
