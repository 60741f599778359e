// The data-quality flags standing on DHIS2 cells, in Redis: one hash per facility and period (every data
// set's flags, so the API lists a facility-month in one read), a set of each facility's flagged periods,
// and the count of standing flags by rule for /metrics (per facility bucket, in the slot of its facilities' flags). A flag is recorded against its cell with what the
// screening said (rule, expected range, severity, explanation in English and French) and the encounters
// behind the value it judged (encounter ids, never patient data). The screening of a push replaces the
// flags on the cells it judged, in one script, so the counts and the flagged periods always agree with
// the flags themselves.
import { Batch } from '../redis/batch.js';
import type { RedisClient } from '../redis/connection.js';
import type { Bilingual, CellRef, CellRuleId, RuleId, Severity } from '@smc-bridge/data-quality';
import type { Cell, CellGroup, EncounterShare } from '../domain/cells.js';
import { allBuckets, FACILITY_BUCKETS, type RedisKeys } from '../redis/keys.js';

/** A flag as recorded against a cell (the cell's coordinates, then what the screening said). */
export interface CellFlag extends Cell {
  ruleId: RuleId;
  kind: 'error' | 'signal';
  severity: Severity;
  /** The value judged (for a relation: its left side). */
  value: number;
  /** What the rule would not have flagged; high is null where there is no upper bound. */
  expected: { low: number; high: number | null };
  score: number;
  /** For a flag a signal explained: the error rule that fired first. */
  explainedRule?: CellRuleId;
  explanation: Bilingual;
  /** Every cell the rule read. */
  cells: CellRef[];
  /** The encounters behind the cell's value when it was judged (at most ENCOUNTERS_KEPT of them). */
  encounters: EncounterShare[];
  encounterCount: number;
  raisedAt: string;
}

export const ENCOUNTERS_KEPT = 100;

/** The field of a flag in its facility-month hash: which data set, combo, rule and cell. */
export function flagFieldOf(flag: Pick<CellFlag, 'dataSet' | 'attributeOptionCombo' | 'ruleId' | 'explainedRule' | 'dataElement' | 'categoryOptionCombo'>): string {
  return JSON.stringify([flag.dataSet, flag.attributeOptionCombo, flag.ruleId, flag.explainedRule ?? '', flag.dataElement, flag.categoryOptionCombo]);
}

export function isFlagOfGroup(flag: Pick<CellFlag, 'dataSet' | 'attributeOptionCombo'>, group: CellGroup): boolean {
  return flag.dataSet === group.dataSet && flag.attributeOptionCombo === group.attributeOptionCombo;
}

// KEYS: the facility-month's flags, the counts by rule, the facility's flagged periods. ARGV: the period,
// the number of removals n, n pairs (field, rule id) to remove, then triples (field, flag JSON, rule id) to
// set. Counts move only for a field that appears or disappears.
const REPLACE_FLAGS_SCRIPT = `
local removals = tonumber(ARGV[2])
local at = 3
for _ = 1, removals do
  if redis.call('HDEL', KEYS[1], ARGV[at]) == 1 then redis.call('HINCRBY', KEYS[2], ARGV[at + 1], -1) end
  at = at + 2
end
while at <= #ARGV do
  if redis.call('HSET', KEYS[1], ARGV[at], ARGV[at + 1]) == 1 then redis.call('HINCRBY', KEYS[2], ARGV[at + 2], 1) end
  at = at + 3
end
if redis.call('HLEN', KEYS[1]) == 0 then
  redis.call('SREM', KEYS[3], ARGV[1])
else
  redis.call('SADD', KEYS[3], ARGV[1])
end
return 0
`;

interface FlagScripts {
  smcReplaceFlags(flagsKey: string, countsKey: string, periodsKey: string, period: string, removals: string, ...rest: string[]): Promise<number>;
}

export class QualityFlags {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {
    redis.defineCommand('smcReplaceFlags', { numberOfKeys: 3, lua: REPLACE_FLAGS_SCRIPT });
  }

  /** Parses the fields of a facility-month's flag hash. */
  static parse(fields: Record<string, string>): CellFlag[] {
    return Object.values(fields).map((text) => JSON.parse(text) as CellFlag);
  }

  /** Removes the flags `removed` (as recorded) and records `raised`, all of one facility-month. */
  async replace(orgUnit: string, period: string, removed: readonly CellFlag[], raised: readonly CellFlag[]): Promise<void> {
    if (removed.length === 0 && raised.length === 0) return;
    const raisedFields = new Set(raised.map(flagFieldOf));
    const removals = removed.filter((flag) => !raisedFields.has(flagFieldOf(flag)));
    const args = [
      ...removals.flatMap((flag) => [flagFieldOf(flag), flag.ruleId]),
      ...raised.flatMap((flag) => [flagFieldOf(flag), JSON.stringify(flag), flag.ruleId]),
    ];
    await (this.redis as unknown as FlagScripts).smcReplaceFlags(
      this.keys.qualityFlags(orgUnit, period),
      this.keys.qualityFlagCountsOf(orgUnit),
      this.keys.qualityFlaggedPeriods(orgUnit),
      period,
      String(removals.length),
      ...args,
    );
  }

  /** The flags standing on a facility's cells in one period, or in every period with flags. */
  async list(orgUnit: string, period?: string): Promise<CellFlag[]> {
    const periods = period !== undefined ? [period] : (await this.redis.smembers(this.keys.qualityFlaggedPeriods(orgUnit))).sort();
    if (periods.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const p of periods) pipeline.hgetall(this.keys.qualityFlags(orgUnit, p));
    const replies = (await pipeline.exec()) ?? [];
    return replies.flatMap(([error, fields]) => {
      if (error) throw error;
      return QualityFlags.parse(fields as Record<string, string>);
    }).sort(byCell);
  }

  /** The flags standing on one cell (the cell's own, and the relations that read it). */
  async onCell(group: CellGroup, dataElement: string, categoryOptionCombo: string): Promise<CellFlag[]> {
    return (await this.list(group.orgUnit, group.period)).filter(
      (flag) => isFlagOfGroup(flag, group) && flag.cells.some((cell) => cell.dataElement === dataElement && cell.categoryOptionCombo === categoryOptionCombo),
    );
  }

  /** How many flags stand, by rule id. */
  async countsByRule(): Promise<Record<string, number>> {
    const batch = new Batch(this.redis);
    for (const bucket of allBuckets(FACILITY_BUCKETS)) {
      const key = this.keys.qualityFlagCounts(bucket);
      batch.add(key, (pipeline) => pipeline.hgetall(key));
    }
    const total: Record<string, number> = {};
    for (const counts of (await batch.exec()) as Record<string, string>[]) {
      for (const [rule, count] of Object.entries(counts)) total[rule] = (total[rule] ?? 0) + Number(count);
    }
    return total;
  }
}

function byCell(a: CellFlag, b: CellFlag): number {
  return (
    a.period.localeCompare(b.period) ||
    a.dataSet.localeCompare(b.dataSet) ||
    a.dataElement.localeCompare(b.dataElement) ||
    a.categoryOptionCombo.localeCompare(b.categoryOptionCombo) ||
    a.ruleId.localeCompare(b.ruleId)
  );
}
