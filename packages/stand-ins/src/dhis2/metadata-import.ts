// POST /api/metadata (shared/reference/dhis2-web-api.md §5): validates a package the way DHIS2's import
// does for the checks the reference lists (E4014 invalid uid, E4000 missing required property, E4001 too
// long, E5002 invalid reference, against the payload and what is already stored), then commits it with
// CREATE_AND_UPDATE semantics. importMode=VALIDATE counts what would be created or updated and stores
// nothing; atomicMode=ALL (the default) stores nothing when any object has an error and moves every count
// into `ignored`. The ImportReport answer: 200/OK, or 409 with envelope status WARNING (§5.6).
import { randomInt } from 'node:crypto';
import { isPeriodTypeName } from './periods.js';
import type { Metadata } from './metadata.js';
import type { Dhis2MetadataPayload, Dhis2Request, Dhis2Response } from './types.js';
import { errorMessage, webMessageResponse } from './web-message.js';

interface TypeInfo {
  klass: string;
  required: readonly string[];
  /** Reference fields: path inside the object (`x[]` = each element of array x) → target type. */
  references: Record<string, string>;
}

const TYPES: Record<string, TypeInfo> = {
  categoryOptions: { klass: 'org.hisp.dhis.category.CategoryOption', required: ['name', 'shortName'], references: {} },
  categories: { klass: 'org.hisp.dhis.category.Category', required: ['name', 'shortName'], references: { 'categoryOptions[]': 'categoryOptions' } },
  categoryCombos: { klass: 'org.hisp.dhis.category.CategoryCombo', required: ['name', 'dataDimensionType'], references: { 'categories[]': 'categories' } },
  categoryOptionCombos: {
    klass: 'org.hisp.dhis.category.CategoryOptionCombo',
    required: [],
    references: { categoryCombo: 'categoryCombos', 'categoryOptions[]': 'categoryOptions' },
  },
  dataElements: {
    klass: 'org.hisp.dhis.dataelement.DataElement',
    required: ['name', 'shortName', 'valueType', 'domainType', 'aggregationType'],
    references: { categoryCombo: 'categoryCombos' },
  },
  dataSets: {
    klass: 'org.hisp.dhis.dataset.DataSet',
    required: ['name', 'shortName', 'periodType'],
    references: { categoryCombo: 'categoryCombos', 'dataSetElements[].dataElement': 'dataElements', 'organisationUnits[]': 'organisationUnits' },
  },
  indicatorTypes: { klass: 'org.hisp.dhis.indicator.IndicatorType', required: ['name', 'factor'], references: {} },
  indicators: {
    klass: 'org.hisp.dhis.indicator.Indicator',
    required: ['name', 'shortName', 'numerator', 'denominator', 'indicatorType'],
    references: { indicatorType: 'indicatorTypes' },
  },
  organisationUnits: {
    klass: 'org.hisp.dhis.organisationunit.OrganisationUnit',
    required: ['name', 'shortName', 'openingDate'],
    references: { parent: 'organisationUnits', 'dataSets[]': 'dataSets' },
  },
  visualizations: {
    klass: 'org.hisp.dhis.visualization.Visualization',
    required: ['name', 'type'],
    references: { 'dataDimensionItems[].indicator': 'indicators', 'dataDimensionItems[].dataElement': 'dataElements' },
  },
  dashboards: { klass: 'org.hisp.dhis.dashboard.Dashboard', required: ['name'], references: { 'dashboardItems[].visualization': 'visualizations' } },
};
/** Import order: references first (DHIS2's `SchemaService.getMetadataSchemas` order, for these types). */
const ORDER = Object.keys(TYPES);
const MAX_LENGTH: Record<string, number> = { name: 230, shortName: 50, code: 50, formName: 230 };
const UID = /^[a-zA-Z][a-zA-Z0-9]{10}$/;
const UID_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export interface Stats {
  created: number;
  updated: number;
  deleted: number;
  ignored: number;
  total: number;
}
export interface ErrorReport {
  message: string;
  mainKlass: string;
  mainId?: string;
  errorKlass?: string;
  errorProperty?: string;
  errorProperties: string[];
  errorCode: string;
  args: string[];
}
export interface ObjectReport {
  klass: string;
  index: number;
  uid?: string;
  errorReports: ErrorReport[];
}
export interface TypeReport {
  klass: string;
  stats: Stats;
  objectReports: ObjectReport[];
}
export interface ImportReport {
  responseType: 'ImportReport';
  status: 'OK' | 'WARNING' | 'ERROR';
  stats: Stats;
  typeReports: TypeReport[];
}

