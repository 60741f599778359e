// The rules that judge one cell's value at one month against that cell's own earlier months: the seasonal
// robust outlier, the multiplicative and transposition keying errors, a cumulative figure entered as a
// monthly one, the same value repeated, and a sudden zero. Each gives a strength (1 at its threshold) and
// its flag; the screening keeps those at or above the strength it was asked for.
import { logPoissonProbability } from './counting-noise.js';
import type { ScreeningThresholds } from './defaults.js';
import { baselineWindow, formatCount, join, rangeText, sizeAgainstUsual } from './explanations.js';
import type { CellSeries } from './facility-history.js';
import type { Bilingual, CellRuleId, Flag } from './flag.js';
import { periodOf } from './periods.js';
import { adjacentTranspositions, multiplicativeOrigins, multiplicativeScore } from './outliers/digit-errors.js';
import { expectedRange, outlierScore, poissonLambda, robustScale } from './outliers/robust-score.js';
import { baselineAt, type Baseline } from './outliers/seasonal-baseline.js';

export interface CellVerdict {
  ruleId: CellRuleId;
  score: number;
  direction: 'rise' | 'fall';
  flag: () => Flag;
}

export interface CellContext {
  orgUnit: string;
  startMonth: number;
  cell: CellSeries;
  index: number;
  thresholds: ScreeningThresholds;
}

export function judgeCell(context: CellContext, minScore: number): CellVerdict[] {
  const { cell, index, thresholds } = context;
  const value = cell.values[index];
  if (value === null || value === undefined) return [];
  const baseline = baselineAt(cell.values, index, thresholds);
  if (!baseline) return [];
  // The value must stand out against both windows: against the last twelve months too, since a level that
  // moved since earlier years (a new health worker, a growing catchment) shifts every month against the
  // seasonal window; and, in a second year of history, against last year's same months too, since a
  // malaria peak stands out against the trailing year.
  const primary = outlierScore(value, baseline);
  const other = baselineAt(cell.values, index, thresholds, baseline.window === 'seasonal' ? 'trailing' : 'seasonal');
  const score = other ? { ...primary, z: Math.min(primary.z, outlierScore(value, other).z) } : primary;
  const direction = value >= score.usual ? 'rise' : 'fall';
  const verdicts: CellVerdict[] = [];
  let expected: { low: number; high: number } | undefined;
  const range = () => (expected ??= expectedRange(baseline, thresholds.modifiedZ));
  const make = (ruleId: CellRuleId, strength: number, severity: Flag['severity'], explanation: () => Bilingual) => {
    if (!(strength >= minScore)) return;
    verdicts.push({
      ruleId,
      score: strength,
      direction,
      flag: () => ({
        ruleId,
        kind: 'error',
        severity,
        orgUnit: context.orgUnit,
        period: periodOf(context.startMonth + index),
        dataElement: cell.dataElement,
        categoryOptionCombo: cell.categoryOptionCombo,
        cells: [{ dataElement: cell.dataElement, categoryOptionCombo: cell.categoryOptionCombo }],
        value,
        expected: range(),
        score: strength,
        explanation: explanation(),
      }),
    });
  };
  const usualText = () => usualSentence(value, baseline, context);

  const outlier = score.z / thresholds.modifiedZ;
  make('seasonal-outlier', outlier, outlier >= 2 ? 'critical' : 'warning', () =>
    join(usualText(), rangeText(range()), { en: 'Check the value against the register.', fr: 'Vérifiez la valeur dans le registre.' }),
  );

  const fits = (origin: number) => outlierScore(origin, baseline).z <= thresholds.fitZ;
  const ratioAgainst = (usual: number) => multiplicativeScore(value, usual, thresholds.multiplicativeRatio, thresholds.multiplicativeMinDifference);
  const byRatio = Math.min(ratioAgainst(score.usual), other ? ratioAgainst(other.median) : Infinity);
  const byEdit = score.z >= thresholds.keyingZ && multiplicativeOrigins(value).some(fits) ? score.z / thresholds.keyingZ : 0;
  const multiplicative = Math.max(byRatio, byEdit);
  make('multiplicative-error', multiplicative, 'critical', () =>
    join(usualText(), rangeText(range()), {
      en: 'A digit too many or too few (×10, ÷10) is likely.',
      fr: 'Un chiffre en trop ou en moins (×10, ÷10) est probable.',
    }),
  );

  if (score.z >= thresholds.transpositionZ) {
    const fit = adjacentTranspositions(value).find(fits);
    if (fit !== undefined) {
      make('digit-transposition', score.z / thresholds.transpositionZ, 'warning', () =>
        join(usualText(), rangeText(range()), {
          en: `${formatCount(value)} may be ${fit} with two digits swapped.`,
          fr: `${formatCount(value)} est peut-être ${fit} avec deux chiffres inversés.`,
        }),
      );
    }
  }

  const cumulative = cumulativeMatch(cell.values, index, context.startMonth, baseline);
  if (cumulative && value > score.usual && score.z >= thresholds.cumulativeZ) {
    make('cumulative-as-monthly', score.z / thresholds.cumulativeZ, 'critical', () =>
      join(usualText(), {
        en: `It is close to the total since January (${formatCount(cumulative.sinceJanuary)}) plus a usual month (${formatCount(score.usual)}): a year-to-date figure may have been entered instead of this month's.`,
        fr: `Elle est proche du total depuis janvier (${formatCount(cumulative.sinceJanuary)}) plus un mois habituel (${formatCount(score.usual)}) : un cumul depuis le début de l'année a peut-être été saisi à la place du chiffre du mois.`,
      }),
    );
  }

  const run = repeatRun(cell.values, index);
  if (value > 0 && run >= thresholds.repeatRun) {
    const logChance = (run - 1) * logPoissonProbability(Math.round(value), poissonLambda(value));
    make('repeated-value', logChance / Math.log(thresholds.repeatProbability), 'warning', () => ({
      en: `The same value, ${formatCount(value)}, for ${run} months running; counts of this size repeat by chance less than once in ${Math.round(1 / thresholds.repeatProbability)}. Check that this month was counted from the register, not copied from the month before.`,
      fr: `La même valeur, ${formatCount(value)}, ${run} mois de suite ; des nombres de cette taille se répètent par hasard moins d'une fois sur ${Math.round(1 / thresholds.repeatProbability)}. Vérifiez que ce mois a été compté dans le registre et non recopié du mois précédent.`,
    }));
  }

  if (value === 0 && steadyBefore(cell.values, index, thresholds.steadyMonths)) {
    make('sudden-zero', score.usual / -Math.log(thresholds.suddenZeroProbability), 'warning', () => ({
      en: `0 after ${thresholds.steadyMonths} months or more of non-zero reports (usually ${formatCount(score.usual)}). Check whether the service stopped (stock-out, staff away) or the value is missing rather than zero.`,
      fr: `0 après au moins ${thresholds.steadyMonths} mois de valeurs non nulles (habituellement ${formatCount(score.usual)}). Vérifiez si le service s'est arrêté (rupture de stock, personnel absent) ou si la valeur manque plutôt qu'elle n'est nulle.`,
    }));
  }
  return verdicts;
}

