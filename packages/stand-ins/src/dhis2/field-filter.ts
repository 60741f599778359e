// DHIS2's `fields=` parameter (dhis2-core org.hisp.dhis.fieldfiltering: FieldFilterParser, FieldPreset,
// FieldFilterService; docs "Field filter") for what apps ask of the stand-in: plain fields (`id,name`),
// nested ones in brackets or parentheses (`organisationUnits[id,code,level,path]`), `*` / `:all`,
// `:identifiable`, `:nameable`, `:owner`, exclusions (`!field`), and the transformers `::size`,
// `::isEmpty`, `::isNotEmpty` and `::rename(name)` (also written `~size`, `~rename(name)`).
//
// Objects are `Entity` values: an identifiable object whose properties are read when needed. A property
// that holds another identifiable object (or a collection of them) is written as a reference `{"id":…}`
// unless sub-fields are asked for, as DHIS2 writes `organisationUnits` of `/api/me` by default. Unknown
// fields are left out, as are null ones (JacksonObjectMapperConfig NON_NULL). Keys come in the order asked.
// Simplified: no `:simple`/`:persisted` presets, no `|`-transformers, no collection `::size` on maps.

export type FieldValue =
  | string
  | number
  | boolean
  | null
  | undefined
  | Entity
  | readonly FieldValue[]
  | { readonly [key: string]: FieldValue };

/** An identifiable object for the field filter: its id and, on demand, every property it has. */
export class Entity {
  constructor(
    readonly id: string,
    private readonly read: () => Record<string, FieldValue>,
  ) {}

  properties(): Record<string, FieldValue> {
    return this.read();
  }
}

export interface FieldSpec {
  name: string;
  exclude: boolean;
  children?: FieldSpec[];
  transformers: { name: string; argument?: string }[];
}

const PRESETS: Record<string, readonly string[]> = {
  ':identifiable': ['id', 'name', 'code', 'created', 'lastUpdated', 'href'],
  ':nameable': ['id', 'name', 'shortName', 'code', 'description', 'created', 'lastUpdated', 'href'],
};
const ALL = new Set(['*', ':all', ':owner']);

/** Splits at top-level commas (brackets and parentheses nest). */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '[' || char === '(') depth += 1;
    if (char === ']' || char === ')') depth -= 1;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}

function parseOne(text: string): FieldSpec {
  let rest = text;
  const exclude = rest.startsWith('!');
  if (exclude) rest = rest.slice(1);
  // A preset (`*`, `:all`) is a name of its own; any other name stops at a bracket or a transformer.
  const name = /^(?:\*|:[A-Za-z]+|[^[(:~]+)/.exec(rest)?.[0] ?? '';
  rest = rest.slice(name.length);
  let children: FieldSpec[] | undefined;
  if (rest.startsWith('[') || rest.startsWith('(')) {
    let depth = 0;
    let end = 0;
    for (; end < rest.length; end++) {
      if (rest[end] === '[' || rest[end] === '(') depth += 1;
      if (rest[end] === ']' || rest[end] === ')') {
        depth -= 1;
        if (depth === 0) break;
      }
    }
    children = parseFields(rest.slice(1, end));
    rest = rest.slice(end + 1);
  }
  const transformers: FieldSpec['transformers'] = [];
  for (const match of rest.matchAll(/(?:::|~)(\w+)(?:\(([^)]*)\))?/g)) {
    transformers.push({ name: match[1] as string, ...(match[2] !== undefined ? { argument: match[2] } : {}) });
  }
  return { name: name.trim(), exclude, ...(children ? { children } : {}), transformers };
}

/** `fields` as the query carries it: one string or several (repeated `fields=` add up). */
export function parseFields(fields: string | readonly string[] | undefined): FieldSpec[] {
  const texts = fields === undefined ? [] : typeof fields === 'string' ? [fields] : fields;
  return texts.flatMap((text) => splitTopLevel(text)).map(parseOne);
}

/** A value with sub-fields asked for (or none: references for entities). */
function render(value: FieldValue, children: FieldSpec[] | undefined): unknown {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Entity) return children ? filterEntity(value, children) : { id: value.id };
  if (Array.isArray(value)) return value.map((item) => render(item as FieldValue, children)).filter((item) => item !== undefined);
  if (typeof value === 'object') {
    const map = value as Record<string, FieldValue>;
    const keys = children && !children.some((child) => ALL.has(child.name)) ? children.map((child) => child.name) : Object.keys(map);
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const item = render(map[key], undefined);
      if (item !== undefined || (key in map && map[key] === null)) out[key] = item ?? null;
    }
    return out;
  }
  return value;
}

function transform(value: unknown, spec: FieldSpec): { key: string; value: unknown } {
  let key = spec.name;
  let out = value;
  for (const { name, argument } of spec.transformers) {
    if (name === 'size') out = Array.isArray(out) ? out.length : typeof out === 'string' ? out.length : 0;
    else if (name === 'isEmpty') out = !Array.isArray(out) || out.length === 0;
    else if (name === 'isNotEmpty') out = Array.isArray(out) && out.length > 0;
    else if (name === 'rename' && argument) key = argument;
  }
  return { key, value: out };
}

/** The entity with `fields` applied. */
export function filterEntity(entity: Entity, specs: readonly FieldSpec[]): Record<string, unknown> {
  const properties = entity.properties();
  const wanted: FieldSpec[] = [];
  const excluded = new Set(specs.filter((spec) => spec.exclude).map((spec) => spec.name));
  const add = (spec: FieldSpec) => {
    if (excluded.has(spec.name)) return;
    const at = wanted.findIndex((existing) => existing.name === spec.name);
    if (at >= 0) {
      // A later, more specific mention (`*,organisationUnits[id,path]`) wins over a plain one.
      if (spec.children || spec.transformers.length > 0) wanted[at] = spec;
      return;
    }
    wanted.push(spec);
  };
  for (const spec of specs) {
    if (spec.exclude) continue;
    if (ALL.has(spec.name)) for (const name of Object.keys(properties)) add({ name, exclude: false, transformers: [] });
    else if (PRESETS[spec.name]) for (const name of PRESETS[spec.name] as string[]) add({ name, exclude: false, transformers: [] });
    else add(spec);
  }
  const out: Record<string, unknown> = {};
  for (const spec of wanted) {
    if (!(spec.name in properties)) continue;
    const raw = properties[spec.name];
    const hasSize = spec.transformers.some((t) => ['size', 'isEmpty', 'isNotEmpty'].includes(t.name));
    const rendered = hasSize ? (Array.isArray(raw) ? raw : raw ?? []) : render(raw, spec.children);
    if (rendered === undefined) continue;
    const { key, value } = transform(rendered, spec);
    out[key] = value;
  }
  return out;
}

/** The entities with `fields` applied (`fields` absent: `defaults`). */
export function filterEntities(entities: readonly Entity[], fields: string | readonly string[] | undefined, defaults: string): Record<string, unknown>[] {
  const specs = parseFields(fields === undefined || (Array.isArray(fields) && fields.length === 0) ? defaults : fields);
  return entities.map((entity) => filterEntity(entity, specs));
}
