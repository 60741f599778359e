// `smc-bridge metadata push`: imports the package into a DHIS2 with POST /api/metadata, first with
// importMode=VALIDATE (nothing is stored; the report says what would be created or updated, or every error),
// then, only when that is clean, with importMode=COMMIT. Both use importStrategy=CREATE_AND_UPDATE and
// atomicMode=ALL, so a failure stores nothing and pushing again is safe: objects already there are updated.
import type { Dhis2Client } from '../dhis2/dhis2-client.js';
import type { MetadataPackage } from './package-schema.js';

export interface ImportStats {
  created: number;
  updated: number;
  deleted: number;
  ignored: number;
  total: number;
}

export interface ImportReportSummary {
  status: string;
  stats: ImportStats;
  /** Per object type (DHIS2 class simple name). */
  types: { type: string; stats: ImportStats }[];
  /** One line per error report: the object, its index and uid, the error code and DHIS2's message. */
  errors: string[];
}

export type PushOutcome =
  | { ok: true; validate: ImportReportSummary; commit: ImportReportSummary }
  | { ok: false; stage: 'VALIDATE' | 'COMMIT'; message: string; report?: ImportReportSummary };

const PARAMS = { importStrategy: 'CREATE_AND_UPDATE', atomicMode: 'ALL', identifier: 'UID', importReportMode: 'ERRORS' } as const;

const simpleName = (klass: unknown) => (typeof klass === 'string' ? klass.slice(klass.lastIndexOf('.') + 1) : 'object');
const statsOf = (value: unknown): ImportStats => {
  const s = (value ?? {}) as Partial<Record<keyof ImportStats, unknown>>;
  const n = (x: unknown) => (typeof x === 'number' ? x : 0);
  return { created: n(s.created), updated: n(s.updated), deleted: n(s.deleted), ignored: n(s.ignored), total: n(s.total) };
};

/** Reads an ImportReport, wrapped in the WebMessage envelope (API ≥ 38) or bare; undefined when it is none. */
export function readImportReport(body: unknown): ImportReportSummary | undefined {
  const envelope = body as { response?: unknown } | undefined;
  const report = (envelope?.response ?? body) as Record<string, unknown> | undefined;
  if (!report || typeof report !== 'object' || typeof report['status'] !== 'string' || !('stats' in report)) return undefined;
  const typeReports = Array.isArray(report['typeReports']) ? (report['typeReports'] as Record<string, unknown>[]) : [];
  const errors: string[] = [];
  for (const typeReport of typeReports) {
    for (const objectReport of (typeReport['objectReports'] as Record<string, unknown>[] | undefined) ?? []) {
      for (const errorReport of (objectReport['errorReports'] as Record<string, unknown>[] | undefined) ?? []) {
        errors.push(
          `${simpleName(objectReport['klass'] ?? typeReport['klass'])}[${String(objectReport['index'])}] ${String(objectReport['uid'] ?? '')}: ` +
            `${String(errorReport['errorCode'])} ${String(errorReport['message'])}`,
        );
      }
    }
  }
  return {
    status: report['status'] as string,
    stats: statsOf(report['stats']),
    types: typeReports.map((typeReport) => ({ type: simpleName(typeReport['klass']), stats: statsOf(typeReport['stats']) })),
    errors,
  };
}

async function importStage(client: Pick<Dhis2Client, 'postMetadata'>, pkg: MetadataPackage, importMode: 'VALIDATE' | 'COMMIT') {
  const { status, body } = await client.postMetadata(pkg, { ...PARAMS, importMode });
  const report = readImportReport(body);
  if (!report) {
    const message = typeof (body as { message?: unknown })?.message === 'string' ? `: ${(body as { message: string }).message}` : '';
    return { ok: false as const, message: `DHIS2 answered HTTP ${status} without an import report${message}` };
  }
  if (report.status !== 'OK') return { ok: false as const, message: `the import report has status ${report.status} (HTTP ${status})`, report };
  return { ok: true as const, report };
}

export async function pushPackage(client: Pick<Dhis2Client, 'postMetadata'>, pkg: MetadataPackage): Promise<PushOutcome> {
  const validate = await importStage(client, pkg, 'VALIDATE');
  if (!validate.ok) return { ok: false, stage: 'VALIDATE', message: validate.message, ...(validate.report ? { report: validate.report } : {}) };
  const commit = await importStage(client, pkg, 'COMMIT');
  if (!commit.ok) return { ok: false, stage: 'COMMIT', message: commit.message, ...(commit.report ? { report: commit.report } : {}) };
  return { ok: true, validate: validate.report, commit: commit.report };
}

export function statsText(stats: ImportStats): string {
  return `created ${stats.created}, updated ${stats.updated}, deleted ${stats.deleted}, ignored ${stats.ignored}, total ${stats.total}`;
}
