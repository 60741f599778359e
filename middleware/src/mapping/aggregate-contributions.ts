// One encounter version → its aggregate contributions: the DHIS2 cells it adds to, and by how much. Pure:
// the same encounter and mappings always give the same contributions, which is what lets the ledger replace
// a version's contributions wholesale and recompute any cell from scratch.
import { ageAt, type Encounter } from '@smc-bridge/contract';
import type { Contribution } from '../domain/cells.js';
import { isPractice, PRACTICE_REASON } from '../domain/practice.js';
import { isInAgeBand } from './age-bands.js';
import {
  DEFAULT_CATEGORY_OPTION_COMBO,
  type AggregateRule,
  type Category,
  deliveryWeeksOf,
  type ExpressionEnvironment,
  type Mappings,
} from './load-mappings.js';
import { periodOf } from './period-ids.js';

/** A rule whose condition held but that could not place the encounter in a cell, and why. */
export interface Unplaced {
  rule: string;
  reason: string;
}

export interface AggregateMapping {
  contributions: Contribution[];
  unplaced: Unplaced[];
  /** Why the encounter contributes nothing at all, when that is so. */
  excluded?: string;
}

function isTrue(result: unknown[]): boolean {
  return result.length === 1 && result[0] === true;
}

function optionFor(
  category: Category,
  encounter: Encounter,
  environment: ExpressionEnvironment,
  birthDate: string | undefined,
  date: string,
): string | string[] {
  const matching = category.options.filter((option) => {
    switch (category.match) {
      case 'age':
        return birthDate !== undefined && option.band !== undefined && isInAgeBand(option.band, birthDate, date);
      case 'sex':
        return option.sex === encounter.patient.sex;
      case 'expression':
        return option.when !== undefined && isTrue(option.when(encounter, environment));
    }
  });
  if (matching.length === 1) return (matching[0] as { code: string }).code;
  if (matching.length === 0) {
    const what = category.match === 'age' ? 'the patient age' : category.match === 'sex' ? `sex "${encounter.patient.sex}"` : 'the encounter';
    return [`${what} fits no option of category ${category.code}`];
  }
  return [`the encounter fits several options of category ${category.code}: ${matching.map((o) => o.code).join(', ')}`];
}

function valueOf(rule: AggregateRule, encounter: Encounter, environment: ExpressionEnvironment): number | string {
  if (rule.value === 'count') return 1;
  const result = rule.value(encounter, environment);
  if (result.length === 0) return 0;
  const [value] = result;
  if (result.length > 1 || typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    return `the value expression gave ${JSON.stringify(result)}, not one number of 0 or more`;
  }
  return value;
}

export function aggregateContributions(encounter: Encounter, mappings: Mappings): AggregateMapping {
  if (isPractice(encounter)) return { contributions: [], unplaced: [], excluded: PRACTICE_REASON };
  if (encounter.status === 'entered-in-error') return { contributions: [], unplaced: [], excluded: 'entered in error' };
  const facilityCode = encounter.facility.code;
  if (facilityCode === undefined) {
    return { contributions: [], unplaced: [], excluded: 'the facility has no code; aggregate data needs the org unit code' };
  }
  const orgUnit = mappings.facilities.orgUnitOf(facilityCode);
  const timeZone = mappings.facilities.timeZoneOf(encounter.facility);
  const { birthDate, date, years: ageYears, days: ageDays } = ageAt(encounter.patient, encounter.occurredAt, timeZone);
  const environment: ExpressionEnvironment = {
    ...(ageYears !== undefined ? { ageYears } : {}),
    ...(ageDays !== undefined ? { ageDays } : {}),
    deliveryWeeks: deliveryWeeksOf(encounter),
  };

  // Many rules share a category (age, sex) and a period type: each is worked out once per encounter.
  const optionOf = new Map<Category, string | string[]>();
  const pickOption = (category: Category) => {
    let pick = optionOf.get(category);
    if (pick === undefined) optionOf.set(category, (pick = optionFor(category, encounter, environment, birthDate, date)));
    return pick;
  };
  const periodOfType = new Map<string, string>();
  const period = (periodType: AggregateRule['periodType']) => {
    let id = periodOfType.get(periodType);
    if (id === undefined) periodOfType.set(periodType, (id = periodOf(periodType, encounter.occurredAt, timeZone)));
    return id;
  };

  const contributions: Contribution[] = [];
  const unplaced: Unplaced[] = [];
  for (const rule of mappings.rules) {
    if (!isTrue(rule.when(encounter, environment))) continue;
    const value = valueOf(rule, encounter, environment);
    if (typeof value === 'string') {
      unplaced.push({ rule: rule.id, reason: value });
      continue;
    }
    if (value === 0) continue;
    let categoryOptionCombo = DEFAULT_CATEGORY_OPTION_COMBO;
    if (rule.categoryCombo) {
      const picks = rule.categoryCombo.categories.map(pickOption);
      const problem = picks.find((pick): pick is string[] => Array.isArray(pick));
      if (problem) {
        unplaced.push({ rule: rule.id, reason: problem[0] as string });
        continue;
      }
      categoryOptionCombo = rule.categoryCombo.comboByOptions.get((picks as string[]).join('|')) as string;
    }
    contributions.push({
      dataSet: rule.dataSet,
      orgUnit,
      period: period(rule.periodType),
      attributeOptionCombo: rule.attributeOptionCombo,
      dataElement: rule.dataElement,
      categoryOptionCombo,
      value,
      rule: rule.id,
    });
  }
  return { contributions, unplaced };
}
