// GET /api/organisationUnits and /api/organisationUnits/{id} (dhis2-core OrganisationUnitController over
// AbstractFullReadOnlyController; reference/dhis2-web-api.md §4.4), as the stand-in's facility pickers and
// the @dhis2/ui OrganisationUnitTree ask them. Shapes follow the recorded traffic of
// dhis2/aggregate-data-entry-app cypress/fixtures/network/41/an_org_unit_can_be_selected.json (and 40/):
//   GET /api/41/organisationUnits?fields=path&filter=displayName:ilike:Bombali&paging=false
//     → {"organisationUnits":[{"path":"/ImspTQPwCqd/fdc6uOvgoji"},…]}
//   GET /api/41/organisationUnits/ImspTQPwCqd?fields=id,displayName,path,openingDate,closedDate
//     → {"path":"/ImspTQPwCqd","openingDate":"1994-01-01T00:00:00.000","displayName":"Sierra Leone","id":"ImspTQPwCqd"}
//   GET /api/41/organisationUnits/KKkLOTpMXGV?fields=children[id,path,displayName,children::size,level]
//   GET /api/41/organisationUnits/ImspTQPwCqd?fields=…&includeDescendants=true&paging=false&filter=level:in:[1,2,3]
//     → {"organisationUnits":[…]}
// A list's default fields are `id,displayName` (Preset.ID_NAME), a single object's `*`. `level` and `path`
// are computed from the parents, as OrganisationUnit.getLevel/getPath give them. Every authenticated user
// may read org units (the schema has no READ authority). Not modelled: translations (displayName is the
// name), geometry, `userOnly`'s tree merging, `maxLevel`, `withinUserHierarchy`, `memberCollection`.
import { Entity, filterEntity, parseFields, type FieldValue } from './field-filter.js';
import type { Metadata } from './metadata.js';
import { listAnswer, queryValue, type Query } from './metadata-query.js';
import type { Dhis2Response } from './types.js';
import { errorMessage, jsonResponse } from './web-message.js';

/** `2000-01-01` → `2000-01-01T00:00:00.000`, the form DHIS2 writes dates in (no zone). */
export function dhis2DateTime(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?/.exec(text);
  if (!match) return text;
  const [, day, hh = '00', mm = '00', ss = '00', ms = '000'] = match;
  return `${day}T${hh}:${mm}:${ss}.${ms.padEnd(3, '0')}`;
}

export const ORG_UNIT_PROPERTIES: ReadonlySet<string> = new Set([
  'id',
  'code',
  'name',
  'shortName',
  'displayName',
  'displayShortName',
  'openingDate',
  'closedDate',
  'level',
  'path',
  'parent',
  'children',
  'ancestors',
  'dataSets',
  'leaf',
  'href',
]);

/** An org unit for the field filter; `apiPath` makes its `href`. */
export function orgUnitEntity(metadata: Metadata, id: string, apiPath: string): Entity {
  return new Entity(id, () => {
    const unit = metadata.organisationUnits.get(id);
    if (!unit) return { id };
    const children = metadata.childrenOf(id);
    const properties: Record<string, FieldValue> = {
      id,
      code: unit.code,
      name: unit.name,
      shortName: unit.shortName,
      displayName: unit.name,
      displayShortName: unit.shortName ?? unit.name,
      openingDate: dhis2DateTime(unit.openingDate),
      closedDate: dhis2DateTime(unit.closedDate),
      level: metadata.levelOf(id),
      path: metadata.pathOf(id),
      parent: unit.parent !== undefined && metadata.organisationUnits.has(unit.parent) ? orgUnitEntity(metadata, unit.parent, apiPath) : undefined,
      children: children.map((child) => orgUnitEntity(metadata, child, apiPath)),
      ancestors: metadata.ancestorsOf(id).map((ancestor) => orgUnitEntity(metadata, ancestor, apiPath)),
      dataSets: [...metadata.dataSets.values()]
        .filter((dataSet) => metadata.isAssigned(dataSet, id))
        .map((dataSet) => new Entity(dataSet.id, () => ({ id: dataSet.id, code: dataSet.code, name: dataSet.name, displayName: dataSet.name, periodType: dataSet.periodType }))),
      leaf: children.length === 0,
      href: `${apiPath}/organisationUnits/${id}`,
    };
    return properties;
  });
}

export interface OrgUnitsContext {
  metadata: Metadata;
  apiPath: string;
  /** The current user's data capture and data view org units (userOnly / userDataViewOnly). */
  userOrgUnits: readonly string[];
  userDataViewOrgUnits: readonly string[];
}

const notFound = (id: string) => errorMessage(404, `OrganisationUnit with id ${id} could not be found.`, 'E1005');

/** `GET organisationUnits[/{id}[/children|descendants|ancestors|parents]]`; `rest` is what follows the resource. */
export function organisationUnitsAnswer(method: string, rest: string, query: Query, context: OrgUnitsContext): Dhis2Response {
  if (method !== 'GET') return errorMessage(405, `Request method '${method}' is not supported`);
  const { metadata, apiPath } = context;
  const list = (ids: readonly string[]) =>
    listAnswer(
      ids.filter((id) => metadata.organisationUnits.has(id)).map((id) => orgUnitEntity(metadata, id, apiPath)),
      query,
      { apiPath, collection: 'organisationUnits', properties: ORG_UNIT_PROPERTIES },
    );
  const flag = (name: string) => (queryValue(query, name) ?? '').toLowerCase() === 'true';
  const segments = rest.split('/').filter((segment) => segment !== '');
  if (segments.length === 0) {
    if (flag('userOnly')) return list(context.userOrgUnits);
    if (flag('userDataViewOnly')) return list(context.userDataViewOrgUnits);
    return list([...metadata.organisationUnits.keys()]);
  }
  const [id, relation, ...extra] = segments as [string, string | undefined, ...string[]];
  if (extra.length > 0 || !metadata.organisationUnits.has(id)) return notFound(id);
  const parentsOf = () => [...metadata.ancestorsOf(id)].reverse();
  if (relation === undefined) {
    if (flag('includeChildren')) return list([id, ...metadata.childrenOf(id)]);
    if (flag('includeDescendants')) return list(metadata.withDescendants(id));
    if (flag('includeAncestors')) return list([id, ...parentsOf()]);
    const fields = query?.['fields'];
    const specs = parseFields(fields === undefined || (Array.isArray(fields) && fields.length === 0) ? '*' : fields);
    return jsonResponse(200, filterEntity(orgUnitEntity(metadata, id, apiPath), specs), { 'cache-control': 'no-cache, private' });
  }
  switch (relation) {
    case 'children':
      return list([id, ...metadata.childrenOf(id)]);
    case 'descendants':
      return list(metadata.withDescendants(id));
    case 'ancestors':
      return list([id, ...parentsOf()]);
    case 'parents':
      return list(parentsOf());
    default: {
      // `GET /{uid}/{property}`: the one property, as an object holding it.
      const specs = parseFields(relation);
      return jsonResponse(200, filterEntity(orgUnitEntity(metadata, id, apiPath), specs), { 'cache-control': 'no-cache, private' });
    }
  }
}
