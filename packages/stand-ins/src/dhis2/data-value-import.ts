// `POST /api/dataValueSets` import as DHIS2 2.39–2.42 runs it (reference/dhis2-web-api.md §1.1–1.4, §1.7):
// data-set-level checks that abort, then per value the validators in registration order (first failure
// wins, the value is ignored and its index rejected), then create / update / delete with the zero,
// empty-value and soft-delete rules. Checks that need sharing, approval, lock exceptions or AOC
// validity dates/org units (E7601, E7614, E7616, E7621, E7638, E7639, E7642, E7645) are not modelled:
// the stand-in has none of those objects, so they would always pass.
import { captureUnits } from './users.js';
import { isSuperuser, type Dhis2User } from './auth.js';
import type { DataValueStore } from './data-value-store.js';
import {
  isCreate,
  isCreateAndUpdate,
  isDelete,
  isUpdate,
  importOptionsJson,
  IMPORT_STRATEGIES,
  STRICT_FLAGS,
  type ImportOptions,
  type ImportStrategy,
  type StrictFlag,
} from './import-options.js';
import { ImportSummaryBuilder, type ConflictCode } from './import-summary.js';
import {
  DEFAULT_CATEGORY_OPTION_COMBO,
  parseIdScheme,
  UID_SCHEME,
  type CategoryOptionCombo,
  type DataElement,
  type DataSet,
  type IdScheme,
  type Metadata,
  type OrganisationUnit,
} from './metadata.js';
import { dayOfDate, formatDay, isAfter, parseDay, parsePeriod, periodContaining, shiftPeriod, type Period } from './periods.js';
import { SETTING_FOR_FLAG, type SystemSettings } from './system-settings.js';
import type { StoredDataValue } from './types.js';
import {
  commentError,
  isZeroAndInsignificant,
  normalizeBoolean,
  storedByError,
  valueTypeError,
} from './value-types.js';

export interface ImportEnvironment {
  metadata: Metadata;
  store: DataValueStore;
  user: Dhis2User;
  settings: SystemSettings;
  now: Date;
  /** The DHIS2 minor version the stand-in plays (39 … 43); expiry locking changed in 2.42. */
  minorVersion: number;
}

/** The `ImportSummary` object, keys in DHIS2's order, ready to serialise. */
export type ImportSummaryJson = Record<string, unknown> & { status: 'SUCCESS' | 'WARNING' | 'ERROR' };

/** A data value as read from the payload, every field a string or null (`DataValueEntry`). */
interface Entry {
  dataElement: string | null;
  period: string | null;
  orgUnit: string | null;
  categoryOptionCombo: string | null;
  attributeOptionCombo: string | null;
  value: string | null;
  comment: string | null;
  storedBy: string | null;
  followup: boolean;
  deleted: boolean;
}

interface ValueContext {
  index: number;
  entry: Entry;
  dataElement?: DataElement;
  period?: Period;
  orgUnit?: OrganisationUnit;
  categoryOptionCombo?: CategoryOptionCombo;
  attributeOptionCombo?: CategoryOptionCombo;
}

/** A value context whose references all resolved; the constraints after E7631 only ever see these. */
type ResolvedValue = Required<ValueContext>;

class ImportFailure extends Error {}

/**
 * A string field as DHIS2's JSON mapper reads it: every mapper registers EmptyStringToNullStdDeserializer
 * (JacksonObjectMapperConfig), so `""` is null; whitespace stays. Numbers and booleans come as their text.
 */
function text(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new ImportFailure(`Cannot deserialize value of type \`java.lang.String\` from ${Array.isArray(value) ? 'Array' : 'Object'} value`);
}

function trimToNull(value: string | null): string | null {
  if (value === null) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function readEntry(raw: unknown): Entry {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ImportFailure('Cannot deserialize value of type `org.hisp.dhis.dxf2.datavalue.DataValue` from non-object value');
  }
  const source = raw as Record<string, unknown>;
  return {
    dataElement: text(source.dataElement),
    period: text(source.period),
    orgUnit: text(source.orgUnit),
    categoryOptionCombo: text(source.categoryOptionCombo),
    attributeOptionCombo: text(source.attributeOptionCombo),
    value: text(source.value),
    comment: text(source.comment),
    storedBy: text(source.storedBy),
    followup: source.followup === true || source.followup === 'true',
    deleted: source.deleted === true || source.deleted === 'true',
  };
}

