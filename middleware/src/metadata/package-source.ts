// metadata/source/smc-metadata.yaml → metadata/smc-metadata.json. The source is what people edit: objects
// with their uids, and references by code (readable, and the codes the mappings use). The build resolves
// each code to its uid and writes the `POST /api/metadata` payload, with DHIS2's field names, in a stable
// order. A code that resolves to nothing stops the build with every such code listed.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { rewriteDataElementOperands } from './indicator-expressions.js';
import { DEFAULT_UIDS, type MetadataPackage } from './package-schema.js';

const text = z.string().min(1);
const codes = z.array(text);
const CategoryOptionSource = z.strictObject({ id: text, code: text, name: text, shortName: text, description: text.optional() });
const CategorySource = z.strictObject({
  id: text,
  code: text,
  name: text,
  shortName: text,
  dataDimensionType: z.enum(['DISAGGREGATION', 'ATTRIBUTE']),
  dataDimension: z.boolean().optional(),
  categoryOptions: codes,
});
const CategoryComboSource = z.strictObject({
  id: text,
  code: text,
  name: text,
  dataDimensionType: z.enum(['DISAGGREGATION', 'ATTRIBUTE']),
  categories: codes,
  categoryOptionCombos: z.array(z.strictObject({ id: text, code: text, name: text, categoryOptions: codes })),
});
const DataElementSource = z.strictObject({
  id: text,
  code: text,
  name: text,
  shortName: text,
  formName: text.optional(),
  description: text.optional(),
  valueType: text,
  aggregationType: text,
  domainType: text.default('AGGREGATE'),
  zeroIsSignificant: z.boolean(),
  categoryCombo: text.default('default'),
});
const DataSetSource = z.strictObject({
  id: text,
  code: text,
  name: text,
  shortName: text,
  description: text.optional(),
  periodType: text,
  categoryCombo: text.default('default'),
  openFuturePeriods: z.number().int(),
  expiryDays: z.number().int(),
  timelyDays: z.number(),
  dataElements: codes,
});
const IndicatorTypeSource = z.strictObject({ id: text, code: text.optional(), name: text, factor: z.number().int(), number: z.boolean() });
const IndicatorSource = z.strictObject({
  id: text,
  code: text,
  name: text,
  shortName: text,
  description: text.optional(),
  indicatorType: text.describe('indicator type name'),
  annualized: z.boolean(),
  decimals: z.number().int().optional(),
  numerator: text,
  numeratorDescription: text,
  denominator: text,
  denominatorDescription: text,
});
const ORG_UNIT_SELECTIONS = {
  USER_ORGUNIT: 'userOrganisationUnit',
  USER_ORGUNIT_CHILDREN: 'userOrganisationUnitChildren',
  USER_ORGUNIT_GRANDCHILDREN: 'userOrganisationUnitGrandChildren',
} as const;
const dimension = z.enum(['dx', 'pe', 'ou']);
const VisualizationSource = z.strictObject({
  id: text,
  code: text,
  name: text,
  description: text.optional(),
  type: text,
  data: codes.describe('indicator or data element codes'),
  columns: z.array(dimension),
  rows: z.array(dimension),
  filters: z.array(dimension),
  relativePeriods: z.array(text),
  organisationUnits: z.array(z.enum(Object.keys(ORG_UNIT_SELECTIONS) as [keyof typeof ORG_UNIT_SELECTIONS])),
});
const DashboardSource = z.strictObject({
  id: text,
  code: text,
  name: text,
  description: text.optional(),
  dashboardItems: z.array(
    z.strictObject({ id: text, visualization: text, x: z.number().int(), y: z.number().int(), width: z.number().int(), height: z.number().int() }),
  ),
});

