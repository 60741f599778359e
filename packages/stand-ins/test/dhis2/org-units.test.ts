// Org unit hierarchy (parents from the metadata import; level and path as OrganisationUnit computes them),
// /api/organisationUnits with fields, filters and paging, and the field filter itself. Expected shapes follow
// the recorded traffic of dhis2/aggregate-data-entry-app cypress/fixtures/network/41/an_org_unit_can_be_selected.json.
import { Dhis2StandIn, metadataPackage, orgUnitsPayload, orgUnitUid, standInMetadata, ancestorCodes } from '../../src/index.js';
import { Entity, filterEntity, parseFields } from '../../src/dhis2/field-filter.js';
import { TOKEN_HEADERS } from './fixture.js';

const COUNTRY = 'OuCountry01';
const REGION = 'OuRegion001';
const DISTRICT = 'OuDistrict1';
const FACILITY_A = 'OuFacility1';
const FACILITY_B = 'OuFacility2';

function hierarchy(): Dhis2StandIn {
  const standIn = new Dhis2StandIn();
  const unit = (id: string, code: string, name: string, parent?: string) => ({
    id,
    code,
    name,
    shortName: name,
    openingDate: '1994-01-01',
    ...(parent ? { parent: { id: parent } } : {}),
  });
  const answer = standIn.handle({
    method: 'POST',
    path: '/api/metadata',
    headers: { ...TOKEN_HEADERS, 'content-type': 'application/json' },
    // Children before their parents: references within the payload resolve.
    body: JSON.stringify({
      organisationUnits: [
        unit(FACILITY_B, 'CM_NW_BAM_CSI002', 'CSI Nkwen', DISTRICT),
        unit(FACILITY_A, 'CM_NW_BAM_CSI001', 'CSI Bambui', DISTRICT),
        unit(DISTRICT, 'CM_NW_BAM', 'Bamenda', REGION),
        unit(REGION, 'CM_NW', 'North-West', COUNTRY),
        unit(COUNTRY, 'CM', 'Cameroon'),
      ],
    }),
  });
  expect(answer.status).toBe(200);
  return standIn;
}

function get(standIn: Dhis2StandIn, path: string, query: Record<string, string | string[]> = {}) {
  const answer = standIn.handle({ method: 'GET', path, query, headers: { ...TOKEN_HEADERS, host: 'dhis2.example.org' } });
  return { status: answer.status, body: JSON.parse(answer.body) as Record<string, unknown>, headers: answer.headers };
}

test('a parent in an imported org unit makes the hierarchy: level and path as DHIS2 computes them', () => {
  const standIn = hierarchy();
  expect(standIn.metadata.pathOf(FACILITY_A)).toBe(`/${COUNTRY}/${REGION}/${DISTRICT}/${FACILITY_A}`);
  expect(standIn.metadata.levelOf(FACILITY_A)).toBe(4);
  expect(standIn.metadata.levelOf(COUNTRY)).toBe(1);
  expect(standIn.metadata.roots()).toEqual([COUNTRY]);
  // An unknown parent is refused by the import (E5002), as before.
  const refused = standIn.handle({
    method: 'POST',
    path: '/api/metadata',
    headers: { ...TOKEN_HEADERS, 'content-type': 'application/json' },
    body: JSON.stringify({ organisationUnits: [{ id: 'OuOrphan001', name: 'Orphan', shortName: 'Orphan', openingDate: '2000-01-01', parent: { id: 'OuMissing01' } }] }),
  });
  expect(refused.status).toBe(409);
  expect(refused.body).toContain('E5002');
});

test('the facility picker query: fields, filter=id:in:[…], paging=false (no pager)', () => {
  const standIn = hierarchy();
  const answer = get(standIn, '/api/41/organisationUnits', {
    fields: 'id,code,displayName,level,path',
    filter: `id:in:[${FACILITY_A},${FACILITY_B}]`,
    paging: 'false',
  });
  expect(answer.status).toBe(200);
  expect(answer.body).toEqual({
    organisationUnits: [
      { id: FACILITY_A, code: 'CM_NW_BAM_CSI001', displayName: 'CSI Bambui', level: 4, path: `/${COUNTRY}/${REGION}/${DISTRICT}/${FACILITY_A}` },
      { id: FACILITY_B, code: 'CM_NW_BAM_CSI002', displayName: 'CSI Nkwen', level: 4, path: `/${COUNTRY}/${REGION}/${DISTRICT}/${FACILITY_B}` },
    ],
  });
  expect(answer.headers['cache-control']).toBe('no-cache, private');
});

