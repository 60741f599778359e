// The nightly district scorecard in the WHO DQR's terms, per district and indicator for one year:
// - completeness: facility-months reported ÷ expected (from each facility's first report on); facilities
//   under the target (90 %);
// - outliers of each facility's monthly values in the year: extreme (±3 SD), moderate (±2 SD, and the
//   facilities with more than one), modified z > 3.5 — and beside them the flags of this package's
//   seasonal screening, so the two can be read side by side;
// - consistency over time: the year's total ÷ the mean of the previous years' totals (up to 3), flagged
//   outside 1 ± 0.33, for the district and counted over its facilities;
// - related indicators (per pair in the configuration): `eq` flags a facility whose A/B is outside
//   1 ± c, `aGTb` one whose A/B < 1 − c, `do` one whose dropout (A − B)/A is negative.
// An indicator is a sum of data elements over their combos (the WHO tool works on totals).
import type { Operand, RelatedIndicator } from '../config.js';
import { SCORECARD_DEFAULTS, type ScorecardThresholds } from '../defaults.js';
import { indexHistory, totalSeries, type FacilityHistory, type IndexedHistory } from '../facility-history.js';
import { periodOf } from '../periods.js';
import { screenHistory, type ScreeningConfig, type ScreeningOptions } from '../screen.js';
import { mean } from '../statistics.js';
import { whoOutliers } from '../baselines/who-dq-tool.js';

export interface ScorecardFacility {
  district: string;
  history: FacilityHistory;
}

export interface ScorecardIndicator {
  id: string;
  operands: readonly Operand[];
}

export interface IndicatorScore {
  district: string;
  indicator: string;
  completeness: { expected: number; reported: number; rate: number; facilitiesBelowTarget: number };
  outliers: {
    values: number;
    extreme: number;
    moderate: number;
    facilitiesWithMoreThanOneModerate: number;
    modifiedZ: number;
    seasonalScreening: number;
  };
  consistencyOverTime: {
    total: number;
    referenceMean: number | null;
    ratio: number | null;
    flagged: boolean;
    facilitiesCompared: number;
    facilitiesOutside: number;
  };
}

export interface RelatedIndicatorScore {
  district: string;
  relation: string;
  type: RelatedIndicator['type'];
  ratio: number | null;
  facilitiesCompared: number;
  facilitiesFlagged: number;
}

export interface Scorecard {
  year: number;
  indicators: IndicatorScore[];
  relatedIndicators: RelatedIndicatorScore[];
}

export type ScorecardConfig = ScreeningConfig & { scorecard?: Partial<ScorecardThresholds> & { relatedIndicators?: readonly RelatedIndicator[] } };

interface FacilityYear {
  indexed: IndexedHistory;
  firstIndex: number;
  /** Index of January of the scored year. */
  january: number;
  ourFlags: Map<string, number>;
}

export function dqrScorecard(
  facilities: readonly ScorecardFacility[],
  indicators: readonly ScorecardIndicator[],
  year: number,
  config: ScorecardConfig,
  options: Pick<ScreeningOptions, 'knownEvents'> & { screen?: boolean } = {},
): Scorecard {
  const thresholds: ScorecardThresholds = { ...SCORECARD_DEFAULTS, ...config.scorecard };
  const byDistrict = new Map<string, FacilityYear[]>();
  for (const facility of facilities) {
    const indexed = indexHistory(facility.history);
    const january = year * 12 - indexed.startMonth;
    const ourFlags = new Map<string, number>();
    if (options.screen !== false && january + 11 >= 0) {
      const from = periodOf(indexed.startMonth + Math.max(0, january));
      const flags = screenHistory(facility.history, config, { knownEvents: options.knownEvents ?? [], from, strongestOnly: true });
      for (const flag of flags) {
        if (flag.kind !== 'error' || flag.cells.length !== 1 || !flag.period.startsWith(String(year))) continue;
        ourFlags.set(flag.dataElement, (ourFlags.get(flag.dataElement) ?? 0) + 1);
      }
    }
    const list = byDistrict.get(facility.district) ?? [];
    list.push({ indexed, firstIndex: firstReported(indexed), january, ourFlags });
    byDistrict.set(facility.district, list);
  }
  const scores: IndicatorScore[] = [];
  const related: RelatedIndicatorScore[] = [];
  for (const [district, members] of byDistrict) {
    for (const indicator of indicators) scores.push(indicatorScore(district, indicator, members, thresholds));
    for (const relation of config.scorecard?.relatedIndicators ?? []) related.push(relatedScore(district, relation, members));
  }
  return { year, indicators: scores, relatedIndicators: related };
}