/** The summary DHIS2 returns when the import throws (`"The import process failed: <msg>"`). */
export function failedImportSummary(message: string): ImportSummaryJson {
  return {
    responseType: 'ImportSummary',
    status: 'ERROR',
    description: `The import process failed: ${message}`,
    importCount: { imported: 0, updated: 0, ignored: 0, deleted: 0 },
    conflicts: [],
    rejectedIndexes: [],
  };
}

export function importDataValueSet(environment: ImportEnvironment, options: ImportOptions, payload: unknown): ImportSummaryJson {
  try {
    return new DataValueSetImport(environment, options, payload).run();
  } catch (error) {
    if (error instanceof ImportFailure) return failedImportSummary(error.message);
    throw error;
  }
}

class DataValueSetImport {
  private readonly summary = new ImportSummaryBuilder();
  private readonly header: Record<string, unknown>;
  private readonly schemes: { dataElement: IdScheme; orgUnit: IdScheme; categoryOptionCombo: IdScheme; dataSet: IdScheme };
  private readonly strategy: ImportStrategy;
  private readonly dryRun: boolean;
  private readonly strict: Record<StrictFlag, boolean>;
  private readonly forceDataInput: boolean;
  private readonly today: number;
  private readonly captureOrgUnits: ReadonlySet<string>;
  private readonly latestOpenPeriods = new Map<string, Period>();
  private dataSet?: DataSet;
  private outerPeriod?: Period;
  private outerOrgUnit?: OrganisationUnit;
  private outerAttributeOptionCombo?: CategoryOptionCombo;