const zero = (): Stats => ({ created: 0, updated: 0, deleted: 0, ignored: 0, total: 0 });

function single(query: Dhis2Request['query'], name: string): string | undefined {
  const value = query?.[name];
  return Array.isArray(value) ? value[0] : (value as string | undefined);
}

function generateUid(): string {
  let uid = UID_ALPHABET[randomInt(52)] as string;
  for (let i = 1; i < 11; i++) uid += UID_ALPHABET[randomInt(62)];
  return uid;
}

/** The values of a reference path (`dataSetElements[].dataElement`) in an object. */
function referencesAt(object: Record<string, unknown>, path: string): unknown[] {
  let current: unknown[] = [object];
  for (const step of path.split('.')) {
    const many = step.endsWith('[]');
    const field = many ? step.slice(0, -2) : step;
    current = current.flatMap((value) => {
      const next = (value as Record<string, unknown> | undefined)?.[field];
      if (next === undefined || next === null) return [];
      return many ? (Array.isArray(next) ? next : []) : [next];
    });
  }
  return current;
}

function displayName(object: Record<string, unknown>, id: string | undefined, klass: string): string {
  const simple = klass.slice(klass.lastIndexOf('.') + 1);
  return typeof object['name'] === 'string' ? `${object['name']} [${id}] (${simple})` : `[${id}] (${simple})`;
}

