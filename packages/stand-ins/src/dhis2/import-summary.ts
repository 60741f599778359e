// The ImportSummary of a data value import and its conflicts: the catalogue of error codes with their
// exact messages, payload property and object types (reference/dhis2-web-api.md §1.3, §1.4), and the
// merging DHIS2 does (same errorCode and objects → one conflict, indexes appended).
// The descriptors are dhis2-core's DataValueImportConflict / DataValueSetImportConflict; the messages are
// ErrorCode.java; building a conflict follows ImportConflict.createConflict (2.39–2.42): an identifiable
// argument goes into `objects` under its schema singular name, an I18n argument goes into `objects` under
// the conflict's property (putIfAbsent) and is translated for the message, and null entries of `objects`
// are not written (JacksonObjectMapperConfig: setDefaultPropertyInclusion(NON_NULL) covers map contents).
import { translate } from './i18n.js';

export type ImportStatus = 'SUCCESS' | 'WARNING' | 'ERROR';

/** `objects` keys are schema singular names; `i18n` marks an argument that is an i18n key, not an object. */
type ObjectType = 'dataSet' | 'organisationUnit' | 'categoryOptionCombo' | 'dataElement' | 'period' | 'user' | 'i18n';

interface ConflictDescriptor {
  property?: string;
  objectTypes: readonly ObjectType[];
  message: string;
}

export const CONFLICTS = {
  // Data-set level: any of these aborts the import.
  E7600: { property: 'dataSet', objectTypes: ['dataSet'], message: 'Data set not found or not accessible: `{0}`' },
  E7601: { property: 'dataSet', objectTypes: ['dataSet'], message: 'User does not have write access for DataSet: `{0}`' },
  E7603: { property: 'orgUnit', objectTypes: ['organisationUnit', 'dataSet'], message: 'Org unit not found or not accessible: `{0}`' },
  E7604: {
    property: 'attributeOptionCombo',
    objectTypes: ['categoryOptionCombo', 'dataSet'],
    message: 'Attribute option combo not found or not accessible: `{0}`',
  },
  // Per value, in the order the validators run.
  E7610: { property: 'dataElement', objectTypes: ['dataElement'], message: 'Data element not found or not accessible: `{0}`' },
  E7611: { property: 'period', objectTypes: ['period'], message: 'Period not valid: `{0}`' },
  E7612: { property: 'orgUnit', objectTypes: ['organisationUnit'], message: 'Organisation unit not found or not accessible: `{0}`' },
  E7613: {
    property: 'categoryOptionCombo',
    objectTypes: ['categoryOptionCombo'],
    message: 'Category option combo not found or not accessible for writing data: `{0}`',
  },
  E7615: {
    property: 'attributeOptionCombo',
    objectTypes: ['categoryOptionCombo'],
    message: 'Attribute option combo not found or not accessible for writing data: `{0}`',
  },
  E7617: {
    property: 'orgUnit',
    objectTypes: ['organisationUnit', 'user'],
    message: 'Organisation unit: `{0}` not in hierarchy of current user: `{1}`',
  },
  E7618: { property: 'value', objectTypes: ['dataElement'], message: 'Data value or comment not specified for data element: `{0}`' },
  E7619: { property: 'value', objectTypes: ['dataElement', 'i18n'], message: 'Value must match value type of data element `{0}`: `{1}`' },
  E7620: { property: 'comment', objectTypes: ['i18n'], message: 'Invalid comment: {0}' },
  E7630: { property: 'categoryOptionCombo', objectTypes: [], message: 'Category option combo is required but is not specified' },
  E7631: { property: 'attributeOptionCombo', objectTypes: [], message: 'Attribute option combo is required but is not specified' },
  E7632: { objectTypes: ['period', 'dataElement'], message: 'Period type of period: `{0}` not valid for data element: `{1}`' },
  E7633: { property: 'dataElement', objectTypes: ['dataElement', 'dataSet'], message: 'Data element: `{0}` is not part of dataset(s): `{1}`' },
  E7634: {
    property: 'categoryOptionCombo',
    objectTypes: ['categoryOptionCombo', 'dataElement'],
    message: 'Category option combo: `{0}` must be part of category combo of data element: `{1}`',
  },
  E7635: {
    property: 'attributeOptionCombo',
    objectTypes: ['categoryOptionCombo', 'dataElement'],
    message: 'Attribute option combo: `{0}` must be part of category combo of data sets of data element: `{1}`',
  },
  E7636: {
    property: 'orgUnit',
    objectTypes: ['organisationUnit', 'dataElement'],
    message: 'Data element: `{1}` must be assigned through data sets to organisation unit: `{0}`',
  },
  E7637: { property: 'storedBy', objectTypes: ['i18n'], message: 'Invalid storedBy: {0}' },
  E7640: {
    property: 'period',
    objectTypes: ['period', 'dataSet'],
    message: 'Current date is past expiry days for period: `{0}`  and data set: `{1}`',
  },
  E7641: {
    property: 'period',
    objectTypes: ['period', 'dataElement', 'dataSet'],
    message: 'Period: `{0}` is after latest open future period: `{3}` for data element: `{1}` and data set: `{2}`',
  },
  E7643: { property: 'period', objectTypes: ['period', 'dataSet'], message: 'Period: `{0}` is not open for this data set at this time: `{1}`' },
  E7644: { property: 'period', objectTypes: ['period'], message: 'Period: `{0}` does not conform to the open periods of associated data sets' },
} as const satisfies Record<string, ConflictDescriptor>;

