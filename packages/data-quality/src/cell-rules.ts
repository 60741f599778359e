// The rules that judge one cell's value at one month: the outlier and keying-slip rules against the cell's
// count models (outliers/count-model.ts), a value repeated, and a sudden zero. Each gives a strength (1 at
// its threshold) and its flag; the screening keeps those at or above the strength it was asked for.
//
// A value is judged by one count model: its related (group) or balance (relation) model where one is
// trusted (month-models.ts), its history model otherwise.
// - seasonal-outlier: z, the standard-normal z with the value's one-sided tail under the model, flagged
//   above `modifiedZ`;
// - the keying slips (outliers/digit-errors.ts slipOrigins): the Bayes factor
//     BF = Σ P(x | origin, slip)·P(origin) ÷ (P(x) + w·g(x))
//   where P is the model's negative binomial, and g(x) = 1 / ((x + 1)·ln 10⁴) a log-uniform spread of
//   other errors (a value up to 100 times off either way), with weight w = `otherErrorWeight`, so that a
//   gross outlier is not credited to whichever slip moves it nearest the usual value. Multiplicative slips
//   (×10, ÷10, a digit keyed twice) use the mean of their three likelihoods. Strength ln BF / ln(threshold).
// A value that its history model calls an outlier but its trusted related model does not — the related
// cells moved with it — is not an error; screen.ts reports it as a signal when a configured signal (an
// epidemic, a stock-out) holds.
import { logPoissonProbability } from './counting-noise.js';
import type { ScreeningThresholds } from './defaults.js';
import { baselineWindow, formatCount, join, rangeText, sizeAgainstUsual } from './explanations.js';
import type { CellSeries } from './facility-history.js';
import type { Bilingual, CellRuleId, Flag } from './flag.js';
import { periodOf } from './periods.js';
import { logProbabilityOf, logZeroProbability, plausibleRange, zAgainst, type CountModel } from './outliers/count-model.js';
import { slipOrigins, type SlipKind, type SlipOrigin } from './outliers/digit-errors.js';
import { poissonLambda } from './outliers/robust-score.js';
import type { Baseline } from './outliers/seasonal-baseline.js';

export interface CellVerdict {
  ruleId: CellRuleId;
  score: number;
  direction: 'rise' | 'fall';
  flag: () => Flag;
}

export interface CellModels {
  /** The primary window (the seasonal one once there are two years of history). */
  baseline: Baseline;
  history: CountModel;
  /** The related cells' model, given only where it is trusted to judge the value instead. */
  related?: CountModel;
  /** How a flag names the related cells ("the other malaria cells"). */
  relatedLabel?: Bilingual;
  /** The value's z under the history model, where month-models.ts already computed it. */
  historyZ?: number;
}

export interface CellContext {
  orgUnit: string;
  startMonth: number;
  cell: CellSeries;
  index: number;
  thresholds: ScreeningThresholds;
  models: CellModels;
}

export interface CellJudgement {
  verdicts: CellVerdict[];
  /** The outlier verdict of the history model alone, when the related model explains the value. */
  historyOnly?: CellVerdict;
  /** Whether the related model judged the value (alone). */
  byRelated: boolean;
}

/**
 * A flag's expected range: the counts with a z of at most this under the cell's model (the conventional
 * outlier limit of a modified z), whatever the rule's own threshold.
 */
export const USUAL_Z = 3.5;
/** Below this z under the model no slip can reach a Bayes factor worth reporting, so none is computed. */
const SLIP_MIN_Z = 1.5;
/** ln 10⁴: the log-uniform spread of other errors covers a value 100 times too small to 100 times too large. */
const OTHER_ERROR_SPAN = Math.log(1e4);
const MULTIPLICATIVE: readonly SlipKind[] = ['times-10', 'divided-by-10', 'extra-digit'];

