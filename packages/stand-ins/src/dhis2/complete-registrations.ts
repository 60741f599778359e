// `/api/completeDataSetRegistrations`, JSON (dhis2-core CompleteDataSetRegistrationController,
// DefaultCompleteDataSetRegistrationExchangeService, ImportConfig, JdbcCompleteDataSetRegistrationExchangeStore,
// StreamingJsonCompleteDataSetRegistration(s), 2.39–2.42):
//
// POST `{"completeDataSetRegistrations":[{"dataSet","period","organisationUnit","attributeOptionCombo"?,
// "date"?,"storedBy"?,"completed"?}]}` (plus idScheme, dataSetIdScheme, orgUnitIdScheme,
// attributeOptionComboIdScheme, dryRun, strategy in the payload, over the query's ImportOptions) answers an
// ImportSummary in the usual envelope. Its conflicts are the informal kind (object + value, no error code),
// they never make it WARNING: the status is SUCCESS unless every registration was ignored, then ERROR (409).
// An unknown attribute option combo falls back to the default one, as the importer does. Compulsory fields,
// data sharing and attribute option combo validity dates / org units are not modelled.
//
// GET `?dataSet=&period=&orgUnit=` (also startDate/endDate, children, limit; uids only, unknown ones
// dropped) answers `{"completeDataSetRegistrations":[{"period","dataSet","organisationUnit",
// "attributeOptionCombo","date","storedBy","completed"}]}` in that key order, `{}` when nothing matches;
// query problems are 409 IllegalQueryExceptions (E2013, E2002 … E2012), the last one broken reported.
import type { Dhis2User } from './auth.js';
import type { CompleteRegistration, DataValueStore } from './data-value-store.js';
import type { ImportSummaryJson } from './data-value-import.js';
import { allValues, firstValue, importOptionsJson, IMPORT_STRATEGIES, isCreate, isCreateAndUpdate, isDelete, isUpdate, type ImportOptions, type ImportStrategy, type Query } from './import-options.js';
import { DEFAULT_CATEGORY_OPTION_COMBO, parseIdScheme, UID_SCHEME, type IdScheme, type Metadata } from './metadata.js';
import { parseDay, parsePeriod, type Period } from './periods.js';
import type { SystemSettings } from './system-settings.js';
import type { Dhis2Response } from './types.js';
import { errorMessage, jsonResponse } from './web-message.js';
import { storedByError } from './value-types.js';
import { translate } from './i18n.js';
import { captureUnits } from './users.js';

export interface RegistrationEnvironment {
  metadata: Metadata;
  store: DataValueStore;
  user: Dhis2User;
  settings: SystemSettings;
  now: Date;
}

interface LegacyConflict {
  object?: string;
  value: string;
}

class RegistrationImportFailure extends Error {}

/** A string field as the JSON mapper reads it ("" is null, numbers and booleans as text). */
function text(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new RegistrationImportFailure('Cannot deserialize value of type `java.lang.String` from Object value');
}

function trimToNull(value: string | null): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

/** `DateUtils.parseDate` for the forms a client sends: a day, or a day with a time. */
function parseDate(value: string): string {
  const day = parseDay(value.slice(0, 10));
  if (day === null || (value.length > 10 && Number.isNaN(Date.parse(value)))) {
    throw new RegistrationImportFailure(`Invalid format: "${value}"`);
  }
  return value.length === 10 ? `${value}T00:00:00.000Z` : new Date(Date.parse(value)).toISOString();
}

