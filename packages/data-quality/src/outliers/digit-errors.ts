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
