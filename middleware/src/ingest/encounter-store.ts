// Durable store of accepted encounter versions. One Lua script decides, atomically per encounter, whether a
// posted version is new (accepted), the same as the one held (duplicate), older (stale) or the same version
// with other content (conflict), and records an accepted version in the inbox in the same step. The inbox is
// what makes a crash between "stored" and "queued" harmless: the sweeper re-queues what stays in it. A
// duplicate never queues anything, even when its original is still waiting in the inbox. The inbox is one
// sorted set per encounter bucket, in the slot of the encounters it holds (redis/keys.ts).
import { Batch } from '../redis/batch.js';
import { SlotScript } from '../redis/slot-script.js';
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

// KEYS: the encounter's hash, its inbox bucket. ARGV: version, content hash, body, acceptance time (ISO and
// ms), inbox member, the initial state of every target, enteredBy ('' when none).
const ACCEPT = new SlotScript('AcceptEncounter', `
local held = redis.call('HMGET', KEYS[1], 'version', 'hash')
local version = tonumber(ARGV[1])
if held[1] then
  local heldVersion = tonumber(held[1])
  if version < heldVersion then return {'stale', held[1]} end
  if version == heldVersion then
    if held[2] ~= ARGV[2] then return {'conflict', held[1]} end
    return {'duplicate'}
  end
end
redis.call('HSET', KEYS[1], 'version', ARGV[1], 'hash', ARGV[2], 'body', ARGV[3], 'acceptedAt', ARGV[4], ${TARGETS.map((target) => `'target:${target}', ARGV[7], `).join('')}'enteredBy', ARGV[8])
redis.call('ZADD', KEYS[2], ARGV[5], ARGV[6])
return {'accepted'}
`);

const MARK_PROCESSED = new SlotScript('MarkProcessed', `
local processed = tonumber(redis.call('HGET', KEYS[1], 'processedVersion') or '0')
if processed < tonumber(ARGV[1]) then redis.call('HSET', KEYS[1], 'processedVersion', ARGV[1]) end
redis.call('ZREM', KEYS[2], ARGV[2])
return 1
`);

// A target state never goes back to an older version of the encounter.
const SET_TARGET = new SlotScript('SetTarget', `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  local held = cjson.decode(current)
  if tonumber(held.version) > tonumber(ARGV[2]) then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
`);

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
    for (const script of [ACCEPT, MARK_PROCESSED, SET_TARGET]) script.defineOn(redis);
  }

  /**
   * Stores each version that is new, in one round trip for the whole list. Same order as the input. An item
   * is the encounter itself, or (as the ingest sends it) its identity and facility with the body it already
   * serialised and hashed, stored as is.
   */
  async accept(items: readonly AcceptItem[], now: Date): Promise<AcceptOutcome[]> {
    if (items.length === 0) return [];
    const batch = new Batch(this.redis);
    const at = now.toISOString();
    const atMs = String(now.getTime());
    const initialStateOf = new Map<number, string>();
    for (const item of items) {
      const { encounter, contentHash, enteredBy } = item;
      const ref = { source: encounter.source, id: encounter.id, version: encounter.version };
      let initialState = initialStateOf.get(ref.version);
      if (initialState === undefined) {
        initialState = JSON.stringify({ ...targetStates.accepted(at), version: ref.version } satisfies TargetState);
        initialStateOf.set(ref.version, initialState);
      }
      batch.script(ACCEPT, {
        keys: [this.keys.encounter(ref.source, ref.id), this.keys.inboxOf(ref.source, ref.id)],
        args: [String(ref.version), contentHash, item.body ?? JSON.stringify(item.encounter), at, atMs, inboxMember(ref), initialState, enteredBy ?? ''],
      });
    }
    return (await batch.exec()).map((reply) => toOutcome(reply as AcceptReply));
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
      batch.script(MARK_PROCESSED, { keys: [key, this.keys.inboxOf(ref.source, ref.id)], args: [String(ref.version), inboxMember(ref)] });
    }
    await batch.exec();
  }

  /** One target state, as one command (on an auto-pipelined connection it shares the round trip of others). */
  async setTargetState(ref: EncounterRef, target: TargetName, state: StateUpdate['state']): Promise<void> {
    const record: TargetState = { ...state, version: ref.version };
    await SET_TARGET.run(this.redis, { keys: [this.keys.encounter(ref.source, ref.id)], args: [`target:${target}`, String(ref.version), JSON.stringify(record)] });
  }

  /** Sets many target states in one pipelined round trip; none goes back to an older version. */
  async setTargetStates(updates: readonly StateUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    const batch = new Batch(this.redis);
    for (const { ref, target, state } of updates) {
      const record: TargetState = { ...state, version: ref.version };
      const key = this.keys.encounter(ref.source, ref.id);
      batch.script(SET_TARGET, { keys: [key], args: [`target:${target}`, String(ref.version), JSON.stringify(record)] });
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