export function importCompleteRegistrations(environment: RegistrationEnvironment, options: ImportOptions, body: unknown): ImportSummaryJson {
  const conflicts = new Map<string, LegacyConflict>();
  const addConflict = (object: string | null, value: string): void => {
    const key = `${object}:${value}`;
    if (!conflicts.has(key)) conflicts.set(key, object === null ? { value } : { object, value });
  };
  const summary = (status: ImportSummaryJson['status'], description: string, count: Record<string, number>): ImportSummaryJson => ({
    responseType: 'ImportSummary',
    status,
    importOptions: importOptionsJson(options),
    description,
    importCount: count,
    conflicts: [...conflicts.values()],
    rejectedIndexes: [],
  });
  const failed = (message: string): ImportSummaryJson => {
    conflicts.clear();
    return summary('ERROR', `The import process failed: ${message}`, { imported: 0, updated: 0, ignored: 0, deleted: 0 });
  };

  let payload: unknown = body;
  if (typeof body === 'string' || body === undefined) {
    try {
      payload = JSON.parse(body ?? '');
    } catch (error) {
      return failed(error instanceof Error ? error.message : String(error));
    }
  }
  try {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      throw new RegistrationImportFailure('Cannot deserialize value of type `CompleteDataSetRegistrations` from non-object value');
    }
    const header = payload as Record<string, unknown>;
    const scheme = (specific: 'dataSetIdScheme' | 'orgUnitIdScheme' | 'attributeOptionComboIdScheme'): IdScheme =>
      parseIdScheme(text(header[specific])) ??
      parseIdScheme(text(header.idScheme)) ??
      options.idSchemes[specific] ??
      options.idSchemes.idScheme ??
      UID_SCHEME;
    const schemes = { dataSet: scheme('dataSetIdScheme'), orgUnit: scheme('orgUnitIdScheme'), aoc: scheme('attributeOptionComboIdScheme') };
    const payloadStrategy = text(header.strategy);
    if (payloadStrategy !== null && !IMPORT_STRATEGIES.some((strategy) => strategy === payloadStrategy)) {
      throw new RegistrationImportFailure(`No enum constant org.hisp.dhis.importexport.ImportStrategy.${payloadStrategy}`);
    }
    const strategy = (payloadStrategy as ImportStrategy | null) ?? options.importStrategy;
    const dryRun = typeof header.dryRun === 'boolean' ? header.dryRun : options.dryRun;
    const { settings, metadata, store, user, now } = environment;
    const strictPeriods = options.strict.strictPeriods || settings.keyDataImportStrictPeriods;
    const strictAttrOptionCombos = options.strict.strictAttributeOptionCombos || settings.keyDataImportStrictAttributeOptionCombos;
    const strictOrgUnits = options.strict.strictOrganisationUnits || settings.keyDataImportStrictOrganisationUnits;
    const requireAttrOptionCombos = options.strict.requireAttributeOptionCombo || settings.keyDataImportRequireAttributeOptionCombo;
    const userOrgUnits = new Set(captureUnits(user, metadata));

    const list = header.completeDataSetRegistrations ?? [];
    if (!Array.isArray(list)) throw new RegistrationImportFailure('Cannot deserialize value of type `java.util.ArrayList` from non-array value');
    let imported = 0;
    let updated = 0;
    let deleted = 0;
    for (const raw of list) {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        throw new RegistrationImportFailure('Cannot deserialize value of type `CompleteDataSetRegistration` from non-object value');
      }
      const source = raw as Record<string, unknown>;
      const dataSetId = text(source.dataSet);
      const periodId = text(source.period);
      const orgUnitId = text(source.organisationUnit);
      const dataSet = metadata.find('dataSet', trimToNull(dataSetId), schemes.dataSet);
      const period: Period | null = parsePeriod(trimToNull(periodId));
      const orgUnit = metadata.find('organisationUnit', trimToNull(orgUnitId), schemes.orgUnit);
      let aoc = metadata.find('categoryOptionCombo', trimToNull(text(source.attributeOptionCombo)), schemes.aoc);

      // MetadataProperties.validate, then the importer's own checks, in order; the first failure skips it.
      if (!dataSet) {
        addConflict(dataSetId, 'Data set not found or not accessible');
        continue;
      }
      if (!period) {
        addConflict(periodId, 'Period not valid');
        continue;
      }
      if (!orgUnit) {
        addConflict(orgUnitId, 'Organisation unit not found or not accessible');
        continue;
      }
      if (!aoc) {
        if (requireAttrOptionCombos) {
          addConflict('Attribute option combo', 'Attribute option combo is required but is not specified');
          continue;
        }
        aoc = metadata.categoryOptionCombos.get(DEFAULT_CATEGORY_OPTION_COMBO);
      }
      if (!metadata.isDescendant(orgUnit.id, userOrgUnits)) {
        addConflict(orgUnit.id, `Organisation unit is not in hierarchy of user: ${user.username}`);
        continue;
      }
      const aocId = aoc?.id ?? DEFAULT_CATEGORY_OPTION_COMBO;
      const aocCombo = aoc?.categoryCombo ?? 'bjDvmb4bfuf';
      if (strictAttrOptionCombos && aocCombo !== dataSet.categoryCombo) {
        addConflict(aocCombo, `Attribute option combo: ${aocCombo} must have category combo: ${dataSet.categoryCombo}`);
        continue;
      }
      if (strictPeriods && period.periodType !== dataSet.periodType) {
        // The conflict names the period by its database uid, which a stand-in period lacks: the iso stands in.
        addConflict(period.iso, `Period type of period: ${period.iso} is not equal to the period type of data set: ${dataSet.periodType}`);
        continue;
      }
      if (strictOrgUnits && !metadata.isAssigned(dataSet, orgUnit.id)) {
        addConflict(dataSet.id, `Data set ${dataSet.id} is not assigned to organisation unit ${orgUnit.id}`);
        continue;
      }
      const storedByText = text(source.storedBy);
      const lastUpdatedByText = text(source.lastUpdatedBy);
      const invalidStoredBy = [storedByText, lastUpdatedByText].find((value) => storedByError(value) !== null);
      if (invalidStoredBy !== undefined) {
        addConflict(invalidStoredBy, translate(storedByError(invalidStoredBy) as string));
        continue;
      }
      const storedBy = storedByText === null || storedByText.trim() === '' ? user.username : storedByText;
      const lastUpdatedBy = lastUpdatedByText === null || lastUpdatedByText.trim() === '' ? user.username : lastUpdatedByText;
      const completed = typeof source.completed === 'boolean' ? source.completed : source.completed === 'false' ? false : true;
      const dateText = text(source.date);
      const date = dateText === null ? now.toISOString() : parseDate(dateText);

      const registration: CompleteRegistration = {
        dataSet: dataSet.id,
        period: period.iso,
        orgUnit: orgUnit.id,
        attributeOptionCombo: aocId,
        completeDate: date.slice(0, 10),
        date,
        storedBy,
        lastUpdatedBy,
        lastUpdated: date,
        completed,
      };
      const existing = options.skipExistingCheck ? undefined : store.registration(dataSet.id, period.iso, orgUnit.id, aocId);
      if (existing) {
        if (isCreateAndUpdate(strategy) || isUpdate(strategy) || strategy === 'SYNC') {
          updated++;
          if (!dryRun) store.register(registration);
        } else if (isDelete(strategy)) {
          deleted++;
          if (!dryRun) store.unregister(dataSet.id, period.iso, orgUnit.id, aocId);
        }
      } else if (isCreateAndUpdate(strategy) || isCreate(strategy) || strategy === 'SYNC') {
        imported++;
        if (!dryRun) store.register(registration);
      }
    }
    // finalizeSummary: whatever was neither imported, updated nor deleted is ignored.
    const ignored = list.length - imported - updated - deleted;
    return summary(list.length === ignored ? 'ERROR' : 'SUCCESS', 'Import process complete.', { imported, updated, ignored, deleted });
  } catch (error) {
    if (error instanceof RegistrationImportFailure) return failed(error.message);
    throw error;
  }
}

