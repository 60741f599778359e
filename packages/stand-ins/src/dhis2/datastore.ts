// The DHIS2 data store, `/api/dataStore` (reference/dhis2-web-api.md §6.1; dhis2-core DatastoreController,
// AbstractDatastoreController, DefaultDatastoreService, DatastoreQuery, HibernateDatastoreStore, 2.39–2.42):
//
// | call                                         | answer                                                         |
// |----------------------------------------------|----------------------------------------------------------------|
// | GET    /api/dataStore                        | ["ns1","ns2"]                                                  |
// | GET    /api/dataStore/{ns}[/keys]            | ["key1","key2"] (lastUpdated= filters); none → 404 "Namespace  |
// |                                              |   not found: '{ns}'"                                           |
// | GET    /api/dataStore/{ns}?fields=…          | {"pager":{"page":1,"pageSize":50},"entries":[{"key":…,…}]};    |
// |                                              |   headless=true → the array; paging=false → all entries        |
// | GET    /api/dataStore/{ns}/{key}             | the stored JSON (jsonb text); missing → 404 "Key '{key}' not   |
// |                                              |   found in namespace '{ns}'"                                   |
// | GET    /api/dataStore/{ns}/{key}/metaData    | the entry without its value                                    |
// | POST   /api/dataStore/{ns}/{key}             | 201 "Key created: '{key}'"; exists → 409 "Key '{key}' already  |
// |                                              |   exists in namespace '{ns}'"; bad JSON → 400 "Invalid JSON    |
// |                                              |   value for key '{key}'"                                       |
// | PUT    /api/dataStore/{ns}/{key}             | 200 "Key updated: '{key}'", or 201 created when missing; 2.41+ |
// |                                              |   path= (set a member) and roll= (append to an array); an      |
// |                                              |   empty body deletes the entry (2.41+)                         |
// | DELETE /api/dataStore/{ns}/{key}             | 200 "Key '{key}' deleted from namespace '{ns}'"; missing → 404 |
// | DELETE /api/dataStore/{ns}                   | 200 "Namespace deleted: '{ns}'"; missing → 404                 |
//
// Errors carry the error codes of the exceptions DHIS2 throws (NotFoundException E1005, ConflictException
// E1004, BadRequestException E1003). Namespace protection (set by apps) and per-entry sharing are not
// modelled: every authenticated user reads and writes every namespace, as on a namespace without protection.
// Query `filter`s and orders other than by key are not modelled and answer 400 saying so.
import type { Dhis2User } from './auth.js';
import { extractPath, jsonbText, JsonSyntaxError, parseJsonb, setPath, type JsonbNode } from './jsonb.js';
import type { Dhis2Request, Dhis2Response } from './types.js';
import { errorMessage, jsonResponse, webMessageResponse } from './web-message.js';

interface Entry {
  id: string;
  namespace: string;
  key: string;
  /** The stored JSON, null for a null value (2.41+ PUT without a body on a new key). */
  value: JsonbNode | null;
  encrypted: boolean;
  created: string;
  lastUpdated: string;
  createdBy: Dhis2User;
  lastUpdatedBy: Dhis2User;
}

export interface DatastoreContext {
  user: Dhis2User;
  now: Date;
  minorVersion: number;
  newUid: () => string;
}

type Query = Dhis2Request['query'];

function first(query: Query, name: string): string | undefined {
  const value = query?.[name];
  return typeof value === 'string' ? value : value?.[0];
}

function bool(query: Query, name: string, fallback: boolean): boolean {
  const value = first(query, name);
  return value === undefined ? fallback : value.toLowerCase() === 'true';
}

function int(query: Query, name: string, fallback: number): number {
  const value = Number.parseInt(first(query, name) ?? '', 10);
  return Number.isNaN(value) ? fallback : value;
}

/** `DateUtils.toIso8601NoTz` as WriteDateStdSerializer writes dates (the stand-in's zone is UTC). */
function isoNoTz(iso: string): string {
  return iso.slice(0, 23);
}

