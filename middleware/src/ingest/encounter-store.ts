// Durable store of accepted encounter versions. One Lua script decides, atomically per encounter, whether a
// posted version is new (accepted), the same as the one held (duplicate), older (stale) or the same version
// with other content (conflict), and records an accepted version in the inbox in the same step. The inbox is
// what makes a crash between "stored" and "queued" harmless: the sweeper re-queues what stays in it. A
// duplicate never queues anything, even when its original is still waiting in the inbox. The inbox is one
// sorted set per encounter bucket, in the slot of the encounters it holds (redis/keys.ts).
import { Batch } from '../redis/batch.js';
import type { RedisClient } from '../redis/connection.js';
import type { Encounter } from '@smc-bridge/contract';
import type { EncounterRef } from '../domain/encounter-ref.js';
import { TARGETS, type TargetName, type TargetState } from '../domain/target-state.js';
import { allBuckets, ENCOUNTER_BUCKETS, type RedisKeys } from '../redis/keys.js';
import { targetStates, type StateUpdate } from '../status/target-states.js';

export type AcceptOutcome =
  | { outcome: 'accepted' }
  | { outcome: 'duplicate' }
  | { outcome: 'stale'; currentVersion: number }
  | { outcome: 'conflict'; currentVersion: number };

export interface StoredEncounter {
  encounter: Encounter;
  version: number;
  acceptedAt: string;
  /** The DHIS2 user who entered this version in the DHIS2 app (the Route's X-Forwarded-User), if it came that way. */
  enteredBy?: string;
  processedVersion: number;
  targets: Partial<Record<TargetName, TargetState>>;
}

// Accepts the items of one encounter bucket in one call: KEYS[1] is the bucket's inbox, KEYS[1 + i] the hash
// of item i. ARGV: the acceptance time (ISO and ms), the number of target fields and their names, then per
// item its version, content hash, body, inbox member, enteredBy and initial target state. Items are decided
// in order, so the same encounter twice in one request behaves as two requests would.
const ACCEPT_SCRIPT = `
local at, atMs, targetCount = ARGV[1], ARGV[2], tonumber(ARGV[3])
local first = 4 + targetCount
local replies = {}
for i = 2, #KEYS do
  local a = first + (i - 2) * ACCEPT_ITEM_ARGS
  local version, hash = ARGV[a], ARGV[a + 1]
  local held = redis.call('HMGET', KEYS[i], 'version', 'hash')
  local reply = nil
  if held[1] then
    local heldVersion = tonumber(held[1])
    if tonumber(version) < heldVersion then reply = {'stale', held[1]}
    elseif tonumber(version) == heldVersion then
      if held[2] ~= hash then reply = {'conflict', held[1]} else reply = {'duplicate'} end
    end
  end
  if reply == nil then
    redis.call('HSET', KEYS[i], 'version', version, 'hash', hash, 'body', ARGV[a + 2], 'acceptedAt', at, 'enteredBy', ARGV[a + 4])
    for t = 4, 3 + targetCount do redis.call('HSET', KEYS[i], ARGV[t], ARGV[a + 5]) end
    redis.call('ZADD', KEYS[1], atMs, ARGV[a + 3])
    reply = {'accepted'}
  end
  replies[i - 1] = reply
end
return replies
`.replaceAll('ACCEPT_ITEM_ARGS', '6');

const MARK_PROCESSED_SCRIPT = `
local processed = tonumber(redis.call('HGET', KEYS[1], 'processedVersion') or '0')
if processed < tonumber(ARGV[1]) then redis.call('HSET', KEYS[1], 'processedVersion', ARGV[1]) end
redis.call('ZREM', KEYS[2], ARGV[2])
return 1
`;

// A target state never goes back to an older version of the encounter.
const SET_TARGET_SCRIPT = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  local held = cjson.decode(current)
  if tonumber(held.version) > tonumber(ARGV[2]) then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
