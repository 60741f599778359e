// The encounter ledger (DESIGN.md §1.3): for every DHIS2 cell, which encounters count toward it and by how
// much. Contributions are kept per encounter, so a new version replaces its old contributions wholesale,
// an older or equal version changes nothing, and any cell can be recomputed from scratch at any time.
//
// Layout: one hash per cell group (dataSet, orgUnit, period, attributeOptionCombo) whose fields are
// [dataElement, categoryOptionCombo, source, id] → value; per group, the encounter versions that changed it
// and that DHIS2 has not confirmed yet (the "awaiting" hash: counted in it, withdrawn from it or moved out of
// it by a correction); per facility bucket, a set of dirty groups waiting to be pushed to DHIS2 and, per
// encounter, the version whose contributions the bucket holds and the fields they are (the "held" record).
// Per encounter, in its own slot: the latest version decided, the groups that may hold its contributions
// ("mayHold"), the groups that version changes, and those DHIS2 has not confirmed yet ("unconfirmed"), so its
// status says "delivered" only once every one of them has been pushed (a visit counted in the monthly and
// the weekly data set waits for both).
//
// Redis Cluster (redis/keys.ts): a group's keys live in its facility's bucket, an encounter's record in the
// encounter's bucket, and no script crosses slots. So a replacement is three atomic steps, each in one slot,
// each safe to repeat, in an order that never counts a contribution twice:
//   1. decide (encounter slot): a newer version becomes the latest; every group it may change is named (those
//      that may hold the old contributions, those not yet confirmed, its new ones) and "mayHold" grows by its
//      new groups before any is written. An older version stops here (stale).
//   2. apply (each facility bucket of those groups, in one round trip): the bucket's held record is replaced
//      by this version's, unless it holds a newer one: old contributions out, new ones in, the groups dirty
//      and awaiting this version. In a bucket the version has no cells in (a correction that moved the
//      encounter to another facility), this only takes the old contributions out.
//   3. settle (encounter slot): "mayHold" shrinks to this version's groups, if it is still the latest.
// A worker killed between steps leaves the encounter counted in the buckets already done and not yet in the
// others; its job runs again (BullMQ, the inbox sweeper), step 1 sees the same version ("again") and names the
// same groups, and steps 2 and 3 finish the work. A bucket never takes an older version after a newer one
// (its held record says which it has), and a bucket that may hold contributions is in "mayHold" until the
// latest version has emptied it, so a correction that moves an encounter away and back, or two versions
// processed at once, still leave exactly the latest version's contributions.
//
// A push reads its group in one atomic snapshot (the cells, what DHIS2 may hold, the awaiting versions), so
// what it confirms afterwards is exactly the versions whose values it sent: a version applied during the post
// stays awaiting and marks the group dirty again. The push's cost follows its group, never the whole ledger,
// and an encounter is confirmed once per change, not at every later push of the group.
import { Batch } from '../redis/batch.js';
import { SlotScript } from '../redis/slot-script.js';
import type { RedisClient } from '../redis/connection.js';
import { allBuckets, FACILITY_BUCKETS, facilityBucketOf, type RedisKeys } from '../redis/keys.js';
import { cellInGroupKeyOf, groupKeyOf, groupOfKey, type CellGroup, type CellValue, type Contribution, type EncounterShare } from '../domain/cells.js';