test('filters: code:in, level:eq, displayName:ilike (the recorded query), several AND-ed; a bad one is 409', () => {
  const standIn = hierarchy();
  const ids = (query: Record<string, string | string[]>) =>
    (get(standIn, '/api/organisationUnits', { paging: 'false', fields: 'id', ...query }).body['organisationUnits'] as { id: string }[]).map((unit) => unit.id);
  expect(ids({ filter: 'code:in:[CM_NW_BAM_CSI002,CM]' })).toEqual([COUNTRY, FACILITY_B]);
  expect(ids({ filter: 'level:eq:4' })).toEqual([FACILITY_A, FACILITY_B]);
  expect(ids({ filter: 'level:eq:2' })).toEqual([REGION]);
  expect(ids({ filter: 'displayName:ilike:bam' })).toEqual([DISTRICT, FACILITY_A]);
  expect(ids({ filter: ['level:eq:4', 'code:eq:CM_NW_BAM_CSI001'] })).toEqual([FACILITY_A]);
  expect(ids({ filter: ['level:eq:1', 'level:eq:2'], rootJunction: 'OR' })).toEqual([COUNTRY, REGION]);
  expect(ids({ filter: `parent.id:eq:${DISTRICT}` })).toEqual([FACILITY_A, FACILITY_B]);
  // As recorded: {"organisationUnits":[{"path":"/ImspTQPwCqd/fdc6uOvgoji"},…]} for fields=path.
  expect(get(standIn, '/api/organisationUnits', { fields: 'path', filter: 'displayName:ilike:Bamenda', paging: 'false' }).body).toEqual({
    organisationUnits: [{ path: `/${COUNTRY}/${REGION}/${DISTRICT}` }],
  });
  expect(get(standIn, '/api/organisationUnits', { filter: 'nonsense:eq:1' })).toMatchObject({
    status: 409,
    body: { httpStatus: 'Conflict', status: 'ERROR', message: 'Unknown path property: nonsense' },
  });
  expect(get(standIn, '/api/organisationUnits', { filter: 'level:between:1' }).body['message']).toBe('`between` is not a valid operator.');
});

test('paging: the default list has a pager, id and displayName (Preset.ID_NAME), sorted by name', () => {
  const standIn = hierarchy();
  const first = get(standIn, '/api/organisationUnits', { pageSize: '2' });
  expect(first.body).toEqual({
    pager: { page: 1, total: 5, pageSize: 2, pageCount: 3, nextPage: 'http://dhis2.example.org/api/organisationUnits?page=2&pageSize=2' },
    organisationUnits: [
      { id: DISTRICT, displayName: 'Bamenda' },
      { id: COUNTRY, displayName: 'Cameroon' },
    ],
  });
  const second = get(standIn, '/api/41/organisationUnits', { page: '2', pageSize: '2', fields: 'id' });
  expect(second.body['pager']).toEqual({
    page: 2,
    total: 5,
    pageSize: 2,
    pageCount: 3,
    nextPage: 'http://dhis2.example.org/api/41/organisationUnits?page=3&pageSize=2&fields=id',
    prevPage: 'http://dhis2.example.org/api/41/organisationUnits?pageSize=2&fields=id',
  });
  expect(second.body['organisationUnits']).toEqual([{ id: FACILITY_A }, { id: FACILITY_B }]);
  expect(get(standIn, '/api/organisationUnits', { page: '3', pageSize: '2' }).body['organisationUnits']).toEqual([{ id: REGION, displayName: 'North-West' }]);
});

test('one org unit: default fields *, references for parent and children; the recorded field lists', () => {
  const standIn = hierarchy();
  const full = get(standIn, `/api/organisationUnits/${DISTRICT}`).body;
  expect(full).toMatchObject({
    id: DISTRICT,
    code: 'CM_NW_BAM',
    name: 'Bamenda',
    displayName: 'Bamenda',
    level: 3,
    path: `/${COUNTRY}/${REGION}/${DISTRICT}`,
    openingDate: '1994-01-01T00:00:00.000',
    parent: { id: REGION },
    children: [{ id: FACILITY_B }, { id: FACILITY_A }],
  });
  expect(full['closedDate']).toBeUndefined();
  // Recorded: {"path":"/ImspTQPwCqd","openingDate":"1994-01-01T00:00:00.000","displayName":"Sierra Leone","id":"ImspTQPwCqd"}
  expect(get(standIn, `/api/41/organisationUnits/${COUNTRY}`, { fields: 'id,displayName,path,openingDate,closedDate' }).body).toEqual({
    id: COUNTRY,
    displayName: 'Cameroon',
    path: `/${COUNTRY}`,
    openingDate: '1994-01-01T00:00:00.000',
  });
  // Recorded: fields=children[id,path,displayName,children::size,level] → {"children":[{"children":0,…,"level":4},…]}
  expect(get(standIn, `/api/41/organisationUnits/${DISTRICT}`, { fields: 'children[id,path,displayName,children::size,level]' }).body).toEqual({
    children: [
      { id: FACILITY_B, path: `/${COUNTRY}/${REGION}/${DISTRICT}/${FACILITY_B}`, displayName: 'CSI Nkwen', children: 0, level: 4 },
      { id: FACILITY_A, path: `/${COUNTRY}/${REGION}/${DISTRICT}/${FACILITY_A}`, displayName: 'CSI Bambui', children: 0, level: 4 },
    ],
  });
  expect(get(standIn, '/api/organisationUnits/OuMissing01')).toMatchObject({
    status: 404,
    body: { httpStatus: 'Not Found', message: 'OrganisationUnit with id OuMissing01 could not be found.', errorCode: 'E1005' },
  });
});

