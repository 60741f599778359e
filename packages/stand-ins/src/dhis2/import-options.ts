// Query parameters of `POST /api/dataValueSets` bound to ImportOptions, and their echo in the summary
// (reference/dhis2-web-api.md §1.2, §1.3 importOptions example).
import { parseIdScheme, type IdScheme } from './metadata.js';

export type Query = Record<string, string | readonly string[] | undefined>;

export const IMPORT_STRATEGIES = [
  'CREATE_AND_UPDATE',
  'CREATE',
  'UPDATE',
  'DELETE',
  'NEW_AND_UPDATES',
  'NEW',
  'UPDATES',
  'DELETES',
  'SYNC',
] as const;

export type ImportStrategy = (typeof IMPORT_STRATEGIES)[number];

export const isCreateAndUpdate = (s: ImportStrategy): boolean => s === 'CREATE_AND_UPDATE' || s === 'NEW_AND_UPDATES';
export const isCreate = (s: ImportStrategy): boolean => s === 'CREATE' || s === 'NEW';
export const isUpdate = (s: ImportStrategy): boolean => s === 'UPDATE' || s === 'UPDATES';
export const isDelete = (s: ImportStrategy): boolean => s === 'DELETE' || s === 'DELETES';

const ID_SCHEME_PARAMS = [
  'idScheme',
  'dataElementIdScheme',
  'orgUnitIdScheme',
  'categoryOptionComboIdScheme',
  'attributeOptionComboIdScheme',
  'dataSetIdScheme',
  'categoryIdScheme',
  'categoryOptionIdScheme',
] as const;

type IdSchemeParam = (typeof ID_SCHEME_PARAMS)[number];

export const STRICT_FLAGS = [
  'strictPeriods',
  'strictDataElements',
  'strictCategoryOptionCombos',
  'strictAttributeOptionCombos',
  'strictOrganisationUnits',
  'strictDataSetApproval',
  'strictDataSetLocking',
  'strictDataSetInputPeriods',
  'requireCategoryOptionCombo',
  'requireAttributeOptionCombo',
] as const;

export type StrictFlag = (typeof STRICT_FLAGS)[number];

export interface ImportOptions {
  idSchemes: Partial<Record<IdSchemeParam, IdScheme>>;
  dryRun: boolean;
  async: boolean;
  importStrategy: ImportStrategy;
  skipExistingCheck: boolean;
  skipAudit: boolean;
  force: boolean;
  preheatCache?: boolean;
  dataSet?: string;
  strict: Record<StrictFlag, boolean>;
}

export function firstValue(query: Query | undefined, name: string): string | undefined {
  const raw = query?.[name];
  if (raw === undefined) return undefined;
  return typeof raw === 'string' ? raw : raw[0];
}

/** Every value of a repeatable parameter, comma-separated lists included. */
export function allValues(query: Query | undefined, name: string): string[] {
  const raw = query?.[name];
  if (raw === undefined) return [];
  return (typeof raw === 'string' ? [raw] : [...raw]).flatMap((value) => value.split(',')).filter((value) => value !== '');
}

/** Spring's StringToBooleanConverter. */
function parseBoolean(name: string, text: string | undefined): boolean | undefined {
  if (text === undefined || text === '') return undefined;
  const lower = text.trim().toLowerCase();
  if (['true', 'on', 'yes', '1'].includes(lower)) return true;
  if (['false', 'off', 'no', '0'].includes(lower)) return false;
  throw new ImportOptionsError(`Value '${text}' is not valid for parameter ${name}. Valid values are: [true, false]`);
}

export class ImportOptionsError extends Error {}

export function parseImportStrategy(name: string, text: string): ImportStrategy {
  const upper = text.trim().toUpperCase();
  const found = IMPORT_STRATEGIES.find((strategy) => strategy === upper);
  if (!found) {
    throw new ImportOptionsError(
      `Value '${text}' is not valid for parameter ${name}. Valid values are: [${IMPORT_STRATEGIES.join(', ')}]`,
    );
  }
  return found;
}