function indicatorScore(districtName: string, indicator: ScorecardIndicator, members: readonly FacilityYear[], thresholds: ScorecardThresholds): IndicatorScore {
  const completeness = { expected: 0, reported: 0, rate: 0, facilitiesBelowTarget: 0 };
  const outliers = { values: 0, extreme: 0, moderate: 0, facilitiesWithMoreThanOneModerate: 0, modifiedZ: 0, seasonalScreening: 0 };
  const consistency = { total: 0, referenceTotals: new Map<number, number>(), facilitiesCompared: 0, facilitiesOutside: 0 };
  const dataElements = new Set(indicator.operands.map((operand) => operand.dataElement));
  for (const member of members) {
    const series = totalSeries(member.indexed, indicator.operands);
    const months = yearSlice(series, member.january);
    const expected = months.filter((_, m) => member.january + m >= member.firstIndex && member.firstIndex >= 0).length;
    const reported = months.filter((value) => value !== null).length;
    completeness.expected += expected;
    completeness.reported += reported;
    if (expected > 0 && reported / expected < thresholds.completenessTarget) completeness.facilitiesBelowTarget++;

    const verdicts = whoOutliers(months, thresholds);
    outliers.values += verdicts.length;
    outliers.extreme += verdicts.filter((verdict) => verdict.extreme).length;
    const moderate = verdicts.filter((verdict) => verdict.moderate).length;
    outliers.moderate += moderate;
    if (moderate > 1) outliers.facilitiesWithMoreThanOneModerate++;
    outliers.modifiedZ += verdicts.filter((verdict) => verdict.modifiedZOutlier).length;
    for (const dataElement of dataElements) outliers.seasonalScreening += member.ourFlags.get(dataElement) ?? 0;

    const total = sumReported(months);
    consistency.total += total ?? 0;
    const references: number[] = [];
    for (let back = 1; back <= thresholds.referenceYears; back++) {
      const reference = sumReported(yearSlice(series, member.january - 12 * back));
      if (reference === null) continue;
      references.push(reference);
      consistency.referenceTotals.set(back, (consistency.referenceTotals.get(back) ?? 0) + reference);
    }
    const facilityConsistency = total === null ? undefined : consistencyOverTime(total, references, thresholds.consistencyOverTime);
    if (facilityConsistency) {
      consistency.facilitiesCompared++;
      if (facilityConsistency.flagged) consistency.facilitiesOutside++;
    }
  }
  completeness.rate = completeness.expected === 0 ? 0 : completeness.reported / completeness.expected;
  const referenceMean = consistency.referenceTotals.size === 0 ? null : mean([...consistency.referenceTotals.values()]);
  const district = consistencyOverTime(consistency.total, [...consistency.referenceTotals.values()], thresholds.consistencyOverTime);
  return {
    district: districtName,
    indicator: indicator.id,
    completeness,
    outliers,
    consistencyOverTime: {
      total: consistency.total,
      referenceMean,
      ratio: district?.ratio ?? null,
      flagged: district?.flagged ?? false,
      facilitiesCompared: consistency.facilitiesCompared,
      facilitiesOutside: consistency.facilitiesOutside,
    },
  };
}

function relatedScore(district: string, relation: RelatedIndicator, members: readonly FacilityYear[]): RelatedIndicatorScore {
  let totalA = 0;
  let totalB = 0;
  let compared = 0;
  let flagged = 0;
  for (const member of members) {
    const a = sumReported(yearSlice(totalSeries(member.indexed, relation.a), member.january));
    const b = sumReported(yearSlice(totalSeries(member.indexed, relation.b), member.january));
    if (a === null || b === null) continue;
    totalA += a;
    totalB += b;
    const verdict = relatedIndicatorFlag(relation, a, b);
    if (verdict === undefined) continue;
    compared++;
    if (verdict) flagged++;
  }
  const ratio = relation.type === 'do' ? (totalA > 0 ? (totalA - totalB) / totalA : null) : totalB > 0 ? totalA / totalB : null;
  return { district, relation: relation.id, type: relation.type, ratio, facilitiesCompared: compared, facilitiesFlagged: flagged };
}

/** The WHO DQ Tool's test of one pair of totals; undefined when the ratio cannot be computed (a zero). */
export function relatedIndicatorFlag(relation: Pick<RelatedIndicator, 'type' | 'criterion'>, a: number, b: number): boolean | undefined {
  switch (relation.type) {
    case 'eq':
      return b === 0 ? undefined : a / b > 1 + relation.criterion || a / b < 1 - relation.criterion;
    case 'aGTb':
      return b === 0 ? undefined : a / b < 1 - relation.criterion;
    case 'do':
      return a === 0 ? undefined : (a - b) / a < 0;
  }
}

/** The current year ÷ the mean of the reference years, and whether it is outside 1 ± c. */
export function consistencyOverTime(current: number, references: readonly number[], criterion: number): { ratio: number; flagged: boolean } | undefined {
  const reference = mean(references);
  if (references.length === 0 || !(reference > 0)) return undefined;
  const ratio = current / reference;
  return { ratio, flagged: Math.abs(ratio - 1) > criterion };
}

function yearSlice(series: readonly (number | null)[], january: number): (number | null)[] {
  return Array.from({ length: 12 }, (_, m) => (january + m >= 0 ? (series[january + m] ?? null) : null));
}

function sumReported(values: readonly (number | null)[]): number | null {
  let total: number | null = null;
  for (const value of values) if (value !== null) total = (total ?? 0) + value;
  return total;
}

function firstReported(history: IndexedHistory): number {
  let first = -1;
  for (const cell of history.cells) {
    const index = cell.values.findIndex((value) => value !== null);
    if (index >= 0 && (first < 0 || index < first)) first = index;
  }
  return first;
}