// Step 1. KEYS: the encounter's ledger record, its unconfirmed groups. ARGV: version, its groups (JSON list).
// Returns {'stale', '0'}, or {'go' | 'again', withdrew, mayHold (JSON), the groups it changes...}: 'again'
// when this version was decided before (a job run again), with what was decided then.
const DECIDE = new SlotScript('LedgerDecide', `
local version = tonumber(ARGV[1])
local held = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if version < held then return {'stale', '0'} end
if version == held then
  local record = redis.call('HMGET', KEYS[1], 'withdrew', 'mayHold', 'changes')
  local reply = {'again', record[1] or '0', record[2] or '[]'}
  for _, group in ipairs(cjson.decode(record[3] or '[]')) do reply[#reply + 1] = group end
  return reply
end
local new = cjson.decode(ARGV[2])
local before = cjson.decode(redis.call('HGET', KEYS[1], 'mayHold') or '[]')
local changes, changed, hold, holding = {}, {}, {}, {}
local function add(list, set, group)
  if not set[group] then
    set[group] = true
    list[#list + 1] = group
  end
end
for _, group in ipairs(before) do add(changes, changed, group); add(hold, holding, group) end
for _, group in ipairs(redis.call('SMEMBERS', KEYS[2])) do add(changes, changed, group) end
for _, group in ipairs(new) do add(changes, changed, group); add(hold, holding, group) end
local withdrew = '0'
if #new == 0 and #before > 0 then withdrew = '1' end
local holdJson = '[]'
if #hold > 0 then holdJson = cjson.encode(hold) end
local changesJson = '[]'
if #changes > 0 then changesJson = cjson.encode(changes) end
redis.call('HSET', KEYS[1], 'version', ARGV[1], 'mayHold', holdJson, 'changes', changesJson, 'withdrew', withdrew)
redis.call('DEL', KEYS[2])
if #changes > 0 then redis.call('SADD', KEYS[2], unpack(changes)) end
local reply = {'go', withdrew, holdJson}
for _, group in ipairs(changes) do reply[#reply + 1] = group end
return reply
`);

// Step 2, in one facility bucket. KEYS: the bucket's held record of the encounter, the bucket's dirty set, then
// per group of the bucket the version changes: its contributions, its awaiting hash. ARGV: version, the
// encounter as an awaiting-hash field, its cells in the bucket by group (JSON), then the group keys in the
// order of KEYS. Every group whose contributions it touches is a declared key (checked before any write).
const APPLY = new SlotScript('LedgerApply', `
local version = tonumber(ARGV[1])
local held = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if version < held then return 'stale' end
if version == held then return 'held' end
local at = {}
for i = 4, #ARGV do at[ARGV[i]] = 3 + 2 * (i - 4) end
local old = cjson.decode(redis.call('HGET', KEYS[1], 'fields') or '{}')
local new = cjson.decode(ARGV[3])
for group in pairs(old) do if not at[group] then return redis.error_reply('ledger: held group not declared: ' .. group) end end
for group in pairs(new) do if not at[group] then return redis.error_reply('ledger: new group not declared: ' .. group) end end
for group, fields in pairs(old) do
  if #fields > 0 then redis.call('HDEL', KEYS[at[group]], unpack(fields)) end
end
local written = {}
for group, cells in pairs(new) do
  local fields, fieldValues = {}, {}
  for field, value in pairs(cells) do
    fields[#fields + 1] = field
    fieldValues[#fieldValues + 1] = field
    fieldValues[#fieldValues + 1] = value
  end
  if #fieldValues > 0 then redis.call('HSET', KEYS[at[group]], unpack(fieldValues)) end
  written[group] = fields
end
redis.call('HSET', KEYS[1], 'version', ARGV[1], 'fields', cjson.encode(written))
if #ARGV >= 4 then redis.call('SADD', KEYS[2], unpack(ARGV, 4)) end
for i = 4, #ARGV do redis.call('HSET', KEYS[at[ARGV[i]] + 1], ARGV[2], ARGV[1]) end
return 'applied'
`);

// Step 3. KEYS: the encounter's ledger record. ARGV: version, its groups (JSON list).
const SETTLE_HOLD = new SlotScript('LedgerSettleHold', `
if redis.call('HGET', KEYS[1], 'version') == ARGV[1] then redis.call('HSET', KEYS[1], 'mayHold', ARGV[2]) end
return 0
`);

