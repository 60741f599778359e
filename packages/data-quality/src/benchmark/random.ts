// Seeded draws for the benchmark generator, on pure-rand's xoroshiro128+: a seed fully determines every
// series, label and event. Counts are Poisson (Knuth's product method for small means, a rounded normal
// beyond 60) and Gamma-mixed Poisson (negative binomial) for month-to-month overdispersion.
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { skipN } from 'pure-rand/utils/skipN';

export class Draws {
  private readonly generator: RandomGenerator;

  constructor(seed: number) {
    this.generator = xoroshiro128plus(seed);
    skipN(this.generator, 32);
  }

  float(): number {
    return uniformFloat64(this.generator);
  }

  between(min: number, max: number): number {
    return min + this.float() * (max - min);
  }

  int(min: number, max: number): number {
    return Math.min(max, min + Math.floor(this.float() * (max - min + 1)));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)] as T;
  }

  normal(): number {
    const u = 1 - this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.float());
  }

  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  poisson(mean: number): number {
    if (!(mean > 0)) return 0;
    if (mean > 60) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let product = this.float();
    while (product > limit) {
      k++;
      product *= this.float();
    }
    return k;
  }

  /** Marsaglia–Tsang, shape ≥ 1, mean shape × scale. */
  gamma(shape: number, scale: number): number {
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = this.normal();
      const v = (1 + c * x) ** 3;
      if (v <= 0) continue;
      if (Math.log(1 - this.float()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v * scale;
    }
  }

  /** Negative binomial with the given mean: Poisson around a Gamma(shape) multiple of it. */
  overdispersed(mean: number, shape: number): number {
    return this.poisson(mean * this.gamma(shape, 1 / shape));
  }

  binomial(n: number, p: number): number {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    if (n > 200) return Math.min(n, Math.max(0, Math.round(n * p + Math.sqrt(n * p * (1 - p)) * this.normal())));
    let k = 0;
    for (let i = 0; i < n; i++) if (this.float() < p) k++;
    return k;
  }
}
