// The encounter ledger (DESIGN.md §1.3): for every DHIS2 cell, which encounters count toward it and by how
// much. Contributions are kept per encounter, so a new version replaces its old contributions wholesale,
// an older or equal version changes nothing, and any cell can be recomputed from scratch at any time.
//
// Layout: one hash per cell group (dataSet, orgUnit, period, attributeOptionCombo) whose fields are
// [dataElement, categoryOptionCombo, source, id] → value; one hash per encounter holding the version applied
// and the fields it wrote; a set of dirty groups waiting to be pushed to DHIS2; per group, the encounters
// whose counts left it (withdrawn, or moved by a correction) and whose removal DHIS2 has not confirmed yet;
// per encounter, the groups its latest version changed that DHIS2 has not confirmed yet, so its status says
// "delivered" only once every one of them has been pushed (a visit counted in the monthly and the weekly data
// set waits for both). One Lua script does the replacement, so a worker killed half-way leaves either the
// old contributions or the new ones.
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/keys.js';
import { repliesOf } from '../redis/replies.js';
import { cellInGroupKeyOf, groupKeyOf, groupOfKey, type CellGroup, type CellValue, type Contribution, type EncounterShare } from '../domain/cells.js';


// KEYS: the encounter's ledger hash, the dirty set, the encounter's unconfirmed groups. ARGV: version, cells by
// group (JSON), group key prefix, left key prefix, the encounter as a left-hash field.
// Returns {outcome, withdrew, touched groups...}: 'applied', 'held' (this version is already applied; withdrew
// as recorded then) or 'stale' (a newer version is applied).
const REPLACE_SCRIPT = `
local held = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
local version = tonumber(ARGV[1])
if version < held then return {'stale', '0'} end
if version == held then return {'held', redis.call('HGET', KEYS[1], 'withdrew') or '0'} end
local touched = {}
local old = redis.call('HGET', KEYS[1], 'fields')
local hadAny = false
if old then
  for group, fields in pairs(cjson.decode(old)) do
    for _, field in ipairs(fields) do redis.call('HDEL', ARGV[3] .. group, field) end
    touched[group] = true
    hadAny = true
  end
end
local written = {}
local writesAny = false
for group, cells in pairs(cjson.decode(ARGV[2])) do
  local fields = {}
  for field, value in pairs(cells) do
    redis.call('HSET', ARGV[3] .. group, field, value)
    fields[#fields + 1] = field
  end
  written[group] = fields
  touched[group] = true
  writesAny = true
  redis.call('HDEL', ARGV[4] .. group, ARGV[5])
end
for group in pairs(touched) do
  if not written[group] then redis.call('HSET', ARGV[4] .. group, ARGV[5], ARGV[1]) end
end
local withdrew = '0'
if hadAny and not writesAny then withdrew = '1' end
redis.call('HSET', KEYS[1], 'version', ARGV[1], 'fields', cjson.encode(written), 'withdrew', withdrew)
local reply = {'applied', withdrew}
for group in pairs(touched) do
  redis.call('SADD', KEYS[2], group)
  redis.call('SADD', KEYS[3], group)
  reply[#reply + 1] = group
end
return reply
`;

// DHIS2 accepted a group (ARGV[1]): each encounter whose version is still the one pushed (KEYS[2i-1] its
// ledger hash, ARGV[1+i] the version) has the group crossed off its unconfirmed groups (KEYS[2i]). Returns,
// per encounter, how many groups it still waits for (-1 when a newer version came since) and whether that
// version withdrew all its counts.
const CONFIRM_SCRIPT = `
local out = {}
for i = 1, #KEYS / 2 do
  local held = redis.call('HMGET', KEYS[2 * i - 1], 'version', 'withdrew')
  if held[1] == ARGV[1 + i] then
    redis.call('SREM', KEYS[2 * i], ARGV[1])
    out[2 * i - 1] = redis.call('SCARD', KEYS[2 * i])
  else
    out[2 * i - 1] = -1
  end
  out[2 * i] = held[2] or '0'
end
return out
`;

// Forgets encounters that left a group once DHIS2 has confirmed their removal, unless a newer version came since.
const FORGET_LEFT_SCRIPT = `
for i = 1, #ARGV, 2 do
  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then redis.call('HDEL', KEYS[1], ARGV[i]) end
end
return 0
`;

/** What replacing an encounter's contributions did. */
export interface ReplaceOutcome {
  /** applied: this version's contributions now stand; held: they already stood; stale: a newer version stands. */
  outcome: 'applied' | 'held' | 'stale';
  /** This version took away every count the encounter had (a withdrawal), so DHIS2 must lose them. */
  withdrew: boolean;
  /** The cell groups whose values changed (only when applied). */
  touched: CellGroup[];
}

