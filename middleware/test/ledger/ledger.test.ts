// Ledger behaviour case by case: replacement, stale versions, removal, dirty groups, provenance.
import { Redis } from 'ioredis';
import { RedisKeys } from '../../src/redis/keys.js';
import { Ledger, type PushSnapshot } from '../../src/ledger/ledger.js';
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

test('replaceMany says what each version did, and each change waits in its group until DHIS2 confirms it', async () => {
  const group: CellGroup = { dataSet: 'SMC_MONTHLY', orgUnit: 'ML_KAY_CSCOM002', period: '202610', attributeOptionCombo: 'default' };
  const other: CellGroup = { ...group, period: '202609' };
  const anc1 = (): Contribution => ({ ...group, dataElement: 'RMNCAH_ANC1', categoryOptionCombo: 'RMN_20PLUS', value: 1, rule: 'anc-1st-visit' });
  const w = (id: string, version: number) => ({ source: 'smc-platform', id, version });
  const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
  const [first, second, third] = await ledger.replaceMany([
    { source: 'smc-platform', id: 'w1', version: 1, contributions: [anc1()] },
    { source: 'smc-platform', id: 'w2', version: 1, contributions: [] },
    { source: 'smc-platform', id: 'w3', version: 1, contributions: [anc1(), { ...anc1(), ...other }] },
  ]);
  expect(first).toEqual({ outcome: 'applied', withdrew: false, touched: [group] });
  expect(second).toEqual({ outcome: 'applied', withdrew: false, touched: [] });
  expect(third?.touched).toHaveLength(2);
  expect((await ledger.awaiting(group)).sort(byId)).toEqual([w('w1', 1), w('w3', 1)]);
  expect(await ledger.awaiting(other)).toEqual([w('w3', 1)]);

  // w1 is withdrawn (entered in error); w3 moves out of `group` into `other` only, which is no withdrawal but
  // still a change to `group` that DHIS2 must confirm.
  const [withdrawal, move] = await ledger.replaceMany([
    { source: 'smc-platform', id: 'w1', version: 2, contributions: [] },
    { source: 'smc-platform', id: 'w3', version: 2, contributions: [{ ...anc1(), ...other }] },
  ]);
  expect(withdrawal).toEqual({ outcome: 'applied', withdrew: true, touched: [group] });
  expect(move?.withdrew).toBe(false);
  expect((await ledger.awaiting(group)).sort(byId)).toEqual([w('w1', 2), w('w3', 2)]);

  // DHIS2 took `group` as w3's version 2 left it: w3 still waits for `other`.
  expect(await ledger.settlePush(group, [], [w('w3', 2)])).toEqual([{ waitingFor: 1, withdrew: false }]);
  expect(await ledger.awaiting(group)).toEqual([w('w1', 2)]);

  // A re-run of the same versions (a worker killed after the ledger step) learns what they did the first time.
  const rerun = await ledger.replaceMany([
    { source: 'smc-platform', id: 'w1', version: 2, contributions: [] },
    { source: 'smc-platform', id: 'w1', version: 1, contributions: [anc1()] },
  ]);
  expect(rerun).toEqual([
    { outcome: 'held', withdrew: true, touched: [] },
    { outcome: 'stale', withdrew: false, touched: [] },
  ]);

  // Confirming an older version neither confirms nor forgets the newer one.
  expect(await ledger.settlePush(group, [], [w('w1', 1)])).toEqual([{ waitingFor: -1, withdrew: true }]);
  expect(await ledger.awaiting(group)).toEqual([w('w1', 2)]);
  expect(await ledger.settlePush(group, [], [w('w1', 2)])).toEqual([{ waitingFor: 0, withdrew: true }]);
  expect(await ledger.awaiting(group)).toEqual([]);
});

