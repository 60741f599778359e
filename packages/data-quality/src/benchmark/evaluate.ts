// Scores every method on the same series: each raises alerts with a strength (1 at its default
// threshold), and the comparison is made at each method's default and at one shared alert budget (each
// method's strongest N alerts, N being the number ours raises at its default). An alert is true when one
// of its cells carries an injected error; any other alert is false, including one on a genuine event (a
// campaign month, an epidemic, a stock-out, a facility opening): only an alert the method itself labels as a
// signal rather than an error is not raised, and so not counted.
import type { ScreeningConfig } from '../screen.js';
import { screenHistory } from '../screen.js';
import { dhis2MinMaxAt, dhis2ModifiedZScores, dhis2ZScores } from '../baselines/dhis2.js';
import { whoOutliers } from '../baselines/who-dq-tool.js';
import { monthNumber, periodOf } from '../periods.js';
import { ERROR_KINDS, HEADLINE_KINDS, type ErrorKind, type InjectedError } from './errors.js';
import type { BenchmarkFacility, GeneratedSeries } from './generator.js';

export interface Alert {
  orgUnit: string;
  /** `dataElement|combo` of each cell the alert is about. */
  cells: string[];
  /** Month indexes it covers (one, or a year for a year relation). */
  indexes: number[];
  score: number;
}

export interface Method {
  id: string;
  name: string;
  alerts(facility: BenchmarkFacility, from: number, minScore: number): Alert[];
}

export function methods(config: ScreeningConfig, series: GeneratedSeries): Method[] {
  const yearRelations = new Set(config.relations.filter((relation) => relation.period === 'year').map((relation) => `relation:${relation.id}`));
  return [
    {
      id: 'ours',
      name: 'ours (count models, slip Bayes factors)',
      alerts(facility, from, minScore) {
        const flags = screenHistory(facility.history, config, {
          knownEvents: series.campaigns,
          minScore,
          from: periodOf(monthNumber(series.start) + from),
          strongestOnly: true,
        });
        const start = monthNumber(series.start);
        return flags
          .filter((flag) => flag.kind === 'error')
          .map((flag) => {
            const index = monthNumber(flag.period) - start;
            const yearly = yearRelations.has(flag.ruleId);
            return {
              orgUnit: facility.orgUnit,
              cells: flag.cells.map((cell) => `${cell.dataElement}|${cell.categoryOptionCombo}`),
              indexes: yearly ? Array.from({ length: 12 }, (_, i) => index - 11 + i) : [index],
              score: flag.score,
            };
          });
      },
    },
    perCell('dhis2-z', 'DHIS2 z-score (3.0)', (values) => dhis2ZScores(values).map((s) => ({ index: s.index, score: s.z / 3 }))),
    perCell('dhis2-modz', 'DHIS2 modified z-score (3.5)', (values) => dhis2ModifiedZScores(values).map((s) => ({ index: s.index, score: s.z / 3.5 }))),
    perCell('min-max', 'DHIS2 min-max (mean ± 2 SD)', (values) =>
      values.flatMap((_, index) => {
        const verdict = dhis2MinMaxAt(values, index);
        return verdict ? [{ index, score: verdict.flagged ? Math.max(1, Math.min(verdict.z / 2, 1e6)) : Math.min(verdict.z / 2, 0.999) }] : [];
      }),
    ),
    perCell('who', 'WHO DQ Tool (±3 SD, mod. z 3.5)', (values) =>
      Array.from({ length: Math.ceil(values.length / 12) }, (_, year) => year).flatMap((year) =>
        whoOutliers(values.slice(year * 12, year * 12 + 12)).map((o) => ({ index: year * 12 + o.index, score: Math.max(o.sdDistance / 3, o.modifiedZ / 3.5) })),
      ),
    ),
  ];
}

function perCell(id: string, name: string, score: (values: readonly (number | null)[]) => { index: number; score: number }[]): Method {
  return {
    id,
    name,
    alerts(facility, from, minScore) {
      const alerts: Alert[] = [];
      for (const cell of facility.history.cells) {
        for (const scored of score(cell.values)) {
          if (scored.index < from || !(scored.score >= minScore) || scored.score <= 0) continue;
          alerts.push({ orgUnit: facility.orgUnit, cells: [`${cell.dataElement}|${cell.categoryOptionCombo}`], indexes: [scored.index], score: scored.score });
        }
      }
      return alerts;
    },
  };
}

