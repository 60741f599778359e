// /api/completeDataSetRegistrations (POST and GET, JSON) as dhis2-core's CompleteDataSetRegistrationController
// and DefaultCompleteDataSetRegistrationExchangeService answer, and the registrations a data value import
// with completeDate makes, seen through it and through the dataValueSets export header.
import { BAMBUI, DATA_SET, NKWEN, TOKEN_HEADERS, get, monthly, newStandIn, post, summaryOf, ANC_VISITS } from './fixture.js';

const PATH = '/api/completeDataSetRegistrations';

function register(standIn: ReturnType<typeof newStandIn>, registrations: Record<string, unknown>[], query: Record<string, string> = {}, extra: Record<string, unknown> = {}) {
  return post(standIn, JSON.stringify({ ...extra, completeDataSetRegistrations: registrations }), query, PATH);
}

const one = { dataSet: DATA_SET, period: '202611', organisationUnit: BAMBUI };

test('a registration is imported: 200, an ImportSummary with "Import process complete." and no dataSetComplete', () => {
  const standIn = newStandIn();
  const answer = register(standIn, [one]);
  expect(answer.status).toBe(200);
  expect(answer.body).toMatchObject({ httpStatus: 'OK', httpStatusCode: 200, status: 'OK', message: 'Import was successful.' });
  const summary = summaryOf(answer);
  expect(Object.keys(summary)).toEqual(['responseType', 'status', 'importOptions', 'description', 'importCount', 'conflicts', 'rejectedIndexes']);
  expect(summary).toMatchObject({
    responseType: 'ImportSummary',
    status: 'SUCCESS',
    description: 'Import process complete.',
    importCount: { imported: 1, updated: 0, ignored: 0, deleted: 0 },
    conflicts: [],
    rejectedIndexes: [],
  });
  expect(standIn.completeRegistrations()).toEqual([
    expect.objectContaining({ dataSet: DATA_SET, period: '202611', orgUnit: BAMBUI, attributeOptionCombo: 'HllvX50cXC0', completed: true, storedBy: 'admin' }),
  ]);
  // Again: the existing registration is updated.
  expect(summaryOf(register(standIn, [{ ...one, completed: false }])).importCount).toEqual({ imported: 0, updated: 1, ignored: 0, deleted: 0 });
  expect(standIn.completeRegistrations()[0]?.completed).toBe(false);
});

test('problems are informal conflicts (object + value, no error code) that leave the status SUCCESS while one imports', () => {
  const standIn = newStandIn();
  const answer = register(standIn, [
    { ...one, dataSet: 'NoSuchDs001' },
    { ...one, period: '2026W99' },
    { ...one, organisationUnit: 'NoSuchOu001' },
    one,
    { ...one, dataSet: 'NoSuchDs001', period: '202610' },
  ]);
  expect(answer.status).toBe(200);
  const summary = summaryOf(answer);
  expect(summary.status).toBe('SUCCESS');
  expect(summary.importCount).toEqual({ imported: 1, updated: 0, ignored: 4, deleted: 0 });
  expect(summary.conflicts).toEqual([
    { object: 'NoSuchDs001', value: 'Data set not found or not accessible' },
    { object: '2026W99', value: 'Period not valid' },
    { object: 'NoSuchOu001', value: 'Organisation unit not found or not accessible' },
  ]);
});

test('when every registration is ignored the summary is ERROR: 409 "An error occurred, please check import summary."', () => {
  const answer = register(newStandIn(), [{ ...one, dataSet: 'NoSuchDs001' }]);
  expect(answer.status).toBe(409);
  expect(answer.body).toMatchObject({ status: 'ERROR', message: 'An error occurred, please check import summary.' });
  expect(summaryOf(answer)).toMatchObject({ status: 'ERROR', importCount: { imported: 0, updated: 0, ignored: 1, deleted: 0 } });
});

test('an org unit outside the user hierarchy, a strict org unit check, and an unreadable payload', () => {
  const standIn = newStandIn();
  standIn.addUser({ username: 'bambui', password: 'pw', organisationUnits: [BAMBUI], personalAccessTokens: ['d2pat_bambuibambuibambuibambuibambui020155365328'] });
  const raw = standIn.handle({
    method: 'POST',
    path: PATH,
    headers: { authorization: 'ApiToken d2pat_bambuibambuibambuibambuibambui020155365328', 'content-type': 'application/json' },
    body: JSON.stringify({ completeDataSetRegistrations: [{ ...one, organisationUnit: NKWEN }] }),
  });
  expect((JSON.parse(raw.body) as { response: { conflicts: unknown[] } }).response.conflicts).toEqual([
    { object: NKWEN, value: 'Organisation unit is not in hierarchy of user: bambui' },
  ]);
  expect(summaryOf(register(newStandIn(), [{ ...one, organisationUnit: NKWEN }], { strictOrganisationUnits: 'true' })).conflicts).toEqual([
    { object: DATA_SET, value: `Data set ${DATA_SET} is not assigned to organisation unit ${NKWEN}` },
  ]);
  const broken = post(newStandIn(), '{"completeDataSetRegistrations":', {}, PATH);
  expect(broken.status).toBe(409);
  expect(summaryOf(broken)).toMatchObject({ status: 'ERROR', importCount: { imported: 0, updated: 0, ignored: 0, deleted: 0 } });
  expect(summaryOf(broken).description).toMatch(/^The import process failed: /);
});

