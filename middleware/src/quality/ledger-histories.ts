// Every facility's monthly values as the ledger last sent them to DHIS2 (its pushed record per cell
// group), as the data-quality package's histories: one series per data element × category option combo,
// summed over data sets and attribute option combos (the WHO DQR works on totals). The keys are listed by
// one scan (of every master, on a Redis Cluster) and grouped by district, and each district is read
// (pipelined batches, one pipeline per node on a Cluster) when it is scored, so memory holds one district at a time. For the nightly scorecard, not the push path.
import { Batch } from '../redis/batch.js';
import type { RedisClient } from '../redis/connection.js';
import { monthNumber, periodOf, type CellSeries, type FacilityHistory } from '@smc-bridge/data-quality';
import { groupOfKey } from '../domain/cells.js';
import { scanKeys, type RedisKeys } from '../redis/keys.js';
import { cellOfKey, isMonthlyPeriod } from './history-months.js';

/** The district of an org unit code by the code convention alone (see org-unit-districts.ts). */
export { districtByCode as districtOf } from './org-unit-districts.js';

/** A district's pushed records: their keys, with the org unit and period of each. */
export interface DistrictRecords {
  district: string;
  records: { key: string; orgUnit: string; period: string }[];
}

/** The monthly pushed records up to `until` (YYYYMM), by district (one district when given), districts sorted. */
export async function pushedRecordsByDistrict(redis: RedisClient, keys: RedisKeys, options: { district?: string; until: string; districtOf: (orgUnit: string) => string }): Promise<DistrictRecords[]> {
  const prefix = keys.ledgerPushedPrefix();
  const byDistrict = new Map<string, DistrictRecords['records']>();
  for await (const found of scanKeys(redis, `${prefix}*`)) {
    for (const key of found) {
      const { orgUnit, period } = groupOfKey(keys.groupKeyOfPushed(key));
      if (!isMonthlyPeriod(period) || period > options.until) continue;
      const district = options.districtOf(orgUnit);
      if (options.district !== undefined && district !== options.district) continue;
      const list = byDistrict.get(district) ?? [];
      list.push({ key, orgUnit, period });
      byDistrict.set(district, list);
    }
  }
  return [...byDistrict].sort(([a], [b]) => a.localeCompare(b)).map(([district, records]) => ({ district, records }));
}

// A pushed record as one string, "field\nvalue\nfield\nvalue…": one bulk string per record instead of two per
// cell (8.1 M values are 16 M RESP strings to decode otherwise, most of the read's CPU). One key per call, so
// it holds in a Redis Cluster too. Fields are JSON arrays of codes and values numbers: neither holds a newline.
const RECORD_TEXT_SCRIPT = `return table.concat(redis.call('HGETALL', KEYS[1]), '\\n')`;
const withScript = new WeakSet<RedisClient>();
interface RecordTextCommand {
  smcRecordText(key: string): Promise<string>;
}

/** The histories of one district's facilities, read in pipelined batches of `batch` records. */
export async function readDistrictHistories(redis: RedisClient, { district, records }: DistrictRecords, batch = 5000): Promise<{ district: string; history: FacilityHistory }[]> {
  if (!withScript.has(redis)) {
    redis.defineCommand('smcRecordText', { numberOfKeys: 1, lua: RECORD_TEXT_SCRIPT });
    withScript.add(redis);
  }
  // Each facility's months span its records' periods: its columns (one per cell, summed over data sets and
  // attribute combos) are made at that length and filled as the records arrive, with no map per month.
  const facilities = new Map<string, { first: number; last: number; columns: Map<string, (number | null)[]>; reported: Set<number> }>();
  for (const { orgUnit, period } of records) {
    const month = monthNumber(period);
    const known = facilities.get(orgUnit);
    if (!known) facilities.set(orgUnit, { first: month, last: month, columns: new Map(), reported: new Set() });
    else {
      if (month < known.first) known.first = month;
      if (month > known.last) known.last = month;
    }
  }
  for (let from = 0; from < records.length; from += batch) {
    const slice = records.slice(from, from + batch);
    const reads = new Batch(redis);
    for (const { key } of slice) reads.add(key, (pipeline) => (pipeline as unknown as RecordTextCommand).smcRecordText(key));
    const replies = await reads.exec();
    slice.forEach(({ orgUnit, period }, i) => {
      const text = replies[i];
      if (text === '') return; // gone since the scan
      const facility = facilities.get(orgUnit)!;
      const index = monthNumber(period) - facility.first;
      facility.reported.add(index);
      const parts = (text as string).split('\n');
      for (let at = 0; at + 1 < parts.length; at += 2) {
        const field = parts[at]!;
        let column = facility.columns.get(field);
        if (!column) facility.columns.set(field, (column = new Array<number | null>(facility.last - facility.first + 1).fill(null)));
        column[index] = (column[index] ?? 0) + Number(parts[at + 1]);
      }
    });
  }
  const histories: { district: string; history: FacilityHistory }[] = [];
  for (const [orgUnit, { first, columns, reported }] of [...facilities].sort(([a], [b]) => a.localeCompare(b))) {
    if (reported.size === 0) continue;
    // From the first month with values (as facilityHistory gives it); in a reported month a cell without a value counted nothing.
    const skip = Math.min(...reported);
    const cells: CellSeries[] = [];
    for (const [field, column] of columns) {
      for (const index of reported) if (column[index] === null) column[index] = 0;
      const { dataElement, categoryOptionCombo } = cellOfKey(field);
      cells.push({ dataElement, categoryOptionCombo, values: skip > 0 ? column.slice(skip) : column });
    }
    cells.sort((a, b) => (a.dataElement < b.dataElement ? -1 : a.dataElement > b.dataElement ? 1 : a.categoryOptionCombo < b.categoryOptionCombo ? -1 : a.categoryOptionCombo > b.categoryOptionCombo ? 1 : 0));
    histories.push({ district, history: { orgUnit, start: periodOf(first + skip), cells } });
  }
  return histories;
}
