// Every facility's monthly values as the ledger last sent them to DHIS2 (its pushed record per cell
// group), as the data-quality package's histories: one series per data element × category option combo,
// summed over data sets and attribute option combos (the WHO DQR works on totals). Read by scanning the
// pushed records and fetching them in pipelined batches; for the nightly scorecard, not the push path.
import type { Redis } from 'ioredis';
import type { FacilityHistory } from '@smc-bridge/data-quality';
import { groupOfKey, type CellValue } from '../domain/cells.js';
import type { RedisKeys } from '../redis/keys.js';
import { facilityHistory, isMonthlyPeriod, monthValuesOfCells } from './history-months.js';

/** The district of an org unit code, by the project's convention country_region_district_facility (CM_NW_BAM_CSI001 → CM_NW_BAM); a code of another form is its own district. */
export function districtOf(orgUnit: string): string {
  const parts = orgUnit.split('_');
  return parts.length >= 4 && parts.slice(0, 3).every((part) => /^[A-Z0-9]+$/.test(part)) ? parts.slice(0, 3).join('_') : orgUnit;
}

export async function readLedgerHistories(redis: Redis, keys: RedisKeys, options: { district?: string; until: string }): Promise<{ district: string; history: FacilityHistory }[]> {
  const prefix = keys.ledgerPushedPrefix();
  const byOrgUnit = new Map<string, Map<string, Map<string, CellValue>>>();
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    const groups = found.map((key) => ({ key, group: groupOfKey(key.slice(prefix.length)) })).filter(({ group }) => isMonthlyPeriod(group.period) && group.period <= options.until && (options.district === undefined || districtOf(group.orgUnit) === options.district));
    if (groups.length === 0) continue;
    const pipeline = redis.pipeline();
    for (const { key } of groups) pipeline.hgetall(key);
    const replies = (await pipeline.exec()) ?? [];
    groups.forEach(({ group }, i) => {
      const [error, fields] = replies[i] ?? [];
      if (error) throw error;
      const months = byOrgUnit.get(group.orgUnit) ?? new Map<string, Map<string, CellValue>>();
      byOrgUnit.set(group.orgUnit, months);
      const month = months.get(group.period) ?? new Map<string, CellValue>();
      months.set(group.period, month);
      for (const [field, value] of Object.entries(fields as Record<string, string>)) {
        const held = month.get(field);
        if (held) {
          held.value += Number(value);
          continue;
        }
        const [dataElement, categoryOptionCombo] = JSON.parse(field) as [string, string];
        month.set(field, { dataElement, categoryOptionCombo, value: Number(value) });
      }
    });
  } while (cursor !== '0');
  return [...byOrgUnit].sort(([a], [b]) => a.localeCompare(b)).map(([orgUnit, months]) => {
    const periods = [...months.keys()].sort();
    const values = new Map([...months].map(([period, cells]) => [period, monthValuesOfCells([...cells.values()])]));
    return { district: districtOf(orgUnit), history: facilityHistory(orgUnit, periods.at(-1)!, values, undefined) };
  });
}
