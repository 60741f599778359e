// The encounter ledger (DESIGN.md §1.3): for every DHIS2 cell, which encounters count toward it and by how
// much. Contributions are kept per encounter, so a new version replaces its old contributions wholesale,
// an older or equal version changes nothing, and any cell can be recomputed from scratch at any time.
//
// Layout: one hash per cell group (dataSet, orgUnit, period, attributeOptionCombo) whose fields are
// [dataElement, categoryOptionCombo, source, id] → value; one hash per encounter holding the version applied
// and the fields it wrote; a set of dirty groups waiting to be pushed to DHIS2. One Lua script does the
// replacement, so a worker killed half-way leaves either the old contributions or the new ones.
import type { Redis } from 'ioredis';
import type { Contribution } from '../mapping/aggregate-contributions.js';

export interface CellGroup {
  dataSet: string;
  orgUnit: string;
  period: string;
  attributeOptionCombo: string;
}

export interface CellValue {
  dataElement: string;
  categoryOptionCombo: string;
  value: number;
}

export interface EncounterShare {
  source: string;
  id: string;
  value: number;
}

export function groupKeyOf(group: CellGroup): string {
  return JSON.stringify([group.dataSet, group.orgUnit, group.period, group.attributeOptionCombo]);
}

/** The key of a cell within its group: its data element and category option combo. */
export function cellKeyOf(cell: { dataElement: string; categoryOptionCombo: string }): string {
  return JSON.stringify([cell.dataElement, cell.categoryOptionCombo]);
}

export function groupOfKey(key: string): CellGroup {
  const [dataSet, orgUnit, period, attributeOptionCombo] = JSON.parse(key) as string[];
  return { dataSet, orgUnit, period, attributeOptionCombo } as CellGroup;
}

const REPLACE_SCRIPT = `
local held = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if tonumber(ARGV[1]) <= held then return 0 end
local touched = {}
local old = redis.call('HGET', KEYS[1], 'fields')
if old then
  for group, fields in pairs(cjson.decode(old)) do
    for _, field in ipairs(fields) do redis.call('HDEL', ARGV[3] .. group, field) end
    touched[group] = true
  end
end
local written = {}
for group, cells in pairs(cjson.decode(ARGV[2])) do
  local fields = {}
  for field, value in pairs(cells) do
    redis.call('HSET', ARGV[3] .. group, field, value)
    fields[#fields + 1] = field
  end
  written[group] = fields
  touched[group] = true
end
redis.call('HSET', KEYS[1], 'version', ARGV[1], 'fields', cjson.encode(written))
local dirty = {}
for group in pairs(touched) do
  redis.call('SADD', KEYS[2], group)
  dirty[#dirty + 1] = group
end
return dirty
`;

interface ReplaceClient {
  smcReplaceContributions(encounterKey: string, dirtyKey: string, version: string, cells: string, groupPrefix: string): Promise<0 | string[]>;
}

