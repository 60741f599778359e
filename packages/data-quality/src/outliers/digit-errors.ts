// Keying errors whose size gives them away. A multiplicative error (×10, ÷10, a doubled keystroke such as
// 12 → 122) moves a value by about a factor of ten whatever the facility's spread, so it is judged on the
// ratio to the usual value alone: x / usual ≥ 8 or ≤ 1/8 with |x − usual| ≥ 10 (a usual value of 0 counts
// as 0.5). A transposition (12 → 21, 31 → 13) moves it less; it is flagged when the value is a moderate
// outlier and swapping two adjacent digits brings it back within the usual spread. The same test with
// the multiplicative edits (÷10, ×10, one of a doubled digit dropped) catches a slip on a value that was
// itself low or high for the month, which the ratio alone misses (1 → 10 where 3 is usual).

export function multiplicativeRatio(value: number, usual: number): number {
  const base = Math.max(usual, 0.5);
  if (value <= 0) return 1; // a zero is not a slipped digit; the zero rules judge it
  return value >= base ? value / base : base / value;
}

/** The ratio's strength against the threshold ratio: 1 at the threshold, 0 when the difference is too small. */
export function multiplicativeScore(value: number, usual: number, ratio: number, minDifference: number): number {
  if (Math.abs(value - usual) < minDifference) return 0;
  return Math.log(multiplicativeRatio(value, usual)) / Math.log(ratio);
}

/** Every value made by swapping two adjacent digits of a whole number, without a leading zero. */
export function adjacentTranspositions(value: number): number[] {
  const digits = String(Math.round(Math.abs(value)));
  const results: number[] = [];
  for (let i = 0; i + 1 < digits.length; i++) {
    if (digits[i] === digits[i + 1]) continue;
    const swapped = digits.slice(0, i) + digits[i + 1] + digits[i] + digits.slice(i + 2);
    if (swapped[0] === '0') continue;
    results.push(Number(swapped));
  }
  return results;
}

/** The values a ×10, ÷10 or doubled-keystroke slip could have come from. */
export function multiplicativeOrigins(value: number): number[] {
  const whole = Math.round(Math.abs(value));
  const digits = String(whole);
  const origins = new Set<number>([whole * 10]);
  if (whole % 10 === 0 && whole > 0) origins.add(whole / 10);
  for (let i = 0; i + 1 < digits.length; i++) {
    if (digits[i] === digits[i + 1]) origins.add(Number(digits.slice(0, i) + digits.slice(i + 1)));
  }
  origins.delete(whole);
  return [...origins];
}

export type SlipKind = 'times-10' | 'divided-by-10' | 'extra-digit' | 'transposition' | 'cumulative';

/** A value a keying slip of this kind could have come from, and the chance that slip turns it into x. */
export interface SlipOrigin {
  kind: SlipKind;
  origin: number;
  /** P(x | origin, kind). */
  chance: number;
}

/** The digits doubling one of which turns `origin` into `value`, as a share of origin's digits. */
function doublingChance(origin: number, value: number): number {
  const digits = String(origin);
  let hits = 0;
  for (let i = 0; i < digits.length; i++) if (Number(digits.slice(0, i + 1) + digits.slice(i)) === value) hits++;
  return hits / digits.length;
}

/**
 * Every value a keying slip could have turned into x, with the chance of that slip producing x:
 * - times-10: x / 10 (x a multiple of 10), chance 1;
 * - divided-by-10: the origins y ≥ 10 whose last digit was dropped (⌊y / 10⌋ = x) or that were divided and
 *   rounded (round(y / 10) = x), each convention with half the chance: y from 10x − 5 to 10x + 9;
 * - extra-digit: x with one of a doubled digit removed (77 → 7, 112 → 12), chance the share of the origin's
 *   digits whose doubling gives x;
 * - transposition: x with two adjacent digits swapped back (no leading zero), chance 1 / (digits − 1);
 * - cumulative: x less the year's earlier months (`sinceJanuary`, when given), chance 1.
 */
export function slipOrigins(value: number, sinceJanuary?: number): SlipOrigin[] {
  const x = Math.round(value);
  if (x < 0) return [];
  const origins: SlipOrigin[] = [];
  if (x >= 10 && x % 10 === 0) origins.push({ kind: 'times-10', origin: x / 10, chance: 1 });
  if (x >= 1) {
    for (let y = Math.max(10, 10 * x - 5); y <= 10 * x + 9; y++) {
      const chance = (Math.floor(y / 10) === x ? 0.5 : 0) + (Math.round(y / 10) === x ? 0.5 : 0);
      if (chance > 0) origins.push({ kind: 'divided-by-10', origin: y, chance });
    }
  }
  const digits = String(x);
  const seen = new Set<number>();
  for (let i = 0; i + 1 < digits.length; i++) {
    if (digits[i] !== digits[i + 1]) continue;
    const origin = Number(digits.slice(0, i) + digits.slice(i + 1));
    if (seen.has(origin) || (origin === 0 && x !== 0)) continue;
    seen.add(origin);
    origins.push({ kind: 'extra-digit', origin, chance: doublingChance(origin, x) });
  }
  for (const origin of adjacentTranspositions(x)) if (origin !== x) origins.push({ kind: 'transposition', origin, chance: 1 / (digits.length - 1) });
  if (sinceJanuary !== undefined && sinceJanuary >= 1 && x - sinceJanuary >= 0) origins.push({ kind: 'cumulative', origin: x - sinceJanuary, chance: 1 });
  return origins;
}
