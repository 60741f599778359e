// The sentences of the flags, in English and French, each ending with what to check. Numbers are written
// as the register would have them (whole counts; a median of two middle values may end in .5).
import type { Bilingual } from './flag.js';
import type { Baseline } from './outliers/seasonal-baseline.js';
import { calendarMonthOf, MONTH_NAMES, yearOf } from './periods.js';

export function formatCount(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** "about 10 times" / "about a tenth of", against the usual value. */
export function sizeAgainstUsual(value: number, usual: number): Bilingual {
  if (usual <= 0) return value > 0 ? { en: 'well above', fr: 'bien au-dessus de' } : { en: 'the same as', fr: 'égal à' };
  const ratio = value / usual;
  if (ratio >= 1.5) {
    const times = ratio < 3 ? ratio.toFixed(1) : String(Math.round(ratio));
    return { en: `about ${times} times`, fr: `environ ${times.replace('.', ',')} fois` };
  }
  if (ratio > 0 && ratio <= 2 / 3) {
    const part = Math.round(1 / ratio);
    return { en: `about 1/${part} of`, fr: `environ 1/${part} de` };
  }
  if (ratio === 0) return { en: 'far below', fr: 'bien en dessous de' };
  return ratio > 1 ? { en: 'above', fr: 'au-dessus de' } : { en: 'below', fr: 'en dessous de' };
}

/** Where the usual value comes from: "for March (February–April of 2021–2024)". */
export function baselineWindow(baseline: Baseline, startMonth: number, index: number): Bilingual {
  const month = calendarMonthOf(startMonth + index);
  if (baseline.window === 'trailing') {
    return { en: `over the previous ${index - baseline.from} months`, fr: `sur les ${index - baseline.from} mois précédents` };
  }
  const before = (month + 11) % 12;
  const after = (month + 1) % 12;
  const firstYear = yearOf(startMonth + baseline.from + 1);
  const lastYear = yearOf(startMonth + index) - 1;
  const years = firstYear === lastYear ? `${lastYear}` : `${firstYear}–${lastYear}`;
  const yearsFr = firstYear === lastYear ? `${lastYear}` : `de ${firstYear} à ${lastYear}`;
  return {
    en: `for ${MONTH_NAMES.en[month]} (${MONTH_NAMES.en[before]}–${MONTH_NAMES.en[after]} of ${years})`,
    fr: `pour ${MONTH_NAMES.fr[month]} (${MONTH_NAMES.fr[before]}–${MONTH_NAMES.fr[after]} ${yearsFr})`,
  };
}

export function rangeText(expected: { low: number; high: number | null }): Bilingual {
  if (expected.high === null) return { en: `expected at least ${formatCount(expected.low)}.`, fr: `attendu au moins ${formatCount(expected.low)}.` };
  return {
    en: `expected ${formatCount(expected.low)}–${formatCount(expected.high)}.`,
    fr: `attendu entre ${formatCount(expected.low)} et ${formatCount(expected.high)}.`,
  };
}

export function join(...parts: Bilingual[]): Bilingual {
  return { en: parts.map((part) => part.en).join(' '), fr: parts.map((part) => part.fr).join(' ') };
}