const QUERY_ERRORS = {
  E2002: 'At least one period, start/end dates, last updated or last updated duration must be specified',
  E2004: 'Start date must be before end date',
  E2006: 'At least one organisation unit or organisation unit group must be specified',
  E2008: 'At least one organisation unit must be specified when children are included',
  E2009: 'Limit cannot be less than zero: `{0}`',
  E2013: 'At least one data set must be specified',
} as const;

/** `GET /api/completeDataSetRegistrations` (JSON). */
export function exportCompleteRegistrations(environment: RegistrationEnvironment, query: Query | undefined): Dhis2Response {
  const { metadata, store, user } = environment;
  // paramsFromUrl resolves data sets and org units by uid whatever the id schemes say.
  const dataSets = allValues(query, 'dataSet')
    .map((id) => metadata.dataSets.get(id))
    .filter((dataSet) => dataSet !== undefined);
  const orgUnits = allValues(query, 'orgUnit')
    .map((id) => metadata.organisationUnits.get(id))
    .filter((orgUnit) => orgUnit !== undefined);
  const periods = allValues(query, 'period')
    .map((iso) => parsePeriod(iso))
    .filter((period): period is Period => period !== null);
  const startDay = parseDay(firstValue(query, 'startDate') ?? '');
  const endDay = parseDay(firstValue(query, 'endDate') ?? '');
  const hasStartEnd = periods.length === 0 && startDay !== null && endDay !== null;
  const children = (firstValue(query, 'children') ?? '').toLowerCase() === 'true';
  const limitText = firstValue(query, 'limit');
  const limit = limitText === undefined ? undefined : Number.parseInt(limitText, 10);
  const hasCreated = firstValue(query, 'created') !== undefined || firstValue(query, 'createdDuration') !== undefined;

  // decideAccess, then validate (every rule is checked, the last one broken is reported).
  const userOrgUnits = new Set(captureUnits(user, metadata));
  for (const orgUnit of orgUnits) {
    if (!metadata.isDescendant(orgUnit.id, userOrgUnits)) {
      return errorMessage(409, `User is not allowed to view org unit: \`${orgUnit.id}\``, 'E2012');
    }
  }
  let violation: keyof typeof QUERY_ERRORS | undefined;
  if (dataSets.length === 0) violation = 'E2013';
  if (periods.length === 0 && !hasStartEnd && !hasCreated) violation = 'E2002';
  if (hasStartEnd && (startDay as number) > (endDay as number)) violation = 'E2004';
  if (orgUnits.length === 0) violation = 'E2006';
  if (children && orgUnits.length === 0) violation = 'E2008';
  if (limit !== undefined && !Number.isNaN(limit) && limit < 0) violation = 'E2009';
  if (violation) return errorMessage(409, QUERY_ERRORS[violation].replace('{0}', String(limit)), violation);

  const dataSetIds = new Set(dataSets.map((dataSet) => dataSet.id));
  const orgUnitIds = new Set(orgUnits.map((orgUnit) => orgUnit.id));
  const periodIsos = new Set(periods.map((period) => period.iso));
  let rows = store.allRegistrations().filter((registration) => {
    if (!dataSetIds.has(registration.dataSet)) return false;
    if (children ? !metadata.isDescendant(registration.orgUnit, orgUnitIds) : !orgUnitIds.has(registration.orgUnit)) return false;
    if (hasStartEnd) {
      const period = parsePeriod(registration.period);
      return period !== null && period.startDay >= (startDay as number) && period.endDay <= (endDay as number);
    }
    return periods.length === 0 || periodIsos.has(registration.period);
  });
  if (limit !== undefined && !Number.isNaN(limit)) rows = rows.slice(0, limit);
  if (rows.length === 0) return jsonResponse(200, {});
  return jsonResponse(200, {
    completeDataSetRegistrations: rows.map((registration) => ({
      period: registration.period,
      dataSet: registration.dataSet,
      organisationUnit: registration.orgUnit,
      attributeOptionCombo: registration.attributeOptionCombo,
      date: registration.date.slice(0, 10),
      storedBy: registration.storedBy ?? undefined,
      completed: registration.completed,
    })),
  });
}