const PATH_PATTERN = /^[-_a-zA-Z0-9]{1,32}(?:\.[-_a-zA-Z0-9]{1,32}){0,5}$/;

/** `DatastoreQuery.normalisePath`: `a[0]` → `a.0`; an invalid path is E7650 (409). */
function normalisePath(path: string): string | null {
  const normalised = path.replace(/\[(\d+)]/g, '.$1');
  return path === '.' || PATH_PATTERN.test(normalised) ? normalised : null;
}

interface Field {
  path: string;
  alias: string;
}

/** `DatastoreQuery.parseFields`: `a,b[c,d],e(f)`, `x~hoist(y)` renames. */
function parseFields(fields: string): Field[] | { invalid: string } {
  const out: Field[] = [];
  let parent = '';
  let start = 0;
  const add = (field: string): void => {
    if (field === '') return;
    const hoist = field.indexOf('~hoist(');
    const name = hoist > 0 ? field.slice(0, hoist) : field;
    const path = parent + name;
    out.push({ path, alias: hoist > 0 ? field.slice(hoist + 7, -1) : path === '.' ? 'value' : path });
  };
  while (start < fields.length) {
    let end = start;
    while (end < fields.length && /[-_a-zA-Z0-9.]/.test(fields[end] as string)) end++;
    if (fields.startsWith('~hoist(', end)) end = fields.indexOf(')', end) + 1 || fields.length;
    const field = fields.slice(start, end);
    start = end + 1;
    if (end >= fields.length) {
      add(field);
      break;
    }
    const next = fields[end];
    if (next === ',') add(field);
    else if (next === '[' || next === '(') parent += `${field}.`;
    else if (next === ']' || next === ')') {
      add(field);
      parent = parent.slice(0, parent.lastIndexOf('.', parent.length - 2) + 1);
    } else return { invalid: `Illegal fields expression, expected \`,\`, \`[\` or \`]\` at position ${end} but found \`${next}\`` };
  }
  for (const field of out) {
    const normalised = normalisePath(field.path);
    if (normalised === null) return { invalid: `Not a valid path: \`${field.path}\`` };
    field.path = normalised;
  }
  return out;
}

/** Nests `a.b` aliases into objects, as JsonWriter.writeEntries opens and closes members. */
function nest(target: Record<string, unknown>, alias: string, value: unknown): void {
  const parts = alias.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const existing = node[part];
    node = (node[part] = typeof existing === 'object' && existing !== null ? existing : {}) as Record<string, unknown>;
  }
  node[parts.at(-1) as string] = value;
}

export class Datastore {
  /** Namespace → key → entry, in insertion order. */
  private readonly namespaces = new Map<string, Map<string, Entry>>();

  clear(): void {
    this.namespaces.clear();
  }

  /** The stored value's JSON text (jsonb form) for a test, or undefined. */
  valueOf(namespace: string, key: string): unknown {
    const entry = this.namespaces.get(namespace)?.get(key);
    return entry?.value ? JSON.parse(jsonbText(entry.value)) : undefined;
  }

