// A replacement is three steps of one slot each (decide, apply per facility bucket, settle: ledger/ledger.ts).
// Here workers die between those steps, again and again, while other versions of the same encounters are
// applied in between, and versions move encounters between facilities (whose buckets differ, so the old and
// the new contributions are in different slots) and back. Each version is tried until one attempt completes,
// as BullMQ retries a killed job. At the end every cell holds what a from-scratch recomputation from the
// latest versions gives, no group holds a contribution of an older version, and a push of every dirty group
// leaves each encounter's latest version waiting for nothing.
import fc from 'fast-check';
import { jest } from '@jest/globals';
import type { Redis } from 'ioredis';
import { Ledger } from '../../src/ledger/ledger.js';
import { facilityBucketOf, RedisKeys } from '../../src/redis/keys.js';
import { groupKeyOf, type CellGroup, type Contribution } from '../../src/domain/cells.js';
import { redisForTestFile } from '../support/redis.js';

const RUNS = Number(process.env['LEDGER_PROPERTY_RUNS'] ?? 300);
jest.setTimeout(Math.max(120_000, RUNS * 200));

// Four facilities in four different buckets, two more sharing one bucket.
const facilities = ['CM_NW_BAM_CSI001', 'CM_NW_BAM_CSI002', 'CM_NW_BAM_CSI003', 'CM_NW_BAM_CSI004', 'CM_NW_BAM_CSI005', 'CM_NW_BAM_CSI006', 'CM_NW_BAM_CSI007', 'CM_NW_BAM_CSI008'];
const byBucket = new Map<number, string[]>();
for (const f of facilities) byBucket.set(facilityBucketOf(f), [...(byBucket.get(facilityBucketOf(f)) ?? []), f]);
const orgUnits = [...byBucket.values()].map((list) => list[0]!).slice(0, 4);
const elements = ['RMNCAH_ANC1', 'SMC_ENC', 'MAL_CONF'];
const periods = ['202609', '202610'];

const testRedis = redisForTestFile('ledger-moves');
const base = testRedis.base;

/** The Redis connection of a worker that dies after `trips` round trips (the next one is never sent). */
function dyingAfter(real: Redis, trips: number): Redis {
  let left = trips;
  return new Proxy(real, {
    get(target, property) {
      if (property === 'pipeline') {
        return () => {
          const pipeline = target.pipeline();
          const exec = pipeline.exec.bind(pipeline);
          pipeline.exec = async () => {
            if (left-- <= 0) throw new Error('worker killed');
            return exec();
          };
          return pipeline;
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

const cell = fc.record({ orgUnit: fc.constantFrom(...orgUnits), period: fc.constantFrom(...periods), dataElement: fc.constantFrom(...elements), value: fc.integer({ min: 1, max: 3 }) });
// Per encounter, its versions 1..n, each with the cells it counts in (none: withdrawn).
const encounterVersions = fc.array(fc.array(cell, { maxLength: 3 }), { minLength: 1, maxLength: 4 });

const contributionsOf = (cells: readonly { orgUnit: string; period: string; dataElement: string; value: number }[]): Contribution[] =>
  cells.map((c) => ({ dataSet: 'SMC_MONTHLY', orgUnit: c.orgUnit, period: c.period, attributeOptionCombo: 'default', dataElement: c.dataElement, categoryOptionCombo: 'default', value: c.value, rule: 'r' }));

test(`${RUNS} runs: workers killed between the steps of a replacement, versions moving encounters between facility buckets`, async () => {
  expect(new Set(orgUnits.map(facilityBucketOf)).size).toBe(4);
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(encounterVersions, { minLength: 1, maxLength: 3 }), fc.infiniteStream(fc.nat()), async (encounters, random) => {
      const keys = new RedisKeys(`${base}:${run++}`);
      const healthy = new Ledger(testRedis.connection(), keys);
      // Every attempt of every version: some die after 0, 1 or 2 round trips, the last one completes.
      type Attempt = { id: string; version: number; cells: Contribution[]; dieAfter?: number; order: number };
      const attempts: Attempt[] = [];
      encounters.forEach((versions, e) =>
        versions.forEach((cells, v) => {
          const failures = (random.next().value as number) % 3;
          for (let f = 0; f <= failures; f++) {
            attempts.push({ id: `e${e}`, version: v + 1, cells: contributionsOf(cells), ...(f < failures ? { dieAfter: (random.next().value as number) % 3 } : {}), order: random.next().value as number });
          }
        }),
      );
      // A random interleaving that keeps each version's own attempts in order (its retries follow its failures).
      const byVersion = new Map<string, Attempt[]>();
      for (const a of attempts) byVersion.set(`${a.id}@${a.version}`, [...(byVersion.get(`${a.id}@${a.version}`) ?? []), a]);
      const queues = [...byVersion.values()];
      const sequence: Attempt[] = [];
      while (queues.some((q) => q.length > 0)) {
        const open = queues.filter((q) => q.length > 0);
        sequence.push(open[(random.next().value as number) % open.length]!.shift()!);
      }

      // A push of every dirty group, as DHIS2 taking it: what the ledger then still names as unconfirmed or
      // possibly holding is only what changed since.
      const lease = { token: 't', ms: 10_000 };
      const pushAll = async () => {
        for (const group of await healthy.dirtyGroups(1000)) {
          const [snapshot] = await healthy.snapshotForPush([group], lease);
          if (snapshot === 'leased' || snapshot === undefined) throw new Error('leased');
          await healthy.settlePush(group, snapshot.cells, snapshot.awaiting);
          await healthy.releasePushLeases([group], lease);
        }
      };
      const groups = new Map<string, CellGroup>();
      for (const a of sequence) {
        for (const c of a.cells) groups.set(groupKeyOf(c), c);
        const ledger = a.dieAfter === undefined ? healthy : new Ledger(dyingAfter(testRedis.connection(), a.dieAfter), keys);
        await ledger.replace('smc-platform', a.id, a.version, a.cells).catch((error: Error) => {
          if (error.message !== 'worker killed') throw error;
        });
        if ((random.next().value as number) % 2 === 0) await pushAll();
      }

      const expected = new Map<string, number>();
      encounters.forEach((versions) => {
        for (const c of contributionsOf(versions.at(-1)!)) expected.set(`${groupKeyOf(c)} ${c.dataElement}`, (expected.get(`${groupKeyOf(c)} ${c.dataElement}`) ?? 0) + c.value);
      });
      const held = new Map<string, number>();
      for (const [key, group] of groups) for (const c of await healthy.cellsOf(group)) held.set(`${key} ${c.dataElement}`, c.value);
      expect(held).toEqual(expected);

      // Pushing every dirty group confirms each encounter's latest version everywhere it changed.
      await pushAll();
      for (const [e, versions] of encounters.entries()) {
        expect(await healthy.appliedVersion('smc-platform', `e${e}`)).toBe(versions.length);
        expect(await testRedis.connection().scard(keys.ledgerUnconfirmed('smc-platform', `e${e}`))).toBe(0);
      }
    }),
    { numRuns: RUNS },
  );
});
