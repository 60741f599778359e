// Commands sent together in as few round trips as the deployment allows. On one Redis: a single pipeline.
// On a Redis Cluster a pipeline may only hold keys that one node serves, so the commands go in one pipeline
// per node, all sent at once. Each command names the key it works on; a command's keys share that key's slot
// (redis/keys.ts), so the node of that key is the node of the whole command. Calls of a SlotScript
// (redis/slot-script.ts) are gathered into one command: on a Cluster those on one slot, on one Redis (where a
// script may touch any key) all of them, as long as the order of the commands on every slot is kept.
import type { ChainableCommander } from 'ioredis';
import { isCluster, type RedisClient } from './connection.js';
import type { ScriptCall, SlotScript } from './slot-script.js';

/** Several calls of one script, sent as one command at `position` among the entries; `members` are their places in the batch. */
interface Gathered {
  script: SlotScript;
  calls: ScriptCall[];
  members: number[];
  position: number;
}

type Entry = { key: string; command: (pipeline: ChainableCommander) => unknown; member: number } | { key: string; gathered: Gathered };

export class Batch {
  private readonly entries: Entry[] = [];
  // The latest gathered command of each script (on a Cluster: of each script and slot), which a call may join.
  private readonly latest = new Map<string, Gathered>();
  // Per hash tag, the position of the last entry working on it. A call joins a gathered command only when no
  // entry after it works on the call's tag, so the commands on any one slot run in the order they were added.
  private readonly lastOnTag = new Map<string, number>();
  private readonly perSlot: boolean;
  private members = 0;

  constructor(private readonly redis: RedisClient) {
    this.perSlot = isCluster(redis);
  }

  /** Adds one command (exactly one) working on `key`. */
  add(key: string, command: (pipeline: ChainableCommander) => unknown): this {
    this.lastOnTag.set(tagOf(key), this.entries.length);
    this.entries.push({ key, command, member: this.members++ });
    return this;
  }

  /** Adds one call of a script; its keys share the slot of the first. Calls of one script travel as one command where order allows. */
  script(script: SlotScript, call: ScriptCall): this {
    const key = call.keys[0]!;
    const tag = tagOf(key);
    const joinable = this.perSlot ? `${script.command}\n${tag}` : script.command;
    let gathered = this.latest.get(joinable);
    if (gathered === undefined || (this.lastOnTag.get(tag) ?? -1) > gathered.position) {
      gathered = { script, calls: [], members: [], position: this.entries.length };
      this.latest.set(joinable, gathered);
      this.entries.push({ key, gathered });
    }
    this.lastOnTag.set(tag, gathered.position);
    gathered.calls.push(call);
    gathered.members.push(this.members++);
    return this;
  }

  get length(): number {
    return this.members;
  }

  /** The replies in the order the commands were added; the first command that failed fails the whole call. */
  async exec(): Promise<unknown[]> {
    if (this.entries.length === 0) return [];
    const pipelines = new Map<string, ChainableCommander>();
    const placed: [ChainableCommander, number, Entry][] = [];
    for (const entry of this.entries) {
      const group = this.nodeOf(entry.key);
      let pipeline = pipelines.get(group);
      if (pipeline === undefined) {
        pipeline = this.redis.pipeline();
        pipelines.set(group, pipeline);
      }
      placed.push([pipeline, pipeline.length, entry]);
      if ('command' in entry) entry.command(pipeline);
      else (pipeline as unknown as Record<string, (...args: unknown[]) => unknown>)[entry.gathered.script.command]!(...entry.gathered.script.argumentsOf(entry.gathered.calls));
    }
    const all = [...pipelines.values()];
    const results = await Promise.all(all.map((pipeline) => pipeline.exec()));
    const repliesOf = new Map(all.map((pipeline, i) => [pipeline, results[i] ?? []]));
    const replies = new Array<unknown>(this.members);
    for (const [pipeline, index, entry] of placed) {
      const [error, reply] = repliesOf.get(pipeline)![index] ?? [new Error('a pipelined command got no reply'), undefined];
      if (error) throw error;
      if ('command' in entry) {
        replies[entry.member] = reply;
        continue;
      }
      const each = reply as unknown[];
      entry.gathered.members.forEach((member, i) => {
        if (each[i] instanceof Error) throw each[i];
        replies[member] = each[i] ?? null;
      });
    }
    return replies;
  }

  private nodeOf(key: string): string {
    if (!isCluster(this.redis)) return '';
    const slot = slotOf(key);
    // Before the slot map has loaded, one pipeline per slot (ioredis waits for the map to send it).
    return this.redis.slots[slot]?.join(',') ?? `slot ${slot}`;
  }
}

/** What decides a key's slot: the text inside its first {…} when there is some, else the whole key. */
function tagOf(key: string): string {
  const open = key.indexOf('{');
  if (open >= 0) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) return key.slice(open + 1, close);
  }
  return key;
}

/** The Cluster slot of a key: CRC16 (XMODEM) of its hash tag (`tagOf`), mod 16384. */
export function slotOf(key: string): number {
  return crc16(Buffer.from(tagOf(key))) % 16384;
}

function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}
