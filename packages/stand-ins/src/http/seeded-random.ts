// The seeded draws behind random faults: a seed fully decides which requests fail, so a failing test can be
// run again with the same faults. pure-rand's xoroshiro128+ with its unbiased distributions.
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export interface SeededRandom {
  /** true with the given probability (0–1). */
  chance(probability: number): boolean;
  /** One element of a non-empty list, each equally likely. */
  pick<T>(items: readonly T[]): T;
}

export function seededRandom(seed: number): SeededRandom {
  const generator = xoroshiro128plus(seed);
  return {
    chance: (probability) => uniformFloat64(generator) < probability,
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick needs at least one item');
      return items[uniformInt(generator, 0, items.length - 1)] as (typeof items)[number];
    },
  };
}
