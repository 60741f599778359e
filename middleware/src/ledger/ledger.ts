// The encounter ledger (DESIGN.md §1.3): for every DHIS2 cell, which encounters count toward it and by how
// much. Contributions are kept per encounter, so a new version replaces its old contributions wholesale,
// an older or equal version changes nothing, and any cell can be recomputed from scratch at any time.
//
// Layout: one hash per cell group (dataSet, orgUnit, period, attributeOptionCombo) whose fields are
// [dataElement, categoryOptionCombo, source, id] → value; one hash per encounter holding the version applied
// and the fields it wrote; a set of dirty groups waiting to be pushed to DHIS2; per group, the encounter
// versions that changed it and that DHIS2 has not confirmed yet (the "awaiting" hash: counted in it, withdrawn
// from it or moved out of it by a correction); per encounter, the groups its latest version changed that DHIS2
// has not confirmed yet, so its status says "delivered" only once every one of them has been pushed (a visit
// counted in the monthly and the weekly data set waits for both). One Lua script does the replacement, so a
// worker killed half-way leaves either the old contributions or the new ones.
//
// A push reads its group in one atomic snapshot (the cells, what DHIS2 may hold, the awaiting versions), so
// what it confirms afterwards is exactly the versions whose values it sent: a version applied during the post
// stays awaiting and marks the group dirty again. The push's cost follows its group, never the whole ledger,
// and an encounter is confirmed once per change, not at every later push of the group.
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/keys.js';
import { repliesOf } from '../redis/replies.js';
import { cellInGroupKeyOf, groupKeyOf, groupOfKey, type CellGroup, type CellValue, type Contribution, type EncounterShare } from '../domain/cells.js';


