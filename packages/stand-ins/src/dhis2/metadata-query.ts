// The metadata list machinery DHIS2's AbstractFullReadOnlyController.getObjectList applies to every
// `/api/{objects}` list, for the object types the stand-in lists (organisationUnits, users): `filter=`
// (DefaultJpaQueryParser: `property:operator:value`, AND-ed unless `rootJunction=OR`), `order=`
// (default: name case-insensitively, then creation order, as Query.setDefaultOrder), `paging`, `page`,
// `pageSize` (default 50) and the pager (`Pager`, with DefaultLinkService.generatePagerLinks'
// nextPage/prevPage), then `fields=` (field-filter.ts). Query errors are 409 (CrudControllerAdvice
// queryExceptionHandler → conflict). Simplified: no `query=`, no token/attribute filters, no `order` on
// nested paths.
import { Entity, filterEntities, type FieldValue } from './field-filter.js';
import type { Dhis2Request, Dhis2Response } from './types.js';
import { errorMessage, jsonResponse } from './web-message.js';

export type Query = Dhis2Request['query'];

export function queryValues(query: Query, name: string): string[] {
  const value = query?.[name];
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
}

export function queryValue(query: Query, name: string): string | undefined {
  return queryValues(query, name)[0];
}

export class QueryError extends Error {}

/** The values a property path (`parent.id`, `organisationUnits.code`) reaches from an entity. */
function valuesAt(value: FieldValue, path: readonly string[]): FieldValue[] {
  if (path.length === 0) return Array.isArray(value) ? [...value] : [value];
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap((item) => valuesAt(item as FieldValue, path));
  const [head, ...rest] = path as [string, ...string[]];
  if (value instanceof Entity) return valuesAt(value.properties()[head], rest);
  if (typeof value === 'object') return valuesAt((value as Record<string, FieldValue>)[head], rest);
  return [];
}

function scalar(value: FieldValue): string | number | boolean | undefined {
  if (value instanceof Entity) return value.id;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return undefined;
}

function compare(a: string | number | boolean, b: string): number {
  if (typeof a === 'number') return a - Number(b);
  return String(a) < b ? -1 : String(a) > b ? 1 : 0;
}

function equal(a: string | number | boolean, b: string): boolean {
  return typeof a === 'number' ? a === Number(b) : typeof a === 'boolean' ? String(a) === b.toLowerCase() : a === b;
}

/** `[A,B]` → ['A', 'B'] (DefaultJpaQueryParser.parseValue for collections). */
function listArgument(argument: string): string[] {
  const inner = argument.startsWith('[') && argument.endsWith(']') ? argument.slice(1, -1) : argument;
  return inner.split(',').map((part) => part.trim()).filter((part) => part !== '');
}

type Predicate = (entity: Entity) => boolean;

/** One `filter=` (DefaultJpaQueryParser.getRestriction: the operators it knows). */
function parseFilter(filter: string, known: ReadonlySet<string>): Predicate {
  const parts = filter.split(':');
  if (parts.length < 2) throw new QueryError(`Invalid filter => ${filter}`);
  const [path, operator] = parts as [string, string];
  const argument = parts.length >= 3 ? filter.slice(path.length + operator.length + 2) : '';
  const segments = path.split('.');
  if (!known.has(segments[0] as string)) throw new QueryError(`Unknown path property: ${path}`);
  const values = (entity: Entity) => valuesAt(entity, segments).map(scalar).filter((v): v is string | number | boolean => v !== undefined);
  const text = (entity: Entity) => values(entity).map((v) => String(v));
  const like = (mode: 'any' | 'start' | 'end', insensitive: boolean) => (entity: Entity) => {
    const wanted = insensitive ? argument.toLowerCase() : argument;
    return text(entity).some((raw) => {
      const v = insensitive ? raw.toLowerCase() : raw;
      return mode === 'any' ? v.includes(wanted) : mode === 'start' ? v.startsWith(wanted) : v.endsWith(wanted);
    });
  };
  const not = (predicate: Predicate): Predicate => (entity) => !predicate(entity);
  switch (operator) {
    case 'eq':
      return (entity) => values(entity).some((v) => equal(v, argument));
    case 'ieq':
      return (entity) => text(entity).some((v) => v.toLowerCase() === argument.toLowerCase());
    case '!eq':
    case 'neq':
    case 'ne':
      return (entity) => !values(entity).some((v) => equal(v, argument));
    case 'gt':
      return (entity) => values(entity).some((v) => compare(v, argument) > 0);
    case 'lt':
      return (entity) => values(entity).some((v) => compare(v, argument) < 0);
    case 'gte':
    case 'ge':
      return (entity) => values(entity).some((v) => compare(v, argument) >= 0);
    case 'lte':
    case 'le':
      return (entity) => values(entity).some((v) => compare(v, argument) <= 0);
    case 'like':
      return like('any', false);
    case '!like':
      return not(like('any', false));
    case '$like':
      return like('start', false);
    case '!$like':
      return not(like('start', false));
    case 'like$':
      return like('end', false);
    case '!like$':
      return not(like('end', false));
    case 'ilike':
      return like('any', true);
    case '!ilike':
      return not(like('any', true));
    case 'startsWith':
    case '$ilike':
      return like('start', true);
    case '!$ilike':
      return not(like('start', true));
    case 'endsWith':
    case 'ilike$':
      return like('end', true);
    case '!ilike$':
      return not(like('end', true));
    case 'in':
    case '!in': {
      const list = listArgument(argument);
      if (list.length === 0) throw new QueryError(`Invalid argument \`${argument}\` for in operator.`);
      const within: Predicate = (entity) => values(entity).some((v) => list.some((item) => equal(v, item)));
      return operator === 'in' ? within : not(within);
    }
    case 'null':
      return (entity) => values(entity).length === 0;
    case '!null':
      return (entity) => values(entity).length > 0;
    case 'empty':
      return (entity) => values(entity).length === 0;
    default:
      throw new QueryError(`\`${operator}\` is not a valid operator.`);
  }
}