export interface Truth {
  errors: InjectedError[];
  /** `orgUnit|dataElement|combo|index` → error id. */
  errorAt: Map<string, number>;
  facilityYears: number;
}

export function truthOf(series: GeneratedSeries, errors: InjectedError[], from: number): Truth {
  const errorAt = new Map<string, number>();
  for (const error of errors) for (const cell of error.cells) errorAt.set(`${error.orgUnit}|${cell.dataElement}|${cell.categoryOptionCombo}|${cell.index}`, error.id);
  let openMonths = 0;
  for (const facility of series.facilities) openMonths += series.months - Math.max(from, facility.opensAt);
  return { errors, errorAt, facilityYears: openMonths / 12 };
}

export interface Outcome {
  alerts: number;
  falseAlerts: number;
  falseOnGenuine: number;
  detected: Set<number>;
}

export function outcomeOf(alerts: readonly Alert[], truth: Truth, genuine: ReadonlyMap<string, string>): Outcome {
  const detected = new Set<number>();
  let falseAlerts = 0;
  let falseOnGenuine = 0;
  for (const alert of alerts) {
    let hit = false;
    let onGenuine = false;
    for (const cell of alert.cells) {
      for (const index of alert.indexes) {
        const key = `${alert.orgUnit}|${cell}|${index}`;
        const id = truth.errorAt.get(key);
        if (id !== undefined) {
          detected.add(id);
          hit = true;
        }
        if (genuine.has(key)) onGenuine = true;
      }
    }
    if (!hit) {
      falseAlerts++;
      if (onGenuine) falseOnGenuine++;
    }
  }
  return { alerts: alerts.length, falseAlerts, falseOnGenuine, detected };
}

export function recallByKind(outcome: Outcome, truth: Truth): Record<ErrorKind | 'headline', number> {
  const result = {} as Record<ErrorKind | 'headline', number>;
  for (const kind of ERROR_KINDS) {
    const of = truth.errors.filter((error) => error.kind === kind);
    result[kind] = of.length === 0 ? NaN : of.filter((error) => outcome.detected.has(error.id)).length / of.length;
  }
  const headline = truth.errors.filter((error) => HEADLINE_KINDS.includes(error.kind));
  result.headline = headline.filter((error) => outcome.detected.has(error.id)).length / headline.length;
  return result;
}

/** The strongest `budget` alerts (ties at the cut broken by order, which is fixed by the seed). */
export function atBudget(alerts: readonly Alert[], budget: number): Alert[] {
  return [...alerts].sort((a, b) => b.score - a.score).slice(0, budget);
}

export interface CurvePoint {
  threshold: number;
  precision: number;
  recall: number;
  alerts: number;
}

/** Precision (true alerts ÷ alerts) and recall of the headline kinds as the threshold falls. */
export function precisionRecallCurve(alerts: readonly Alert[], truth: Truth, points = 60): CurvePoint[] {
  const sorted = [...alerts].sort((a, b) => b.score - a.score);
  const headline = new Set(truth.errors.filter((error) => HEADLINE_KINDS.includes(error.kind)).map((error) => error.id));
  const curve: CurvePoint[] = [];
  const detected = new Set<number>();
  let trueAlerts = 0;
  const step = Math.max(1, Math.floor(sorted.length / points));
  sorted.forEach((alert, i) => {
    let hit = false;
    for (const cell of alert.cells) {
      for (const index of alert.indexes) {
        const id = truth.errorAt.get(`${alert.orgUnit}|${cell}|${index}`);
        if (id === undefined) continue;
        hit = true;
        if (headline.has(id)) detected.add(id);
      }
    }
    if (hit) trueAlerts++;
    if ((i + 1) % step === 0 || i === sorted.length - 1) {
      curve.push({ threshold: alert.score, precision: trueAlerts / (i + 1), recall: detected.size / headline.size, alerts: i + 1 });
    }
  });
  return curve;
}