export function judgeCell(context: CellContext, minScore: number): CellJudgement {
  const { cell, index, thresholds, models } = context;
  const value = cell.values[index];
  if (value === null || value === undefined) return { verdicts: [], byRelated: false };
  const { baseline, history, related } = models;
  const model = related ?? history;
  const zHistory = models.historyZ ?? zAgainst(value, history);
  const z = related ? zAgainst(value, related) : zHistory;
  const direction = value >= history.mean ? 'rise' : 'fall';
  const byRelated = related !== undefined;
  const verdicts: CellVerdict[] = [];
  let expected: { low: number; high: number } | undefined;
  const range = () => (expected ??= plausibleRange(model, USUAL_Z));
  const verdict = (ruleId: CellRuleId, strength: number, severity: Flag['severity'], explanation: () => Bilingual): CellVerdict => ({
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
  const make = (ruleId: CellRuleId, strength: number, severity: Flag['severity'], explanation: () => Bilingual) => {
    if (strength >= minScore) verdicts.push(verdict(ruleId, strength, severity, explanation));
  };
  const usualText = () => usualSentence(value, context);
  const check = { en: 'Check the value against the register.', fr: 'Vérifiez la valeur dans le registre.' };

  const outlier = z / thresholds.modifiedZ;
  if (outlier >= minScore) make('seasonal-outlier', outlier, outlier >= 2 ? 'critical' : 'warning', () => join(usualText(), rangeText(range()), check));
  let historyOnly: CellVerdict | undefined;
  const historyOutlier = zHistory / thresholds.modifiedZ;
  if (byRelated && historyOutlier >= Math.max(1, minScore) && outlier < 1) {
    historyOnly = verdict('seasonal-outlier', historyOutlier, 'info', () => join(usualText(), rangeText(range())));
  }

  if (z >= SLIP_MIN_Z) {
    const sinceJanuary = yearToDate(cell.values, index, context.startMonth);
    const origins = slipOrigins(value, sinceJanuary);
    if (origins.length > 0) {
      const slips = slipFactors(value, origins, model, thresholds.otherErrorWeight);
      const best = (kinds: readonly SlipKind[]) => bestOrigin(origins, kinds, model);
      const multiplicative = slips.multiplicative / Math.log(thresholds.multiplicativeBayesFactor);
      if (multiplicative >= minScore) {
        make('multiplicative-error', multiplicative, 'critical', () => {
          const origin = best(MULTIPLICATIVE);
          return join(usualText(), rangeText(range()), origin ? slipSentence(origin) : { en: '', fr: '' });
        });
      }
      const transposition = slips.transposition / Math.log(thresholds.transpositionBayesFactor);
      if (transposition >= minScore) {
        make('digit-transposition', transposition, 'warning', () => {
          const origin = best(['transposition'])?.origin;
          return join(usualText(), rangeText(range()), {
            en: `${formatCount(value)} may be ${origin} with two digits swapped.`,
            fr: `${formatCount(value)} est peut-être ${origin} avec deux chiffres inversés.`,
          });
        });
      }
      const cumulative = slips.cumulative / Math.log(thresholds.cumulativeBayesFactor);
      if (sinceJanuary !== undefined && cumulative >= minScore) {
        make('cumulative-as-monthly', cumulative, 'critical', () =>
          join(usualText(), rangeText(range()), {
            en: `It is close to the total since January (${formatCount(sinceJanuary)}) plus a usual month (${formatCount(model.mean)}): a year-to-date figure may have been entered instead of this month's.`,
            fr: `Elle est proche du total depuis janvier (${formatCount(sinceJanuary)}) plus un mois habituel (${formatCount(model.mean)}) : un cumul depuis le début de l'année a peut-être été saisi à la place du chiffre du mois.`,
          }),
        );
      }
    }
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
    const logZero = logZeroProbability(model);
    make('sudden-zero', logZero / Math.log(thresholds.suddenZeroProbability), 'warning', () => ({
      en: `0 after ${thresholds.steadyMonths} months or more of non-zero reports (usually ${formatCount(baseline.median)}). Check whether the service stopped (stock-out, staff away) or the value is missing rather than zero.`,
      fr: `0 après au moins ${thresholds.steadyMonths} mois de valeurs non nulles (habituellement ${formatCount(baseline.median)}). Vérifiez si le service s'est arrêté (rupture de stock, personnel absent) ou si la valeur manque plutôt qu'elle n'est nulle.`,
    }));
  }
  return historyOnly ? { verdicts, historyOnly, byRelated } : { verdicts, byRelated };
}

/** ln of the Bayes factors of the three slip rules under the model. */
export function slipFactors(
  value: number,
  origins: readonly SlipOrigin[],
  model: CountModel,
  otherErrorWeight: number,
): { multiplicative: number; transposition: number; cumulative: number } {
  const otherError = Math.log(otherErrorWeight) - Math.log(value + 1) - Math.log(OTHER_ERROR_SPAN);
  const asCount = logAdd(logProbabilityOf(value, model), otherError);
  let multiplicative = -Infinity;
  let transposition = -Infinity;
  let cumulative = -Infinity;
  for (const origin of origins) {
    const term = Math.log(origin.chance) + logProbabilityOf(origin.origin, model);
    if (origin.kind === 'transposition') transposition = logAdd(transposition, term);
    else if (origin.kind === 'cumulative') cumulative = logAdd(cumulative, term);
    else multiplicative = logAdd(multiplicative, term);
  }
  return {
    multiplicative: multiplicative - Math.log(MULTIPLICATIVE.length) - asCount,
    transposition: transposition - asCount,
    cumulative: cumulative - asCount,
  };
}

/** ln(e^a + e^b) without overflow. */
function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

function bestOrigin(origins: readonly SlipOrigin[], kinds: readonly SlipKind[], model: CountModel): SlipOrigin | undefined {
  let best: SlipOrigin | undefined;
  let bestLog = -Infinity;
  for (const origin of origins) {
    if (!kinds.includes(origin.kind)) continue;
    const log = Math.log(origin.chance) + logProbabilityOf(origin.origin, model);
    if (log > bestLog) {
      bestLog = log;
      best = origin;
    }
  }
  return best;
}

function slipSentence(origin: SlipOrigin): Bilingual {
  const value = formatCount(origin.origin);
  switch (origin.kind) {
    case 'times-10':
      return { en: `It is likely ${value} keyed with a zero too many (×10).`, fr: `C'est probablement ${value} saisi avec un zéro de trop (×10).` };
    case 'divided-by-10':
      return { en: `It is likely about ${value} keyed with a digit missing (÷10).`, fr: `C'est probablement environ ${value} saisi avec un chiffre en moins (÷10).` };
    default:
      return { en: `It is likely ${value} with a digit keyed twice.`, fr: `C'est probablement ${value} avec un chiffre tapé deux fois.` };
  }
}

function usualSentence(value: number, context: CellContext): Bilingual {
  const { baseline, related, relatedLabel } = context.models;
  const size = sizeAgainstUsual(value, baseline.median);
  const window = baselineWindow(baseline, context.startMonth, context.index);
  const sentence = {
    en: `${formatCount(value)} is ${size.en} this facility's usual count ${window.en}, median ${formatCount(baseline.median)};`,
    fr: `${formatCount(value)} vaut ${size.fr} la valeur habituelle de cette formation sanitaire ${window.fr}, médiane ${formatCount(baseline.median)} ;`,
  };
  if (!related || !relatedLabel) return sentence;
  const near = formatCount(Math.round(related.mean));
  return join(sentence, {
    en: `${relatedLabel.en} put it near ${near} this month;`,
    fr: `${relatedLabel.fr} la situent vers ${near} ce mois-ci ;`,
  });
}

/**
 * The sum of this calendar year's earlier months, from March on with at least two of them reported and
 * adding up to at least 1: what a year-to-date figure entered as this month would add to it.
 */
export function yearToDate(values: readonly (number | null)[], index: number, startMonth: number): number | undefined {
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
  return reported >= 2 && sinceJanuary >= 1 ? sinceJanuary : undefined;
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