export const PackageSourceSchema = z.strictObject({
  categoryOptions: z.array(CategoryOptionSource),
  categories: z.array(CategorySource),
  categoryCombos: z.array(CategoryComboSource),
  dataElements: z.array(DataElementSource),
  dataSets: z.array(DataSetSource),
  indicatorTypes: z.array(IndicatorTypeSource),
  indicators: z.array(IndicatorSource),
  visualizations: z.array(VisualizationSource),
  dashboards: z.array(DashboardSource),
});
export type PackageSource = z.infer<typeof PackageSourceSchema>;

export class PackageSourceError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'PackageSourceError';
  }
}

export function readPackageSource(path: string): PackageSource {
  const parsed = PackageSourceSchema.safeParse(parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    throw new PackageSourceError(parsed.error.issues.map((issue) => `${path}: ${issue.path.join('.')}: ${issue.message}`));
  }
  return parsed.data;
}

/** The package, as written to metadata/smc-metadata.json. */
export function buildPackage(source: PackageSource): MetadataPackage {
  const problems: string[] = [];
  const lookup = (kind: string, table: Map<string, string>, where: string) => (code: string) => {
    const id = table.get(code);
    if (id === undefined) {
      problems.push(`${where}: no ${kind} with code "${code}" in the source`);
      return code;
    }
    return id;
  };
  const byCode = <T extends { id: string; code?: string }>(list: readonly T[]) =>
    new Map(list.filter((o) => o.code !== undefined).map((o) => [o.code as string, o.id]));

  const optionIds = byCode(source.categoryOptions);
  const categoryIds = byCode(source.categories);
  const comboIds = byCode(source.categoryCombos);
  comboIds.set('default', DEFAULT_UIDS.categoryCombo);
  const cocIds = new Map<string, string>([['default', DEFAULT_UIDS.categoryOptionCombo]]);
  for (const combo of source.categoryCombos) for (const coc of combo.categoryOptionCombos) cocIds.set(coc.code, coc.id);
  const elementIds = byCode(source.dataElements);
  const indicatorIds = byCode(source.indicators);
  const indicatorTypeIds = new Map(source.indicatorTypes.map((type) => [type.name, type.id]));
  const visualizationIds = byCode(source.visualizations);
  const ref = (id: string) => ({ id });

  const pkg: MetadataPackage = {
    categoryOptions: source.categoryOptions.map((option) => ({ ...option })),
    categories: source.categories.map((category) => ({
      id: category.id,
      code: category.code,
      name: category.name,
      shortName: category.shortName,
      dataDimensionType: category.dataDimensionType,
      dataDimension: category.dataDimension ?? false,
      categoryOptions: category.categoryOptions.map(lookup('category option', optionIds, `category ${category.code}`)).map(ref),
    })),
    categoryCombos: source.categoryCombos.map((combo) => ({
      id: combo.id,
      code: combo.code,
      name: combo.name,
      dataDimensionType: combo.dataDimensionType,
      skipTotal: false,
      categories: combo.categories.map(lookup('category', categoryIds, `category combo ${combo.code}`)).map(ref),
    })),
    categoryOptionCombos: source.categoryCombos.flatMap((combo) =>
      combo.categoryOptionCombos.map((coc) => ({
        id: coc.id,
        code: coc.code,
        name: coc.name,
        ignoreApproval: false,
        categoryCombo: ref(combo.id),
        categoryOptions: coc.categoryOptions.map(lookup('category option', optionIds, `category option combo ${coc.code}`)).map(ref),
      })),
    ),
    dataElements: source.dataElements.map((element) => ({
      id: element.id,
      code: element.code,
      name: element.name,
      shortName: element.shortName,
      ...(element.formName !== undefined ? { formName: element.formName } : {}),
      ...(element.description !== undefined ? { description: element.description } : {}),
      domainType: element.domainType,
      valueType: element.valueType,
      aggregationType: element.aggregationType,
      zeroIsSignificant: element.zeroIsSignificant,
      categoryCombo: ref(lookup('category combo', comboIds, `data element ${element.code}`)(element.categoryCombo)),
    })),
    dataSets: source.dataSets.map((dataSet) => ({
      id: dataSet.id,
      code: dataSet.code,
      name: dataSet.name,
      shortName: dataSet.shortName,
      ...(dataSet.description !== undefined ? { description: dataSet.description } : {}),
      periodType: dataSet.periodType,
      categoryCombo: ref(lookup('category combo', comboIds, `data set ${dataSet.code}`)(dataSet.categoryCombo)),
      openFuturePeriods: dataSet.openFuturePeriods,
      expiryDays: dataSet.expiryDays,
      timelyDays: dataSet.timelyDays,
      dataSetElements: dataSet.dataElements.map((code) => ({
        dataSet: ref(dataSet.id),
        dataElement: ref(lookup('data element', elementIds, `data set ${dataSet.code}`)(code)),
      })),
    })),
    indicatorTypes: source.indicatorTypes.map((type) => ({ ...type })),
    indicators: source.indicators.map((indicator) => {
      const where = `indicator ${indicator.code}`;
      const expression = (formula: string) =>
        rewriteDataElementOperands(formula, (code, position) =>
          position === 'dataElement' ? lookup('data element', elementIds, where)(code) : lookup('category option combo', cocIds, where)(code),
        );
      return {
        id: indicator.id,
        code: indicator.code,
        name: indicator.name,
        shortName: indicator.shortName,
        ...(indicator.description !== undefined ? { description: indicator.description } : {}),
        indicatorType: ref(lookup('indicator type', indicatorTypeIds, where)(indicator.indicatorType)),
        annualized: indicator.annualized,
        ...(indicator.decimals !== undefined ? { decimals: indicator.decimals } : {}),
        numerator: expression(indicator.numerator),
        numeratorDescription: indicator.numeratorDescription,
        denominator: expression(indicator.denominator),
        denominatorDescription: indicator.denominatorDescription,
      };
    }),
    visualizations: source.visualizations.map((visualization) => {
      const selected = new Set(visualization.organisationUnits);
      return {
        id: visualization.id,
        code: visualization.code,
        name: visualization.name,
        ...(visualization.description !== undefined ? { description: visualization.description } : {}),
        type: visualization.type,
        dataDimensionItems: visualization.data.map((code) => {
          const indicator = indicatorIds.get(code);
          if (indicator !== undefined) return { dataDimensionItemType: 'INDICATOR', indicator: ref(indicator) };
          return { dataDimensionItemType: 'DATA_ELEMENT', dataElement: ref(lookup('indicator or data element', elementIds, `visualization ${visualization.code}`)(code)) };
        }),
        columnDimensions: visualization.columns,
        rowDimensions: visualization.rows,
        filterDimensions: visualization.filters,
        relativePeriods: Object.fromEntries(visualization.relativePeriods.map((period) => [period, true])),
        periods: [],
        organisationUnits: [],
        organisationUnitLevels: [],
        ...Object.fromEntries(Object.entries(ORG_UNIT_SELECTIONS).map(([selection, field]) => [field, selected.has(selection as keyof typeof ORG_UNIT_SELECTIONS)])),
      };
    }),
    dashboards: source.dashboards.map((dashboard) => ({
      id: dashboard.id,
      code: dashboard.code,
      name: dashboard.name,
      ...(dashboard.description !== undefined ? { description: dashboard.description } : {}),
      dashboardItems: dashboard.dashboardItems.map((item) => ({
        id: item.id,
        type: 'VISUALIZATION',
        visualization: ref(lookup('visualization', visualizationIds, `dashboard ${dashboard.code}`)(item.visualization)),
        x: item.x,
        y: item.y,
        width: item.width,
        height: item.height,
        shape: 'NORMAL',
      })),
    })),
  };
  if (problems.length > 0) throw new PackageSourceError(problems);
  return pkg;
}

/** The JSON text of the package exactly as committed. */
export function packageText(pkg: MetadataPackage): string {
  return JSON.stringify(pkg, null, 2) + '\n';
}
