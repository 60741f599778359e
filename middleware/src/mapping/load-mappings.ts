// Loads mappings/: categories.yaml (categories and combos), facilities.yaml (org unit codes, time zones),
// aggregate/*.yaml (rules per data set) and campaigns.yaml (declared campaigns, for the data-quality
// screening). Everything is checked at load, with file, line and path in each error: schema, references
// between files, complete and consistent combos, ISO age bands, FHIRPath syntax.
// FHIRPath expressions are compiled here, once.
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import fhirpath from 'fhirpath';
import { skipWhenDataAbsent } from './absent-data.js';
import { compileSubset } from './fhirpath-subset.js';
import { parseAgeBand, type AgeBand } from './age-bands.js';
import { loadCampaigns, type Campaign } from '../mapping-files/campaigns-file.js';
import { loadFacilityTable, type FacilityTable } from '../mapping-files/facility-table.js';
import { AggregateFileSchema, CategoriesFileSchema } from '../mapping-files/rule-file-schemas.js';
import type { PeriodType } from '../mapping-files/rule-file-schemas.js';
import { MappingFileError, readYaml, pathText, type MappingError } from '../mapping-files/read-yaml.js';

/** Variables every expression may use besides the encounter itself. */
export interface ExpressionEnvironment {
  /** Completed years at the encounter; absent when the age is unknown. */
  ageYears?: number;
  ageDays?: number;
  /**
   * The delivery's gestational age in completed weeks: one number, or none (an empty collection) when the
   * encounter is not a delivery or the age was not recorded. Always defined, so an expression about a baby
   * (inside `delivery.outcomes.where(…)`) can weigh it with the gestation of its delivery.
   */
  deliveryWeeks: number[];
}

/** `%deliveryWeeks` of an encounter. */
export function deliveryWeeksOf(encounter: { delivery?: { gestationalAgeWeeks?: number } }): number[] {
  const weeks = encounter.delivery?.gestationalAgeWeeks;
  return weeks === undefined ? [] : [weeks];
}

export type CompiledExpression = (encounter: unknown, environment: ExpressionEnvironment) => unknown[];

export interface CategoryOption {
  code: string;
  band?: AgeBand;
  sex?: 'female' | 'male';
  when?: CompiledExpression;
}

export interface Category {
  code: string;
  match: 'age' | 'sex' | 'expression';
  options: CategoryOption[];
}

export interface CategoryCombo {
  code: string;
  /** The combo's name (the WHO toolkit's), when categories.yaml gives one. */
  name?: string;
  categories: Category[];
  /** Option codes joined by "|", in category order → category option combo code. */
  comboByOptions: Map<string, string>;
}

export interface AggregateRule {
  id: string;
  description: string;
  file: string;
  line: number | undefined;
  dataSet: string;
  periodType: PeriodType;
  attributeOptionCombo: string;
  dataElement: string;
  categoryCombo: CategoryCombo | undefined;
  when: CompiledExpression;
  value: 'count' | CompiledExpression;
}

export interface Mappings {
  rules: AggregateRule[];
  categoryCombos: Map<string, CategoryCombo>;
  facilities: FacilityTable;
  /** The declared campaigns (campaigns.yaml), which the data-quality screening is told of. */
  campaigns?: Campaign[];
}

export const DEFAULT_CATEGORY_OPTION_COMBO = 'default';

/**
 * An expression compiled once: into closures when it lies in the subset rule conditions use
 * (fhirpath-subset.ts), else by the fhirpath package; either way with the shortcut for encounters that lack
 * every field it names.
 */
export function compileExpression(expression: string, onError: (message: string) => void): CompiledExpression {
  try {
    const compiled = fhirpath.compile(expression);
    const general = (encounter: unknown, environment: ExpressionEnvironment) => compiled(encounter as object, environment as unknown as Record<string, unknown>) as unknown[];
    const fast = compileSubset(expression, (encounter, environment) => general(encounter, environment as unknown as ExpressionEnvironment));
    return skipWhenDataAbsent(expression, fast ? (encounter, environment) => fast(encounter, environment as unknown as Record<string, unknown>) : general);
  } catch (error) {
    onError(`FHIRPath does not parse: ${(error as Error).message.split('\n')[0]}`);
    return () => [];
  }
}

