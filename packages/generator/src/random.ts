// The seeded random source behind the synthetic data: every draw the generator makes goes through one of
// these, so a seed fully determines the output. Built on pure-rand's xoroshiro128+ and its unbiased uniform
// distributions; this module only shapes their output (ranges, probabilities, weights, bell curves).
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';
import { skipN } from 'pure-rand/utils/skipN';

/** `[value, weight]` pairs; weights are relative and need not sum to anything in particular. */
export type WeightedChoices<T> = readonly (readonly [T, number])[];

/** A weighted choice prepared once (cumulative weights), for lists drawn from many times. */
export class WeightedTable<T> {
  private readonly values: T[] = [];
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(choices: WeightedChoices<T>) {
    let total = 0;
    for (const [value, weight] of choices) {
      if (!(weight >= 0) || !Number.isFinite(weight)) throw new RangeError(`invalid weight ${weight}`);
      if (weight === 0) continue;
      total += weight;
      this.values.push(value);
      this.cumulative.push(total);
    }
    if (total === 0) throw new RangeError('a weighted choice needs at least one positive weight');
    this.total = total;
  }

  pick(random: Random): T {
    const target = random.float() * this.total;
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.cumulative[middle] as number) > target) high = middle;
      else low = middle + 1;
    }
    return this.values[low] as T;
  }
}

export class Random {
  constructor(private readonly generator: JumpableRandomGenerator) {}

  /** Whole number in [min, max], both included. */
  int(min: number, max: number): number {
    return uniformInt(this.generator, min, max);
  }

  /** Number in [0, 1). */
  float(): number {
    return uniformFloat64(this.generator);
  }

  /** Number in [min, max). */
  between(min: number, max: number): number {
    return min + this.float() * (max - min);
  }

  /** true with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('cannot pick from an empty list');
    return items[this.int(0, items.length - 1)] as T;
  }

  weighted<T>(choices: WeightedChoices<T> | WeightedTable<T>): T {
    return (choices instanceof WeightedTable ? choices : new WeightedTable(choices)).pick(this);
  }

  /** Bell-curve draw (Box–Muller), for measurements that cluster around a typical value. */
  normal(mean: number, standardDeviation: number): number {
    const u = 1 - this.float(); // in (0, 1], so the logarithm is finite
    const v = this.float();
    return mean + standardDeviation * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Bell-curve draw kept inside [min, max]. */
  clampedNormal(mean: number, standardDeviation: number, min: number, max: number): number {
    return Math.min(max, Math.max(min, this.normal(mean, standardDeviation)));
  }

  /** Fisher–Yates shuffle into a new array. */
  shuffled<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy;
  }

  /**
   * An independent random source: the child continues from the current state and this source jumps 2^64
   * draws ahead, so the two sequences never overlap and later forks differ from earlier ones.
   */
  fork(): Random {
    const child = this.generator.clone();
    this.generator.jump();
    return new Random(child);
  }
}

/** A random source for a 32-bit integer seed. */
export function createRandom(seed: number): Random {
  if (!Number.isInteger(seed) || seed < -(2 ** 31) || seed >= 2 ** 32) {
    throw new RangeError(`seed must be a 32-bit integer, got ${seed}`);
  }
  const generator = xoroshiro128plus(seed);
  // xoroshiro's first outputs after seeding from a small integer are close to the seed itself; warm it up.
  skipN(generator, 32);
  return new Random(generator);
}