export interface EncounterContributions {
  source: string;
  id: string;
  version: number;
  contributions: readonly Contribution[];
}

interface LedgerScripts {
  smcReplaceContributions(encounterKey: string, dirtyKey: string, unconfirmedKey: string, version: string, cells: string, groupPrefix: string, leftPrefix: string, member: string): void;
  smcForgetLeft(key: string, ...memberVersionPairs: string[]): Promise<number>;
  smcConfirmGroup(numberOfKeys: number, ...keysThenArgs: string[]): Promise<(number | string)[]>;
}

export interface EncounterVersion {
  source: string;
  id: string;
  version: number;
}

export class Ledger {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    redis.defineCommand('smcReplaceContributions', { numberOfKeys: 3, lua: REPLACE_SCRIPT });
    redis.defineCommand('smcForgetLeft', { numberOfKeys: 1, lua: FORGET_LEFT_SCRIPT });
    redis.defineCommand('smcConfirmGroup', { lua: CONFIRM_SCRIPT });
  }





  /**
   * Makes each item's contributions the whole of what that encounter version counts for (empty for a
   * training or entered-in-error encounter), in one pipelined round trip. An older or equal version changes
   * nothing.
   */
  async replaceMany(items: readonly EncounterContributions[]): Promise<ReplaceOutcome[]> {
    if (items.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const item of items) {
      const cells: Record<string, Record<string, number>> = {};
      for (const c of item.contributions) {
        const group = groupKeyOf(c);
        const field = JSON.stringify([c.dataElement, c.categoryOptionCombo, item.source, item.id]);
        const cellsOfGroup = (cells[group] ??= {});
        cellsOfGroup[field] = (cellsOfGroup[field] ?? 0) + c.value;
      }
      (pipeline as unknown as LedgerScripts).smcReplaceContributions(
        this.keys.ledgerEncounter(item.source, item.id),
        this.keys.ledgerDirty(),
        this.keys.ledgerUnconfirmed(item.source, item.id),
        String(item.version),
        // cjson turns an empty object into an empty array; both decode to an empty table in Lua.
        JSON.stringify(cells),
        this.keys.ledgerGroupPrefix(),
        this.keys.ledgerLeftPrefix(),
        JSON.stringify([item.source, item.id]),
      );
    }
    return (await repliesOf(pipeline)).map((reply) => {
      const [outcome, withdrew, ...groups] = reply as [ReplaceOutcome['outcome'], string, ...string[]];
      return { outcome, withdrew: withdrew === '1', touched: groups.map(groupOfKey) };
    });
  }

  /** `replaceMany` for one encounter; returns the groups it touched ([] when a newer or equal version stands). */
  async replace(source: string, id: string, version: number, contributions: readonly Contribution[]): Promise<CellGroup[]> {
    const [result] = await this.replaceMany([{ source, id, version, contributions }]);
    return result?.touched ?? [];
  }


  /** Encounters whose counts left this group (withdrawn, or moved elsewhere by a correction), not yet confirmed by DHIS2. */
  async leftFrom(group: CellGroup): Promise<EncounterVersion[]> {
    const fields = await this.redis.hgetall(this.keys.ledgerLeft(group));
    return Object.entries(fields).map(([member, version]) => {
      const [source, id] = JSON.parse(member) as [string, string];
      return { source, id, version: Number(version) };
    });
  }

  /** DHIS2 confirmed these departures; a newer version recorded since stays. */
  async forgetLeft(group: CellGroup, encounters: readonly EncounterVersion[]): Promise<void> {
    if (encounters.length === 0) return;
    const pairs = encounters.flatMap((e) => [JSON.stringify([e.source, e.id]), String(e.version)]);
    await (this.redis as unknown as LedgerScripts).smcForgetLeft(this.keys.ledgerLeft(group), ...pairs);
  }

  /**
   * DHIS2 holds the group as these encounter versions left it: each has the group crossed off its
   * unconfirmed groups. Says, in order, how many groups each still waits for (-1: a newer version came
   * since) and whether its version withdrew every count it had.
   */
  async confirmGroup(group: CellGroup, encounters: readonly EncounterVersion[]): Promise<{ waitingFor: number; withdrew: boolean }[]> {
    if (encounters.length === 0) return [];
    const keys = encounters.flatMap((e) => [this.keys.ledgerEncounter(e.source, e.id), this.keys.ledgerUnconfirmed(e.source, e.id)]);
    const args = [groupKeyOf(group), ...encounters.map((e) => String(e.version))];
    const reply = await (this.redis as unknown as LedgerScripts).smcConfirmGroup(keys.length, ...keys, ...args);
    return encounters.map((_, i) => ({ waitingFor: Number(reply[2 * i]), withdrew: reply[2 * i + 1] === '1' }));
  }

  /** Which of these encounters still wait for this group to reach DHIS2 (their latest changes are in it). */
  async awaitingGroup(group: CellGroup, encounters: readonly Pick<EncounterVersion, 'source' | 'id'>[]): Promise<boolean[]> {
    if (encounters.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const e of encounters) pipeline.sismember(this.keys.ledgerUnconfirmed(e.source, e.id), groupKeyOf(group));
    return (await repliesOf(pipeline)).map((reply) => reply === 1);
  }

  /** The version whose contributions the ledger holds for an encounter (0 when none). */
  async appliedVersion(source: string, id: string): Promise<number> {
    return Number((await this.redis.hget(this.keys.ledgerEncounter(source, id), 'version')) ?? 0);
  }

  /** Every share of every encounter in a group, as stored. */
  private async sharesOf(group: CellGroup): Promise<(EncounterShare & { dataElement: string; categoryOptionCombo: string })[]> {
    const fields = await this.redis.hgetall(this.keys.ledgerGroup(group));
    return Object.entries(fields).map(([field, value]) => {
      const [dataElement, categoryOptionCombo, source, id] = JSON.parse(field) as [string, string, string, string];
      return { dataElement, categoryOptionCombo, source, id, value: Number(value) };
    });
  }

  /** Every cell of a group with the sum of its contributions. Cells that fell to nothing are absent. */
  async cellsOf(group: CellGroup): Promise<CellValue[]> {
    const sums = new Map<string, CellValue>();
    for (const share of await this.sharesOf(group)) {
      const key = cellInGroupKeyOf(share);
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


  /** The values DHIS2 last accepted for a group, by [dataElement, categoryOptionCombo]. */
  async pushedValues(group: CellGroup): Promise<CellValue[]> {
    const fields = await this.redis.hgetall(this.keys.ledgerPushed(group));
    return Object.entries(fields).map(([field, value]) => {
      const [dataElement, categoryOptionCombo] = JSON.parse(field) as [string, string];
      return { dataElement, categoryOptionCombo, value: Number(value) };
    });
  }

  /** Records what DHIS2 now holds for these cells; a zero means DHIS2 holds nothing there any more. */
  async recordPushed(group: CellGroup, cells: readonly CellValue[]): Promise<void> {
    if (cells.length === 0) return;
    const key = this.keys.ledgerPushed(group);
    const pipeline = this.redis.pipeline();
    for (const cell of cells) {
      const field = cellInGroupKeyOf(cell);
      if (cell.value === 0) pipeline.hdel(key, field);
      else pipeline.hset(key, field, String(cell.value));
    }
    await repliesOf(pipeline);
  }

  /** Every encounter with a share in the group, its cells (as `cellKeyOf`) and the version the ledger holds. */
  async encountersIn(group: CellGroup): Promise<{ source: string; id: string; version: number; cells: string[] }[]> {
    const byEncounter = new Map<string, { source: string; id: string; version: number; cells: string[] }>();
    for (const share of await this.sharesOf(group)) {
      const key = JSON.stringify([share.source, share.id]);
      const entry = byEncounter.get(key) ?? { source: share.source, id: share.id, version: 0, cells: [] };
      entry.cells.push(cellInGroupKeyOf(share));
      byEncounter.set(key, entry);
    }
    const entries = [...byEncounter.values()];
    const pipeline = this.redis.pipeline();
    for (const entry of entries) pipeline.hget(this.keys.ledgerEncounter(entry.source, entry.id), 'version');
    const versions = (await pipeline.exec()) ?? [];
    entries.forEach((entry, index) => (entry.version = Number(versions[index]?.[1] ?? 0)));
    return entries;
  }

  async dirtyGroups(limit = 1000): Promise<CellGroup[]> {
    return (await this.redis.srandmember(this.keys.ledgerDirty(), limit)).map(groupOfKey);
  }

  /** Claims a dirty group for pushing: true when it was dirty. A change after the claim marks it dirty again. */
  async claimDirty(group: CellGroup): Promise<boolean> {
    return (await this.redis.srem(this.keys.ledgerDirty(), groupKeyOf(group))) === 1;
  }

  async markDirty(group: CellGroup): Promise<void> {
    await this.redis.sadd(this.keys.ledgerDirty(), groupKeyOf(group));
  }
}
