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

// Negative-binomial counting noise: a Poisson count whose mean itself varies from month to month by a
// Gamma factor, so that the variance is μ + α·μ² (α the dispersion; α = 0 is Poisson). Monthly facility
// counts are overdispersed (staffing, stock, outreach days), so a Poisson tail calls ordinary months
// surprising once counts are large.

/** ln Γ(x) for any x > 0 (the recurrence Γ(x) = Γ(x + 1) / x below 0.5). */
export function logGammaPositive(x: number): number {
  return x < 0.5 ? logGamma(x + 1) - Math.log(x) : logGamma(x);
}

/** Below this dispersion the count is treated as Poisson. */
const POISSON_DISPERSION = 1e-6;

/** ln P(X = k) for X negative binomial with mean μ > 0 and dispersion α ≥ 0 (variance μ + αμ²). */
export function logNegativeBinomialProbability(k: number, mean: number, dispersion: number): number {
  if (dispersion < POISSON_DISPERSION) return logPoissonProbability(k, mean);
  const r = 1 / dispersion;
  return (
    logGammaPositive(k + r) - logGammaPositive(r) - logGamma(k + 1) - r * Math.log1p(mean / r) + k * (Math.log(mean) - Math.log(r + mean))
  );
}

/**
 * ln I_x(a, b), the regularized incomplete beta function, by its continued fraction (modified Lentz).
 * Accurate in the far tails because the front factor stays in logarithms.
 */
export function logIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return -Infinity;
  if (x >= 1) return 0;
  const front = a * Math.log(x) + b * Math.log1p(-x) - (logGammaPositive(a) + logGammaPositive(b) - logGammaPositive(a + b));
  if (x < (a + 1) / (a + b + 2)) return front + Math.log(betaContinuedFraction(x, a, b) / a);
  return Math.log1p(-Math.exp(front + Math.log(betaContinuedFraction(1 - x, b, a) / b)));
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10000; m++) {
    const m2 = 2 * m;
    let step = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + step * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + step / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    step = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + step * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + step / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-14) break;
  }
  return h;
}

/** ln P(X ≥ k): I_q(k, r) with q = μ / (r + μ). */
export function logNegativeBinomialUpperTail(k: number, mean: number, dispersion: number): number {
  if (k <= 0) return 0;
  if (dispersion < POISSON_DISPERSION) return logPoissonUpperTail(k, mean);
  const r = 1 / dispersion;
  return logIncompleteBeta(mean / (r + mean), k, r);
}

/** ln P(X ≤ k): I_p(r, k + 1) with p = r / (r + μ). */
export function logNegativeBinomialLowerTail(k: number, mean: number, dispersion: number): number {
  if (k < 0) return -Infinity;
  if (dispersion < POISSON_DISPERSION) return logPoissonLowerTail(k, mean);
  const r = 1 / dispersion;
  return logIncompleteBeta(r / (r + mean), r, k + 1);
}

/** The z of a count against a negative binomial: its upper tail if above the mean, its lower tail if below. */
export function negativeBinomialZ(count: number, mean: number, dispersion: number): number {
  const k = Math.round(count);
  if (k > mean) return zOfLogTail(logNegativeBinomialUpperTail(k, mean, dispersion));
  if (k < mean) return zOfLogTail(logNegativeBinomialLowerTail(k, mean, dispersion));
  return 0;
}