  /** `segments` follow `/api/dataStore`, decoded. */
  handle(method: string, segments: string[], request: Dhis2Request, context: DatastoreContext): Dhis2Response {
    const [namespace, key, extra] = segments;
    const query = request.query;
    if (segments.length === 0) {
      return method === 'GET' ? this.noStore(jsonResponse(200, [...this.namespaces.keys()].sort())) : this.notAllowed(method);
    }
    const ns = namespace as string;
    if (segments.length === 1 || (segments.length === 2 && key === 'keys' && method === 'GET')) {
      if (method === 'GET') return first(query, 'fields') !== undefined && segments.length === 1 ? this.entries(ns, query) : this.keys(ns, query);
      if (method === 'DELETE' && segments.length === 1) return this.deleteNamespace(ns);
      return this.notAllowed(method);
    }
    const k = key as string;
    if (segments.length === 3 && extra === 'metaData' && method === 'GET') return this.metaData(ns, k);
    if (segments.length !== 2) return errorMessage(404, `No endpoint ${method} ${request.path}`);
    if (method === 'POST' || method === 'PUT') {
      const refused = this.unsupportedContentType(method, request, context.minorVersion);
      if (refused) return refused;
    }
    switch (method) {
      case 'GET': {
        const entry = this.namespaces.get(ns)?.get(k);
        if (!entry) return this.keyNotFound(ns, k);
        return { status: 200, headers: { 'content-type': 'application/json;charset=UTF-8' }, body: entry.value ? jsonbText(entry.value) : '' };
      }
      case 'POST':
        return this.add(ns, k, request, context);
      case 'PUT':
        return this.put(ns, k, request, context);
      case 'DELETE': {
        const keys = this.namespaces.get(ns);
        if (!keys?.has(k)) return this.keyNotFound(ns, k);
        keys.delete(k);
        if (keys.size === 0) this.namespaces.delete(ns);
        return webMessageResponse({ httpStatusCode: 200, status: 'OK', message: `Key '${k}' deleted from namespace '${ns}'` });
      }
      default:
        return this.notAllowed(method);
    }
  }

  /**
   * `consumes = APPLICATION_JSON_VALUE`: Spring's ConsumesRequestCondition checks the content type when there
   * is a body or the body is required (POST; PUT before 2.41), and answers 415 otherwise.
   */
  private unsupportedContentType(method: string, request: Dhis2Request, minorVersion: number): Dhis2Response | undefined {
    const contentType = Object.entries(request.headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type')?.[1]?.trim() ?? '';
    const required = method === 'POST' || minorVersion < 41;
    if (!required && this.bodyText(request) === null) return undefined;
    if (/^application\/json\s*(;|$)/i.test(contentType)) return undefined;
    return errorMessage(
      415,
      minorVersion >= 42 ? `Content-Type '${contentType}' is not supported` : `Content type '${contentType}' not supported`,
    );
  }

  private notAllowed(method: string): Dhis2Response {
    return errorMessage(405, `Request method '${method}' is not supported`);
  }

  /** `setNoStore(response)`. */
  private noStore(response: Dhis2Response): Dhis2Response {
    return { ...response, headers: { ...response.headers, 'cache-control': 'no-store' } };
  }

  private keyNotFound(namespace: string, key: string): Dhis2Response {
    return errorMessage(404, `Key '${key}' not found in namespace '${namespace}'`, 'E1005');
  }

  private namespaceNotFound(namespace: string): Dhis2Response {
    return errorMessage(404, `Namespace not found: '${namespace}'`, 'E1005');
  }

  private keys(namespace: string, query: Query): Dhis2Response {
    const entries = this.namespaces.get(namespace);
    if (!entries) return this.namespaceNotFound(namespace);
    const since = first(query, 'lastUpdated');
    const sinceMs = since === undefined ? undefined : Date.parse(since);
    const keys = [...entries.values()]
      .filter((entry) => sinceMs === undefined || Number.isNaN(sinceMs) || Date.parse(entry.lastUpdated) >= sinceMs)
      .map((entry) => entry.key);
    return this.noStore(jsonResponse(200, keys));
  }

  /** `getEntries` (AbstractDatastoreController.writeEntries): only entries with a non-null field, unless includeAll. */
  private entries(namespace: string, query: Query): Dhis2Response {
    const fields = parseFields(first(query, 'fields') ?? '');
    if ('invalid' in fields) return errorMessage(409, fields.invalid, fields.invalid.startsWith('Not a valid') ? 'E7650' : 'E7651');
    if (first(query, 'filter') !== undefined) return errorMessage(400, 'The stand-in does not model data store query filters');
    const order = first(query, 'order') ?? '_';
    const direction = /^_(?:(?:::|:|~|@)(asc|desc))?$/i.exec(order);
    if (!direction) return errorMessage(400, 'The stand-in orders data store entries by key only');
    const page = Math.max(1, int(query, 'page', 1));
    const pageSize = Math.max(1, Math.min(1000, int(query, 'pageSize', 50)));
    const paging = bool(query, 'paging', true);
    const headless = bool(query, 'headless', false);
    const includeAll = bool(query, 'includeAll', false);

    const descending = direction[1]?.toLowerCase() === 'desc';
    let rows = [...(this.namespaces.get(namespace)?.values() ?? [])]
      .map((entry) => {
        const values = fields.map((field) => {
          if (field.path === '_') return JSON.stringify(entry.key);
          // An encrypted entry has no plain jsonb value to query.
          const plain = entry.encrypted ? null : entry.value;
          const node = plain === null ? undefined : field.path === '.' ? plain : extractPath(plain, field.path.split('.'));
          return node === undefined ? null : jsonbText(node);
        });
        return { key: entry.key, values };
      })
      .filter((row) => includeAll || fields.length === 0 || row.values.some((value) => value !== null))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) * (descending ? -1 : 1));
    if (paging) rows = rows.slice((page - 1) * pageSize, page * pageSize);