export function loadMappings(directory: string): Mappings {
  const errors: MappingError[] = [];
  const display = (file: string) => relative(process.cwd(), file) || file;
  const attempt = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      if (error instanceof MappingFileError) errors.push(...error.errors);
      else throw error;
      return undefined;
    }
  };

  const categoriesPath = join(directory, 'categories.yaml');
  const categoriesFile = attempt(() => readYaml(categoriesPath, CategoriesFileSchema, display(categoriesPath)));
  const categories = new Map<string, Category>();
  const categoryCombos = new Map<string, CategoryCombo>();
  if (categoriesFile) {
    const { value, lineOf } = categoriesFile;
    const fail = (path: (string | number)[], message: string) =>
      errors.push({ file: display(categoriesPath), line: lineOf(path), path: pathText(path), message });
    value.categories.forEach((category, c) => {
      const options = category.options.map((option, o): CategoryOption => {
        const at = ['categories', c, 'options', o];
        if (category.match === 'age') {
          const band = parseAgeBand(option.code);
          if (!band) fail([...at, 'code'], `"${option.code}" is not an ISO 8601 age band such as P0Y--P5Y`);
          return { code: option.code, ...(band ? { band } : {}) };
        }
        if (category.match === 'sex') {
          if (!option.sex) fail(at, 'an option of a sex category needs "sex: female" or "sex: male"');
          return { code: option.code, ...(option.sex ? { sex: option.sex } : {}) };
        }
        if (!option.when) {
          fail(at, 'an option of an expression category needs a "when" expression');
          return { code: option.code };
        }
        return { code: option.code, when: compileExpression(option.when, (message) => fail([...at, 'when'], message)) };
      });
      if (categories.has(category.code)) fail(['categories', c, 'code'], `category "${category.code}" is defined twice`);
      categories.set(category.code, { code: category.code, match: category.match, options });
    });
    value.categoryCombos.forEach((combo, k) => {
      const at = ['categoryCombos', k];
      const members = combo.categories.map((code, i) => {
        const category = categories.get(code);
        if (!category) fail([...at, 'categories', i], `no category "${code}" in categories`);
        return category;
      });
      if (members.some((member) => member === undefined)) return;
      const comboCategories = members as Category[];
      const comboByOptions = new Map<string, string>();
      combo.categoryOptionCombos.forEach((coc, j) => {
        const cocAt = [...at, 'categoryOptionCombos', j];
        if (coc.options.length !== comboCategories.length) {
          fail([...cocAt, 'options'], `needs one option for each of the ${comboCategories.length} categories`);
          return;
        }
        coc.options.forEach((optionCode, i) => {
          const category = comboCategories[i] as Category;
          if (!category.options.some((option) => option.code === optionCode)) {
            fail([...cocAt, 'options', i], `"${optionCode}" is not an option of category "${category.code}"`);
          }
        });
        const key = coc.options.join('|');
        if (comboByOptions.has(key)) fail(cocAt, `options ${coc.options.join(' + ')} appear twice`);
        comboByOptions.set(key, coc.code);
      });
      const expected = comboCategories.reduce((product, category) => product * category.options.length, 1);
      if (comboByOptions.size !== expected) {
        fail([...at, 'categoryOptionCombos'], `lists ${comboByOptions.size} option combinations; the categories make ${expected}`);
      }
      categoryCombos.set(combo.code, { code: combo.code, ...(combo.name !== undefined ? { name: combo.name } : {}), categories: comboCategories, comboByOptions });
    });
  }

  const facilities = attempt(() => loadFacilityTable(directory, display));

  const rules: AggregateRule[] = [];
  const ruleIds = new Set<string>();
  const aggregateDirectory = join(directory, 'aggregate');
  const files = existsSync(aggregateDirectory)
    ? readdirSync(aggregateDirectory).filter((name) => /\.ya?ml$/.test(name)).sort()
    : [];
  if (files.length === 0) errors.push({ file: display(aggregateDirectory), path: '', message: 'holds no aggregate mapping file' });
  for (const name of files) {
    const path = join(aggregateDirectory, name);
    const file = attempt(() => readYaml(path, AggregateFileSchema, display(path)));
    if (!file) continue;
    const { value, lineOf } = file;
    value.rules.forEach((rule, r) => {
      const at = ['rules', r];
      const fail = (sub: (string | number)[], message: string) =>
        errors.push({ file: display(path), line: lineOf([...at, ...sub]), path: pathText([...at, ...sub]), message });
      if (ruleIds.has(rule.id)) fail(['id'], `rule id "${rule.id}" is used twice`);
      ruleIds.add(rule.id);
      const combo = rule.categoryCombo === undefined ? undefined : categoryCombos.get(rule.categoryCombo);
      if (rule.categoryCombo !== undefined && !combo) fail(['categoryCombo'], `no category combo "${rule.categoryCombo}" in categories.yaml`);
      rules.push({
        id: rule.id,
        description: rule.description ?? rule.id,
        file: display(path),
        line: lineOf(at),
        dataSet: value.dataSet.code,
        periodType: value.dataSet.periodType,
        attributeOptionCombo: value.dataSet.attributeOptionCombo,
        dataElement: rule.dataElement,
        categoryCombo: combo,
        when: compileExpression(rule.when, (message) => fail(['when'], message)),
        value: rule.value === 'count' ? 'count' : compileExpression(rule.value, (message) => fail(['value'], message)),
      });
    });
  }

  const campaigns = attempt(() => loadCampaigns(directory, display, new Set(rules.map((rule) => rule.dataElement)), errors)) ?? [];

  if (errors.length > 0) throw new MappingFileError(errors);
  return { rules, categoryCombos, facilities: facilities as FacilityTable, campaigns };
}