test('a push confirms the versions it read, not one applied while it posted', async () => {
  const group: CellGroup = { dataSet: 'SMC_MONTHLY', orgUnit: 'ML_KAY_CSCOM003', period: '202610', attributeOptionCombo: 'default' };
  const anc1 = (coc: string): Contribution => ({ ...group, dataElement: 'RMNCAH_ANC1', categoryOptionCombo: coc, value: 1, rule: 'anc-1st-visit' });
  await ledger.replace('smc-platform', 'r1', 1, [anc1('RMN_20PLUS')]);
  await ledger.replace('smc-platform', 'r2', 1, [anc1('RMN_20PLUS')]);

  const lease = { token: 'push-1', ms: 60_000 };
  const [snapshot] = (await ledger.snapshotForPush([group], lease)) as PushSnapshot[];
  expect(snapshot!.claimed).toBe(true);
  expect(snapshot!.cells).toEqual([{ dataElement: 'RMNCAH_ANC1', categoryOptionCombo: 'RMN_20PLUS', value: 2 }]);
  expect(snapshot!.awaiting.map((e) => [e.id, e.version, e.cells]).sort()).toEqual([
    ['r1', 1, ['["RMNCAH_ANC1","RMN_20PLUS"]']],
    ['r2', 1, ['["RMNCAH_ANC1","RMN_20PLUS"]']],
  ]);
  // No second push takes the group while this one holds it; once it gives it back, one may (nothing is dirty).
  expect(await ledger.snapshotForPush([group], { token: 'push-2', ms: 60_000 })).toEqual(['leased']);
  await ledger.releasePushLeases([group], { token: 'push-2', ms: 60_000 }); // not its lease: changes nothing
  expect(await ledger.snapshotForPush([group], { token: 'push-2', ms: 60_000 })).toEqual(['leased']);
  await ledger.releasePushLeases([group], lease);
  const [again] = (await ledger.snapshotForPush([group], { token: 'push-2', ms: 60_000 })) as PushSnapshot[];
  expect(again!.claimed).toBe(false);
  await ledger.releasePushLeases([group], { token: 'push-2', ms: 60_000 });

  // While the post is on its way, r2 is corrected into another age band.
  await ledger.replace('smc-platform', 'r2', 2, [anc1('RMN_15_19Y')]);
  const settled = await ledger.settlePush(group, snapshot!.cells, snapshot!.awaiting);
  const settledById = Object.fromEntries(snapshot!.awaiting.map((e, i) => [e.id, settled[i]]));
  expect(settledById).toEqual({ r1: { waitingFor: 0, withdrew: false }, r2: { waitingFor: -1, withdrew: false } });
  expect(await ledger.awaiting(group)).toEqual([{ source: 'smc-platform', id: 'r2', version: 2 }]);
  expect(await ledger.pushedValues(group)).toEqual([{ dataElement: 'RMNCAH_ANC1', categoryOptionCombo: 'RMN_20PLUS', value: 2 }]);
  expect(await ledger.claimDirty(group)).toBe(true);
});

test('a lease that ran out (its push died) lets the next push take the group', async () => {
  const group: CellGroup = { dataSet: 'SMC_MONTHLY', orgUnit: 'ML_KAY_CSCOM004', period: '202610', attributeOptionCombo: 'default' };
  await ledger.replace('smc-platform', 'l1', 1, [{ ...group, dataElement: 'RMNCAH_ANC1', categoryOptionCombo: 'RMN_20PLUS', value: 1, rule: 'anc-1st-visit' }]);
  expect((await ledger.snapshotForPush([group], { token: 'dies', ms: 50 }))[0]).toMatchObject({ claimed: true });
  expect(await ledger.snapshotForPush([group], { token: 'next', ms: 60_000 })).toEqual(['leased']);
  await new Promise((resolve) => setTimeout(resolve, 80));
  const [next] = (await ledger.snapshotForPush([group], { token: 'next', ms: 60_000 })) as PushSnapshot[];
  expect(next!.awaiting).toEqual([{ source: 'smc-platform', id: 'l1', version: 1, cells: ['["RMNCAH_ANC1","RMN_20PLUS"]'] }]);
  await ledger.releasePushLeases([group], { token: 'next', ms: 60_000 });
});
