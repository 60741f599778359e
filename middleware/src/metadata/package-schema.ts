// The shape of a DHIS2 metadata package as `POST /api/metadata` takes it (shared/reference/dhis2-web-api.md
// §5.2), for the object types the SMC package ships: a zod schema that checks the JSON types of the fields
// we read (the rules in package-rules.ts then check what DHIS2 requires), the TypeScript types, and DHIS2's
// enums, uid rule and default category model (§5.3–§5.5).
import { z } from 'zod';

/** `CodeGenerator.UID_REGEXP` (§5.4). */
export const UID_PATTERN = /^[a-zA-Z][a-zA-Z0-9]{10}$/;

/** DHIS2's default category model (§5.5): present in every instance, so a package may refer to it. */
export const DEFAULT_UIDS = {
  categoryOption: 'xYerKDKCefk',
  category: 'GLevLNI9wkl',
  categoryCombo: 'bjDvmb4bfuf',
  categoryOptionCombo: 'HllvX50cXC0',
} as const;

export const VALUE_TYPES = [
  'TEXT', 'LONG_TEXT', 'MULTI_TEXT', 'LETTER', 'PHONE_NUMBER', 'EMAIL', 'BOOLEAN', 'TRUE_ONLY', 'DATE', 'DATETIME', 'TIME',
  'NUMBER', 'UNIT_INTERVAL', 'PERCENTAGE', 'INTEGER', 'INTEGER_POSITIVE', 'INTEGER_NEGATIVE', 'INTEGER_ZERO_OR_POSITIVE',
  'TRACKER_ASSOCIATE', 'USERNAME', 'COORDINATE', 'ORGANISATION_UNIT', 'REFERENCE', 'AGE', 'URL', 'FILE_RESOURCE', 'IMAGE', 'GEOJSON',
] as const;
export const NUMERIC_VALUE_TYPES = new Set([
  'NUMBER', 'UNIT_INTERVAL', 'PERCENTAGE', 'INTEGER', 'INTEGER_POSITIVE', 'INTEGER_NEGATIVE', 'INTEGER_ZERO_OR_POSITIVE',
]);
export const AGGREGATION_TYPES = [
  'SUM', 'AVERAGE', 'AVERAGE_SUM_ORG_UNIT', 'LAST', 'LAST_AVERAGE_ORG_UNIT', 'LAST_LAST_ORG_UNIT', 'LAST_IN_PERIOD',
  'LAST_IN_PERIOD_AVERAGE_ORG_UNIT', 'FIRST', 'FIRST_AVERAGE_ORG_UNIT', 'FIRST_FIRST_ORG_UNIT', 'COUNT', 'STDDEV', 'VARIANCE',
  'MIN', 'MAX', 'MIN_SUM_ORG_UNIT', 'MAX_SUM_ORG_UNIT', 'NONE', 'CUSTOM', 'DEFAULT',
] as const;
export const DOMAIN_TYPES = ['AGGREGATE', 'TRACKER'] as const;
export const DATA_DIMENSION_TYPES = ['DISAGGREGATION', 'ATTRIBUTE'] as const;
export const DATA_SET_PERIOD_TYPES = [
  'Daily', 'Weekly', 'WeeklyWednesday', 'WeeklyThursday', 'WeeklySaturday', 'WeeklySunday', 'BiWeekly', 'Monthly', 'BiMonthly',
  'Quarterly', 'QuarterlyNov', 'SixMonthly', 'SixMonthlyApril', 'SixMonthlyNov', 'Yearly', 'TwoYearly', 'FinancialApril',
  'FinancialJuly', 'FinancialOct', 'FinancialNov',
] as const;
export const VISUALIZATION_TYPES = [
  'COLUMN', 'STACKED_COLUMN', 'BAR', 'STACKED_BAR', 'LINE', 'AREA', 'STACKED_AREA', 'PIE', 'RADAR', 'GAUGE',
  'YEAR_OVER_YEAR_LINE', 'YEAR_OVER_YEAR_COLUMN', 'SCATTER', 'BUBBLE', 'SINGLE_VALUE', 'PIVOT_TABLE', 'OUTLIER_TABLE',
] as const;
export const DASHBOARD_ITEM_TYPES = [
  'VISUALIZATION', 'EVENT_VISUALIZATION', 'EVENT_CHART', 'MAP', 'EVENT_REPORT', 'USERS', 'REPORTS', 'RESOURCES', 'TEXT', 'MESSAGES', 'APP',
] as const;
export const DATA_DIMENSION_ITEM_TYPES = ['INDICATOR', 'DATA_ELEMENT', 'DATA_ELEMENT_OPERAND', 'REPORTING_RATE', 'PROGRAM_INDICATOR'] as const;

