// The checks a DHIS2 metadata package must pass before it is imported (shared/reference/dhis2-web-api.md
// §5.3–§5.5): JSON types, uids, required fields, lengths, unique properties, enum values, references that
// resolve, category models that hold together (every option combo inside its combo, one per combination),
// data set and data element combos of the right kind, and indicator expressions whose `#{de.coc}` operands
// exist. Each problem names the object (type[index] (code, uid)), the field and the reason.
import {
  AGGREGATION_TYPES,
  DASHBOARD_ITEM_TYPES,
  DATA_DIMENSION_ITEM_TYPES,
  DATA_DIMENSION_TYPES,
  DATA_SET_PERIOD_TYPES,
  DEFAULT_UIDS,
  DOMAIN_TYPES,
  MetadataPackageSchema,
  PACKAGE_TYPES,
  UID_PATTERN,
  VALUE_TYPES,
  VISUALIZATION_TYPES,
  type MetadataPackage,
  type PackageObject,
  type PackageType,
} from './package-schema.js';
import { parseExpression } from './indicator-expressions.js';
import { DEFAULT_PACKAGE_FILE, readPackageJson } from './package-files.js';

export type PackageCheck = { ok: true; package: MetadataPackage; problems: [] } | { ok: false; package?: MetadataPackage; problems: string[] };

/** Required properties per type (Hibernate not-null, §5.3), besides `id`, which a package must fix. */
const REQUIRED: Record<PackageType, readonly string[]> = {
  categoryOptions: ['name', 'shortName'],
  categories: ['name', 'shortName', 'dataDimensionType'],
  categoryCombos: ['name', 'dataDimensionType'],
  categoryOptionCombos: ['categoryCombo'],
  dataElements: ['name', 'shortName', 'valueType', 'domainType', 'aggregationType'],
  dataSets: ['name', 'shortName', 'periodType'],
  indicatorTypes: ['name', 'factor'],
  indicators: ['name', 'shortName', 'numerator', 'denominator', 'indicatorType'],
  visualizations: ['name', 'type'],
  dashboards: ['name'],
};

/** Properties DHIS2 keeps unique per type (§5.3 and the hbm files). */
const UNIQUE: Record<PackageType, readonly string[]> = {
  categoryOptions: ['name', 'shortName', 'code'],
  categories: ['name', 'shortName', 'code'],
  categoryCombos: ['name', 'code'],
  categoryOptionCombos: ['code'],
  dataElements: ['name', 'shortName', 'code'],
  dataSets: ['shortName', 'code'],
  indicatorTypes: ['name', 'code'],
  indicators: ['code'],
  visualizations: ['code'],
  dashboards: ['code'],
};

const MAX_LENGTH: Record<string, number> = { name: 230, shortName: 50, code: 50, formName: 230 };

const ENUMS: Partial<Record<PackageType, Record<string, readonly string[]>>> = {
  categories: { dataDimensionType: DATA_DIMENSION_TYPES },
  categoryCombos: { dataDimensionType: DATA_DIMENSION_TYPES },
  dataElements: { valueType: VALUE_TYPES, aggregationType: AGGREGATION_TYPES, domainType: DOMAIN_TYPES },
  dataSets: { periodType: DATA_SET_PERIOD_TYPES },
  visualizations: { type: VISUALIZATION_TYPES },
};

const SINGULAR: Record<PackageType, string> = {
  categoryOptions: 'category option',
  categories: 'category',
  categoryCombos: 'category combo',
  categoryOptionCombos: 'category option combo',
  dataElements: 'data element',
  dataSets: 'data set',
  indicatorTypes: 'indicator type',
  indicators: 'indicator',
  visualizations: 'visualization',
  dashboards: 'dashboard',
};

/** How a problem names an object: `dataElements[12] (SMC_MAL_TESTED_W, TbuPq7cesES)`. */
export function objectLabel(type: string, index: number, object: unknown): string {
  const o = (typeof object === 'object' && object !== null ? object : {}) as PackageObject;
  const name = typeof o.code === 'string' ? o.code : typeof o.name === 'string' ? o.name : 'no code';
  const id = typeof o.id === 'string' ? o.id : 'no id';
  return `${type}[${index}] (${name}, ${id})`;
}

interface Indexed {
  type: PackageType;
  index: number;
  object: PackageObject;
  label: string;
}

