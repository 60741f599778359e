// Each conflict of the catalogue the stand-in raises, with its exact message, errorCode, objects, property
// and 0-based indexes (reference/dhis2-web-api.md §1.3, §1.4).
import {
  ANC_VISITS,
  BAMBUI,
  DATA_SET,
  MALARIA_CASES,
  NKWEN,
  OVER_5,
  REFERRALS,
  UNDER_5,
  monthly,
  newStandIn,
  post,
  summaryOf,
} from './fixture.js';
import { personalAccessToken } from '../../src/dhis2/auth.js';

/** Posts values (header: data set, 202611, Bambui unless overridden) and returns the summary. */
function importOf(dataValues: Parameters<typeof monthly>[0], header: Parameters<typeof monthly>[1] = {}, query: Record<string, string> = {}) {
  return summaryOf(post(newStandIn(), monthly(dataValues, header), query));
}

const ok = { dataElement: ANC_VISITS, value: '1' };
const okToo = { dataElement: MALARIA_CASES, categoryOptionCombo: OVER_5, value: '5' };

test.each([
  [
    'unknown data element',
    { dataElement: 'XXXXXXXXXXX', value: '1' },
    {
      object: 'XXXXXXXXXXX',
      objects: { dataElement: 'XXXXXXXXXXX' },
      value: 'Data element not found or not accessible: `XXXXXXXXXXX`',
      errorCode: 'E7610',
      property: 'dataElement',
    },
  ],
  [
    'unknown category option combo',
    { dataElement: MALARIA_CASES, categoryOptionCombo: 'NoSuchCoc01', value: '1' },
    {
      object: 'NoSuchCoc01',
      objects: { categoryOptionCombo: 'NoSuchCoc01' },
      value: 'Category option combo not found or not accessible for writing data: `NoSuchCoc01`',
      errorCode: 'E7613',
      property: 'categoryOptionCombo',
    },
  ],
  [
    'unknown attribute option combo',
    { dataElement: ANC_VISITS, attributeOptionCombo: 'NoSuchAoc01', value: '1' },
    {
      object: 'NoSuchAoc01',
      objects: { categoryOptionCombo: 'NoSuchAoc01' },
      value: 'Attribute option combo not found or not accessible for writing data: `NoSuchAoc01`',
      errorCode: 'E7615',
      property: 'attributeOptionCombo',
    },
  ],
  [
    'a non-integer for INTEGER',
    { dataElement: ANC_VISITS, value: '2.5' },
    {
      object: ANC_VISITS,
      objects: { dataElement: ANC_VISITS, value: 'value_not_integer' },
      value: `Value must match value type of data element \`${ANC_VISITS}\`: \`Data value is not an integer\``,
      errorCode: 'E7619',
      property: 'value',
    },
  ],
  [
    'a negative for INTEGER_ZERO_OR_POSITIVE',
    { dataElement: MALARIA_CASES, categoryOptionCombo: UNDER_5, value: '-3' },
    {
      object: MALARIA_CASES,
      // i18n_global.properties has no translation for this key, so the message keeps it.
      objects: { dataElement: MALARIA_CASES, value: 'value_not_zero_or_positive_integer' },
      value: `Value must match value type of data element \`${MALARIA_CASES}\`: \`value_not_zero_or_positive_integer\``,
      errorCode: 'E7619',
      property: 'value',
    },
  ],
  [
    'a zero for INTEGER_POSITIVE',
    { dataElement: REFERRALS, value: '0' },
    {
      object: REFERRALS,
      objects: { dataElement: REFERRALS, value: 'value_not_positive_integer' },
      value: `Value must match value type of data element \`${REFERRALS}\`: \`Data value is not a positive integer\``,
      errorCode: 'E7619',
      property: 'value',
    },
  ],
  [
    'no value and no comment',
    { dataElement: ANC_VISITS },
    {
      object: ANC_VISITS,
      objects: { dataElement: ANC_VISITS },
      value: `Data value or comment not specified for data element: \`${ANC_VISITS}\``,
      errorCode: 'E7618',
      property: 'value',
    },
  ],
])('%s → conflict at index 1, value ignored, status WARNING', (_name, bad, conflict) => {
  const summary = importOf([ok, bad, okToo]);
  expect(summary.status).toBe('WARNING');
  expect(summary.conflicts).toEqual([{ ...conflict, indexes: [1] }]);
  expect(summary.rejectedIndexes).toEqual([1]);
  expect(summary.importCount).toEqual({ imported: 2, updated: 0, ignored: 1, deleted: 0 });
});