test('includeDescendants / includeChildren / includeAncestors and /children answer lists (the tree and the recorded level filter)', () => {
  const standIn = hierarchy();
  const ids = (path: string, query: Record<string, string>) =>
    (get(standIn, path, { fields: 'id', paging: 'false', ...query }).body['organisationUnits'] as { id: string }[]).map((unit) => unit.id);
  expect(ids(`/api/41/organisationUnits/${COUNTRY}`, { includeDescendants: 'true', filter: 'level:in:[1,2,3]' })).toEqual([DISTRICT, COUNTRY, REGION]);
  expect(ids(`/api/organisationUnits/${DISTRICT}`, { includeChildren: 'true' })).toEqual([DISTRICT, FACILITY_A, FACILITY_B]);
  expect(ids(`/api/organisationUnits/${FACILITY_A}`, { includeAncestors: 'true' })).toEqual([DISTRICT, COUNTRY, FACILITY_A, REGION]);
  expect(ids(`/api/organisationUnits/${REGION}/children`, {})).toEqual([DISTRICT, REGION]);
  // The UI's OrganisationUnitTree: root, then node, then children.
  expect(get(standIn, `/api/41/organisationUnits/${COUNTRY}`, { fields: 'displayName,path,id' }).body).toEqual({ displayName: 'Cameroon', path: `/${COUNTRY}`, id: COUNTRY });
  expect(get(standIn, `/api/41/organisationUnits/${REGION}`, { fields: 'path,children::size' }).body).toEqual({ path: `/${COUNTRY}/${REGION}`, children: 1 });
});

test('org units need credentials like every API path', () => {
  const standIn = hierarchy();
  expect(standIn.handle({ method: 'GET', path: '/api/organisationUnits', headers: { 'x-requested-with': 'XMLHttpRequest' } }).status).toBe(401);
});

describe('the field filter', () => {
  const unit = new Entity('A', () => ({
    id: 'A',
    name: 'Alpha',
    level: 2,
    parent: new Entity('P', () => ({ id: 'P', name: 'Parent', code: 'PC' })),
    children: [new Entity('C1', () => ({ id: 'C1', name: 'One' })), new Entity('C2', () => ({ id: 'C2', name: 'Two' }))],
    settings: { keyUiLocale: 'fr', keyStyle: 'x' },
    nothing: null,
  }));
  const apply = (fields: string) => filterEntity(unit, parseFields(fields));

  test.each([
    ['id', { id: 'A' }],
    ['id,name,unknown', { id: 'A', name: 'Alpha' }],
    ['parent', { parent: { id: 'P' } }],
    ['parent[name,code]', { parent: { name: 'Parent', code: 'PC' } }],
    ['parent(id,name)', { parent: { id: 'P', name: 'Parent' } }],
    ['children[id]', { children: [{ id: 'C1' }, { id: 'C2' }] }],
    ['children[*]', { children: [{ id: 'C1', name: 'One' }, { id: 'C2', name: 'Two' }] }],
    ['children::size', { children: 2 }],
    ['children~size', { children: 2 }],
    ['children::isNotEmpty', { children: true }],
    ['name::rename(title)', { title: 'Alpha' }],
    ['settings', { settings: { keyUiLocale: 'fr', keyStyle: 'x' } }],
    ['settings[keyUiLocale]', { settings: { keyUiLocale: 'fr' } }],
    ['*,!children,!settings', { id: 'A', name: 'Alpha', level: 2, parent: { id: 'P' } }],
    [':all,!settings,!children,parent[name]', { id: 'A', name: 'Alpha', level: 2, parent: { name: 'Parent' } }],
    [':identifiable', { id: 'A', name: 'Alpha' }],
  ])('fields=%s', (fields, expected) => {
    expect(apply(fields)).toEqual(expected);
  });

  test('an URL-decoded, comma-joined list as app-runtime sends it', () => {
    const sent = decodeURIComponent('id,organisationUnits%5Bid%2Clevel%2Cpath%2CdisplayName%5D');
    expect(parseFields(sent).map((spec) => [spec.name, spec.children?.map((child) => child.name)])).toEqual([
      ['id', undefined],
      ['organisationUnits', ['id', 'level', 'path', 'displayName']],
    ]);
  });
});

