// The exact-count invariant at the ledger: whatever the order, duplication or lateness of encounter
// versions, every cell holds what a from-scratch recomputation from the latest version of each encounter
// gives. Real Redis; random sequences from fast-check over generated encounters.
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { jest } from '@jest/globals';
import type { Encounter } from '@smc-bridge/contract';
import { RedisKeys } from '../../src/redis/keys.js';
import { Ledger } from '../../src/ledger/ledger.js';
import { aggregateContributions } from '../../src/mapping/aggregate-contributions.js';
import { loadMappings } from '../../src/mapping/load-mappings.js';
import { generateEncounters } from '@smc-bridge/generator';
import { redisForTestFile } from '../support/redis.js';
import { type CellGroup, groupKeyOf } from '../../src/domain/cells.js';

const RUNS = Number(process.env['LEDGER_PROPERTY_RUNS'] ?? 1000);
jest.setTimeout(Math.max(120_000, RUNS * 60));
const mappings = loadMappings(fileURLToPath(new URL('../../../mappings', import.meta.url)));
// A small world so that sequences collide on the same encounters and cells: 3 facilities, 30 days.
const pool = generateEncounters({ seed: 11, facilityCount: 3, encounterCount: 400, endDate: '2026-10-31', days: 30, updateRate: 0.3, enteredInErrorRate: 0.1, trainingRate: 0.05 });
const ids = [...new Set(pool.map((e) => e.id))];
// The pool is fixed, so each version is mapped once (the mapping itself is tested elsewhere).
const mapped = new Map(pool.map((e) => [`${e.id}@${e.version}`, aggregateContributions(e, mappings).contributions]));
const contributionsOf = (e: Encounter) => mapped.get(`${e.id}@${e.version}`) ?? [];

const testRedis = redisForTestFile('ledger-prop');
const base = testRedis.base;

/** The answer from scratch: the latest version of each encounter, mapped, summed per cell. */
function recompute(applied: readonly Encounter[]): Map<string, number> {
  const latest = new Map<string, Encounter>();
  for (const e of applied) if ((latest.get(e.id)?.version ?? 0) < e.version) latest.set(e.id, e);
  const cells = new Map<string, number>();
  for (const e of latest.values()) {
    for (const c of contributionsOf(e)) {
      const key = `${groupKeyOf(c)}${c.dataElement}|${c.categoryOptionCombo}`;
      cells.set(key, (cells.get(key) ?? 0) + c.value);
    }
  }
  return cells;
}

test(`${RUNS} random sequences: ledger cells equal a from-scratch recomputation`, async () => {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(
      // Which encounters take part, then every version of them in a random order, some sent twice.
      fc.subarray(ids, { minLength: 1, maxLength: 25 }),
      fc.infiniteStream(fc.nat()),
      fc.array(fc.nat(), { maxLength: 10 }),
      async (chosen, order, repeats) => {
        const prefix = `${base}:${run++}`;
        const ledger = new Ledger(testRedis.connection(), new RedisKeys(prefix));
        const versions = pool.filter((e) => chosen.includes(e.id));
        const shuffled = versions.map((e) => ({ e, key: order.next().value as number })).sort((a, b) => a.key - b.key).map((x) => x.e);
        const sequence = [...shuffled];
        for (const r of repeats) if (shuffled.length > 0) sequence.splice(r % (sequence.length + 1), 0, shuffled[r % shuffled.length] as Encounter);

        const groups = new Map<string, CellGroup>();
        for (const e of sequence) {
          const contributions = contributionsOf(e);
          for (const c of contributions) groups.set(groupKeyOf(c), c);
          await ledger.replace(e.source, e.id, e.version, contributions);
        }
        const inLedger = new Map<string, number>();
        for (const [key, group] of groups) {
          for (const cell of await ledger.cellsOf(group)) inLedger.set(`${key}${cell.dataElement}|${cell.categoryOptionCombo}`, cell.value);
        }
        expect(inLedger).toEqual(recompute(sequence));
        for (const id of chosen) {
          expect(await ledger.appliedVersion('smc-platform', id)).toBe(Math.max(...versions.filter((e) => e.id === id).map((e) => e.version)));
        }
      },
    ),
    { numRuns: RUNS },
  );
});