test('per-value periods and org units: invalid period (E7611) and unknown org unit (E7612)', () => {
  const summary = importOf(
    [
      { ...ok, period: '202611', orgUnit: BAMBUI },
      { ...ok, period: '2024W60', orgUnit: BAMBUI },
      { ...ok, period: '202611', orgUnit: 'NoSuchOu001' },
    ],
    { period: undefined, orgUnit: undefined },
  );
  expect(summary.conflicts).toEqual([
    { object: '2024W60', objects: { period: '2024W60' }, value: 'Period not valid: `2024W60`', errorCode: 'E7611', property: 'period', indexes: [1] },
    {
      object: 'NoSuchOu001',
      objects: { organisationUnit: 'NoSuchOu001' },
      value: 'Organisation unit not found or not accessible: `NoSuchOu001`',
      errorCode: 'E7612',
      property: 'orgUnit',
      indexes: [2],
    },
  ]);
  expect(summary.rejectedIndexes).toEqual([1, 2]);
});

test('the first failing check wins: an unknown data element with a bad period reports only E7610', () => {
  const summary = importOf([{ dataElement: 'XXXXXXXXXXX', period: '202613', value: 'abc' }], { period: undefined });
  expect(summary.conflicts.map((conflict) => conflict.errorCode)).toEqual(['E7610']);
});

test('conflicts with the same code and objects merge, appending indexes; rejectedIndexes count across the array', () => {
  const summary = importOf([
    { dataElement: 'XXXXXXXXXXX', value: '1' },
    ok,
    { dataElement: 'XXXXXXXXXXX', value: '2' },
    { dataElement: 'YYYYYYYYYYY', value: '3' },
    { dataElement: ANC_VISITS, value: 'x' },
  ]);
  expect(summary.conflicts.map((c) => [c.errorCode, c.object, c.indexes])).toEqual([
    ['E7610', 'XXXXXXXXXXX', [0, 2]],
    ['E7610', 'YYYYYYYYYYY', [3]],
    ['E7619', ANC_VISITS, [4]],
  ]);
  expect(summary.rejectedIndexes).toEqual([0, 2, 3, 4]);
  expect(summary.importCount).toEqual({ imported: 1, updated: 0, ignored: 4, deleted: 0 });
});

test('data-set-level failures abort the whole import: unknown header org unit (E7603) and attribute combo (E7604)', () => {
  const summary = importOf([ok], { orgUnit: 'NoSuchOu001', attributeOptionCombo: 'NoSuchAoc01' });
  expect(summary.status).toBe('ERROR');
  expect(summary.description).toBe('Import process was aborted');
  expect(summary.conflicts).toEqual([
    {
      object: 'NoSuchOu001',
      objects: { organisationUnit: 'NoSuchOu001', dataSet: DATA_SET },
      value: 'Org unit not found or not accessible: `NoSuchOu001`',
      errorCode: 'E7603',
      property: 'orgUnit',
    },
    {
      object: 'NoSuchAoc01',
      objects: { categoryOptionCombo: 'NoSuchAoc01', dataSet: DATA_SET },
      value: 'Attribute option combo not found or not accessible: `NoSuchAoc01`',
      errorCode: 'E7604',
      property: 'attributeOptionCombo',
    },
  ]);
  expect(summary.importCount).toEqual({ imported: 0, updated: 0, ignored: 0, deleted: 0 });
});

test('a period after the latest open future period is refused (E7641); openFuturePeriods 0 closes the current month', () => {
  // The clock is 2026-12-15: 202611 is open, the running month 202612 is not.
  const summary = importOf([{ ...ok, period: '202612' }], { period: undefined });
  expect(summary.conflicts).toEqual([
    {
      object: '202612',
      objects: { period: '202612', dataElement: ANC_VISITS, dataSet: DATA_SET },
      value: `Period: \`202612\` is after latest open future period: \`202611\` for data element: \`${ANC_VISITS}\` and data set: \`${DATA_SET}\``,
      errorCode: 'E7641',
      property: 'period',
      indexes: [0],
    },
  ]);

  const opened = newStandIn();
  opened.loadMetadata({ dataSets: [{ ...fixtureDataSet(opened), openFuturePeriods: 1 }] });
  expect(summaryOf(post(opened, monthly([ok], { period: '202612' }))).status).toBe('SUCCESS');
});

test('conflict arguments are the value\'s own fields: a period given only in the header is null, and left out', () => {
  // DHIS2 formats conflicts from the value as posted (DataValueEntry.getPeriod()), not from the header. The
  // null is still the first entry of `objects`, so `object` is null too; neither is written (NON_NULL).
  const [conflict] = importOf([ok], { period: '202612' }).conflicts;
  expect(conflict && 'object' in conflict).toBe(false);
  expect(conflict?.objects).toEqual({ dataElement: ANC_VISITS, dataSet: DATA_SET });
  expect(conflict).toMatchObject({
    value: `Period: \`null\` is after latest open future period: \`202611\` for data element: \`${ANC_VISITS}\` and data set: \`${DATA_SET}\``,
    errorCode: 'E7641',
  });
});