// The start of a push. KEYS: the group's bucket's dirty set, the group's contributions, what DHIS2 may hold of
// it, its awaiting versions, its push lease. ARGV: the group key, the lease's token and length (ms). Takes the
// lease (or returns {-1} when another push holds it), claims the dirty mark and reads the rest in the same instant.
const SNAPSHOT = new SlotScript('PushSnapshot', `
if not redis.call('SET', KEYS[5], ARGV[2], 'NX', 'PX', ARGV[3]) then return {-1} end
local claimed = redis.call('SREM', KEYS[1], ARGV[1])
return {claimed, redis.call('HGETALL', KEYS[2]), redis.call('HGETALL', KEYS[3]), redis.call('HGETALL', KEYS[4])}
`);

// The end of a push: gives its lease back (KEYS[1]) unless the lease ran out and another push holds it now.
const RELEASE = new SlotScript('ReleasePushLease', `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

// DHIS2 took a push, for one encounter it carried (its slot). KEYS: its ledger record, its unconfirmed groups.
// ARGV: the version sent, the group key. If that version is still the latest, the group is crossed off;
// returns how many groups it still waits for (-1: a newer version came since) and whether it withdrew all.
const CONFIRM = new SlotScript('ConfirmPush', `
local held = redis.call('HMGET', KEYS[1], 'version', 'withdrew')
if held[1] ~= ARGV[1] then return {-1, held[2] or '0'} end
redis.call('SREM', KEYS[2], ARGV[2])
return {redis.call('SCARD', KEYS[2]), held[2] or '0'}
`);

// DHIS2 took a push, for the group (its slot). KEYS: its awaiting hash, what DHIS2 may hold of it. ARGV: the
// number of pushed cells, the cells as field/value pairs (value "0": DHIS2 holds nothing there), then per
// confirmed encounter its awaiting-hash field and the version sent, crossed off unless a newer one is awaiting.
const SETTLE = new SlotScript('SettlePush', `
local cells = tonumber(ARGV[1])
for i = 0, cells - 1 do
  local field, value = ARGV[2 + 2 * i], ARGV[3 + 2 * i]
  if value == '0' then redis.call('HDEL', KEYS[2], field) else redis.call('HSET', KEYS[2], field, value) end
end
for i = 2 + 2 * cells, #ARGV, 2 do
  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then redis.call('HDEL', KEYS[1], ARGV[i]) end
end
return 0
`);

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

type Decision = ['stale', string] | ['go' | 'again', string, string, ...string[]];


export class Ledger {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {
    for (const script of [DECIDE, APPLY, SETTLE_HOLD, SNAPSHOT, RELEASE, CONFIRM, SETTLE]) script.defineOn(redis);
  }

  /**
   * Makes each item's contributions the whole of what that encounter version counts for (empty for a
   * training or entered-in-error encounter), in three round trips for the whole list (decide, apply, settle:
   * see the top of this file). An older or equal version changes nothing.
   */
  async replaceMany(items: readonly EncounterContributions[]): Promise<ReplaceOutcome[]> {
    if (items.length === 0) return [];
    const cellsOf = items.map((item) => {
      const cells: Record<string, Record<string, number>> = {};
      for (const c of item.contributions) {
        const field = JSON.stringify([c.dataElement, c.categoryOptionCombo, item.source, item.id]);
        const cellsOfGroup = (cells[groupKeyOf(c)] ??= {});
        cellsOfGroup[field] = (cellsOfGroup[field] ?? 0) + c.value;
      }
      return cells;
    });

    // 1. Decide, in each encounter's slot.
    const decide = new Batch(this.redis);
    items.forEach((item, i) => {
      const key = this.keys.ledgerEncounter(item.source, item.id);
      decide.script(DECIDE, { keys: [key, this.keys.ledgerUnconfirmed(item.source, item.id)], args: [String(item.version), JSON.stringify(Object.keys(cellsOf[i]!))] });
    });
    const decisions = (await decide.exec()) as Decision[];

    // 2. Apply, in each facility bucket of the groups a version changes.
    const apply = new Batch(this.redis);
    const appliesOf: number[][] = items.map(() => []);
    items.forEach((item, i) => {
      const decision = decisions[i]!;
      if (decision[0] === 'stale') return;
      const changes = decision.slice(3) as string[];
      const byBucket = new Map<number, string[]>();
      for (const groupKey of changes) {
        const bucket = facilityBucketOf(groupOfKey(groupKey).orgUnit);
        byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), groupKey]);
      }
      for (const [bucket, groupKeys] of byBucket) {
        const cells = Object.fromEntries(groupKeys.filter((g) => cellsOf[i]![g] !== undefined).map((g) => [g, cellsOf[i]![g]!]));
        const held = this.keys.ledgerHeldAt(bucket, item.source, item.id);
        const keys = [held, this.keys.ledgerDirty(bucket), ...groupKeys.flatMap((g) => [this.keys.ledgerGroup(groupOfKey(g)), this.keys.ledgerAwaiting(groupOfKey(g))])];
        appliesOf[i]!.push(apply.length);
        // cjson turns an empty object into an empty array; both decode to an empty table in Lua.
        apply.script(APPLY, { keys, args: [String(item.version), memberOf(item), JSON.stringify(cells), ...groupKeys] });
      }
    });
    const applied = (await apply.exec()) as ('applied' | 'held' | 'stale')[];

    const outcomes = items.map((_, i): ReplaceOutcome => {
      const decision = decisions[i]!;
      const results = appliesOf[i]!.map((at) => applied[at]!);
      if (decision[0] === 'stale' || results.includes('stale')) return { outcome: 'stale', withdrew: false, touched: [] };
      const withdrew = decision[1] === '1';
      if (decision[0] === 'again' && results.every((result) => result === 'held')) return { outcome: 'held', withdrew, touched: [] };
      return { outcome: 'applied', withdrew, touched: (decision.slice(3) as string[]).map(groupOfKey) };
    });

    // 3. Settle: the groups that may hold an encounter's contributions are now only its new ones.
    const settle = new Batch(this.redis);
    items.forEach((item, i) => {
      const decision = decisions[i]!;
      if (decision[0] === 'stale' || outcomes[i]!.outcome === 'stale') return;
      const groups = Object.keys(cellsOf[i]!);
      const mayHold = JSON.parse(decision[2]) as string[];
      if (mayHold.length === groups.length && mayHold.every((g) => cellsOf[i]![g] !== undefined)) return;
      const key = this.keys.ledgerEncounter(item.source, item.id);
      settle.script(SETTLE_HOLD, { keys: [key], args: [String(item.version), groups.length > 0 ? JSON.stringify(groups) : '[]'] });
    });
    await settle.exec();
    return outcomes;
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
    const batch = new Batch(this.redis);
    for (const group of groups) {
      const dirty = this.keys.ledgerDirtyOf(group);
      batch.script(SNAPSHOT, {
        keys: [dirty, this.keys.ledgerGroup(group), this.keys.ledgerPushed(group), this.keys.ledgerAwaiting(group), this.keys.ledgerPushLease(group)],
        args: [groupKeyOf(group), lease.token, String(lease.ms)],
      });
    }
    return (await batch.exec()).map((reply) => {
      const [claimed, shareFields, pushedFields, awaitingFields] = reply as [number, string[], string[], string[]];
      return claimed === -1 ? 'leased' : snapshotOf(claimed === 1, shareFields, pushedFields, awaitingFields);
    });
  }

  /** Gives back the leases a push took (those it still holds). */
  async releasePushLeases(groups: readonly CellGroup[], lease: PushLease): Promise<void> {
    if (groups.length === 0) return;
    const batch = new Batch(this.redis);
    for (const group of groups) {
      const key = this.keys.ledgerPushLease(group);
      batch.script(RELEASE, { keys: [key], args: [lease.token] });
    }
    await batch.exec();
  }

  /**
   * DHIS2 took a push: records what it now holds of these cells (a zero: nothing there any more) and crosses
   * the group off each confirmed encounter version, unless a newer version came since. Says, in order, what
   * each still waits for.
   */
  async settlePush(group: CellGroup, pushed: readonly CellValue[], confirmed: readonly EncounterVersion[]): Promise<Settled[]> {
    const [settled] = await this.settlePushes([{ group, pushed, confirmed }]);
    return settled ?? [];
  }

  /** `settlePush` for the groups one post carried, in two round trips for all. */
  async settlePushes(pushes: readonly { group: CellGroup; pushed: readonly CellValue[]; confirmed: readonly EncounterVersion[] }[]): Promise<Settled[][]> {
    // Each encounter first (its slot), then the group (its own): a worker killed in between leaves the
    // versions awaiting in the group, so the push's next attempt confirms them again (a no-op for each).
    const confirm = new Batch(this.redis);
    for (const { group, confirmed } of pushes) {
      const groupKey = groupKeyOf(group);
      for (const e of confirmed) {
        const key = this.keys.ledgerEncounter(e.source, e.id);
        confirm.script(CONFIRM, { keys: [key, this.keys.ledgerUnconfirmed(e.source, e.id)], args: [String(e.version), groupKey] });
      }
    }
    const replies = (await confirm.exec()) as [number, string][];
    const settle = new Batch(this.redis);
    for (const { group, pushed, confirmed } of pushes) {
      if (pushed.length === 0 && confirmed.length === 0) continue;
      const args = [String(pushed.length), ...pushed.flatMap((cell) => [cellInGroupKeyOf(cell), String(cell.value)]), ...confirmed.flatMap((e) => [memberOf(e), String(e.version)])];
      settle.script(SETTLE, { keys: [this.keys.ledgerAwaiting(group), this.keys.ledgerPushed(group)], args });
    }
    await settle.exec();
    let at = 0;
    return pushes.map(({ confirmed }) => confirmed.map(() => {
      const [waitingFor, withdrew] = replies[at++]!;
      return { waitingFor: Number(waitingFor), withdrew: withdrew === '1' };
    }));
  }

  /** The latest version the ledger decided for an encounter, whose contributions it holds once applied (0 when none). */
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
    const pipeline = this.redis.pipeline(); // one key: one slot
    for (const cell of cells) {
      const field = cellInGroupKeyOf(cell);
      if (cell.value === 0) pipeline.hdel(key, field);
      else pipeline.hset(key, field, String(cell.value));
    }
    for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
  }

  /** Up to `limit` dirty groups, from the facility buckets in turn (from a random one, so none is always last). */
  async dirtyGroups(limit = 1000): Promise<CellGroup[]> {
    const start = Math.floor(Math.random() * FACILITY_BUCKETS);
    const order = allBuckets(FACILITY_BUCKETS).map((i) => (start + i) % FACILITY_BUCKETS);
    const found: CellGroup[] = [];
    for (let from = 0; from < order.length && found.length < limit; from += DIRTY_BUCKETS_PER_TRIP) {
      const batch = new Batch(this.redis);
      for (const bucket of order.slice(from, from + DIRTY_BUCKETS_PER_TRIP)) {
        const key = this.keys.ledgerDirty(bucket);
        batch.add(key, (p) => p.srandmember(key, limit - found.length));
      }
      for (const members of (await batch.exec()) as string[][]) found.push(...members.map(groupOfKey));
    }
    return found.slice(0, limit);
  }

  /** Claims a dirty group for pushing: true when it was dirty. A change after the claim marks it dirty again. */
  async claimDirty(group: CellGroup): Promise<boolean> {
    return (await this.redis.srem(this.keys.ledgerDirtyOf(group), groupKeyOf(group))) === 1;
  }

  async markDirty(group: CellGroup): Promise<void> {
    await this.redis.sadd(this.keys.ledgerDirtyOf(group), groupKeyOf(group));
  }
}

/** How many facility buckets' dirty sets one round trip of `dirtyGroups` reads. */
const DIRTY_BUCKETS_PER_TRIP = 32;

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
