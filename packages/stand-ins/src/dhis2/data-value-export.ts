// `GET /api/dataValueSets`: the stored values of some data sets, periods and org units, in the JSON shape
// DHIS2's JsonDataValueSetWriter produces (reference/dhis2-web-api.md §1.1 field names, §1.4 "Extra
// messages"). Query problems are IllegalQueryExceptions: HTTP 409 with an E20xx code.
import { dataViewUnits } from './users.js';
import type { Dhis2User } from './auth.js';
import type { DataValueStore } from './data-value-store.js';
import { allValues, firstValue, type Query } from './import-options.js';
import { DEFAULT_CATEGORY_OPTION_COMBO, identifierUnder, parseIdScheme, UID_SCHEME, type IdScheme, type Identifiable, type Metadata } from './metadata.js';
import { parseDay, parsePeriod, type Period } from './periods.js';
import type { Dhis2Response, StoredDataValue } from './types.js';
import { errorMessage, jsonResponse } from './web-message.js';

export interface ExportEnvironment {
  metadata: Metadata;
  store: DataValueStore;
  user: Dhis2User;
}

const QUERY_ERRORS = {
  E2001: 'At least one data element, data set or data element group must be specified',
  E2002: 'At least one period, start/end dates, last updated or last updated duration must be specified',
  E2003: 'Both periods and start/end date cannot be specified',
  E2004: 'Start date must be before end date',
  E2006: 'At least one organisation unit or organisation unit group must be specified',
  E2008: 'At least one organisation unit must be specified when children are included',
} as const;

function bool(query: Query | undefined, name: string): boolean {
  return (firstValue(query, name) ?? '').toLowerCase() === 'true';
}

/** `yyyy-MM-dd'T'HH:mm:ss.SSSZ` in GMT, as the export writes `created` and `lastUpdated`. */
function longGmt(iso: string): string {
  return iso.replace('Z', '+0000');
}

