// How surprising a count is under Poisson counting noise, as the one-sided tail probability and as the
// standard-normal z with the same tail, so that it can be compared with a modified z-score. Computed in
// logarithms: a ×10 error at λ = 20 has a tail near 1e-90, which would underflow as a plain probability.

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x ≥ 0.5 (Lanczos, g = 7). */
export function logGamma(x: number): number {
  const shifted = x - 1;
  let sum = LANCZOS[0] as number;
  for (let i = 1; i < LANCZOS.length; i++) sum += (LANCZOS[i] as number) / (shifted + i);
  const t = shifted + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(t) - t + Math.log(sum);
}

export function logPoissonProbability(k: number, lambda: number): number {
  return -lambda + k * Math.log(lambda) - logGamma(k + 1);
}

/** ln P(X ≥ k) for X ~ Poisson(λ), k a whole number. */
export function logPoissonUpperTail(k: number, lambda: number): number {
  if (k <= 0) return 0;
  if (k <= lambda) return Math.log1p(-Math.exp(logPoissonLowerTail(k - 1, lambda)));
  let term = 1;
  let total = 1;
  for (let j = k + 1; term > 1e-17 * total; j++) {
    term *= lambda / j;
    total += term;
  }
  return logPoissonProbability(k, lambda) + Math.log(total);
}

/** ln P(X ≤ k) for X ~ Poisson(λ), k a whole number. */
export function logPoissonLowerTail(k: number, lambda: number): number {
  if (k < 0) return -Infinity;
  if (k >= lambda) return Math.log1p(-Math.exp(logPoissonUpperTail(k + 1, lambda)));
  let term = 1;
  let total = 1;
  for (let j = k; j > 0 && term > 1e-17 * total; j--) {
    term *= j / lambda;
    total += term;
  }
  return logPoissonProbability(k, lambda) + Math.log(total);
}

// Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9).
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const TAIL_BREAK = 0.02425;

/**
 * The z ≥ 0 whose upper standard-normal tail is exp(logTail): 0 for a tail of one half or more.
 * Takes the logarithm so that tails far below the smallest double still give a finite z.
 */
export function zOfLogTail(logTail: number): number {
  if (!(logTail < Math.log(0.5))) return 0;
  if (logTail < Math.log(TAIL_BREAK)) {
    const q = Math.sqrt(-2 * logTail);
    const [c0, c1, c2, c3, c4, c5] = C as [number, number, number, number, number, number];
    const [d0, d1, d2, d3] = D as [number, number, number, number];
    return -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  const q = Math.exp(logTail) - 0.5;
  const r = q * q;
  const [a0, a1, a2, a3, a4, a5] = A as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = B as [number, number, number, number, number];
  return -((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
}

/** The z of a count against Poisson(λ): its upper tail if above λ, its lower tail if below. */
export function poissonZ(count: number, lambda: number): number {
  const k = Math.round(count);
  if (k > lambda) return zOfLogTail(logPoissonUpperTail(k, lambda));
  if (k < lambda) return zOfLogTail(logPoissonLowerTail(k, lambda));
  return 0;
}