function usualSentence(value: number, baseline: Baseline, context: CellContext): Bilingual {
  const size = sizeAgainstUsual(value, baseline.median);
  const window = baselineWindow(baseline, context.startMonth, context.index);
  return {
    en: `${formatCount(value)} is ${size.en} this facility's usual count ${window.en}, median ${formatCount(baseline.median)};`,
    fr: `${formatCount(value)} vaut ${size.fr} la valeur habituelle de cette formation sanitaire ${window.fr}, médiane ${formatCount(baseline.median)} ;`,
  };
}

/**
 * A year-to-date figure: at least two earlier months of this calendar year reported, adding up to at
 * least one usual month, and the value within the noise of their sum plus a usual month.
 */
function cumulativeMatch(values: readonly (number | null)[], index: number, startMonth: number, baseline: Baseline) {
  const monthOfYear = (startMonth + index) % 12;
  if (monthOfYear < 2) return undefined;
  let sinceJanuary = 0;
  let reported = 0;
  for (let i = Math.max(0, index - monthOfYear); i < index; i++) {
    const value = values[i];
    if (value === null || value === undefined) continue;
    sinceJanuary += value;
    reported++;
  }
  if (reported < 2 || sinceJanuary < Math.max(baseline.median, 1)) return undefined;
  const value = values[index] as number;
  const expected = sinceJanuary + baseline.median;
  const noise = Math.max(robustScale(baseline), Math.sqrt(poissonLambda(baseline.median)));
  const tolerance = Math.max(1.5 * noise, 0.1 * expected, 1);
  return Math.abs(value - expected) <= tolerance ? { sinceJanuary } : undefined;
}

/** How many months running, ending at index, hold exactly this value (every one reported). */
function repeatRun(values: readonly (number | null)[], index: number): number {
  const value = values[index];
  let run = 1;
  for (let i = index - 1; i >= 0 && values[i] === value; i--) run++;
  return run;
}

function steadyBefore(values: readonly (number | null)[], index: number, months: number): boolean {
  if (index < months) return false;
  for (let i = index - months; i < index; i++) {
    const value = values[i];
    if (value === null || value === undefined || value <= 0) return false;
  }
  return true;
}
