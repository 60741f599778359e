// Shapes the DHIS2 stand-in speaks, with DHIS2's own field names (shared/reference/dhis2-web-api.md §1.1,
// §1.3, §5.2). Only the fields the stand-in reads or writes are typed; DHIS2 payloads carry many more, and
// they pass through untouched.
import type { CoreAnswer, TransportFault } from '../http/fault-acting-server.js';

/** A request as the stand-in core sees it, independent of the transport (node:http, msw, direct call). */
export interface Dhis2Request {
  method: string;
  /** Path without host or query, e.g. `/api/dataValueSets` or `/api/41/dataValueSets`. */
  path: string;
  query?: Record<string, string | readonly string[] | undefined>;
  /** Header names are matched case-insensitively. */
  headers?: Record<string, string | undefined>;
  /** Raw text (parsed as JSON by the stand-in, as DHIS2 reads the stream itself) or an already-parsed value. */
  body?: unknown;
  /** The body's bytes when the transport has them; passed on untouched where DHIS2 streams (route runs). */
  rawBody?: Uint8Array;
}

/** What a transport must do instead of (or before) answering; see dhis2-faults.ts. */
export type TransportAction = TransportFault;

/** The answer; `body` is serialised with the key order DHIS2 writes. */
export type Dhis2Response = CoreAnswer;

export interface Ref {
  id: string;
}

/** `POST /api/metadata` payload (§5.2): top-level arrays keyed by the plural schema name. */
export interface Dhis2MetadataPayload {
  categoryOptions?: Dhis2CategoryOption[];
  categories?: Dhis2Category[];
  categoryCombos?: Dhis2CategoryCombo[];
  categoryOptionCombos?: Dhis2CategoryOptionCombo[];
  dataElements?: Dhis2DataElement[];
  dataSets?: Dhis2DataSet[];
  organisationUnits?: Dhis2OrganisationUnit[];
  [other: string]: unknown;
}

export interface AttributeValue {
  attribute: Ref;
  value: string;
}

export interface IdentifiableFields {
  id: string;
  code?: string;
  name?: string;
  attributeValues?: AttributeValue[];
}

export interface Dhis2CategoryOption extends IdentifiableFields {
  shortName?: string;
}

export interface Dhis2Category extends IdentifiableFields {
  shortName?: string;
  categoryOptions?: Ref[];
  dataDimensionType?: 'DISAGGREGATION' | 'ATTRIBUTE';
}

export interface Dhis2CategoryCombo extends IdentifiableFields {
  categories?: Ref[];
  dataDimensionType?: 'DISAGGREGATION' | 'ATTRIBUTE';
}

export interface Dhis2CategoryOptionCombo extends IdentifiableFields {
  categoryCombo?: Ref;
  categoryOptions?: Ref[];
}

export interface Dhis2DataElement extends IdentifiableFields {
  shortName?: string;
  valueType?: string;
  aggregationType?: string;
  domainType?: string;
  zeroIsSignificant?: boolean;
  categoryCombo?: Ref;
}

export interface Dhis2DataSetElement {
  dataElement: Ref;
  dataSet?: Ref;
  /** Optional override of the data element's category combo within this data set. */
  categoryCombo?: Ref;
}

export interface Dhis2DataInputPeriod {
  period: Ref;
  openingDate?: string;
  closingDate?: string;
}

export interface Dhis2DataSet extends IdentifiableFields {
  shortName?: string;
  periodType?: string;
  categoryCombo?: Ref;
  dataSetElements?: Dhis2DataSetElement[];
  organisationUnits?: Ref[];
  openFuturePeriods?: number;
  expiryDays?: number;
  dataInputPeriods?: Dhis2DataInputPeriod[];
}

export interface Dhis2OrganisationUnit extends IdentifiableFields {
  shortName?: string;
  parent?: Ref;
  openingDate?: string;
  closedDate?: string;
  /** Data set assignments may come from either side (the data set's organisationUnits or these). */
  dataSets?: Ref[];
}

/** One value in a `dataValueSets` request (§1.1). `value` is a string; numbers are tolerated. */
export interface Dhis2DataValue {
  dataElement?: string;
  period?: string;
  orgUnit?: string;
  categoryOptionCombo?: string;
  attributeOptionCombo?: string;
  value?: string | number | boolean | null;
  comment?: string | null;
  followup?: boolean;
  storedBy?: string;
  deleted?: boolean;
}

export interface Dhis2DataValueSet {
  dataSet?: string;
  completeDate?: string;
  period?: string;
  orgUnit?: string;
  attributeOptionCombo?: string;
  dataElementIdScheme?: string;
  orgUnitIdScheme?: string;
  categoryOptionComboIdScheme?: string;
  dataSetIdScheme?: string;
  idScheme?: string;
  dryRun?: boolean;
  strategy?: string;
  importStrategy?: string;
  dataValues?: Dhis2DataValue[];
}

/** The identity of one stored cell: all five parts as UIDs. */
export interface DataValueKey {
  dataElement: string;
  period: string;
  orgUnit: string;
  categoryOptionCombo: string;
  attributeOptionCombo: string;
}

/** A stored value as the stand-in keeps it (soft-deleted rows stay, as in DHIS2's datavalue table). */
export interface StoredDataValue extends DataValueKey {
  value: string | null;
  comment: string | null;
  followup: boolean;
  storedBy: string | null;
  created: string;
  lastUpdated: string;
  deleted: boolean;
}