export class Ledger {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    redis.defineCommand('smcReplaceContributions', { numberOfKeys: 2, lua: REPLACE_SCRIPT });
  }

  private encounterKey(source: string, id: string): string {
    return `${this.prefix}:ledger:enc:${source}:${id}`;
  }

  private groupPrefix(): string {
    return `${this.prefix}:ledger:group:`;
  }

  private dirtyKey(): string {
    return `${this.prefix}:ledger:dirty`;
  }

  /**
   * Makes `contributions` the whole of what this encounter version counts for (empty for a removed,
   * training or entered-in-error encounter). Returns the cell groups it touched, or [] when the ledger
   * already holds this version or a newer one.
   */
  async replace(source: string, id: string, version: number, contributions: readonly Contribution[]): Promise<CellGroup[]> {
    const cells: Record<string, Record<string, number>> = {};
    for (const c of contributions) {
      const group = groupKeyOf(c);
      const field = JSON.stringify([c.dataElement, c.categoryOptionCombo, source, id]);
      const cellsOfGroup = (cells[group] ??= {});
      cellsOfGroup[field] = (cellsOfGroup[field] ?? 0) + c.value;
    }
    const touched = await (this.redis as unknown as ReplaceClient).smcReplaceContributions(
      this.encounterKey(source, id),
      this.dirtyKey(),
      String(version),
      // cjson turns an empty object into an empty array; both decode to an empty table in Lua.
      JSON.stringify(cells),
      this.groupPrefix(),
    );
    return touched === 0 ? [] : touched.map(groupOfKey);
  }

  /** The version whose contributions the ledger holds for an encounter (0 when none). */
  async appliedVersion(source: string, id: string): Promise<number> {
    return Number((await this.redis.hget(this.encounterKey(source, id), 'version')) ?? 0);
  }

  /** Every share of every encounter in a group, as stored. */
  private async sharesOf(group: CellGroup): Promise<(EncounterShare & { dataElement: string; categoryOptionCombo: string })[]> {
    const fields = await this.redis.hgetall(this.groupPrefix() + groupKeyOf(group));
    return Object.entries(fields).map(([field, value]) => {
      const [dataElement, categoryOptionCombo, source, id] = JSON.parse(field) as [string, string, string, string];
      return { dataElement, categoryOptionCombo, source, id, value: Number(value) };
    });
  }

  /** Every cell of a group with the sum of its contributions. Cells that fell to nothing are absent. */
  async cellsOf(group: CellGroup): Promise<CellValue[]> {
    const sums = new Map<string, CellValue>();
    for (const share of await this.sharesOf(group)) {
      const key = cellKeyOf(share);
      const cell = sums.get(key) ?? { dataElement: share.dataElement, categoryOptionCombo: share.categoryOptionCombo, value: 0 };
      cell.value += share.value;
      sums.set(key, cell);
    }
    return [...sums.values()];
  }

  /** The encounters behind one cell (provenance), with what each adds. */
  async encountersBehind(group: CellGroup, dataElement: string, categoryOptionCombo: string): Promise<EncounterShare[]> {
    return (await this.sharesOf(group))
      .filter((share) => share.dataElement === dataElement && share.categoryOptionCombo === categoryOptionCombo)
      .map(({ source, id, value }) => ({ source, id, value }))
      .sort((a, b) => a.source.localeCompare(b.source) || a.id.localeCompare(b.id));
  }

  private pushedKey(group: CellGroup): string {
    return `${this.prefix}:ledger:pushed:${groupKeyOf(group)}`;
  }

  /** The values DHIS2 last accepted for a group, by [dataElement, categoryOptionCombo]. */
  async pushedValues(group: CellGroup): Promise<CellValue[]> {
    const fields = await this.redis.hgetall(this.pushedKey(group));
    return Object.entries(fields).map(([field, value]) => {
      const [dataElement, categoryOptionCombo] = JSON.parse(field) as [string, string];
      return { dataElement, categoryOptionCombo, value: Number(value) };
    });
  }

  /** Records what DHIS2 now holds for these cells; a zero means DHIS2 holds nothing there any more. */
  async recordPushed(group: CellGroup, cells: readonly CellValue[]): Promise<void> {
    if (cells.length === 0) return;
    const key = this.pushedKey(group);
    const pipeline = this.redis.pipeline();
    for (const cell of cells) {
      const field = cellKeyOf(cell);
      if (cell.value === 0) pipeline.hdel(key, field);
      else pipeline.hset(key, field, String(cell.value));
    }
    for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
  }

  /** Every encounter with a share in the group, its cells (as `cellKeyOf`) and the version the ledger holds. */
  async encountersIn(group: CellGroup): Promise<{ source: string; id: string; version: number; cells: string[] }[]> {
    const byEncounter = new Map<string, { source: string; id: string; version: number; cells: string[] }>();
    for (const share of await this.sharesOf(group)) {
      const key = JSON.stringify([share.source, share.id]);
      const entry = byEncounter.get(key) ?? { source: share.source, id: share.id, version: 0, cells: [] };
      entry.cells.push(cellKeyOf(share));
      byEncounter.set(key, entry);
    }
    const entries = [...byEncounter.values()];
    const pipeline = this.redis.pipeline();
    for (const entry of entries) pipeline.hget(this.encounterKey(entry.source, entry.id), 'version');
    const versions = (await pipeline.exec()) ?? [];
    entries.forEach((entry, index) => (entry.version = Number(versions[index]?.[1] ?? 0)));
    return entries;
  }

  async dirtyGroups(limit = 1000): Promise<CellGroup[]> {
    return (await this.redis.srandmember(this.dirtyKey(), limit)).map(groupOfKey);
  }

  /** Claims a dirty group for pushing: true when it was dirty. A change after the claim marks it dirty again. */
  async claimDirty(group: CellGroup): Promise<boolean> {
    return (await this.redis.srem(this.dirtyKey(), groupKeyOf(group))) === 1;
  }

  async markDirty(group: CellGroup): Promise<void> {
    await this.redis.sadd(this.dirtyKey(), groupKeyOf(group));
  }
}