    const entries = rows.map((row) => {
      const entry: Record<string, unknown> = { key: row.key };
      fields.forEach((field, i) => nest(entry, field.alias, row.values[i] === null ? null : JSON.parse(row.values[i] as string)));
      return entry;
    });
    const body = headless ? entries : { pager: { page, pageSize }, entries };
    return this.noStore(jsonResponse(200, body));
  }

  private metaData(namespace: string, key: string): Dhis2Response {
    const entry = this.namespaces.get(namespace)?.get(key);
    if (!entry) return this.keyNotFound(namespace, key);
    const userRef = (user: Dhis2User) => ({
      id: user.id,
      name: `${user.firstName} ${user.surname}`,
      displayName: `${user.firstName} ${user.surname}`,
      username: user.username,
    });
    return jsonResponse(200, {
      created: isoNoTz(entry.created),
      lastUpdated: isoNoTz(entry.lastUpdated),
      createdBy: userRef(entry.createdBy),
      lastUpdatedBy: userRef(entry.lastUpdatedBy),
      sharing: { owner: entry.createdBy.id, external: false, users: {}, userGroups: {}, public: 'rw------' },
      id: entry.id,
      namespace: entry.namespace,
      key: entry.key,
      encrypted: entry.encrypted,
      access: { manage: true, externalize: true, write: true, read: true, update: true, delete: true },
    });
  }

  private deleteNamespace(namespace: string): Dhis2Response {
    if (!this.namespaces.has(namespace)) return this.namespaceNotFound(namespace);
    this.namespaces.delete(namespace);
    return webMessageResponse({ httpStatusCode: 200, status: 'OK', message: `Namespace deleted: '${namespace}'` });
  }

  /** The body as DHIS2's @RequestBody String: absent or empty is null. */
  private bodyText(request: Dhis2Request): string | null {
    const body = request.body;
    if (body === undefined || body === null || body === '') return null;
    return typeof body === 'string' ? body : JSON.stringify(body);
  }

  /** `validateEntry`: null passes; anything else must be JSON. */
  private parse(key: string, text: string | null): JsonbNode | null | Dhis2Response {
    if (text === null) return null;
    try {
      return parseJsonb(text);
    } catch (error) {
      if (error instanceof JsonSyntaxError) return errorMessage(400, `Invalid JSON value for key '${key}'`, 'E1003');
      throw error;
    }
  }

  private add(namespace: string, key: string, request: Dhis2Request, context: DatastoreContext, text = this.bodyText(request)): Dhis2Response {
    if (this.namespaces.get(namespace)?.has(key)) {
      return errorMessage(409, `Key '${key}' already exists in namespace '${namespace}'`, 'E1004');
    }
    // POST's @RequestBody is required: Spring refuses an empty body before DHIS2 sees it (HttpMessageNotReadable-
    // Exception → 400; Spring's message goes on with the controller method's signature, left out here).
    if (text === null && request.method.toUpperCase() === 'POST') return errorMessage(400, 'Required request body is missing');
    const value = this.parse(key, text);
    if (value !== null && 'status' in value) return value;
    const now = context.now.toISOString();
    const entries = this.namespaces.get(namespace) ?? new Map<string, Entry>();
    this.namespaces.set(namespace, entries);
    entries.set(key, {
      id: context.newUid(),
      namespace,
      key,
      value,
      encrypted: bool(request.query, 'encrypt', false),
      created: now,
      lastUpdated: now,
      createdBy: context.user,
      lastUpdatedBy: context.user,
    });
    return webMessageResponse({ httpStatusCode: 201, status: 'OK', message: `Key created: '${key}'` });
  }

  /** `putEntry`: create when missing, else `updateEntry(ns, key, value, path, roll)` (2.41+) or replace. */
  private put(namespace: string, key: string, request: Dhis2Request, context: DatastoreContext): Dhis2Response {
    const text = this.bodyText(request);
    // Before 2.41 PUT's @RequestBody is required too.
    if (text === null && context.minorVersion < 41) return errorMessage(400, 'Required request body is missing');
    const entry = this.namespaces.get(namespace)?.get(key);
    if (!entry) return this.add(namespace, key, request, context, text);
    const value = this.parse(key, text);
    if (value !== null && 'status' in value) return value;
    const updated = (): Dhis2Response => webMessageResponse({ httpStatusCode: 200, status: 'OK', message: `Key updated: '${key}'` });
    entry.lastUpdated = context.now.toISOString();
    entry.lastUpdatedBy = context.user;
    if (context.minorVersion < 41) {
      entry.value = value;
      return updated();
    }
    const pathText = first(request.query, 'path');
    const rollText = first(request.query, 'roll');
    const roll = rollText === undefined ? undefined : Number.parseInt(rollText, 10);
    const path = pathText === undefined || pathText === '' ? [] : pathText.replace(/\[(\d+)]/g, '.$1').split('.').filter((part) => part !== '');
    // HibernateDatastoreStore.updateEntry.
    if (value === null && path.length === 0) {
      this.namespaces.get(namespace)?.delete(key);
      if (this.namespaces.get(namespace)?.size === 0) this.namespaces.delete(namespace);
      return updated();
    }
    const current: JsonbNode = entry.value ?? { type: 'literal', text: 'null' };
    const incoming: JsonbNode = value ?? { type: 'literal', text: 'null' };
    if (roll === undefined || Number.isNaN(roll)) {
      entry.value = setPath(current, path, incoming);
      return updated();
    }
    const rolled = (target: JsonbNode | undefined): JsonbNode => {
      if (target?.type === 'array') {
        const items = roll < 0 || target.items.length >= roll ? target.items.slice(1) : [...target.items];
        return { type: 'array', items: [...items, incoming] };
      }
      if (path.length === 0) return target?.type === 'literal' && target.text === 'null' ? { type: 'array', items: [incoming] } : incoming;
      return target === undefined || (target.type === 'literal' && target.text === 'null') ? { type: 'array', items: [incoming] } : incoming;
    };
    entry.value = path.length === 0 ? rolled(current) : setPathOrStart(current, path, rolled(extractPath(current, path)));
    return updated();
  }
}

/** jsonb_set(…, create_missing => true) for the last segment, as the roll update's `else` branch does. */
function setPathOrStart(node: JsonbNode, path: readonly string[], value: JsonbNode): JsonbNode {
  if (extractPath(node, path) !== undefined) return setPath(node, path, value);
  const parentPath = path.slice(0, -1);
  const parent = parentPath.length === 0 ? node : extractPath(node, parentPath);
  if (parent?.type !== 'object') return node;
  const entries = new Map(parent.entries);
  entries.set(path.at(-1) as string, value);
  return setPath(node, parentPath, { type: 'object', entries });
}