  constructor(
    private readonly environment: ImportEnvironment,
    private readonly options: ImportOptions,
    payload: unknown,
  ) {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      throw new ImportFailure('Cannot deserialize value of type `org.hisp.dhis.dxf2.datavalueset.DataValueSet` from non-object value');
    }
    this.header = payload as Record<string, unknown>;
    this.schemes = {
      dataElement: this.scheme('dataElementIdScheme'),
      orgUnit: this.scheme('orgUnitIdScheme'),
      categoryOptionCombo: this.scheme('categoryOptionComboIdScheme'),
      dataSet: this.scheme('dataSetIdScheme'),
    };
    // The payload's field is `strategy` (dxf2 DataValueSet has no `importStrategy`; Jackson ignores unknown
    // properties, so a body `importStrategy` changes nothing).
    const payloadStrategy = text(this.header.strategy);
    if (payloadStrategy !== null && !IMPORT_STRATEGIES.some((strategy) => strategy === payloadStrategy)) {
      throw new ImportFailure(`No enum constant org.hisp.dhis.importexport.ImportStrategy.${payloadStrategy}`);
    }
    this.strategy = (payloadStrategy as ImportStrategy | null) ?? options.importStrategy;
    this.dryRun = typeof this.header.dryRun === 'boolean' ? this.header.dryRun : options.dryRun;
    const settings = environment.settings;
    this.strict = Object.fromEntries(
      STRICT_FLAGS.map((flag) => [flag, options.strict[flag] || settings[SETTING_FOR_FLAG[flag]]]),
    ) as Record<StrictFlag, boolean>;
    this.forceDataInput = options.force && isSuperuser(environment.user);
    this.today = dayOfDate(environment.now);
    this.captureOrgUnits = new Set(captureUnits(environment.user, environment.metadata));
  }

  /** Payload scheme (specific, then generic) before query scheme (specific, then generic), then UID (§1.1). */
  private scheme(specific: 'dataElementIdScheme' | 'orgUnitIdScheme' | 'categoryOptionComboIdScheme' | 'dataSetIdScheme'): IdScheme {
    const fromPayload = parseIdScheme(text(this.header[specific])) ?? parseIdScheme(text(this.header.idScheme));
    return fromPayload ?? this.options.idSchemes[specific] ?? this.options.idSchemes.idScheme ?? UID_SCHEME;
  }

  run(): ImportSummaryJson {
    const { metadata } = this.environment;
    const dataSetId = text(this.header.dataSet);
    const orgUnitId = trimToNull(text(this.header.orgUnit));
    const aocId = text(this.header.attributeOptionCombo);
    this.dataSet = dataSetId !== null ? metadata.find('dataSet', dataSetId, this.schemes.dataSet) : undefined;
    this.outerAttributeOptionCombo =
      aocId !== null ? metadata.find('categoryOptionCombo', trimToNull(aocId), this.schemes.categoryOptionCombo) : undefined;
    this.outerPeriod = parsePeriod(trimToNull(text(this.header.period))) ?? undefined;
    this.outerOrgUnit = metadata.find('organisationUnit', orgUnitId, this.schemes.orgUnit);

    // Data-set-level validation: every check runs, any failure aborts.
    if (!this.dataSet && trimToNull(dataSetId) !== null) this.summary.abort('E7600', [dataSetId]);
    if (!this.outerOrgUnit && orgUnitId !== null) this.summary.abort('E7603', [text(this.header.orgUnit), dataSetId]);
    if (!this.outerAttributeOptionCombo && trimToNull(aocId) !== null) this.summary.abort('E7604', [aocId, dataSetId]);
    if (this.summary.isAborted) return this.summaryJson('Import process was aborted', 'false');

    const dataSetComplete = this.completeDataSet();

    const rawValues = this.header.dataValues ?? [];
    if (!Array.isArray(rawValues)) throw new ImportFailure('Cannot deserialize value of type `java.util.ArrayList` from non-array value');
    rawValues.forEach((raw, index) => this.importValue(index, readEntry(raw)));

    return this.summaryJson('Import process completed successfully', dataSetComplete);
  }

  private summaryJson(description: string, dataSetComplete: string): ImportSummaryJson {
    return {
      responseType: 'ImportSummary',
      status: this.summary.status,
      importOptions: importOptionsJson(this.options),
      description,
      importCount: { ...this.summary.importCount },
      conflicts: this.summary.conflictList(),
      rejectedIndexes: [...this.summary.rejectedIndexes],
      dataSetComplete,
    };
  }

  /** `handleComplete`: registers completeness when the payload names a data set and a completeDate. */
  private completeDataSet(): string {
    const completeDay = this.completeDay(text(this.header.completeDate));
    if (!this.dataSet || completeDay === null) return 'false';
    if (!this.outerOrgUnit) {
      this.summary.addLegacy('OrganisationUnit', 'Must be provided to complete data set');
      return 'false';
    }
    if (!this.outerPeriod) {
      this.summary.addLegacy('Period', 'Must be provided to complete data set');
      return 'false';
    }
    const completeDate = formatDay(completeDay);
    // DefaultDataValueSetService.handleComplete (2.39–2.42) registers even under dryRun (it never asks), for
    // the outer attribute option combo or the default one, dated at the start of the complete day.
    const { user, now } = this.environment;
    this.environment.store.register({
      dataSet: this.dataSet.id,
      period: this.outerPeriod.iso,
      orgUnit: this.outerOrgUnit.id,
      attributeOptionCombo: this.outerAttributeOptionCombo?.id ?? DEFAULT_CATEGORY_OPTION_COMBO,
      completeDate,
      date: `${completeDate}T00:00:00.000Z`,
      storedBy: user.username,
      lastUpdatedBy: user.username,
      lastUpdated: now.toISOString(),
      completed: true,
    });
    return completeDate;
  }

  /** `"true"` is today, `"false"` none, a date is clamped to today (§1.1). */
  private completeDay(value: string | null): number | null {
    if (value === null || value.trim() === '' || value === 'false') return null;
    if (value === 'true') return this.today;
    const day = parseDay(value.trim().slice(0, 10));
    return day === null ? null : Math.min(day, this.today);
  }

  private importValue(index: number, entry: Entry): void {
    const { metadata } = this.environment;
    const context: ValueContext = {
      index,
      entry,
      dataElement: metadata.find('dataElement', trimToNull(entry.dataElement), this.schemes.dataElement),
      period: this.outerPeriod ?? parsePeriod(trimToNull(entry.period)) ?? undefined,
      orgUnit: this.outerOrgUnit ?? metadata.find('organisationUnit', trimToNull(entry.orgUnit), this.schemes.orgUnit),
      categoryOptionCombo: metadata.find('categoryOptionCombo', trimToNull(entry.categoryOptionCombo), this.schemes.categoryOptionCombo),
      attributeOptionCombo:
        this.outerAttributeOptionCombo ??
        metadata.find('categoryOptionCombo', trimToNull(entry.attributeOptionCombo), this.schemes.categoryOptionCombo),
    };
    if (this.skip(context)) {
      this.summary.importCount.ignored++;
      this.summary.reject(index);
      return;
    }
    this.save(context as ResolvedValue);
  }

  // -------------------------------------------------------------------------------------------------
  // Validation: each step may add conflicts; the first step that does ends the checks for this value

  private skip(context: ValueContext): boolean {
    const steps: ((context: ValueContext) => void)[] = [
      this.validateReferences,
      this.validateValue,
      this.checkOptionCombos,
      this.checkStrictness,
      this.checkDataInput,
    ];
    const before = this.summary.occurrences;
    for (const step of steps) {
      step.call(this, context);
      if (this.summary.occurrences > before) return true;
    }
    return false;
  }

  private conflict(context: ValueContext, code: ConflictCode, ...args: (string | null | undefined)[]): void {
    this.summary.add(code, context.index, args);
  }

  /** E7610 → E7617, in that order, stopping at the first unresolved reference. */
  private validateReferences(context: ValueContext): void {
    const { entry } = context;
    if (!context.dataElement) return this.conflict(context, 'E7610', entry.dataElement);
    if (!context.period) return this.conflict(context, 'E7611', entry.period);
    if (!context.orgUnit) return this.conflict(context, 'E7612', entry.orgUnit);
    if (!context.categoryOptionCombo && trimToNull(entry.categoryOptionCombo) !== null) {
      return this.conflict(context, 'E7613', entry.categoryOptionCombo);
    }
    if (!context.attributeOptionCombo && trimToNull(entry.attributeOptionCombo) !== null) {
      return this.conflict(context, 'E7615', entry.attributeOptionCombo);
    }
    if (!this.environment.metadata.isDescendant(context.orgUnit.id, this.captureOrgUnits)) {
      return this.conflict(context, 'E7617', entry.orgUnit, this.environment.user.id);
    }
  }

  /** E7618 → E7620: a value (or comment) is there and fits the value type. */
  private validateValue(context: ValueContext): void {
    const { entry } = context;
    const dataElement = context.dataElement as DataElement;
    const isNullValue = entry.value === null && entry.comment === null;
    if (isNullValue && !entry.deleted && !isDelete(this.strategy)) return this.conflict(context, 'E7618', entry.dataElement);
    const valueError = valueTypeError(normalizeBoolean(entry.value, dataElement.valueType), dataElement.valueType);
    if (valueError) return this.conflict(context, 'E7619', entry.dataElement, valueError);
    const commentProblem = commentError(entry.comment);
    if (commentProblem) return this.conflict(context, 'E7620', commentProblem);
  }

  /** E7630 / E7631, or the default combo when the value names none. */
  private checkOptionCombos(context: ValueContext): void {
    const defaultCombo = this.environment.metadata.categoryOptionCombos.get(DEFAULT_CATEGORY_OPTION_COMBO);
    if (!context.categoryOptionCombo) {
      if (this.strict.requireCategoryOptionCombo) return this.conflict(context, 'E7630');
      context.categoryOptionCombo = defaultCombo;
    }
    if (!context.attributeOptionCombo) {
      if (this.strict.requireAttributeOptionCombo) return this.conflict(context, 'E7631');
      context.attributeOptionCombo = defaultCombo;
    }
  }

  /** E7632 → E7637: the checks a server or request can switch on; off by default (§1.6). */
  private checkStrictness(context: ValueContext): void {
    const { metadata } = this.environment;
    const { entry } = context;
    const { dataElement, period, orgUnit, categoryOptionCombo, attributeOptionCombo } = context as ResolvedValue;
    const dataSets = metadata.dataSetsOf(dataElement.id);
    if (this.strict.strictPeriods && !dataSets.some((dataSet) => dataSet.periodType === period.periodType)) {
      return this.conflict(context, 'E7632', entry.period, entry.dataElement);
    }
    // checkDataValueStrictDataElement (2.39–2.42, since DHIS2-14693 there is no E7602 abort): the targets
    // are the payload's data set, else the element's own data sets, so then only an element in no data set
    // fails, with an empty list of data sets.
    if (this.strict.strictDataElements) {
      const targets = this.dataSet ? [this.dataSet] : dataSets;
      if (!targets.some((dataSet) => dataSet.dataSetElements.has(dataElement.id))) {
        return this.conflict(context, 'E7633', entry.dataElement, targets.map((dataSet) => dataSet.id).join(','));
      }
    }
    if (this.strict.strictCategoryOptionCombos && !metadata.optionCombosOfDataElement(dataElement).has(categoryOptionCombo.id)) {
      return this.conflict(context, 'E7634', entry.categoryOptionCombo, entry.dataElement);
    }
    if (
      this.strict.strictAttributeOptionCombos &&
      !metadata.attributeOptionCombosOfDataElement(dataElement).has(attributeOptionCombo.id)
    ) {
      return this.conflict(context, 'E7635', entry.attributeOptionCombo, entry.dataElement);
    }
    if (this.strict.strictOrganisationUnits && !metadata.orgUnitHasDataElement(orgUnit.id, dataElement.id)) {
      return this.conflict(context, 'E7636', entry.orgUnit, entry.dataElement);
    }
    const storedByProblem = storedByError(entry.storedBy);
    if (storedByProblem) return this.conflict(context, 'E7637', storedByProblem);
  }

  /** E7640, E7641, E7643, E7644: is the period open for input now? Skipped by a superuser's `force`. */
  private checkDataInput(context: ValueContext): void {
    if (this.forceDataInput) return;
    const resolved = context as ResolvedValue;
    const { entry } = context;
    const targets = this.targetDataSets(resolved);
    const before = this.summary.occurrences;
    this.checkTargets(context, targets, this.strict.strictDataSetLocking, (dataSet) =>
      this.isLocked(dataSet, resolved.period) ? ['E7640', [entry.period, dataSet.id]] : null,
    );
    if (this.summary.occurrences > before) return;
    this.checkTargets(context, targets, true, (dataSet) => {
      const latest = this.latestOpenPeriod(dataSet);
      return isAfter(resolved.period, latest) ? ['E7641', [entry.period, entry.dataElement, dataSet.id, latest.iso]] : null;
    });
    if (this.summary.occurrences > before) return;
    this.checkTargets(context, targets, this.strict.strictDataSetInputPeriods, (dataSet) =>
      this.isInputAllowed(dataSet, resolved.period) ? null : ['E7643', [entry.period, dataSet.id]],
    );
    if (this.summary.occurrences > before) return;
    const dataSets = this.environment.metadata.dataSetsOf(resolved.dataElement.id);
    if (dataSets.length > 0 && !dataSets.some((dataSet) => this.isInputAllowed(dataSet, resolved.period))) {
      this.conflict(context, 'E7644', entry.period);
    }
  }

  /**
   * `ImportContext.getTargetDataSets`: the payload's data set, else the element's data sets that are
   * assigned to the org unit and use the value's attribute combo.
   */
  private targetDataSets(context: ResolvedValue): DataSet[] {
    if (this.dataSet) return [this.dataSet];
    const { metadata } = this.environment;
    return metadata
      .dataSetsOf(context.dataElement.id)
      .filter((dataSet) => metadata.isAssigned(dataSet, context.orgUnit.id))
      .filter((dataSet) => dataSet.categoryCombo === context.attributeOptionCombo.categoryCombo);
  }

  /** `checkDataValueTargetDataSets`: strict → every failing data set is a conflict; lenient → only when all fail. */
  private checkTargets(
    context: ValueContext,
    targets: DataSet[],
    strict: boolean,
    check: (dataSet: DataSet) => [ConflictCode, (string | null)[]] | null,
  ): void {
    const failures = targets.map(check);
    if (!strict && failures.some((failure) => failure === null)) return;
    for (const failure of failures) if (failure) this.conflict(context, failure[0], ...failure[1]);
  }

  /** `PeriodType.getFuturePeriod(openFuturePeriods)`: 0 open future periods means the running period is closed. */
  private latestOpenPeriod(dataSet: DataSet): Period {
    let latest = this.latestOpenPeriods.get(dataSet.id);
    if (!latest) {
      latest = shiftPeriod(periodContaining(dataSet.periodType, this.today), dataSet.openFuturePeriods - 1);
      this.latestOpenPeriods.set(dataSet.id, latest);
    }
    return latest;
  }

  /**
   * `DataSet.isLocked`, unless the user may edit expired data. The period locks from the day after
   * end + expiryDays: 2.39–2.41 compare days (`Period.isDateInTimeFrame(null, end + expiryDays, now)`, an int
   * expiryDays), 2.42 compares instants from the midnight after the end (`isDateWithTimeInTimeFrame(null,
   * end + 1 + expiryDays, now)`, a double expiryDays). Either way the last allowed day still accepts.
   */
  private isLocked(dataSet: DataSet, period: Period): boolean {
    const { user, now, minorVersion } = this.environment;
    if (dataSet.expiryDays === 0 || user.authorities.includes('ALL') || user.authorities.includes('F_EDIT_EXPIRED')) return false;
    if (minorVersion >= 42) return now.getTime() > (period.endDay + 1 + dataSet.expiryDays) * 86_400_000;
    return dayOfDate(now) > period.endDay + Math.trunc(dataSet.expiryDays);
  }

  /**
   * `DataSet.isDataInputPeriodAndDateAllowed`: no input periods, or one for this period open today.
   * `DataInputPeriod.isDateWithinOpenCloseDates` compares days (`Period.isDateInTimeFrame`), so the whole
   * closing day is open.
   */
  private isInputAllowed(dataSet: DataSet, period: Period): boolean {
    if (dataSet.dataInputPeriods.length === 0) return true;
    const day = (date: string | undefined): number | null => (date === undefined ? null : parseDay(date.slice(0, 10)));
    return dataSet.dataInputPeriods.some((dip) => {
      const opening = day(dip.openingDate);
      const closing = day(dip.closingDate);
      return (
        parsePeriod(dip.period)?.iso === period.iso && (opening === null || this.today >= opening) && (closing === null || this.today <= closing)
      );
    });
  }

  // -------------------------------------------------------------------------------------------------
  // Saving (§1.7)

  private save(context: ResolvedValue): void {
    const { store, user } = this.environment;
    const { entry, dataElement } = context;
    const count = this.summary.importCount;
    const key = {
      dataElement: dataElement.id,
      period: context.period.iso,
      orgUnit: context.orgUnit.id,
      categoryOptionCombo: context.categoryOptionCombo.id,
      attributeOptionCombo: context.attributeOptionCombo.id,
    };
    const now = this.environment.now.toISOString();
    const existing = this.options.skipExistingCheck ? undefined : store.find(key);
    const incoming: StoredDataValue = {
      ...key,
      value: trimToNull(normalizeBoolean(entry.value, dataElement.valueType)),
      comment: trimToNull(entry.comment),
      followup: entry.followup,
      storedBy: trimToNull(entry.storedBy) === null ? user.username : entry.storedBy,
      created: existing?.created ?? now,
      lastUpdated: now,
      deleted: entry.deleted,
    };
    const write = (row: StoredDataValue): void => {
      if (!this.dryRun) store.put(row);
    };
    const isNullValue = incoming.value === null && incoming.comment === null;
    const zeroAndInsignificant = isZeroAndInsignificant(entry.value, dataElement);

    // An insignificant zero is dropped without a trace: it counts nowhere in importCount (2.39–2.42).
    if (zeroAndInsignificant && (!existing || isCreate(this.strategy))) return;

    if (existing && !existing.deleted) {
      if (isCreateAndUpdate(this.strategy) || isUpdate(this.strategy)) {
        if (isNullValue || incoming.deleted || zeroAndInsignificant) {
          count.deleted++;
          write({ ...incoming, deleted: true });
        } else if (
          existing.value === incoming.value &&
          existing.comment === incoming.comment &&
          existing.followup === incoming.followup
        ) {
          count.ignored++;
        } else {
          count.updated++;
          write(incoming);
        }
      } else if (isDelete(this.strategy)) {
        count.deleted++;
        write({ ...incoming, deleted: true });
      } else {
        count.ignored++;
        this.summary.reject(context.index);
      }
      return;
    }

    if (isCreateAndUpdate(this.strategy) || isCreate(this.strategy)) {
      if (isNullValue) {
        count.ignored++;
        return;
      }
      // A soft-deleted row is revived in place (it takes the payload's `deleted` flag, false unless sent).
      count.imported++;
      write(incoming);
    } else {
      count.ignored++;
      this.summary.reject(context.index);
    }
  }
}
