// Reading DHIS2's answer to POST /api/dataValueSets (reference/dhis2-web-api.md §0, §1.3, §1.4): the WebMessage
// envelope, the ImportSummary inside it, and what each outcome means for us. WARNING arrives as HTTP 409 in
// 2.39–2.42 and as 200 in 2.43+; both mean "the other values were imported".

export interface ImportCount {
  imported: number;
  updated: number;
  ignored: number;
  deleted: number;
}

export interface ImportConflict {
  object?: string;
  objects?: Record<string, string>;
  value: string;
  errorCode?: string;
  property?: string;
  indexes?: number[];
}

export interface ImportSummary {
  responseType?: string;
  status: 'SUCCESS' | 'WARNING' | 'ERROR';
  description?: string;
  importCount?: ImportCount;
  conflicts?: ImportConflict[];
  rejectedIndexes?: number[];
}

export interface WebMessage {
  httpStatus?: string;
  httpStatusCode?: number;
  status?: 'OK' | 'WARNING' | 'ERROR';
  message?: string;
  response?: ImportSummary;
}

/** Conflicts that can resolve themselves with time; every other one needs a person to change DHIS2. */
const RETRYABLE_CONFLICT_CODES = new Set(['E7641']);

export function isRetryableConflict(conflict: ImportConflict): boolean {
  return conflict.errorCode !== undefined && RETRYABLE_CONFLICT_CODES.has(conflict.errorCode);
}

export type ImportOutcome =
  | { kind: 'imported'; importCount: ImportCount; conflicts: ImportConflict[]; rejectedIndexes: number[] }
  | { kind: 'aborted'; message: string; conflicts: ImportConflict[] }
  | { kind: 'retryable'; message: string }
  | { kind: 'refused'; message: string };

const ZERO_COUNT: ImportCount = { imported: 0, updated: 0, ignored: 0, deleted: 0 };

function isImportSummary(value: unknown): value is ImportSummary {
  return typeof value === 'object' && value !== null && ['SUCCESS', 'WARNING', 'ERROR'].includes((value as { status?: string }).status ?? '');
}

/** What a response from POST /api/dataValueSets means. `body` is the parsed JSON, if the body was JSON. */
export function readImportResponse(httpStatus: number, body: unknown): ImportOutcome {
  const message = body as WebMessage | undefined;
  // API version 37 and lower answer with a bare ImportSummary.
  const summary = isImportSummary(message?.response) ? message.response : isImportSummary(body) ? body : undefined;
  if (summary && (httpStatus === 200 || httpStatus === 409)) {
    const conflicts = summary.conflicts ?? [];
    if (summary.status === 'ERROR') {
      return { kind: 'aborted', message: conflicts.map((c) => c.value).join('; ') || summary.description || 'import aborted', conflicts };
    }
    return { kind: 'imported', importCount: summary.importCount ?? ZERO_COUNT, conflicts, rejectedIndexes: summary.rejectedIndexes ?? [] };
  }
  const text = message?.message ?? `HTTP ${httpStatus}`;
  if (httpStatus === 429 || httpStatus >= 500 || httpStatus === 0) return { kind: 'retryable', message: `DHIS2 answered ${httpStatus}: ${text}` };
  return { kind: 'refused', message: `DHIS2 answered ${httpStatus}: ${text}` };
}
