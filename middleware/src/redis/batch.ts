// Commands sent together in as few round trips as the deployment allows. On one Redis: a single pipeline.
// On a Redis Cluster a pipeline may only hold keys that one node serves, so the commands go in one pipeline
// per node, all sent at once. Each command names the key it works on; a command's keys share that key's slot
// (redis/keys.ts), so the node of that key is the node of the whole command.
import type { ChainableCommander } from 'ioredis';
import { isCluster, type RedisClient } from './connection.js';

export class Batch {
  private readonly pipelines = new Map<string, ChainableCommander>();
  private readonly order: [ChainableCommander, number][] = [];

  constructor(private readonly redis: RedisClient) {}

  /** Adds one command (exactly one) working on `key`. */
  add(key: string, command: (pipeline: ChainableCommander) => unknown): this {
    const group = this.nodeOf(key);
    let pipeline = this.pipelines.get(group);
    if (pipeline === undefined) {
      pipeline = this.redis.pipeline();
      this.pipelines.set(group, pipeline);
    }
    this.order.push([pipeline, pipeline.length]);
    command(pipeline);
    return this;
  }

  get length(): number {
    return this.order.length;
  }

  /** The replies in the order the commands were added; the first command that failed fails the whole call. */
  async exec(): Promise<unknown[]> {
    if (this.order.length === 0) return [];
    const pipelines = [...this.pipelines.values()];
    const results = await Promise.all(pipelines.map((pipeline) => pipeline.exec()));
    const repliesOf = new Map(pipelines.map((pipeline, i) => [pipeline, results[i] ?? []]));
    return this.order.map(([pipeline, index]) => {
      const [error, reply] = repliesOf.get(pipeline)![index] ?? [new Error('a pipelined command got no reply'), undefined];
      if (error) throw error;
      return reply;
    });
  }

  private nodeOf(key: string): string {
    if (!isCluster(this.redis)) return '';
    const slot = slotOf(key);
    // Before the slot map has loaded, one pipeline per slot (ioredis waits for the map to send it).
    return this.redis.slots[slot]?.join(',') ?? `slot ${slot}`;
  }
}

/** The Cluster slot of a key: CRC16 (XMODEM) of its hash tag (the text inside the first {…}) or of the whole key, mod 16384. */
export function slotOf(key: string): number {
  const bytes = Buffer.from(key);
  const open = bytes.indexOf(0x7b);
  if (open >= 0) {
    const close = bytes.indexOf(0x7d, open + 1);
    if (close > open + 1) return crc16(bytes.subarray(open + 1, close)) % 16384;
  }
  return crc16(bytes) % 16384;
}

function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}