test('an unknown attribute option combo falls back to the default one; strategy DELETE removes; dryRun writes nothing', () => {
  const standIn = newStandIn();
  register(standIn, [{ ...one, attributeOptionCombo: 'NoSuchAoc01' }]);
  expect(standIn.completeRegistrations().map((r) => r.attributeOptionCombo)).toEqual(['HllvX50cXC0']);
  expect(summaryOf(register(standIn, [one], { dryRun: 'true', importStrategy: 'DELETE' })).importCount.deleted).toBe(1);
  expect(standIn.completeRegistrations()).toHaveLength(1);
  expect(summaryOf(register(standIn, [one], {}, { strategy: 'DELETE' })).importCount.deleted).toBe(1);
  expect(standIn.completeRegistrations()).toEqual([]);
  expect(summaryOf(register(standIn, [one], { importStrategy: 'UPDATE' })).status).toBe('ERROR');
});

test('GET: the registrations of the data sets, periods and org units asked, in the writer key order', () => {
  const standIn = newStandIn();
  register(standIn, [
    { ...one, date: '2026-12-03', storedBy: 'nurse.bambui' },
    { ...one, period: '202610', completed: false },
    { ...one, organisationUnit: NKWEN },
  ]);
  const answer = get(standIn, PATH, { dataSet: DATA_SET, period: ['202610', '202611'], orgUnit: BAMBUI });
  expect(answer.status).toBe(200);
  expect(answer.body).toEqual({
    completeDataSetRegistrations: [
      { period: '202611', dataSet: DATA_SET, organisationUnit: BAMBUI, attributeOptionCombo: 'HllvX50cXC0', date: '2026-12-03', storedBy: 'nurse.bambui', completed: true },
      { period: '202610', dataSet: DATA_SET, organisationUnit: BAMBUI, attributeOptionCombo: 'HllvX50cXC0', date: '2026-12-15', storedBy: 'admin', completed: false },
    ],
  });
  expect(Object.keys((answer.body.completeDataSetRegistrations as Record<string, unknown>[])[0] as object)).toEqual([
    'period',
    'dataSet',
    'organisationUnit',
    'attributeOptionCombo',
    'date',
    'storedBy',
    'completed',
  ]);
  // Nothing found: the writer never opens the array.
  expect(get(standIn, PATH, { dataSet: DATA_SET, period: '202601', orgUnit: BAMBUI }).raw.body).toBe('{}');
});

test.each([
  [{ period: '202611', orgUnit: BAMBUI }, 'E2013', 'At least one data set must be specified'],
  [{ dataSet: DATA_SET, orgUnit: BAMBUI }, 'E2002', 'At least one period, start/end dates, last updated or last updated duration must be specified'],
  [{ dataSet: DATA_SET, period: '202611' }, 'E2006', 'At least one organisation unit or organisation unit group must be specified'],
])('GET %j is a 409 %s', (query, errorCode, message) => {
  const answer = get(newStandIn(), PATH, query);
  expect(answer.status).toBe(409);
  expect(answer.body).toEqual({ httpStatus: 'Conflict', httpStatusCode: 409, status: 'ERROR', message, errorCode });
});

test('a data value import with completeDate registers for the outer attribute option combo, dryRun included, and shows in both GETs', () => {
  const standIn = newStandIn();
  post(standIn, monthly([{ dataElement: ANC_VISITS, value: '3' }], { completeDate: '2026-12-01' }), { dryRun: 'true' });
  expect(get(standIn, PATH, { dataSet: DATA_SET, period: '202611', orgUnit: BAMBUI }).body).toEqual({
    completeDataSetRegistrations: [
      { period: '202611', dataSet: DATA_SET, organisationUnit: BAMBUI, attributeOptionCombo: 'HllvX50cXC0', date: '2026-12-01', storedBy: 'admin', completed: true },
    ],
  });
  const exported = get(standIn, '/api/dataValueSets', { dataSet: DATA_SET, period: '202611', orgUnit: BAMBUI }, TOKEN_HEADERS);
  expect(exported.body.completeDate).toBe('2026-12-01T00:00:00.000+0000');

  standIn.loadMetadata({
    categoryOptions: [{ id: 'FundOpt0001', name: 'Donor A', shortName: 'Donor A' }],
    categories: [{ id: 'FundCat0001', name: 'Funding', dataDimensionType: 'ATTRIBUTE', categoryOptions: [{ id: 'FundOpt0001' }] }],
    categoryCombos: [{ id: 'FundCombo01', name: 'Funding', dataDimensionType: 'ATTRIBUTE', categories: [{ id: 'FundCat0001' }] }],
    categoryOptionCombos: [{ id: 'FundAoc0001', name: 'Donor A', categoryCombo: { id: 'FundCombo01' }, categoryOptions: [{ id: 'FundOpt0001' }] }],
  });
  post(standIn, monthly([{ dataElement: ANC_VISITS, value: '3' }], { period: '202610', attributeOptionCombo: 'FundAoc0001', completeDate: 'true' }));
  expect(standIn.completeRegistrations().map((r) => [r.period, r.attributeOptionCombo, r.completeDate])).toEqual([
    ['202611', 'HllvX50cXC0', '2026-12-01'],
    ['202610', 'FundAoc0001', '2026-12-15'],
  ]);
});