export function checkPackage(input: unknown): PackageCheck {
  const problems: string[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, problems: ['package: is not a JSON object with one array per metadata type'] };
  }
  for (const key of Object.keys(input)) {
    if (!(PACKAGE_TYPES as readonly string[]).includes(key)) {
      problems.push(`package: "${key}" is not a metadata type this check knows (${PACKAGE_TYPES.join(', ')})`);
    }
  }
  const parsed = MetadataPackageSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [type, index, ...field] = issue.path;
      const raw = (input as Record<string, unknown>)[String(type)];
      const where =
        typeof index === 'number' && Array.isArray(raw) ? objectLabel(String(type), index, raw[index]) : `package: ${String(type)}`;
      const what = field.length > 0 ? `${field.join('.')} ` : '';
      problems.push(`${where}: ${what}${issue.message.replace(/^Invalid input: /, '')}`);
    }
    return { ok: false, problems };
  }
  const pkg = parsed.data;

  const all: Indexed[] = [];
  const byId = new Map<PackageType, Map<string, Indexed>>();
  for (const type of PACKAGE_TYPES) {
    const ids = new Map<string, Indexed>();
    byId.set(type, ids);
    const seen = new Map<string, Map<string, Indexed>>();
    (pkg[type] ?? []).forEach((object, index) => {
      const entry: Indexed = { type, index, object: object as PackageObject, label: objectLabel(type, index, object) };
      all.push(entry);
      const fail = (message: string) => problems.push(`${entry.label}: ${message}`);
      const o = entry.object;
      if (o.id === undefined) fail('id is missing (a package object needs a fixed uid, so that importing it again updates it)');
      else if (!UID_PATTERN.test(o.id)) fail(`id "${o.id}" is not a valid uid (11 characters: a letter, then letters or digits)`);
      else if (ids.has(o.id)) fail(`id ${o.id} is also used by ${ids.get(o.id)!.label}`);
      else ids.set(o.id, entry);
      for (const field of REQUIRED[type]) {
        const value = o[field];
        if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) fail(`${field} is missing (required)`);
      }
      for (const [field, max] of Object.entries(MAX_LENGTH)) {
        const value = o[field];
        if (typeof value === 'string' && value.length > max) fail(`${field} is ${value.length} characters, at most ${max}`);
      }
      for (const [field, allowed] of Object.entries(ENUMS[type] ?? {})) {
        const value = o[field];
        if (typeof value === 'string' && !allowed.includes(value)) fail(`${field} "${value}" is not one of ${allowed.join(', ')}`);
      }
      for (const field of UNIQUE[type]) {
        const value = o[field];
        if (typeof value !== 'string') continue;
        const values = seen.get(field) ?? new Map<string, Indexed>();
        seen.set(field, values);
        const other = values.get(value);
        if (other) fail(`${field} "${value}" is also used by ${other.label} (${field} must be unique)`);
        else values.set(value, entry);
      }
    });
  }

  const find = (type: PackageType, id: string | undefined) => (id === undefined ? undefined : byId.get(type)!.get(id));
  /** Checks a `{id}` reference; returns the referenced entry, or undefined (after a problem) when it does not resolve. */
  const reference = (from: Indexed, field: string, target: PackageType, value: unknown, options: { required?: boolean; defaultId?: string } = {}) => {
    const fail = (message: string) => problems.push(`${from.label}: ${field} ${message}`);
    if (value === undefined) {
      if (options.required) fail('is missing (required)');
      return undefined;
    }
    const id = (value as { id?: unknown }).id;
    if (typeof id !== 'string') {
      fail('has no id');
      return undefined;
    }
    if (id === options.defaultId) return undefined;
    const found = find(target, id);
    if (!found) {
      if (!UID_PATTERN.test(id)) fail(`"${id}" is not a valid uid`);
      else fail(`refers to ${id}, which is no ${SINGULAR[target]} in the package`);
    }
    return found;
  };

  const optionsOfCategory = new Map<string, string[]>();
  for (const category of byId.get('categories')!.values()) {
    const refs = (category.object['categoryOptions'] as { id?: string }[] | undefined) ?? [];
    if (refs.length === 0) problems.push(`${category.label}: categoryOptions is empty (a category needs at least one option)`);
    const options: string[] = [];
    refs.forEach((ref, i) => {
      const option = reference(category, `categoryOptions[${i}]`, 'categoryOptions', ref);
      if (option) options.push(option.object.id as string);
    });
    optionsOfCategory.set(category.object.id as string, options);
  }

  const comboKind = (id: string | undefined) => (id === DEFAULT_UIDS.categoryCombo ? 'DISAGGREGATION' : (find('categoryCombos', id)?.object['dataDimensionType'] as string | undefined));
  const categoriesOfCombo = new Map<string, string[]>();
  for (const combo of byId.get('categoryCombos')!.values()) {
    const refs = (combo.object['categories'] as { id?: string }[] | undefined) ?? [];
    if (refs.length === 0) problems.push(`${combo.label}: categories is empty (a category combo needs at least one category)`);
    const categories: string[] = [];
    refs.forEach((ref, i) => {
      const category = reference(combo, `categories[${i}]`, 'categories', ref);
      if (!category) return;
      categories.push(category.object.id as string);
      const kind = category.object['dataDimensionType'];
      if (kind !== combo.object['dataDimensionType']) {
        problems.push(`${combo.label}: categories[${i}] is ${category.label}, a ${String(kind)} category in a ${String(combo.object['dataDimensionType'])} combo`);
      }
    });
    categoriesOfCombo.set(combo.object.id as string, categories);
  }

  const codeOf = (type: PackageType, id: string) => (find(type, id)?.object.code as string | undefined) ?? id;
  const cocsOfCombo = new Map<string, Map<string, Indexed>>();
  for (const coc of byId.get('categoryOptionCombos')!.values()) {
    const combo = reference(coc, 'categoryCombo', 'categoryCombos', coc.object['categoryCombo'], { defaultId: DEFAULT_UIDS.categoryCombo });
    const optionRefs = (coc.object['categoryOptions'] as { id?: string }[] | undefined) ?? [];
    const options = optionRefs.map((ref, i) => reference(coc, `categoryOptions[${i}]`, 'categoryOptions', ref)?.object.id as string | undefined);
    if (!combo) continue;
    const comboId = combo.object.id as string;
    const categories = categoriesOfCombo.get(comboId) ?? [];
    if (options.length !== categories.length) {
      problems.push(`${coc.label}: categoryOptions has ${options.length} options; its combo ${combo.label} has ${categories.length} categories (one option from each)`);
      continue;
    }
    const remaining = new Set(categories);
    for (const option of options) {
      if (option === undefined) continue;
      const category = [...remaining].find((categoryId) => optionsOfCategory.get(categoryId)?.includes(option));
      if (category === undefined) {
        problems.push(`${coc.label}: category option ${codeOf('categoryOptions', option)} is outside its combo ${combo.label} (no category of the combo, or none left, holds it)`);
      } else remaining.delete(category);
    }
    const key = [...options].sort().join('|');
    const list = cocsOfCombo.get(comboId) ?? new Map<string, Indexed>();
    cocsOfCombo.set(comboId, list);
    const twin = list.get(key);
    if (twin) problems.push(`${coc.label}: has the same options as ${twin.label}`);
    else list.set(key, coc);
  }
  // DHIS2 generates one option combo per combination; the package names them all, so none may be missing.
  for (const combo of byId.get('categoryCombos')!.values()) {
    const comboId = combo.object.id as string;
    let combinations: string[][] = [[]];
    for (const category of categoriesOfCombo.get(comboId) ?? []) {
      combinations = combinations.flatMap((prefix) => (optionsOfCategory.get(category) ?? []).map((option) => [...prefix, option]));
    }
    const present = cocsOfCombo.get(comboId) ?? new Map();
    for (const combination of combinations) {
      if (combination.length > 0 && !present.has([...combination].sort().join('|'))) {
        problems.push(`${combo.label}: has no category option combo for ${combination.map((id) => codeOf('categoryOptions', id)).join(' + ')}`);
      }
    }
  }

  for (const element of byId.get('dataElements')!.values()) {
    const combo = reference(element, 'categoryCombo', 'categoryCombos', element.object['categoryCombo'], { defaultId: DEFAULT_UIDS.categoryCombo });
    if (combo && combo.object['dataDimensionType'] !== 'DISAGGREGATION') {
      problems.push(`${element.label}: categoryCombo is ${combo.label}, an ${String(combo.object['dataDimensionType'])} combo; a data element needs a DISAGGREGATION combo`);
    }
  }

  const dataSetsOfElement = new Map<string, Indexed[]>();
  for (const dataSet of byId.get('dataSets')!.values()) {
    const combo = reference(dataSet, 'categoryCombo', 'categoryCombos', dataSet.object['categoryCombo'], { defaultId: DEFAULT_UIDS.categoryCombo });
    if (combo && combo.object['dataDimensionType'] !== 'ATTRIBUTE') {
      problems.push(`${dataSet.label}: categoryCombo is ${combo.label}, a ${String(combo.object['dataDimensionType'])} combo; a data set needs an ATTRIBUTE combo (or the default)`);
    }
    for (const field of ['openFuturePeriods', 'expiryDays'] as const) {
      const value = dataSet.object[field];
      if (typeof value === 'number' && value < 0) problems.push(`${dataSet.label}: ${field} is ${value}, at least 0`);
    }
    const elements = new Set<string>();
    ((dataSet.object['dataSetElements'] as Record<string, unknown>[] | undefined) ?? []).forEach((dse, i) => {
      const at = `dataSetElements[${i}]`;
      const owner = (dse['dataSet'] as { id?: string } | undefined)?.id;
      if (owner !== undefined && owner !== dataSet.object.id) problems.push(`${dataSet.label}: ${at}.dataSet is ${owner}, not this data set`);
      const element = reference(dataSet, `${at}.dataElement`, 'dataElements', dse['dataElement'], { required: true });
      if (dse['categoryCombo'] !== undefined) reference(dataSet, `${at}.categoryCombo`, 'categoryCombos', dse['categoryCombo'], { defaultId: DEFAULT_UIDS.categoryCombo });
      if (!element) return;
      const id = element.object.id as string;
      if (elements.has(id)) problems.push(`${dataSet.label}: ${at} lists ${element.label} a second time`);
      elements.add(id);
      dataSetsOfElement.set(id, [...(dataSetsOfElement.get(id) ?? []), dataSet]);
    });
  }

  for (const indicator of byId.get('indicators')!.values()) {
    reference(indicator, 'indicatorType', 'indicatorTypes', indicator.object['indicatorType'], { required: false });
    for (const side of ['numerator', 'denominator'] as const) {
      const expression = indicator.object[side];
      if (typeof expression !== 'string') continue;
      const fail = (message: string) => problems.push(`${indicator.label}: ${side} ${message}`);
      const parsedExpression = parseExpression(expression);
      if (!parsedExpression.ok) {
        fail(parsedExpression.message);
        continue;
      }
      for (const operand of parsedExpression.operands) {
        if (operand.kind === 'other') {
          fail(`refers to ${operand.text}, which this package does not ship (only #{…} and R{…} operands resolve in it)`);
        } else if (operand.kind === 'reportingRate') {
          if (!find('dataSets', operand.dataSet)) fail(`refers to data set ${operand.dataSet} in ${operand.text}, which is no data set in the package`);
        } else {
          const element = find('dataElements', operand.dataElement);
          if (!element) {
            fail(`refers to data element ${operand.dataElement} in ${operand.text}, which is no data element in the package`);
            continue;
          }
          if (operand.categoryOptionCombo !== undefined) {
            const comboId = (element.object['categoryCombo'] as { id?: string } | undefined)?.id ?? DEFAULT_UIDS.categoryCombo;
            const inCombo =
              comboId === DEFAULT_UIDS.categoryCombo
                ? operand.categoryOptionCombo === DEFAULT_UIDS.categoryOptionCombo
                : [...(cocsOfCombo.get(comboId)?.values() ?? [])].some((coc) => coc.object.id === operand.categoryOptionCombo);
            if (!inCombo) {
              const coc = find('categoryOptionCombos', operand.categoryOptionCombo);
              fail(
                coc
                  ? `uses ${operand.text}: ${coc.label} is not in the category combo of ${element.label}`
                  : `refers to category option combo ${operand.categoryOptionCombo} in ${operand.text}, which is no category option combo in the package`,
              );
            }
          }
          if (operand.attributeOptionCombo !== undefined) {
            const aocs = new Set(
              (dataSetsOfElement.get(element.object.id as string) ?? []).flatMap((dataSet) => {
                const comboId = (dataSet.object['categoryCombo'] as { id?: string } | undefined)?.id ?? DEFAULT_UIDS.categoryCombo;
                return comboId === DEFAULT_UIDS.categoryCombo ? [DEFAULT_UIDS.categoryOptionCombo] : [...(cocsOfCombo.get(comboId)?.values() ?? [])].map((coc) => coc.object.id);
              }),
            );
            if (!aocs.has(operand.attributeOptionCombo)) fail(`uses ${operand.text}: ${operand.attributeOptionCombo} is not an attribute option combo of a data set holding ${element.label}`);
          }
        }
      }
    }
  }

  const categoryIds = new Set(byId.get('categories')!.keys());
  for (const visualization of byId.get('visualizations')!.values()) {
    const o = visualization.object;
    ((o['dataDimensionItems'] as Record<string, unknown>[] | undefined) ?? []).forEach((item, i) => {
      const at = `dataDimensionItems[${i}]`;
      const kind = item['dataDimensionItemType'];
      if (kind === 'INDICATOR') reference(visualization, `${at}.indicator`, 'indicators', item['indicator'], { required: true });
      else if (kind === 'DATA_ELEMENT') reference(visualization, `${at}.dataElement`, 'dataElements', item['dataElement'], { required: true });
      else if (typeof kind === 'string' && (DATA_DIMENSION_ITEM_TYPES as readonly string[]).includes(kind)) {
        problems.push(`${visualization.label}: ${at}.dataDimensionItemType ${kind} refers to objects this package does not ship`);
      } else problems.push(`${visualization.label}: ${at}.dataDimensionItemType "${String(kind)}" is not one of INDICATOR, DATA_ELEMENT`);
    });
    const placed = new Map<string, string>();
    for (const axis of ['columnDimensions', 'rowDimensions', 'filterDimensions'] as const) {
      for (const dimension of (o[axis] as string[] | undefined) ?? []) {
        if (!['dx', 'pe', 'ou'].includes(dimension) && !categoryIds.has(dimension)) {
          problems.push(`${visualization.label}: ${axis} has "${dimension}", which is neither dx, pe, ou nor a category of the package`);
        }
        const other = placed.get(dimension);
        if (other) problems.push(`${visualization.label}: ${axis} has "${dimension}", which ${other} already has`);
        placed.set(dimension, axis);
      }
    }
    if (((o['dataDimensionItems'] as unknown[] | undefined) ?? []).length > 0 && !placed.has('dx')) {
      problems.push(`${visualization.label}: dx (its data) is on no axis: put it in columnDimensions, rowDimensions or filterDimensions`);
    }
  }

  for (const dashboard of byId.get('dashboards')!.values()) {
    const itemIds = new Set<string>();
    ((dashboard.object['dashboardItems'] as Record<string, unknown>[] | undefined) ?? []).forEach((item, i) => {
      const at = `dashboardItems[${i}]`;
      const fail = (message: string) => problems.push(`${dashboard.label}: ${at}${message}`);
      const id = item['id'];
      if (typeof id !== 'string') fail('.id is missing (a package object needs a fixed uid)');
      else if (!UID_PATTERN.test(id)) fail(`.id "${id}" is not a valid uid (11 characters: a letter, then letters or digits)`);
      else if (itemIds.has(id)) fail(`.id ${id} is used by another item`);
      else itemIds.add(id);
      const type = item['type'];
      if (type === undefined) fail('.type is missing (required)');
      else if (typeof type === 'string' && !(DASHBOARD_ITEM_TYPES as readonly string[]).includes(type)) fail(`.type "${type}" is not one of ${DASHBOARD_ITEM_TYPES.join(', ')}`);
      if (type === 'VISUALIZATION') reference(dashboard, `${at}.visualization`, 'visualizations', item['visualization'], { required: true });
    });
  }

  return problems.length === 0 ? { ok: true, package: pkg, problems: [] } : { ok: false, package: pkg, problems };
}

/** The package file, checked; throws with every problem when it does not pass `metadata check`. */
export function loadCheckedPackage(path: string = DEFAULT_PACKAGE_FILE): MetadataPackage {
  const check = checkPackage(readPackageJson(path));
  if (!check.ok) throw new Error(`${path} does not pass smc-bridge metadata check:\n  ${check.problems.join('\n  ')}`);
  return check.package;
}
