// Every facility's monthly values as the ledger last sent them to DHIS2 (its pushed record per cell
// group), as the data-quality package's histories: one series per data element × category option combo,
// summed over data sets and attribute option combos (the WHO DQR works on totals). The keys are listed by
// one scan and grouped by district, and each district is read (pipelined batches) when it is scored, so
// memory holds one district at a time. For the nightly scorecard, not the push path.
import type { Redis } from 'ioredis';
import type { FacilityHistory } from '@smc-bridge/data-quality';
import { groupOfKey } from '../domain/cells.js';
import type { RedisKeys } from '../redis/keys.js';
import { facilityHistory, isMonthlyPeriod } from './history-months.js';

/** The district of an org unit code by the code convention alone (see org-unit-districts.ts). */
export { districtByCode as districtOf } from './org-unit-districts.js';

/** A district's pushed records: their keys, with the org unit and period of each. */
export interface DistrictRecords {
  district: string;
  records: { key: string; orgUnit: string; period: string }[];
}

/** The monthly pushed records up to `until` (YYYYMM), by district (one district when given), districts sorted. */
export async function pushedRecordsByDistrict(redis: Redis, keys: RedisKeys, options: { district?: string; until: string; districtOf: (orgUnit: string) => string }): Promise<DistrictRecords[]> {
  const prefix = keys.ledgerPushedPrefix();
  const byDistrict = new Map<string, DistrictRecords['records']>();
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    for (const key of found) {
      const { orgUnit, period } = groupOfKey(key.slice(prefix.length));
      if (!isMonthlyPeriod(period) || period > options.until) continue;
      const district = options.districtOf(orgUnit);
      if (options.district !== undefined && district !== options.district) continue;
      const list = byDistrict.get(district) ?? [];
      list.push({ key, orgUnit, period });
      byDistrict.set(district, list);
    }
  } while (cursor !== '0');
  return [...byDistrict].sort(([a], [b]) => a.localeCompare(b)).map(([district, records]) => ({ district, records }));
}

/** The histories of one district's facilities, read in pipelined batches of `batch` records. */
export async function readDistrictHistories(redis: Redis, { district, records }: DistrictRecords, batch = 2000): Promise<{ district: string; history: FacilityHistory }[]> {
  const byOrgUnit = new Map<string, Map<string, Map<string, number>>>();
  for (let from = 0; from < records.length; from += batch) {
    const slice = records.slice(from, from + batch);
    const pipeline = redis.pipeline();
    for (const { key } of slice) pipeline.hgetall(key);
    const replies = (await pipeline.exec()) ?? [];
    slice.forEach(({ orgUnit, period }, i) => {
      const [error, fields] = replies[i] ?? [];
      if (error) throw error;
      const months = byOrgUnit.get(orgUnit) ?? new Map<string, Map<string, number>>();
      byOrgUnit.set(orgUnit, months);
      const month = months.get(period) ?? new Map<string, number>();
      months.set(period, month);
      const values = fields as Record<string, string>;
      for (const field in values) month.set(field, (month.get(field) ?? 0) + Number(values[field]));
    });
  }
  return [...byOrgUnit].sort(([a], [b]) => a.localeCompare(b)).map(([orgUnit, months]) => {
    const last = [...months.keys()].reduce((latest, period) => (period > latest ? period : latest));
    return { district, history: facilityHistory(orgUnit, last, months, undefined) };
  });
}