export function exportDataValueSet(environment: ExportEnvironment, query: Query | undefined): Dhis2Response {
  const { metadata, store, user } = environment;
  const outputScheme = (name: string): IdScheme =>
    parseIdScheme(firstValue(query, name)) ?? parseIdScheme(firstValue(query, 'idScheme')) ?? UID_SCHEME;
  const inputScheme = (name: string): IdScheme =>
    parseIdScheme(firstValue(query, name)) ?? parseIdScheme(firstValue(query, 'inputIdScheme')) ?? UID_SCHEME;

  // Unknown identifiers are dropped silently (IdentifiableObjectManager.getObjects), as are invalid periods.
  const dataSets = allValues(query, 'dataSet')
    .map((id) => metadata.find('dataSet', id, inputScheme('inputDataSetIdScheme')))
    .filter((dataSet) => dataSet !== undefined);
  const dataElementIds = new Set(
    allValues(query, 'dataElement')
      .map((id) => metadata.find('dataElement', id, inputScheme('inputDataElementIdScheme'))?.id)
      .filter((id) => id !== undefined),
  );
  for (const dataSet of dataSets) for (const id of dataSet.dataSetElements.keys()) dataElementIds.add(id);
  const periods = allValues(query, 'period')
    .map((iso) => parsePeriod(iso))
    .filter((period): period is Period => period !== null);
  const startDay = parseDay(firstValue(query, 'startDate') ?? '');
  const endDay = parseDay(firstValue(query, 'endDate') ?? '');
  const orgUnits = allValues(query, 'orgUnit')
    .map((id) => metadata.find('organisationUnit', id, inputScheme('inputOrgUnitIdScheme')))
    .filter((orgUnit) => orgUnit !== undefined);
  // DefaultDataValueSetService.getFromUrl: attributeOptionCombo ids under the input id scheme; unknown ones
  // are dropped, and when none is left there is no filter at all (DataExportParams.hasAttributeOptionCombos).
  const attributeOptionComboIds = new Set(
    allValues(query, 'attributeOptionCombo')
      .map((id) => metadata.find('categoryOptionCombo', id, inputScheme('inputIdScheme'))?.id)
      .filter((id) => id !== undefined),
  );
  const children = bool(query, 'children');
  const includeDeleted = bool(query, 'includeDeleted');

  // isInUserDataViewHierarchy: the data view org units, falling back to the data capture ones.
  const viewUnits = new Set(dataViewUnits(user, metadata));
  for (const orgUnit of orgUnits) {
    if (!metadata.isDescendant(orgUnit.id, viewUnits)) {
      return errorMessage(409, `User is not allowed to view org unit: \`${orgUnit.id}\``, 'E2012');
    }
  }

  // DataValueSetService.validate: every rule is checked and the last one broken is reported.
  let violation: keyof typeof QUERY_ERRORS | undefined;
  if (dataElementIds.size === 0) violation = 'E2001';
  const hasStartEnd = startDay !== null && endDay !== null;
  if (periods.length === 0 && !hasStartEnd && firstValue(query, 'lastUpdated') === undefined) violation = 'E2002';
  if (periods.length > 0 && hasStartEnd) violation = 'E2003';
  if (hasStartEnd && startDay > endDay) violation = 'E2004';
  if (orgUnits.length === 0) violation = 'E2006';
  if (children && orgUnits.length === 0) violation = 'E2008';
  if (violation) return errorMessage(409, QUERY_ERRORS[violation], violation);

  const orgUnitIds = new Set(orgUnits.map((orgUnit) => orgUnit.id));
  const inOrgUnits = (id: string): boolean => (children ? metadata.isDescendant(id, orgUnitIds) : orgUnitIds.has(id));
  const periodIsos = new Set(periods.map((period) => period.iso));
  const inPeriods = (iso: string): boolean => {
    if (periods.length > 0) return periodIsos.has(iso);
    const period = parsePeriod(iso);
    return hasStartEnd && period !== null && period.startDay >= startDay && period.endDay <= endDay;
  };

  const rows = store
    .rowsIncludingDeleted()
    .filter((row) => dataElementIds.has(row.dataElement) && inOrgUnits(row.orgUnit) && inPeriods(row.period))
    .filter((row) => includeDeleted || !row.deleted)
    .filter((row) => attributeOptionComboIds.size === 0 || attributeOptionComboIds.has(row.attributeOptionCombo))
    .sort(byPeriodThenIds);

  const name = (object: Identifiable | undefined, id: string, scheme: IdScheme): string =>
    (object && identifierUnder(object, scheme)) ?? id;
  const schemes = {
    dataElement: outputScheme('dataElementIdScheme'),
    orgUnit: outputScheme('orgUnitIdScheme'),
    categoryOptionCombo: outputScheme('categoryOptionComboIdScheme'),
    attributeOptionCombo: parseIdScheme(firstValue(query, 'attributeOptionComboIdScheme')) ?? outputScheme('categoryOptionComboIdScheme'),
    dataSet: outputScheme('dataSetIdScheme'),
  };
  const dataValues = rows.map((row: StoredDataValue) => ({
    dataElement: name(metadata.dataElements.get(row.dataElement), row.dataElement, schemes.dataElement),
    period: row.period,
    orgUnit: name(metadata.organisationUnits.get(row.orgUnit), row.orgUnit, schemes.orgUnit),
    categoryOptionCombo: name(metadata.categoryOptionCombos.get(row.categoryOptionCombo), row.categoryOptionCombo, schemes.categoryOptionCombo),
    attributeOptionCombo: name(
      metadata.categoryOptionCombos.get(row.attributeOptionCombo),
      row.attributeOptionCombo,
      schemes.attributeOptionCombo,
    ),
    value: row.value,
    storedBy: row.storedBy,
    created: longGmt(row.created),
    lastUpdated: longGmt(row.lastUpdated),
    comment: row.comment,
    followup: row.followup,
    // SpringDataValueSetStore.ResultSetDataValueEntry.getDeleted is `deleted ? true : null`, and
    // JsonDataValueSetWriter writes the field only when it is not null.
    ...(row.deleted ? { deleted: true } : {}),
  }));

  // One data set, one period and one org unit make a "single data value set" with a header.
  const single = dataSets.length === 1 && periods.length === 1 && orgUnits.length === 1 && !children;
  if (!single) return jsonResponse(200, { dataValues });
  const [dataSet, period, orgUnit] = [dataSets[0], periods[0], orgUnits[0]] as [Identifiable, Period, Identifiable];
  // DefaultDataValueSetService.getCompleteDate: the default combo's registration, written with toLongGmtDate.
  const registration = store.registration(dataSet.id, period.iso, orgUnit.id, DEFAULT_CATEGORY_OPTION_COMBO);
  return jsonResponse(200, {
    dataSet: name(dataSet, dataSet.id, schemes.dataSet),
    completeDate: registration ? longGmt(registration.date) : null,
    period: period.iso,
    orgUnit: name(orgUnit, orgUnit.id, schemes.orgUnit),
    dataValues,
  });
}

function byPeriodThenIds(a: StoredDataValue, b: StoredDataValue): number {
  const startA = parsePeriod(a.period)?.startDay ?? 0;
  const startB = parsePeriod(b.period)?.startDay ?? 0;
  if (startA !== startB) return startA - startB;
  for (const field of ['orgUnit', 'dataElement', 'categoryOptionCombo', 'attributeOptionCombo'] as const) {
    if (a[field] !== b[field]) return a[field] < b[field] ? -1 : 1;
  }
  return 0;
}
