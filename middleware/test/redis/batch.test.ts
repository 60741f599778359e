// Batch against the real Redis: calls of a SlotScript travel as one command (on one Redis, whatever their
// slots), yet each call sees the effects of every command added before it on its slot, gets its own reply
// (nil included) at its own place, and a call that fails fails the batch. (On a Cluster, calls gather per
// slot only: middleware/test/cluster/.)
import { Batch } from '../../src/redis/batch.js';
import { SlotScript } from '../../src/redis/slot-script.js';
import { redisForTestFile } from '../support/redis.js';

const { base, connection } = redisForTestFile('batch');

// Appends ARGV[1] to the list at KEYS[1] and answers the list as it stands; ARGV[1] "nil" answers nil, "fail" an error.
const APPEND = new SlotScript('TestAppend', `
if ARGV[1] == 'nil' then return nil end
if ARGV[1] == 'fail' then return redis.error_reply('refused: ' .. KEYS[1]) end
redis.call('RPUSH', KEYS[1], ARGV[1])
return redis.call('LRANGE', KEYS[1], 0, -1)
`);

// Copies the length of list KEYS[1] into KEYS[2] (same slot), so a call shows what the calls before it wrote.
const COUNT = new SlotScript('TestCount', `
local n = redis.call('LLEN', KEYS[1])
redis.call('SET', KEYS[2], n)
return {n, #KEYS, #ARGV}
`);

// MONITOR sees every client of the shared Redis (other test files run beside this one): only commands on this
// file's keys are counted.
const ours = (args: readonly string[]) => args.some((arg) => arg.startsWith(`${base}:`));

test('calls gathered per slot keep the order of the batch and answer each at its own place', async () => {
  const redis = connection();
  APPEND.defineOn(redis);
  COUNT.defineOn(redis);
  const a = `${base}:{a}:list`;
  const b = `${base}:{b}:list`;
  const batch = new Batch(redis)
    .script(APPEND, { keys: [a], args: ['1'] })
    .script(APPEND, { keys: [b], args: ['x'] })
    .script(APPEND, { keys: [a], args: ['2'] })
    .add(a, (pipeline) => pipeline.rpush(a, '3'))
    .script(APPEND, { keys: [a], args: ['4'] })
    .script(COUNT, { keys: [a, `${base}:{a}:count`], args: ['p', 'q', 'r'] })
    .script(APPEND, { keys: [a], args: ['nil'] })
    .script(APPEND, { keys: [b], args: ['y'] });
  expect(batch.length).toBe(8);
  const watcher = redis.duplicate();
  const monitor = await watcher.monitor();
  const sent: string[] = [];
  monitor.on('monitor', (_time: string, args: string[]) => {
    if (!ours(args)) return;
    if (args[0] === 'evalsha' || args[0] === 'eval' || args[0] === 'rpush') sent.push(args[0] === 'rpush' ? 'rpush' : 'script');
  });
  const replies = await batch.exec();
  await new Promise((resolve) => setTimeout(resolve, 50));
  monitor.disconnect();
  watcher.disconnect();
  expect(replies).toEqual([['1'], ['x'], ['1', '2'], 3, ['1', '2', '3', '4'], [4, 2, 3], null, ['x', 'y']]);
  // One Redis: [1 (a), x (b), 2 (a)]; after the RPUSH on {a} the next call on {a} cannot join that command:
  // [4 (a)]; COUNT; [nil (a), y (b)]: four script commands.
  expect(sent.filter((name) => name === 'rpush')).toHaveLength(1);
  expect(sent.filter((name) => name === 'script')).toHaveLength(4);
  expect(await redis.lrange(a, 0, -1)).toEqual(['1', '2', '3', '4']);
  expect(await redis.get(`${base}:{a}:count`)).toBe('4');
});

test('on one Redis, calls on many slots gather into one command unless a later command on a slot needs them apart', async () => {
  const redis = connection();
  APPEND.defineOn(redis);
  COUNT.defineOn(redis);
  const list = (tag: number) => `${base}:{m${tag}}:list`;
  const batch = new Batch(redis);
  for (let tag = 0; tag < 50; tag++) batch.script(APPEND, { keys: [list(tag)], args: ['first'] });
  // COUNT on {m7} reads its list: the next APPEND on {m7} must follow it, so it opens a command of its own
  // (which the later calls on the other slots join); {m8} has no command in between and could have joined either.
  batch.script(COUNT, { keys: [list(7), `${base}:{m7}:count`], args: [] });
  batch.script(APPEND, { keys: [list(7)], args: ['second'] });
  batch.script(APPEND, { keys: [list(8)], args: ['second'] });
  const watcher = redis.duplicate();
  const monitor = await watcher.monitor();
  let scripts = 0;
  monitor.on('monitor', (_time: string, args: string[]) => {
    if (ours(args) && (args[0] === 'evalsha' || args[0] === 'eval')) scripts++;
  });
  const replies = await batch.exec();
  await new Promise((resolve) => setTimeout(resolve, 50));
  monitor.disconnect();
  watcher.disconnect();
  expect(scripts).toBe(3);
  expect(replies.slice(0, 50)).toEqual(Array.from({ length: 50 }, () => ['first']));
  expect(replies.slice(50)).toEqual([[1, 2, 0], ['first', 'second'], ['first', 'second']]);
  expect(await redis.get(`${base}:{m7}:count`)).toBe('1');
});

test('a call answered with an error fails the batch with that error', async () => {
  const redis = connection();
  APPEND.defineOn(redis);
  const key = `${base}:{c}:list`;
  const batch = new Batch(redis).script(APPEND, { keys: [key], args: ['1'] }).script(APPEND, { keys: [key], args: ['fail'] });
  await expect(batch.exec()).rejects.toThrow(`refused: ${key}`);
  // The call before the failing one ran, as in a pipeline.
  expect(await redis.lrange(key, 0, -1)).toEqual(['1']);
});

test('run: one call on its own, its reply unwrapped, its error raised', async () => {
  const redis = connection();
  APPEND.defineOn(redis);
  const key = `${base}:{d}:list`;
  expect(await APPEND.run(redis, { keys: [key], args: ['z'] })).toEqual(['z']);
  expect(await APPEND.run(redis, { keys: [key], args: ['nil'] })).toBeNull();
  await expect(APPEND.run(redis, { keys: [key], args: ['fail'] })).rejects.toThrow('refused');
});