`;

type AcceptReply = [string, string?];

/** An encounter's identity and facility: what the store needs of it besides its serialised body. */
export type EncounterHead = Pick<Encounter, 'source' | 'id' | 'version' | 'facility'>;

export type AcceptItem =
  | { encounter: Encounter; contentHash: string; body?: string; enteredBy?: string }
  | { encounter: EncounterHead; contentHash: string; body: string; enteredBy?: string };

export function inboxMember(ref: EncounterRef): string {
  return JSON.stringify([ref.source, ref.id, ref.version]);
}

export function parseInboxMember(member: string): EncounterRef {
  const [source, id, version] = JSON.parse(member) as [string, string, number];
  return { source, id, version };
}

export class EncounterStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {
    redis.defineCommand('smcAcceptEncounters', { lua: ACCEPT_SCRIPT });
    redis.defineCommand('smcMarkProcessed', { numberOfKeys: 2, lua: MARK_PROCESSED_SCRIPT });
    redis.defineCommand('smcSetTarget', { numberOfKeys: 1, lua: SET_TARGET_SCRIPT });
  }

  /**
   * Stores each version that is new, in one round trip for the whole list. Same order as the input. An item
   * is the encounter itself, or (as the ingest sends it) its identity and facility with the body it already
   * serialised and hashed, stored as is.
   */
  async accept(items: readonly AcceptItem[], now: Date): Promise<AcceptOutcome[]> {
    if (items.length === 0) return [];
    const at = now.toISOString();
    // One script call per encounter bucket: its keys share a slot, and a call per encounter costs the
    // client more than the script's work.
    const byInbox = new Map<string, { keys: string[]; args: string[]; positions: number[] }>();
    const targetStateOf = new Map<number, string>();
    items.forEach((item, position) => {
      const { encounter, contentHash, enteredBy } = item;
      const ref = { source: encounter.source, id: encounter.id, version: encounter.version };
      const inbox = this.keys.inboxOf(ref.source, ref.id);
      let call = byInbox.get(inbox);
      if (call === undefined) {
        call = { keys: [inbox], args: [], positions: [] };
        byInbox.set(inbox, call);
      }
      let initialTarget = targetStateOf.get(ref.version);
      if (initialTarget === undefined) {
        initialTarget = JSON.stringify({ ...targetStates.accepted(at), version: ref.version } satisfies TargetState);
        targetStateOf.set(ref.version, initialTarget);
      }
      call.keys.push(this.keys.encounter(ref.source, ref.id));
      call.args.push(String(ref.version), contentHash, item.body ?? JSON.stringify(item.encounter), inboxMember(ref), enteredBy ?? '', initialTarget);
      call.positions.push(position);
    });
    const targetFields = TARGETS.map((target) => `target:${target}`);
    const batch = new Batch(this.redis);
    const calls = [...byInbox.values()];
    for (const { keys, args } of calls) {
      batch.add(keys[0]!, (pipeline) => (pipeline as unknown as ScriptPipeline).smcAcceptEncounters(keys.length, ...keys, at, String(now.getTime()), String(targetFields.length), ...targetFields, ...args));
    }
    const outcomes = new Array<AcceptOutcome>(items.length);
    (await batch.exec()).forEach((replies, c) => {
      const { positions } = calls[c]!;
      (replies as AcceptReply[]).forEach((reply, i) => (outcomes[positions[i]!] = toOutcome(reply)));
    });
    return outcomes;
  }

  async read(source: string, id: string): Promise<StoredEncounter | undefined> {
    return toStoredEncounter(await this.redis.hgetall(this.keys.encounter(source, id)));
  }

  /** The stored record of each ref (undefined when unknown), in one round trip. */
  async readMany(refs: readonly EncounterRef[]): Promise<(StoredEncounter | undefined)[]> {
    const batch = new Batch(this.redis);
    for (const ref of refs) {
      const key = this.keys.encounter(ref.source, ref.id);
      batch.add(key, (pipeline) => pipeline.hgetall(key));
    }
    return (await batch.exec()).map((reply) => toStoredEncounter(reply as Record<string, string>));
  }

  async markProcessed(refs: readonly EncounterRef[]): Promise<void> {
    if (refs.length === 0) return;
    const batch = new Batch(this.redis);
    for (const ref of refs) {
      const key = this.keys.encounter(ref.source, ref.id);
      batch.add(key, (pipeline) => (pipeline as unknown as ScriptPipeline).smcMarkProcessed(key, this.keys.inboxOf(ref.source, ref.id), String(ref.version), inboxMember(ref)));
    }
    await batch.exec();
  }

  /** One target state, as one command (on an auto-pipelined connection it shares the round trip of others). */
  async setTargetState(ref: EncounterRef, target: TargetName, state: StateUpdate['state']): Promise<void> {
    const record: TargetState = { ...state, version: ref.version };
    await (this.redis as unknown as ScriptClient).smcSetTarget(this.keys.encounter(ref.source, ref.id), `target:${target}`, String(ref.version), JSON.stringify(record));
  }

  /** Sets many target states in one pipelined round trip; none goes back to an older version. */
  async setTargetStates(updates: readonly StateUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    const batch = new Batch(this.redis);
    for (const { ref, target, state } of updates) {
      const record: TargetState = { ...state, version: ref.version };
      const key = this.keys.encounter(ref.source, ref.id);
      batch.add(key, (pipeline) => (pipeline as unknown as ScriptPipeline).smcSetTarget(key, `target:${target}`, String(ref.version), JSON.stringify(record)));
    }
    await batch.exec();
  }

  /** Inbox entries accepted before `olderThan`, oldest first: versions no worker has finished yet (from every inbox bucket). */
  async unprocessedSince(olderThan: Date, limit: number): Promise<EncounterRef[]> {
    const batch = new Batch(this.redis);
    for (const bucket of allBuckets(ENCOUNTER_BUCKETS)) {
      const key = this.keys.inbox(bucket);
      batch.add(key, (pipeline) => pipeline.zrangebyscore(key, '-inf', olderThan.getTime(), 'WITHSCORES', 'LIMIT', 0, limit));
    }
    const entries: { member: string; score: number }[] = [];
    for (const flat of (await batch.exec()) as string[][]) {
      for (let i = 0; i < flat.length; i += 2) entries.push({ member: flat[i]!, score: Number(flat[i + 1]) });
    }
    return entries
      .sort((a, b) => a.score - b.score)
      .slice(0, limit)
      .map(({ member }) => parseInboxMember(member));
  }

  /** How many accepted versions wait in the inbox buckets. */
  async inboxSize(): Promise<number> {
    const batch = new Batch(this.redis);
    for (const bucket of allBuckets(ENCOUNTER_BUCKETS)) {
      const key = this.keys.inbox(bucket);
      batch.add(key, (pipeline) => pipeline.zcard(key));
    }
    return ((await batch.exec()) as number[]).reduce((sum, n) => sum + n, 0);
  }
}

interface ScriptClient {
  smcSetTarget(...args: string[]): Promise<unknown>;
}

interface ScriptPipeline {
  smcAcceptEncounters(numberOfKeys: number, ...args: string[]): void;
  smcMarkProcessed(...args: string[]): void;
  smcSetTarget(...args: string[]): void;
}


function toStoredEncounter(fields: Record<string, string>): StoredEncounter | undefined {
  if (fields['body'] === undefined) return undefined;
  const targets: Partial<Record<TargetName, TargetState>> = {};
  for (const target of TARGETS) {
    const state = fields[`target:${target}`];
    if (state !== undefined) targets[target] = JSON.parse(state) as TargetState;
  }
  return {
    encounter: JSON.parse(fields['body']) as Encounter,
    version: Number(fields['version']),
    acceptedAt: fields['acceptedAt'] ?? '',
    ...(fields['enteredBy'] ? { enteredBy: fields['enteredBy'] } : {}),
    processedVersion: Number(fields['processedVersion'] ?? 0),
    targets,
  };
}

function toOutcome(reply: AcceptReply): AcceptOutcome {
  const [outcome, detail] = reply;
  switch (outcome) {
    case 'accepted':
      return { outcome: 'accepted' };
    case 'duplicate':
      return { outcome: 'duplicate' };
    case 'stale':
      return { outcome: 'stale', currentVersion: Number(detail) };
    case 'conflict':
      return { outcome: 'conflict', currentVersion: Number(detail) };
    default:
      throw new Error(`unexpected reply from the accept script: ${String(outcome)}`);
  }
}