/** Binds the query to ImportOptions; throws ImportOptionsError for a value Spring could not bind (HTTP 400). */
export function parseImportOptions(query: Query | undefined): ImportOptions {
  const idSchemes: ImportOptions['idSchemes'] = {};
  for (const param of ID_SCHEME_PARAMS) {
    const text = firstValue(query, param);
    if (text === undefined) continue;
    const scheme = parseIdScheme(text);
    if (!scheme) throw new ImportOptionsError(`Value '${text}' is not valid for parameter ${param}. Valid values are: [UID, CODE, NAME, ATTRIBUTE]`);
    idSchemes[param] = scheme;
  }
  const strategyText = firstValue(query, 'importStrategy') ?? firstValue(query, 'strategy');
  const strict = Object.fromEntries(
    STRICT_FLAGS.map((flag) => [flag, parseBoolean(flag, firstValue(query, flag)) ?? false]),
  ) as Record<StrictFlag, boolean>;
  return {
    idSchemes,
    dryRun: parseBoolean('dryRun', firstValue(query, 'dryRun')) ?? false,
    async: parseBoolean('async', firstValue(query, 'async')) ?? false,
    importStrategy: strategyText === undefined ? 'CREATE_AND_UPDATE' : parseImportStrategy('importStrategy', strategyText),
    skipExistingCheck: parseBoolean('skipExistingCheck', firstValue(query, 'skipExistingCheck')) ?? false,
    skipAudit: parseBoolean('skipAudit', firstValue(query, 'skipAudit')) ?? false,
    force: parseBoolean('force', firstValue(query, 'force')) ?? false,
    preheatCache: parseBoolean('preheatCache', firstValue(query, 'preheatCache')),
    dataSet: firstValue(query, 'dataSet'),
    strict,
  };
}

function idSchemeJson(scheme: IdScheme): Record<string, string> {
  return scheme.type === 'ATTRIBUTE' ? { type: 'ATTRIBUTE', attribute: scheme.attribute } : { type: scheme.type };
}

/** `importOptions` as the summary echoes it: the request's options, not the system settings, in ImportOptions order. */
export function importOptionsJson(options: ImportOptions): Record<string, unknown> {
  const idSchemes: Record<string, unknown> = {};
  for (const param of ID_SCHEME_PARAMS) {
    const scheme = options.idSchemes[param];
    if (scheme) idSchemes[param] = idSchemeJson(scheme);
  }
  return {
    idSchemes,
    dryRun: options.dryRun,
    preheatCache: options.preheatCache,
    async: options.async,
    importStrategy: options.importStrategy,
    mergeMode: 'REPLACE',
    reportMode: 'FULL',
    skipExistingCheck: options.skipExistingCheck,
    sharing: false,
    skipNotifications: false,
    skipAudit: options.skipAudit,
    datasetAllowsPeriods: false,
    strictPeriods: options.strict.strictPeriods,
    strictDataElements: options.strict.strictDataElements,
    strictCategoryOptionCombos: options.strict.strictCategoryOptionCombos,
    strictAttributeOptionCombos: options.strict.strictAttributeOptionCombos,
    strictOrganisationUnits: options.strict.strictOrganisationUnits,
    strictDataSetApproval: options.strict.strictDataSetApproval,
    strictDataSetLocking: options.strict.strictDataSetLocking,
    strictDataSetInputPeriods: options.strict.strictDataSetInputPeriods,
    requireCategoryOptionCombo: options.strict.requireCategoryOptionCombo,
    requireAttributeOptionCombo: options.strict.requireAttributeOptionCombo,
    skipPatternValidation: false,
    ignoreEmptyCollection: false,
    force: options.force,
    firstRowIsHeader: true,
    skipLastUpdated: false,
    mergeDataValues: false,
    skipCache: false,
    dataSet: options.dataSet,
  };
}