describe('package-metadata: the demo facilities under country → region → district', () => {
  test('ancestorCodes reads country, region and district from the facility code', () => {
    expect(ancestorCodes('CM_NW_BAM_CSI001')).toEqual(['CM', 'CM_NW', 'CM_NW_BAM']);
    expect(ancestorCodes('FACILITY-1')).toEqual([]);
  });

  test('orgUnitsPayload: each ancestor once, facilities keep their uid, code, name and data sets, and sit at level 4', () => {
    const pkg = metadataPackage();
    const payload = orgUnitsPayload([{ code: 'CM_NW_BAM_CSI001', name: 'CSI Bambui' }, 'CM_NW_BAM_CSI002', 'CM_SW_BUE_CSI001', 'OTHER'], pkg);
    const units = payload.organisationUnits ?? [];
    expect(units.map((unit) => unit.code)).toEqual(['CM', 'CM_NW', 'CM_NW_BAM', 'CM_SW', 'CM_SW_BUE', 'CM_NW_BAM_CSI001', 'CM_NW_BAM_CSI002', 'CM_SW_BUE_CSI001', 'OTHER']);
    const facility = units.find((unit) => unit.code === 'CM_NW_BAM_CSI001');
    expect(facility).toMatchObject({ id: orgUnitUid('CM_NW_BAM_CSI001'), name: 'CSI Bambui', parent: { id: orgUnitUid('CM_NW_BAM') } });
    expect(facility?.dataSets).toHaveLength((pkg.dataSets ?? []).length);
    expect(units.find((unit) => unit.code === 'CM_NW_BAM')).toMatchObject({ name: 'Bamenda', parent: { id: orgUnitUid('CM_NW') } });
    expect(units.find((unit) => unit.code === 'CM')?.parent).toBeUndefined();
    expect(units.find((unit) => unit.code === 'OTHER')?.parent).toBeUndefined();

    const standIn = new Dhis2StandIn({ metadata: standInMetadata(['CM_NW_BAM_CSI001'], pkg) });
    const id = orgUnitUid('CM_NW_BAM_CSI001');
    expect(standIn.metadata.levelOf(id)).toBe(4);
    expect(standIn.metadata.pathOf(id)).toBe(`/${orgUnitUid('CM')}/${orgUnitUid('CM_NW')}/${orgUnitUid('CM_NW_BAM')}/${id}`);
  });
});

test("the scorecard's hierarchy query: every unit with code, level, path and its parent's id, code and name, paged in id order", () => {
  const standIn = hierarchy();
  const page = (n: number) =>
    get(standIn, '/api/41/organisationUnits', { fields: 'id,code,name,level,path,parent[id,code,name]', paging: 'true', pageSize: '2', page: String(n), order: 'id:asc' }).body;
  const first = page(1);
  expect(first['pager']).toMatchObject({ page: 1, total: 5, pageSize: 2, pageCount: 3 });
  // In id order: OuCountry01, OuDistrict1, OuFacility1, OuFacility2, OuRegion001. The root has no parent field (DHIS2 leaves out nulls).
  expect(first['organisationUnits']).toEqual([
    { id: COUNTRY, code: 'CM', name: 'Cameroon', level: 1, path: `/${COUNTRY}` },
    { id: DISTRICT, code: 'CM_NW_BAM', name: 'Bamenda', level: 3, path: `/${COUNTRY}/${REGION}/${DISTRICT}`, parent: { id: REGION, code: 'CM_NW', name: 'North-West' } },
  ]);
  expect(page(2)['organisationUnits']).toEqual([
    { id: FACILITY_A, code: 'CM_NW_BAM_CSI001', name: 'CSI Bambui', level: 4, path: `/${COUNTRY}/${REGION}/${DISTRICT}/${FACILITY_A}`, parent: { id: DISTRICT, code: 'CM_NW_BAM', name: 'Bamenda' } },
    { id: FACILITY_B, code: 'CM_NW_BAM_CSI002', name: 'CSI Nkwen', level: 4, path: `/${COUNTRY}/${REGION}/${DISTRICT}/${FACILITY_B}`, parent: { id: DISTRICT, code: 'CM_NW_BAM', name: 'Bamenda' } },
  ]);
  const last = page(3);
  expect(last['pager']).toMatchObject({ page: 3, pageCount: 3 });
  expect(last['pager']).not.toHaveProperty('nextPage');
  expect(last['organisationUnits']).toEqual([{ id: REGION, code: 'CM_NW', name: 'North-West', level: 2, path: `/${COUNTRY}/${REGION}`, parent: { id: COUNTRY, code: 'CM', name: 'Cameroon' } }]);
});