const ref = z.looseObject({ id: z.string().optional() });
const refs = z.array(ref);
// Every field is optional here: a missing required field is a rule (E4000) with its own message, not a type error.
const identifiable = {
  id: z.string().optional(),
  code: z.string().optional(),
  name: z.string().optional(),
  shortName: z.string().optional(),
  description: z.string().optional(),
};

const CategoryOptionSchema = z.looseObject({ ...identifiable });
const CategorySchema = z.looseObject({ ...identifiable, dataDimensionType: z.string().optional(), dataDimension: z.boolean().optional(), categoryOptions: refs.optional() });
const CategoryComboSchema = z.looseObject({ ...identifiable, dataDimensionType: z.string().optional(), skipTotal: z.boolean().optional(), categories: refs.optional() });
const CategoryOptionComboSchema = z.looseObject({ ...identifiable, categoryCombo: ref.optional(), categoryOptions: refs.optional(), ignoreApproval: z.boolean().optional() });
const DataElementSchema = z.looseObject({
  ...identifiable,
  formName: z.string().optional(),
  valueType: z.string().optional(),
  domainType: z.string().optional(),
  aggregationType: z.string().optional(),
  zeroIsSignificant: z.boolean().optional(),
  categoryCombo: ref.optional(),
});
const DataSetElementSchema = z.looseObject({ dataSet: ref.optional(), dataElement: ref.optional(), categoryCombo: ref.optional() });
const DataSetSchema = z.looseObject({
  ...identifiable,
  periodType: z.string().optional(),
  categoryCombo: ref.optional(),
  openFuturePeriods: z.number().int().optional(),
  expiryDays: z.number().int().optional(),
  timelyDays: z.number().optional(),
  dataSetElements: z.array(DataSetElementSchema).optional(),
  organisationUnits: refs.optional(),
});
const IndicatorTypeSchema = z.looseObject({ ...identifiable, factor: z.number().int().optional(), number: z.boolean().optional() });
const IndicatorSchema = z.looseObject({
  ...identifiable,
  indicatorType: ref.optional(),
  numerator: z.string().optional(),
  numeratorDescription: z.string().optional(),
  denominator: z.string().optional(),
  denominatorDescription: z.string().optional(),
  annualized: z.boolean().optional(),
  decimals: z.number().int().optional(),
});
const DataDimensionItemSchema = z.looseObject({
  dataDimensionItemType: z.string().optional(),
  indicator: ref.optional(),
  dataElement: ref.optional(),
});
const VisualizationSchema = z.looseObject({
  ...identifiable,
  type: z.string().optional(),
  dataDimensionItems: z.array(DataDimensionItemSchema).optional(),
  columnDimensions: z.array(z.string()).optional(),
  rowDimensions: z.array(z.string()).optional(),
  filterDimensions: z.array(z.string()).optional(),
  relativePeriods: z.record(z.string(), z.boolean()).optional(),
});
const DashboardItemSchema = z.looseObject({
  id: z.string().optional(),
  type: z.string().optional(),
  visualization: ref.optional(),
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
});
const DashboardSchema = z.looseObject({ ...identifiable, dashboardItems: z.array(DashboardItemSchema).optional() });

/** The object types a package may hold, in the order DHIS2 imports them (references before referrers). */
export const PACKAGE_TYPES = [
  'categoryOptions',
  'categories',
  'categoryCombos',
  'categoryOptionCombos',
  'dataElements',
  'dataSets',
  'indicatorTypes',
  'indicators',
  'visualizations',
  'dashboards',
] as const;
export type PackageType = (typeof PACKAGE_TYPES)[number];

export const MetadataPackageSchema = z.looseObject({
  categoryOptions: z.array(CategoryOptionSchema).optional(),
  categories: z.array(CategorySchema).optional(),
  categoryCombos: z.array(CategoryComboSchema).optional(),
  categoryOptionCombos: z.array(CategoryOptionComboSchema).optional(),
  dataElements: z.array(DataElementSchema).optional(),
  dataSets: z.array(DataSetSchema).optional(),
  indicatorTypes: z.array(IndicatorTypeSchema).optional(),
  indicators: z.array(IndicatorSchema).optional(),
  visualizations: z.array(VisualizationSchema).optional(),
  dashboards: z.array(DashboardSchema).optional(),
});

export type MetadataPackage = z.infer<typeof MetadataPackageSchema>;
export type PackageObject = { id?: string; code?: string; name?: string; [field: string]: unknown };