export function importMetadata(metadata: Metadata, request: Dhis2Request): Dhis2Response {
  const importMode = (single(request.query, 'importMode') ?? 'COMMIT').toUpperCase();
  const atomicMode = (single(request.query, 'atomicMode') ?? 'ALL').toUpperCase();
  const strategy = (single(request.query, 'importStrategy') ?? 'CREATE_AND_UPDATE').toUpperCase();
  const identifier = (single(request.query, 'identifier') ?? 'UID').toUpperCase();
  if (!['COMMIT', 'VALIDATE'].includes(importMode)) return errorMessage(400, `Value '${importMode}' is not valid for parameter importMode`);
  if (!['ALL', 'NONE'].includes(atomicMode)) return errorMessage(400, `Value '${atomicMode}' is not valid for parameter atomicMode`);
  if (!['CREATE_AND_UPDATE', 'CREATE', 'UPDATE'].includes(strategy)) {
    return errorMessage(400, `importStrategy ${strategy} is not modelled by the stand-in (CREATE_AND_UPDATE, CREATE, UPDATE are)`);
  }
  if (identifier !== 'UID') return errorMessage(400, `identifier ${identifier} is not modelled by the stand-in (UID is)`);

  let payload: unknown = request.body;
  if (typeof payload === 'string' || payload === undefined) {
    try {
      payload = JSON.parse((payload as string | undefined) ?? '');
    } catch (error) {
      return errorMessage(400, `JSON parse error: ${(error as Error).message}`);
    }
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return errorMessage(400, 'The metadata payload must be a JSON object');
  const body = payload as Record<string, unknown>;

  // Ids in the payload, per type, so references among its own objects resolve.
  const incoming = new Map<string, Set<string>>();
  for (const type of ORDER) {
    const list = body[type];
    if (!Array.isArray(list)) continue;
    for (const object of list as Record<string, unknown>[]) {
      if (typeof object['id'] !== 'string') object['id'] = generateUid();
      (incoming.get(type) ?? incoming.set(type, new Set()).get(type)!).add(object['id'] as string);
    }
  }
  const exists = (type: string, id: string) => incoming.get(type)?.has(id) === true || metadata.hasObject(type, id);

  const typeReports: TypeReport[] = [];
  const valid: Dhis2MetadataPayload = {};
  let anyError = false;
  for (const type of ORDER) {
    const list = body[type];
    if (!Array.isArray(list)) continue;
    const info = TYPES[type] as TypeInfo;
    const report: TypeReport = { klass: info.klass, stats: zero(), objectReports: [] };
    const accepted: Record<string, unknown>[] = [];
    const seen = new Set<string>();
    (list as Record<string, unknown>[]).forEach((object, index) => {
      const id = object['id'] as string;
      const errors: ErrorReport[] = [];
      const error = (errorCode: string, message: string, extra: Partial<ErrorReport> = {}) =>
        errors.push({ message, mainKlass: info.klass, errorProperties: [], errorCode, args: [], ...extra });
      if (!UID.test(id)) error('E4014', `Invalid UID \`${id}\` for property \`id\``, { errorProperty: 'id', errorProperties: [id, 'id'], args: [id, 'id'] });
      for (const field of info.required) {
        const value = object[field];
        const missing =
          value === undefined || value === null || value === '' || (type === 'dataSets' && field === 'periodType' && !isPeriodTypeName(String(value)));
        if (missing) error('E4000', `Missing required property \`${field}\``, { errorKlass: 'java.lang.String', errorProperty: field, errorProperties: [field], args: [field] });
      }
      for (const [field, max] of Object.entries(MAX_LENGTH)) {
        const value = object[field];
        if (typeof value === 'string' && value.length > max) {
          error('E4001', `Maximum length of property \`${field}\`is ${max}, but given length was ${value.length}`, {
            errorProperty: field,
            errorProperties: [field, String(max), String(value.length)],
            args: [field, String(max), String(value.length)],
          });
        }
      }
      for (const [path, target] of Object.entries(info.references)) {
        for (const ref of referencesAt(object, path)) {
          const refId = (ref as { id?: unknown }).id;
          if (typeof refId === 'string' && exists(target, refId)) continue;
          const targetKlass = (TYPES[target] as TypeInfo).klass;
          const args = [`[${String(refId)}] (${targetKlass.slice(targetKlass.lastIndexOf('.') + 1)})`, displayName(object, id, info.klass), path.replace(/\[\]/g, '')];
          error('E5002', `Invalid reference ${args[0]} on object ${args[1]} for association \`${args[2]}\``, {
            mainId: id,
            errorKlass: targetKlass,
            errorProperty: args[2],
            errorProperties: args,
            args,
          });
        }
      }
      const existed = metadata.hasObject(type, id) || seen.has(id);
      seen.add(id);
      if (strategy === 'CREATE' && existed) error('E5000', `Found matching object for reference, but import mode is CREATE. Identifier was ${id}, and object was ${displayName(object, id, info.klass)}.`, { mainId: id });
      if (strategy === 'UPDATE' && !existed) error('E5001', `No matching object for reference. Identifier was ${id}, and object was ${displayName(object, id, info.klass)}.`, { mainId: id });
      report.stats.total += 1;
      if (errors.length > 0) {
        anyError = true;
        report.stats.ignored += 1;
        report.objectReports.push({ klass: info.klass, index, uid: id, errorReports: errors });
        return;
      }
      if (existed) report.stats.updated += 1;
      else report.stats.created += 1;
      accepted.push(object);
    });
    valid[type] = accepted;
    typeReports.push(report);
  }

  const atomicFailure = anyError && atomicMode === 'ALL';
  if (atomicFailure) {
    for (const report of typeReports) {
      report.stats = { created: 0, updated: 0, deleted: 0, ignored: report.stats.total, total: report.stats.total };
    }
  }
  if (!atomicFailure && importMode === 'COMMIT') metadata.load(valid);
  const stats = typeReports.reduce((sum, report) => {
    for (const key of Object.keys(sum) as (keyof Stats)[]) sum[key] += report.stats[key];
    return sum;
  }, zero());
  const status = atomicFailure ? 'ERROR' : anyError ? 'WARNING' : 'OK';
  const importReport: ImportReport = { responseType: 'ImportReport', status, stats, typeReports };
  return status === 'OK'
    ? webMessageResponse({ httpStatusCode: 200, status: 'OK', response: importReport })
    : webMessageResponse({
        httpStatusCode: 409,
        status: 'WARNING',
        message: 'One or more errors occurred, please see full details in import report.',
        response: importReport,
      });
}