function sortKey(entity: Entity, property: string): string | number {
  const value = scalar(entity.properties()[property] ?? null);
  return typeof value === 'number' ? value : String(value ?? '');
}

/** `order=name:asc,level:desc` (iasc/idesc ignore case); default `name` ignoring case, then load order. */
function ordered(entities: Entity[], order: string[], known: ReadonlySet<string>): Entity[] {
  const orders = order.flatMap((text) => text.split(',')).map((text) => {
    const [property = '', direction = 'asc'] = text.split(':');
    return { property, direction: direction.toLowerCase() };
  }).filter((o) => known.has(o.property));
  const effective = orders.length > 0 ? orders : known.has('name') ? [{ property: 'name', direction: 'iasc' }] : [];
  const indexed = entities.map((entity, index) => ({ entity, index }));
  indexed.sort((a, b) => {
    for (const { property, direction } of effective) {
      let x = sortKey(a.entity, property);
      let y = sortKey(b.entity, property);
      if (direction.startsWith('i') && typeof x === 'string' && typeof y === 'string') {
        x = x.toLowerCase();
        y = y.toLowerCase();
      }
      const cmp = x < y ? -1 : x > y ? 1 : 0;
      if (cmp !== 0) return direction.endsWith('desc') ? -cmp : cmp;
    }
    return a.index - b.index;
  });
  return indexed.map(({ entity }) => entity);
}

/** Java's URLEncoder.encode (UTF-8): spaces as `+`, only `A-Za-z0-9.-*_` left as they are. */
function javaUrlEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, '+');
}

export interface ListContext {
  /** `HttpServletRequestPaths.getApiPath`: context path, `/api`, and the version when the request had one. */
  apiPath: string;
  /** The collection name, e.g. `organisationUnits`. */
  collection: string;
  /** Property names a filter or order may name (the schema's). */
  properties: ReadonlySet<string>;
  /** The preset when `fields` is absent (lists: `id,displayName`). */
  defaultFields?: string;
}

/** The list answer for `entities` under the request's filter, order, paging and fields. */
export function listAnswer(entities: readonly Entity[], query: Query, context: ListContext): Dhis2Response {
  let selected: Entity[];
  try {
    const predicates = queryValues(query, 'filter').map((filter) => parseFilter(filter, context.properties));
    const or = (queryValue(query, 'rootJunction') ?? 'AND').toUpperCase() === 'OR';
    selected = entities.filter((entity) =>
      predicates.length === 0 ? true : or ? predicates.some((p) => p(entity)) : predicates.every((p) => p(entity)),
    );
    selected = ordered(selected, queryValues(query, 'order'), context.properties);
  } catch (error) {
    if (error instanceof QueryError) return errorMessage(409, error.message);
    throw error;
  }
  const paging = (queryValue(query, 'paging') ?? 'true').toLowerCase() !== 'false';
  const fields = queryValues(query, 'fields');
  const body: Record<string, unknown> = {};
  if (paging) {
    const pageSize = Math.max(Number.parseInt(queryValue(query, 'pageSize') ?? '50', 10) || 50, 1);
    const requested = Math.max(Number.parseInt(queryValue(query, 'page') ?? '1', 10) || 1, 1);
    const total = selected.length;
    const pageCount = Math.ceil(total / pageSize);
    const page = Math.max(Math.min(requested, pageCount), 1);
    selected = selected.slice((requested - 1) * pageSize, requested * pageSize);
    const pager: Record<string, unknown> = { page, total, pageSize, pageCount };
    const endpoint = `${context.apiPath}/${context.collection}`;
    const parameters = Object.entries(query ?? {})
      .filter(([name]) => name !== 'page' && name !== 'pageSize')
      .flatMap(([name, values]) => [values ?? []].flat().map((value) => `${javaUrlEncode(name)}=${javaUrlEncode(value)}`))
      .join('&');
    const sizePart = pageSize === 50 ? '' : `&pageSize=${pageSize}`;
    if (page < pageCount) pager['nextPage'] = `${endpoint}?page=${page + 1}${sizePart}${parameters ? `&${parameters}` : ''}`;
    if (page > 1) {
      if (page - 1 === 1) {
        const tail = pageSize === 50 ? (parameters ? `?${parameters}` : '') : `?pageSize=${pageSize}${parameters ? `&${parameters}` : ''}`;
        pager['prevPage'] = `${endpoint}${tail}`;
      } else pager['prevPage'] = `${endpoint}?page=${page - 1}${sizePart}${parameters ? `&${parameters}` : ''}`;
    }
    body['pager'] = pager;
  }
  body[context.collection] = filterEntities(selected, fields, context.defaultFields ?? 'id,displayName');
  return jsonResponse(200, body, { 'cache-control': 'no-cache, private' });
}