test('a period past the data set expiry days is refused for a user who may not edit expired data (E7640)', () => {
  const standIn = newStandIn();
  standIn.loadMetadata({ dataSets: [{ ...fixtureDataSet(standIn), expiryDays: 10 }] });
  standIn.addUser({ username: 'clerk', password: 'pw', authorities: ['F_DATAVALUE_ADD'], organisationUnits: [BAMBUI], personalAccessTokens: ['d2pat_clerkclerkclerkclerkclerkclerk011982374295'] });
  const answer = standIn.handle({
    method: 'POST',
    path: '/api/dataValueSets',
    headers: { authorization: 'ApiToken d2pat_clerkclerkclerkclerkclerkclerk011982374295', 'content-type': 'application/json' },
    body: JSON.stringify(monthly([{ ...ok, period: '202610' }], { period: undefined })),
  });
  const summary = JSON.parse(answer.body).response as ReturnType<typeof summaryOf>;
  expect(summary.conflicts).toEqual([
    expect.objectContaining({
      errorCode: 'E7640',
      value: `Current date is past expiry days for period: \`202610\`  and data set: \`${DATA_SET}\``,
      objects: { period: '202610', dataSet: DATA_SET },
      indexes: [0],
    }),
  ]);
  // The superuser (authority ALL) is not bound by expiry days.
  expect(summaryOf(post(standIn, monthly([ok], { period: '202610' }))).status).toBe('SUCCESS');
});

test('a user assigned no capture org unit captures nowhere, superuser or not (OrganisationUnit.isDescendant of none is false)', () => {
  const standIn = newStandIn();
  for (const [username, authorities] of [['unassigned', ['F_DATAVALUE_ADD']], ['root', ['ALL']]] as const) {
    const token = personalAccessToken(username);
    standIn.addUser({ username, password: 'pw', authorities: [...authorities], personalAccessTokens: [token] });
    const response = standIn.handle({
      method: 'POST',
      path: '/api/dataValueSets',
      headers: { authorization: `ApiToken ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ period: '202611', dataValues: [{ ...ok, orgUnit: BAMBUI }] }),
    });
    const summary = JSON.parse(response.body).response as ReturnType<typeof summaryOf>;
    expect([username, summary.conflicts.map((conflict) => conflict.errorCode)]).toEqual([username, ['E7617']]);
  }
  expect(standIn.allValues()).toEqual([]);
});

test('an org unit outside the user capture hierarchy is refused (E7617)', () => {
  const standIn = newStandIn();
  standIn.addUser({
    id: 'UserBambui1',
    username: 'bambui',
    password: 'pw',
    organisationUnits: [BAMBUI],
    personalAccessTokens: ['d2pat_bambuibambuibambuibambuibambui020155365328'],
  });
  const response = standIn.handle({
    method: 'POST',
    path: '/api/dataValueSets',
    headers: { authorization: 'ApiToken d2pat_bambuibambuibambuibambuibambui020155365328', 'content-type': 'application/json' },
    body: JSON.stringify({ period: '202611', dataValues: [{ ...ok, orgUnit: NKWEN }, { ...ok, orgUnit: BAMBUI }] }),
  });
  const summary = JSON.parse(response.body).response as ReturnType<typeof summaryOf>;
  expect(summary.conflicts).toEqual([
    {
      object: NKWEN,
      objects: { organisationUnit: NKWEN, user: 'UserBambui1' },
      value: `Organisation unit: \`${NKWEN}\` not in hierarchy of current user: \`UserBambui1\``,
      errorCode: 'E7617',
      property: 'orgUnit',
      indexes: [0],
    },
  ]);
  expect(summary.importCount.imported).toBe(1);
});

test('requireCategoryOptionCombo refuses a value without a COC (E7630); by default the default COC is used', () => {
  const value = { dataElement: MALARIA_CASES, value: '4' };
  expect(importOf([value]).status).toBe('SUCCESS');
  expect(importOf([value], {}, { requireCategoryOptionCombo: 'true' }).conflicts).toEqual([
    {
      objects: {},
      value: 'Category option combo is required but is not specified',
      errorCode: 'E7630',
      property: 'categoryOptionCombo',
      indexes: [0],
    },
  ]);
  expect(importOf([{ ...value, categoryOptionCombo: OVER_5 }], {}, { requireCategoryOptionCombo: 'true' }).status).toBe('SUCCESS');
});

function fixtureDataSet(standIn: ReturnType<typeof newStandIn>) {
  const dataSet = standIn.metadata.dataSets.get(DATA_SET);
  if (!dataSet) throw new Error('fixture data set missing');
  return {
    id: dataSet.id,
    code: dataSet.code,
    name: dataSet.name,
    periodType: dataSet.periodType,
    categoryCombo: { id: dataSet.categoryCombo },
    dataSetElements: [...dataSet.dataSetElements.keys()].map((id) => ({ dataElement: { id } })),
    organisationUnits: [...dataSet.organisationUnits].map((id) => ({ id })),
    openFuturePeriods: dataSet.openFuturePeriods,
    expiryDays: dataSet.expiryDays,
  };
}