export type ConflictCode = keyof typeof CONFLICTS;

/**
 * An ImportConflict as DHIS2 serialises it: object, objects, value, errorCode, property, indexes (the
 * order of its @JsonCreator, which Jackson puts first). Null fields and null `objects` entries are left out.
 */
export interface ImportConflict {
  object?: string;
  objects?: Record<string, string>;
  value: string;
  errorCode?: ConflictCode;
  property?: string;
  indexes?: number[];
}

export interface ImportCount {
  imported: number;
  updated: number;
  ignored: number;
  deleted: number;
}

/** `MessageFormat.format`: `{n}` becomes the nth argument, a missing one prints as `null`. */
function format(template: string, args: readonly (string | null | undefined)[]): string {
  return template.replace(/\{(\d+)\}/g, (_whole, n: string) => String(args[Number(n)] ?? 'null'));
}

/** Collects conflicts, rejected indexes and counts while one import runs. */
export class ImportSummaryBuilder {
  private readonly conflicts = new Map<string, ImportConflict>();
  readonly rejectedIndexes: number[] = [];
  readonly importCount: ImportCount = { imported: 0, updated: 0, ignored: 0, deleted: 0 };
  private aborted = false;
  private occurrenceCount = 0;

  /** Adds a catalogued conflict; `index` is the value's position, or undefined for data-set-level ones. */
  add(code: ConflictCode, index: number | undefined, args: readonly (string | null | undefined)[]): void {
    const descriptor: ConflictDescriptor = CONFLICTS[code];
    // The LinkedHashMap of ImportConflict.createConflict, null values included (they still take part in
    // `object` and the grouping key; only serialisation leaves them out).
    const objects = new Map<string, string | null>();
    const messageArgs = args.map((arg) => arg ?? null);
    descriptor.objectTypes.forEach((type, position) => {
      const arg = messageArgs[position] ?? null;
      if (type === 'i18n') {
        if (descriptor.property !== undefined && (objects.get(descriptor.property) ?? null) === null) objects.set(descriptor.property, arg);
        messageArgs[position] = arg === null ? null : translate(arg);
      } else {
        objects.set(type, arg);
      }
    });
    this.occurrenceCount++;
    // String.join(":", objects.values()) prints a null as "null".
    const groupingKey = `${code}:${[...objects.values()].map((value) => String(value)).join(':')}`;
    const existing = this.conflicts.get(groupingKey);
    if (existing) {
      if (index !== undefined) existing.indexes = [...(existing.indexes ?? []), index];
      return;
    }
    const first = objects.size === 0 ? null : ([...objects.values()][0] ?? null);
    this.conflicts.set(groupingKey, {
      // `object` is the first value of `objects`, even a null one (then omitted like every null field).
      object: first ?? undefined,
      objects: Object.fromEntries([...objects].filter((entry): entry is [string, string] => entry[1] !== null)),
      value: format(descriptor.message, messageArgs),
      errorCode: code,
      property: descriptor.property,
      indexes: index === undefined ? undefined : [index],
    });
  }

  /** The informal (legacy) conflict: an object name and a message, no code (used when completing a data set). */
  addLegacy(object: string, value: string): void {
    const key = `${object}:${value}`;
    this.occurrenceCount++;
    if (!this.conflicts.has(key)) this.conflicts.set(key, { object, value });
  }

  /** Data-set-level conflicts set the summary to ERROR (`ImportContext.error()`). */
  abort(code: ConflictCode, args: readonly (string | null | undefined)[]): void {
    this.aborted = true;
    this.add(code, undefined, args);
  }

  reject(index: number): void {
    this.rejectedIndexes.push(index);
  }

  get isAborted(): boolean {
    return this.aborted;
  }

  /** Number of conflict occurrences so far; a validator "failed" when this grows. */
  get occurrences(): number {
    return this.occurrenceCount;
  }

  conflictList(): ImportConflict[] {
    return [...this.conflicts.values()];
  }

  get status(): ImportStatus {
    if (this.aborted) return 'ERROR';
    return this.conflicts.size > 0 ? 'WARNING' : 'SUCCESS';
  }
}
