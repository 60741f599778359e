// A Lua script that runs once per call of a batch but does the work of many calls: Batch (redis/batch.ts)
// gathers the calls of one script on keys of one slot into a single EVALSHA, and this wrapper runs the
// script's body once per call inside it, in order, each with its own KEYS and ARGV. Each EVALSHA costs Redis
// and the client a fixed amount however little the script does, and the pipeline's per-encounter scripts
// (accept, decide, apply, target states…) did little: gathered per slot, a job of 1,000 encounters sends a
// hundred-odd calls instead of thousands.
//
// The body is an ordinary script (KEYS, ARGV, return). It becomes a local function of the wrapper, so
// whatever it returns is that call's reply: nil as a nil reply, redis.error_reply as an error in the reply
// array, which Batch raises as the call's failure. A redis.call that raises stops the whole gathered call
// (the calls before it have run, as in a pipeline); every script here is safe to run again.
import type { RedisClient } from './connection.js';

const wrapper = (body: string) => `
local function one(KEYS, ARGV)
${body}
end
local calls = tonumber(ARGV[1])
local replies = {}
local k, a = 0, 1 + 2 * calls
for i = 1, calls do
  local keyCount, argCount = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  local keys, args = {}, {}
  for j = 1, keyCount do keys[j] = KEYS[k + j] end
  for j = 1, argCount do args[j] = ARGV[a + j] end
  k, a = k + keyCount, a + argCount
  local reply = one(keys, args)
  if reply == nil then reply = false end
  replies[i] = reply
end
return replies
`;

/** One call of a script: its keys (all in one slot, the first names it) and its arguments. */
export interface ScriptCall {
  keys: readonly string[];
  args: readonly string[];
}

type ManyCommand = (numberOfKeys: number, ...keysThenArgs: string[]) => Promise<unknown[]>;

export class SlotScript {
  readonly command: string;

  constructor(
    name: string,
    private readonly body: string,
  ) {
    this.command = `smc${name}`;
  }

  /** Makes the script callable on a connection (and its pipelines); harmless when done before. */
  defineOn(redis: RedisClient): void {
    if ((redis as unknown as Record<string, unknown>)[this.command] !== undefined) return;
    redis.defineCommand(this.command, { lua: wrapper(this.body) });
  }

  /** The command's arguments for several calls, gathered: KEYS of all, then counts, then ARGV of all. */
  argumentsOf(calls: readonly ScriptCall[]): [number, ...string[]] {
    let keyCount = 0;
    for (const call of calls) keyCount += call.keys.length;
    const out: (number | string)[] = [keyCount];
    for (const call of calls) for (const key of call.keys) out.push(key);
    out.push(String(calls.length));
    for (const call of calls) out.push(String(call.keys.length), String(call.args.length));
    for (const call of calls) for (const arg of call.args) out.push(arg);
    return out as [number, ...string[]];
  }

  /** One call, on its own (on an auto-pipelined connection it shares the round trip of others). */
  async run(redis: RedisClient, call: ScriptCall): Promise<unknown> {
    const [reply] = await (redis as unknown as Record<string, ManyCommand>)[this.command]!(...this.argumentsOf([call]));
    if (reply instanceof Error) throw reply;
    return reply;
  }
}
