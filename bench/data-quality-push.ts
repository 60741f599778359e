// The DHIS2 push leg with and without data-quality screening, on the same ledger: generated encounters are
// mapped into the ledger under two prefixes, then every cell group is pushed (execPushJob, one job at a time,
// month by month, to a DHIS2 client that answers at once; each post carries up to `riders` other waiting
// groups of its facility, as DHIS2_PUSH_RIDERS does, 24 by default; 0 pushes every group alone), screened
// under one prefix and not under the other, in alternating order. Prints the CPU per pushed group of this
// process and of Redis, and the screening's share.
// Every month of history is in the ledger before the first push, so each screening reads and judges more
// than in bench/ingest (where the history fills as it goes): an upper bound for the same data.
//
//   npx tsx bench/data-quality-push.ts [encounters=20000] [rounds=2] [riders=24]   (its own Redis unless REDIS_URL)
import { fileURLToPath } from 'node:url';
import type { Encounter } from '@smc-bridge/contract';
import { execPushJob, type PushDeps } from '../middleware/src/delivery/dhis2/push-queue.js';
import { PendingPushes } from '../middleware/src/delivery/dhis2/pending-pushes.js';
import type { CellGroup } from '../middleware/src/domain/cells.js';
import { EncounterStore } from '../middleware/src/ingest/encounter-store.js';
import { Ledger } from '../middleware/src/ledger/ledger.js';
import { createLogger } from '../middleware/src/logging/logger.js';
import { aggregateContributions } from '../middleware/src/mapping/aggregate-contributions.js';
import { loadMappings } from '../middleware/src/mapping/load-mappings.js';
import { CellGroupScreening } from '../middleware/src/quality/cell-group-screening.js';
import { QualityFlags } from '../middleware/src/quality/flag-store.js';
import { loadScreeningConfig } from '../middleware/src/quality/screening-config.js';
import { createRedis } from '../middleware/src/redis/connection.js';
import { deleteKeysWithPrefix, RedisKeys } from '../middleware/src/redis/keys.js';
import { generatedBatches } from './lib/batches.js';
import { startPrivateRedis } from './lib/private-redis.js';

const total = Number(process.argv[2] ?? 20_000);
const rounds = Number(process.argv[3] ?? 2);
const riderCount = Number(process.argv[4] ?? 24);
const mappingsDir = fileURLToPath(new URL('../mappings', import.meta.url));
const mappings = loadMappings(mappingsDir);
const screeningConfig = loadScreeningConfig(mappingsDir);
const own = process.env['REDIS_URL'] === undefined ? await startPrivateRedis() : undefined;
const redis = createRedis(own?.url ?? process.env['REDIS_URL']!, 'bench-dq-push');
const encounters = generatedBatches(total).batches.flatMap((batch) => (JSON.parse(batch) as { encounters: Encounter[] }).encounters);
const client: PushDeps['client'] = { postDataValues: async (values) => ({ kind: 'imported', importCount: { imported: values.length, updated: 0, ignored: 0, deleted: 0 }, conflicts: [], rejectedIndexes: [] }) };

async function redisCpuSeconds(): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return field('used_cpu_user') + field('used_cpu_sys');
}

async function pushLeg(prefix: string, screened: boolean): Promise<{ pushes: number; posts: number; nodeUs: number; redisUs: number; seconds: number }> {
  const keys = new RedisKeys(prefix);
  await deleteKeysWithPrefix(redis, prefix);
  const ledger = new Ledger(redis, keys);
  const store = new EncounterStore(redis, keys);
  for (let i = 0; i < encounters.length; i += 500) {
    await ledger.replaceMany(encounters.slice(i, i + 500).map((e) => ({ source: e.source, id: e.id, version: e.version, contributions: e.training || e.status === 'entered-in-error' ? [] : aggregateContributions(e, mappings).contributions })));
  }
  const groups = (await ledger.dirtyGroups(1_000_000)).sort((a, b) => a.period.localeCompare(b.period) || a.orgUnit.localeCompare(b.orgUnit) || a.dataSet.localeCompare(b.dataSet));
  const screening = screened
    ? new CellGroupScreening({ redis, keys, ledger, flags: new QualityFlags(redis, keys), config: screeningConfig, followupDataSets: [], logger: createLogger('error') })
    : undefined;
  const pending = new PendingPushes(redis, keys);
  const riders = riderCount > 0 ? { max: riderCount, pending, handBack: (back: readonly CellGroup[]) => pending.add(back) } : undefined;
  if (riders) await pending.add(groups);
  const cpu = process.cpuUsage();
  const redisBefore = await redisCpuSeconds();
  const started = performance.now();
  let posts = 0;
  for (const group of groups) {
    const result = await execPushJob({ group }, { ledger, client, store, ...(screening ? { screening } : {}), ...(riders ? { riders } : {}) });
    if (result.groups > 0) posts++;
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const redisUs = ((await redisCpuSeconds()) - redisBefore) * 1e6;
  await deleteKeysWithPrefix(redis, prefix);
  return { pushes: groups.length, posts, nodeUs: (used.user + used.system) / groups.length, redisUs: redisUs / groups.length, seconds };
}

const results: Record<'on' | 'off', { nodeUs: number; redisUs: number }[]> = { on: [], off: [] };
for (let round = 0; round < rounds; round++) {
  for (const mode of (round % 2 === 0 ? ['off', 'on'] : ['on', 'off']) as ('on' | 'off')[]) {
    const result = await pushLeg(`bench-dq-push-${mode}`, mode === 'on');
    results[mode].push(result);
    console.log(`round ${round + 1}, screening ${mode.padEnd(3)}: ${result.pushes} groups in ${result.posts} posts, ${result.seconds.toFixed(1)} s, CPU per group: this process ${result.nodeUs.toFixed(0)} µs, Redis ${result.redisUs.toFixed(0)} µs`);
  }
}
const mean = (list: { nodeUs: number; redisUs: number }[], field: 'nodeUs' | 'redisUs') => list.reduce((sum, r) => sum + r[field], 0) / list.length;
const extra = mean(results.on, 'nodeUs') + mean(results.on, 'redisUs') - mean(results.off, 'nodeUs') - mean(results.off, 'redisUs');
console.log(`screening adds ${extra.toFixed(0)} µs of CPU per group pushed (this process and Redis), ${((100 * extra) / (mean(results.off, 'nodeUs') + mean(results.off, 'redisUs'))).toFixed(0)} % of the push leg's own`);
redis.disconnect();
await own?.stop();
