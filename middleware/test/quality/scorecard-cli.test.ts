// `smc-bridge data-quality scorecard`: the WHO DQR scorecard of the values the ledger last sent to DHIS2,
// per district (by the codes' country_region_district_ convention, DHIS2 not being configured here) and data
// element, for one year.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { Ledger } from '../../src/ledger/ledger.js';
import { districtOf } from '../../src/quality/ledger-histories.js';
import { RedisKeys } from '../../src/redis/keys.js';
import { deleteKeysOf, TEST_REDIS_URL, uniquePrefix } from '../support/redis.js';
import { monthsFrom } from './support.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = `${ROOT}middleware/bin/smc-bridge.js`;
const prefix = uniquePrefix('dq-card');
let redis: Redis;

beforeAll(async () => {
  redis = new Redis(TEST_REDIS_URL);
  const ledger = new Ledger(redis, new RedisKeys(prefix));
  // Three facilities of Bamenda with 2024 and 2025 (one misses four months of 2025), one of Buea.
  const facilities = ['CM_NW_BAM_CSI001', 'CM_NW_BAM_CSI002', 'CM_NW_BAM_CSI003', 'CM_SW_BUE_CSI001'];
  for (const [f, orgUnit] of facilities.entries()) {
    for (const [i, month] of monthsFrom('2024-01', 24).entries()) {
      if (f === 2 && i >= 14 && i < 18) continue;
      const period = month.replace('-', '');
      await ledger.recordPushed({ dataSet: 'SMC_MONTHLY', orgUnit, period, attributeOptionCombo: 'SRC_SMC_BRIDGE' }, [
        { dataElement: 'RMNCAH_ANC1', categoryOptionCombo: 'RMN_20PLUS', value: 10 + ((i * 7) % 5) },
        { dataElement: 'RMNCAH_ANC4', categoryOptionCombo: 'RMN_20PLUS', value: 4 + (i % 3) },
      ]);
    }
  }
  // A weekly group is not a month of the scorecard.
  await ledger.recordPushed({ dataSet: 'SMC_WEEKLY', orgUnit: facilities[0]!, period: '2025W10', attributeOptionCombo: 'SRC_SMC_BRIDGE' }, [{ dataElement: 'MAL_CASES_TEST_RDT', categoryOptionCombo: 'default', value: 3 }]);
});
afterAll(async () => {
  redis.disconnect();
  await deleteKeysOf(prefix);
});

const scorecard = (...args: string[]) =>
  promisify(execFile)(process.execPath, [BIN, 'data-quality', 'scorecard', ...args], { cwd: ROOT, env: { ...process.env, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix } });

test('the district of an org unit code', () => {
  expect(districtOf('CM_NW_BAM_CSI001')).toBe('CM_NW_BAM');
  expect(districtOf('ML_SIK_KAD_CSCOM02')).toBe('ML_SIK_KAD');
  expect(districtOf('FACILITY-7')).toBe('FACILITY-7');
});

test('the JSON scorecard of one district and year: completeness, outliers, consistency over time, related indicators', async () => {
  const { stdout } = await scorecard('--district', 'CM_NW_BAM', '--year', '2025', '--json');
  const card = JSON.parse(stdout) as { year: number; indicators: { district: string; indicator: string; completeness: { expected: number; reported: number; facilitiesBelowTarget: number }; consistencyOverTime: { ratio: number | null } }[]; relatedIndicators: { relation: string; facilitiesCompared: number }[] };
  expect(card.year).toBe(2025);
  expect(new Set(card.indicators.map((score) => score.district))).toEqual(new Set(['CM_NW_BAM']));
  expect(card.indicators.map((score) => score.indicator).sort()).toEqual(['RMNCAH_ANC1', 'RMNCAH_ANC4']);
  const anc1 = card.indicators.find((score) => score.indicator === 'RMNCAH_ANC1')!;
  expect(anc1.completeness).toMatchObject({ expected: 36, reported: 32, facilitiesBelowTarget: 1 });
  expect(anc1.consistencyOverTime.ratio).not.toBeNull();
  expect(card.relatedIndicators.find((score) => score.relation === 'anc1-above-anc4')?.facilitiesCompared).toBe(3);
}, 60_000);

test('the printed scorecard names every district and says how long it took', async () => {
  const { stdout } = await scorecard('--year', '2025');
  expect(stdout).toMatch(/WHO DQR scorecard 2025, 4 facilities/);
  expect(stdout).toMatch(/^CM_NW_BAM\s+RMNCAH_ANC1\s+88\.9 % \(32\/36\)/m);
  expect(stdout).toMatch(/^CM_SW_BUE\s+RMNCAH_ANC4/m);
  expect(stdout).toMatch(/^districts from the org unit codes \(country_region_district_…\), not DHIS2's hierarchy: DHIS2 is not configured/m);
  expect(stdout).toMatch(/4 facilities, 2 data elements: [\d.]+ s \([\d.]+ s reading Redis, the rest scoring\)/);
  const { stdout: empty } = await scorecard('--year', '2019');
  expect(empty).toMatch(/No monthly values for that year/);
}, 60_000);
