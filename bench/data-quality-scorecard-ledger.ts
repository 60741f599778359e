// The nightly scorecard as the workers compute it: from the ledger's pushed records in Redis, not from
// series in memory. Seeds a Redis of its own (bench/lib/private-redis.ts) with the pushed records of
// `facilities` × 50 data elements × 60 months (90 % of facility-months reported, 30 districts by code), then
// runs quality/district-scorecard.ts for 2025 in this process and prints wall time, this process's CPU,
// the time spent reading Redis, Redis's own CPU and peak RSS.
// `npx tsx bench/data-quality-scorecard-ledger.ts [facilities=3000]`.
import { Redis } from 'ioredis';
import { Draws } from '../packages/data-quality/src/benchmark/index.js';
import { periodOf } from '../packages/data-quality/src/index.js';
import { districtScorecard } from '../middleware/src/quality/district-scorecard.js';
import { pushedRecordsByDistrict, readDistrictHistories } from '../middleware/src/quality/ledger-histories.js';
import { byCodePattern, districtByCode } from '../middleware/src/quality/org-unit-districts.js';
import { loadScreeningConfig } from '../middleware/src/quality/screening-config.js';
import { RedisKeys } from '../middleware/src/redis/keys.js';
import { cpuSecondsOf, redisPid } from './lib/cpu.js';
import { startPrivateRedis } from './lib/private-redis.js';

const facilityCount = Number(process.argv[2] ?? 3000);
const ELEMENTS = 50;
const MONTHS = 60;
const START = 2021 * 12; // January 2021
const own = process.env['REDIS_URL'] === undefined ? await startPrivateRedis() : undefined;
const redis = new Redis(process.env['REDIS_URL'] ?? own!.url);
const keys = new RedisKeys(`bench-card-${process.pid}`);
try {
  const draws = new Draws(5);
  const codes = Array.from({ length: ELEMENTS }, (_, e) => JSON.stringify([`DE_${String(e).padStart(2, '0')}`, 'default']));
  const seeding = performance.now();
  for (let f = 0; f < facilityCount; f++) {
    const orgUnit = `CM_R${f % 5}_D${f % 30}_F${f}`;
    const size = draws.logNormal(2, 1);
    const pipeline = redis.pipeline();
    for (let m = 0; m < MONTHS; m++) {
      if (draws.chance(0.1)) continue;
      const fields: Record<string, string> = {};
      codes.forEach((code, e) => void (fields[code] = String(1 + draws.poisson(size * (1 + (e % 5) / 4) * (1 + 0.5 * Math.sin((m % 12) / 2))))));
      pipeline.hset(keys.ledgerPushed({ dataSet: 'SMC_MONTHLY', orgUnit, period: periodOf(START + m), attributeOptionCombo: 'SRC_SMC_BRIDGE' }), fields);
    }
    await pipeline.exec();
  }
  const records = Number((await redis.info('keyspace')).match(/keys=(\d+)/)?.[1] ?? 0);
  console.log(`seeded ${records} pushed records (${facilityCount} facilities × ${ELEMENTS} elements × ${MONTHS} months, 90 % reported) in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);

  // The read alone, first: every district's records, as the scorecard reads them.
  const readCpu = process.cpuUsage();
  const readStarted = performance.now();
  let values = 0;
  for (const district of await pushedRecordsByDistrict(redis, keys, { until: '202512', districtOf: districtByCode })) {
    for (const { history } of await readDistrictHistories(redis, district)) for (const cell of history.cells) values += cell.values.filter((value) => value !== null).length;
  }
  const readUsage = process.cpuUsage(readCpu);
  console.log(`read alone: ${values} values in ${((performance.now() - readStarted) / 1000).toFixed(1)} s wall, ${((readUsage.user + readUsage.system) / 1e6).toFixed(1)} s CPU`);

  const pid = await redisPid(redis);
  const redisBefore = pid ? cpuSecondsOf(pid) : 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
  const result = await districtScorecard({ redis, keys, screening: loadScreeningConfig(new URL('../mappings', import.meta.url).pathname), districts: byCodePattern('benchmark') }, { year: 2025 });
  clearInterval(sampler);
  const wall = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const redisCpu = pid ? cpuSecondsOf(pid) - redisBefore : NaN;
  console.log(
    `scorecard from the ledger: ${result.facilities} facilities, ${result.dataElements} elements, ${result.card.indicators.length} rows: ` +
      `${wall.toFixed(1)} s wall (${result.readSeconds.toFixed(1)} s reading Redis), ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU in this process, ` +
      `${redisCpu.toFixed(1)} s in Redis, peak RSS ${Math.round(peakRss / 1048576)} MB; load ${process.env['BENCH_LOAD'] ?? (await import('node:os')).loadavg()[0]!.toFixed(1)}`,
  );
} finally {
  redis.disconnect();
  await own?.stop();
}