// KEYS: the encounter's ledger hash, the dirty set, the encounter's unconfirmed groups. ARGV: version, cells by
// group (JSON), group key prefix, awaiting key prefix, the encounter as an awaiting-hash field.
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
end
local withdrew = '0'
if hadAny and not writesAny then withdrew = '1' end
redis.call('HSET', KEYS[1], 'version', ARGV[1], 'fields', cjson.encode(written), 'withdrew', withdrew)
local reply = {'applied', withdrew}
for group in pairs(touched) do
  redis.call('SADD', KEYS[2], group)
  redis.call('SADD', KEYS[3], group)
  redis.call('HSET', ARGV[4] .. group, ARGV[5], ARGV[1])
  reply[#reply + 1] = group
end
return reply
`;

// The start of a push. KEYS: the dirty set, the group's contributions, what DHIS2 may hold of it, its awaiting
// versions, its push lease. ARGV: the group key, the lease's token and length (ms). Takes the lease (or
// returns {-1} when another push holds it), claims the dirty mark and reads the rest in the same instant.
const SNAPSHOT_SCRIPT = `
if not redis.call('SET', KEYS[5], ARGV[2], 'NX', 'PX', ARGV[3]) then return {-1} end
local claimed = redis.call('SREM', KEYS[1], ARGV[1])
return {claimed, redis.call('HGETALL', KEYS[2]), redis.call('HGETALL', KEYS[3]), redis.call('HGETALL', KEYS[4])}
`;

// The end of a push: gives its lease back (KEYS[1]) unless the lease ran out and another push holds it now.
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

// DHIS2 took a push. KEYS[1] the group's awaiting hash, KEYS[2] what DHIS2 may hold of it, then per confirmed
// encounter its ledger hash and its unconfirmed groups. ARGV: the group key, the number of pushed cells, the
// pushed cells as field/value pairs (value "0": DHIS2 holds nothing there), then per confirmed encounter its
// awaiting-hash field and the version sent. Each encounter whose version is still the one sent has the group
// crossed off; returns per encounter how many groups it still waits for (-1: a newer version came since)
// and whether that version withdrew all its counts.
const SETTLE_SCRIPT = `
local cells = tonumber(ARGV[2])
for i = 0, cells - 1 do
  local field, value = ARGV[3 + 2 * i], ARGV[4 + 2 * i]
  if value == '0' then redis.call('HDEL', KEYS[2], field) else redis.call('HSET', KEYS[2], field, value) end
end
local base = 3 + 2 * cells
local out = {}
for i = 1, (#KEYS - 2) / 2 do
  local member, version = ARGV[base + 2 * (i - 1)], ARGV[base + 2 * (i - 1) + 1]
  if redis.call('HGET', KEYS[1], member) == version then redis.call('HDEL', KEYS[1], member) end
  local held = redis.call('HMGET', KEYS[1 + 2 * i], 'version', 'withdrew')
  if held[1] == version then
    redis.call('SREM', KEYS[2 + 2 * i], ARGV[1])
    out[2 * i - 1] = redis.call('SCARD', KEYS[2 + 2 * i])
  else
    out[2 * i - 1] = -1
  end
  out[2 * i] = held[2] or '0'
end
return out
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
  smcReplaceContributions(encounterKey: string, dirtyKey: string, unconfirmedKey: string, version: string, cells: string, groupPrefix: string, awaitingPrefix: string, member: string): void;
  smcPushSnapshot(dirtyKey: string, groupKey: string, pushedKey: string, awaitingKey: string, leaseKey: string, group: string, token: string, leaseMs: string): Promise<[number, string[], string[], string[]] | [-1]>;
  smcReleasePushLease(leaseKey: string, token: string): void;
  smcSettlePush(numberOfKeys: number, ...keysThenArgs: string[]): Promise<(number | string)[]>;
}

export interface EncounterVersion {
  source: string;
  id: string;
  version: number;
}

/** An encounter version whose change to a group DHIS2 has not confirmed, with its cells in the group (`cellInGroupKeyOf`). */
export interface AwaitingEncounter extends EncounterVersion {
  /** Empty when its counts left the group (withdrawn, or moved by a correction). */
  cells: string[];
}

/** A group as one push reads it, all in the same instant. */
export interface PushSnapshot {
  /** The group was dirty (false: another push claimed it, or nothing changed since the last). */
  claimed: boolean;
  /** Every cell with the sum of its contributions; cells that fell to nothing are absent. */
  cells: CellValue[];
  /** The values DHIS2 may hold. */
  pushed: CellValue[];
  /** The versions whose changes the push carries to DHIS2. */
  awaiting: AwaitingEncounter[];
}

/** Held by one push on each group it carries, until it is done or `ms` have passed (a worker that died). */
export interface PushLease {
  token: string;
  ms: number;
}

/** What an encounter still waits for once DHIS2 took a push of one of its groups. */
export interface Settled {
  /** Groups of its latest version DHIS2 has not confirmed yet; -1 when a newer version came since the push. */
  waitingFor: number;
  /** That version took away every count the encounter had. */
  withdrew: boolean;
}

const memberOf = (e: Pick<EncounterVersion, 'source' | 'id'>) => JSON.stringify([e.source, e.id]);

export class Ledger {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    redis.defineCommand('smcReplaceContributions', { numberOfKeys: 3, lua: REPLACE_SCRIPT });
    redis.defineCommand('smcPushSnapshot', { numberOfKeys: 5, lua: SNAPSHOT_SCRIPT });
    redis.defineCommand('smcReleasePushLease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
    redis.defineCommand('smcSettlePush', { lua: SETTLE_SCRIPT });
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
        this.keys.ledgerAwaitingPrefix(),
        memberOf(item),
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


  /** The encounter versions whose changes to this group DHIS2 has not confirmed yet. */
  async awaiting(group: CellGroup): Promise<EncounterVersion[]> {
    return versionsOf(Object.entries(await this.redis.hgetall(this.keys.ledgerAwaiting(group))));
  }

  /**
   * Starts a push of groups: for each, takes its lease (so no two pushes of one group overlap: the later could
   * carry older values), claims its dirty mark and reads, in the same instant, its cells, what DHIS2 may hold
   * of it and the versions whose changes it carries. 'leased' when another push holds a group's lease. One
   * round trip for all.
   */
  async snapshotForPush(groups: readonly CellGroup[], lease: PushLease): Promise<(PushSnapshot | 'leased')[]> {
    if (groups.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const group of groups) {
      (pipeline as unknown as LedgerScripts).smcPushSnapshot(
        this.keys.ledgerDirty(),
        this.keys.ledgerGroup(group),
        this.keys.ledgerPushed(group),
        this.keys.ledgerAwaiting(group),
        this.keys.ledgerPushLease(group),
        groupKeyOf(group),
        lease.token,
        String(lease.ms),
      );
    }
    return (await repliesOf(pipeline)).map((reply) => {
      const [claimed, shareFields, pushedFields, awaitingFields] = reply as [number, string[], string[], string[]];
      return claimed === -1 ? 'leased' : snapshotOf(claimed === 1, shareFields, pushedFields, awaitingFields);
    });
  }

  /** Gives back the leases a push took (those it still holds). */
  async releasePushLeases(groups: readonly CellGroup[], lease: PushLease): Promise<void> {
    if (groups.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const group of groups) (pipeline as unknown as LedgerScripts).smcReleasePushLease(this.keys.ledgerPushLease(group), lease.token);
    await repliesOf(pipeline);
  }

  /**
   * DHIS2 took a push: records what it now holds of these cells (a zero: nothing there any more) and crosses
   * the group off each confirmed encounter version, unless a newer version came since. Says, in order, what
   * each still waits for.
   */
  async settlePush(group: CellGroup, pushed: readonly CellValue[], confirmed: readonly EncounterVersion[]): Promise<Settled[]> {
    if (pushed.length === 0 && confirmed.length === 0) return [];
    const keys = [
      this.keys.ledgerAwaiting(group),
      this.keys.ledgerPushed(group),
      ...confirmed.flatMap((e) => [this.keys.ledgerEncounter(e.source, e.id), this.keys.ledgerUnconfirmed(e.source, e.id)]),
    ];
    const args = [
      groupKeyOf(group),
      String(pushed.length),
      ...pushed.flatMap((cell) => [cellInGroupKeyOf(cell), String(cell.value)]),
      ...confirmed.flatMap((e) => [memberOf(e), String(e.version)]),
    ];
    const reply = await (this.redis as unknown as LedgerScripts).smcSettlePush(keys.length, ...keys, ...args);
    return confirmed.map((_, i) => ({ waitingFor: Number(reply[2 * i]), withdrew: reply[2 * i + 1] === '1' }));
  }

  /** The version whose contributions the ledger holds for an encounter (0 when none). */
  async appliedVersion(source: string, id: string): Promise<number> {
    return Number((await this.redis.hget(this.keys.ledgerEncounter(source, id), 'version')) ?? 0);
  }

  /** Every share of every encounter in a group, as stored. */
  private async sharesOf(group: CellGroup): Promise<CellShare[]> {
    return sharesOfFields(Object.entries(await this.redis.hgetall(this.keys.ledgerGroup(group))));
  }

  /** Every cell of a group with the sum of its contributions. Cells that fell to nothing are absent. */
  async cellsOf(group: CellGroup): Promise<CellValue[]> {
    return sumsOf(await this.sharesOf(group));
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
    return pushedOfFields(Object.entries(await this.redis.hgetall(this.keys.ledgerPushed(group))));
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

type CellShare = EncounterShare & { dataElement: string; categoryOptionCombo: string };

/** A flat HGETALL reply from a script, as [field, value] pairs. */
function pairsOf(flat: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
  return pairs;
}

function sharesOfFields(fields: readonly [string, string][]): CellShare[] {
  return fields.map(([field, value]) => {
    const [dataElement, categoryOptionCombo, source, id] = JSON.parse(field) as [string, string, string, string];
    return { dataElement, categoryOptionCombo, source, id, value: Number(value) };
  });
}

function sumsOf(shares: readonly CellShare[]): CellValue[] {
  const sums = new Map<string, CellValue>();
  for (const share of shares) {
    const key = cellInGroupKeyOf(share);
    const cell = sums.get(key) ?? { dataElement: share.dataElement, categoryOptionCombo: share.categoryOptionCombo, value: 0 };
    cell.value += share.value;
    sums.set(key, cell);
  }
  return [...sums.values()];
}

function pushedOfFields(fields: readonly [string, string][]): CellValue[] {
  return fields.map(([field, value]) => {
    const [dataElement, categoryOptionCombo] = JSON.parse(field) as [string, string];
    return { dataElement, categoryOptionCombo, value: Number(value) };
  });
}

function versionsOf(fields: readonly [string, string][]): EncounterVersion[] {
  return fields.map(([member, version]) => {
    const [source, id] = JSON.parse(member) as [string, string];
    return { source, id, version: Number(version) };
  });
}

function snapshotOf(claimed: boolean, shareFields: readonly string[], pushedFields: readonly string[], awaitingFields: readonly string[]): PushSnapshot {
  const shares = sharesOfFields(pairsOf(shareFields));
  const cellsOfMember = new Map<string, string[]>();
  for (const share of shares) {
    const member = memberOf(share);
    const cells = cellsOfMember.get(member) ?? [];
    cells.push(cellInGroupKeyOf(share));
    cellsOfMember.set(member, cells);
  }
  return {
    claimed,
    cells: sumsOf(shares),
    pushed: pushedOfFields(pairsOf(pushedFields)),
    awaiting: versionsOf(pairsOf(awaitingFields)).map((e) => ({ ...e, cells: cellsOfMember.get(memberOf(e)) ?? [] })),
  };
}
