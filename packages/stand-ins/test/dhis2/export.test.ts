// GET /api/dataValueSets returns what was stored, in DHIS2's JSON export shape, and the async import
// answer with its polling endpoints (reference/dhis2-web-api.md §1.1, §1.4, §1.5).
import {
  ANC_VISITS,
  BAMBUI,
  DATA_SET,
  DEFAULT_COC,
  MALARIA_CASES,
  NKWEN,
  UNDER_5,
  get,
  monthly,
  newStandIn,
  post,
  summaryOf,
} from './fixture.js';

function seeded() {
  const standIn = newStandIn();
  post(standIn, monthly([
    { dataElement: MALARIA_CASES, categoryOptionCombo: UNDER_5, value: '12', comment: 'from register' },
    { dataElement: ANC_VISITS, value: '4' },
  ]));
  post(standIn, monthly([{ dataElement: ANC_VISITS, value: '2' }], { period: '202610' }));
  post(standIn, monthly([{ dataElement: ANC_VISITS, value: '9' }], { orgUnit: NKWEN }));
  return standIn;
}

test('one data set, period and org unit: the header and the stored values, every field', () => {
  const answer = get(seeded(), '/api/dataValueSets', { dataSet: DATA_SET, period: '202611', orgUnit: BAMBUI });
  expect(answer.status).toBe(200);
  expect(answer.keys).toEqual(['dataSet', 'completeDate', 'period', 'orgUnit', 'dataValues']);
  expect(answer.body).toEqual({
    dataSet: DATA_SET,
    completeDate: null,
    period: '202611',
    orgUnit: BAMBUI,
    dataValues: [
      {
        dataElement: ANC_VISITS,
        period: '202611',
        orgUnit: BAMBUI,
        categoryOptionCombo: DEFAULT_COC,
        attributeOptionCombo: DEFAULT_COC,
        value: '4',
        storedBy: 'admin',
        created: '2026-12-15T10:00:00.000+0000',
        lastUpdated: '2026-12-15T10:00:00.000+0000',
        comment: null,
        followup: false,
      },
      {
        dataElement: MALARIA_CASES,
        period: '202611',
        orgUnit: BAMBUI,
        categoryOptionCombo: UNDER_5,
        attributeOptionCombo: DEFAULT_COC,
        value: '12',
        storedBy: 'admin',
        created: '2026-12-15T10:00:00.000+0000',
        lastUpdated: '2026-12-15T10:00:00.000+0000',
        comment: 'from register',
        followup: false,
      },
    ],
  });
});

test('several periods or org units: no header; output by code on request', () => {
  const answer = get(seeded(), '/api/dataValueSets', {
    dataSet: DATA_SET,
    period: ['202610', '202611'],
    orgUnit: [BAMBUI, NKWEN],
    idScheme: 'CODE',
  });
  expect(answer.keys).toEqual(['dataValues']);
  const values = answer.body.dataValues as Record<string, unknown>[];
  expect(values.map((v) => [v.period, v.orgUnit, v.dataElement, v.categoryOptionCombo, v.value])).toEqual([
    ['202610', 'CM_NW_BAM_CSI001', 'SMC_ANC1', 'default', '2'],
    ['202611', 'CM_NW_BAM_CSI001', 'SMC_ANC1', 'default', '4'],
    ['202611', 'CM_NW_BAM_CSI001', 'SMC_MAL_CASES', 'SMC_AGE_LT5', '12'],
    ['202611', 'CM_NW_NKW_CSI002', 'SMC_ANC1', 'default', '9'],
  ]);
});

test('deleted values are left out unless includeDeleted=true, which adds the deleted flag', () => {
  const standIn = seeded();
  post(standIn, monthly([{ dataElement: ANC_VISITS, value: ' ' }]));
  const query = { dataSet: DATA_SET, period: '202611', orgUnit: BAMBUI };
  expect((get(standIn, '/api/dataValueSets', query).body.dataValues as unknown[]).length).toBe(1);
  const withDeleted = get(standIn, '/api/dataValueSets', { ...query, includeDeleted: 'true' }).body.dataValues as Record<string, unknown>[];
  expect(withDeleted.map((v) => [v.dataElement, v.deleted])).toEqual([
    [ANC_VISITS, true],
    [MALARIA_CASES, undefined],
  ]);
  // `deleted` is written only when true (ResultSetDataValueEntry.getDeleted: `deleted ? true : null`).
  expect(Object.keys(withDeleted[1] as object)).not.toContain('deleted');
});

test('attributeOptionCombo filters the export; unknown ones are dropped, and none left means no filter', () => {
  const standIn = seeded();
  standIn.loadMetadata({
    categoryOptions: [{ id: 'FundOpt0001', name: 'Donor A', shortName: 'Donor A' }],
    categories: [{ id: 'FundCat0001', name: 'Funding', dataDimensionType: 'ATTRIBUTE', categoryOptions: [{ id: 'FundOpt0001' }] }],
    categoryCombos: [{ id: 'FundCombo01', name: 'Funding', dataDimensionType: 'ATTRIBUTE', categories: [{ id: 'FundCat0001' }] }],
    categoryOptionCombos: [{ id: 'FundAoc0001', code: 'DONOR_A', name: 'Donor A', categoryCombo: { id: 'FundCombo01' }, categoryOptions: [{ id: 'FundOpt0001' }] }],
  });
  post(standIn, { period: '202611', orgUnit: BAMBUI, dataValues: [{ dataElement: ANC_VISITS, attributeOptionCombo: 'FundAoc0001', value: '7' }] });
  const query = { dataSet: DATA_SET, period: '202611', orgUnit: BAMBUI };
  const values = (extra: Record<string, string>) =>
    (get(standIn, '/api/dataValueSets', { ...query, ...extra }).body.dataValues as Record<string, unknown>[]).map((v) => [
      v.dataElement,
      v.attributeOptionCombo,
      v.value,
    ]);
  expect(values({})).toHaveLength(3);
  expect(values({ attributeOptionCombo: 'FundAoc0001' })).toEqual([[ANC_VISITS, 'FundAoc0001', '7']]);
  expect(values({ attributeOptionCombo: DEFAULT_COC })).toEqual([
    [ANC_VISITS, DEFAULT_COC, '4'],
    [MALARIA_CASES, DEFAULT_COC, '12'],
  ]);
  // The input id scheme (IdSchemes.getAttributeOptionComboIdScheme falls back to inputIdScheme) applies to all.
  expect(
    values({ dataSet: 'SMC_MONTHLY', orgUnit: 'CM_NW_BAM_CSI001', attributeOptionCombo: 'DONOR_A', inputIdScheme: 'CODE' }),
  ).toEqual([[ANC_VISITS, 'FundAoc0001', '7']]);
  expect(values({ attributeOptionCombo: 'NoSuchAoc01' })).toHaveLength(3);
});

test('startDate/endDate select the periods inside the range', () => {
  const values = get(seeded(), '/api/dataValueSets', { dataSet: DATA_SET, startDate: '2026-10-01', endDate: '2026-10-31', orgUnit: BAMBUI })
    .body.dataValues as Record<string, unknown>[];
  expect(values.map((v) => v.period)).toEqual(['202610']);
});

test.each([
  [{ period: '202611', orgUnit: BAMBUI }, 'E2001', 'At least one data element, data set or data element group must be specified'],
  [{ dataSet: DATA_SET, orgUnit: BAMBUI }, 'E2002', 'At least one period, start/end dates, last updated or last updated duration must be specified'],
  [{ dataSet: DATA_SET, period: '202611' }, 'E2006', 'At least one organisation unit or organisation unit group must be specified'],
  [{ dataSet: 'NoSuchDs001', period: '202611', orgUnit: BAMBUI }, 'E2001', 'At least one data element, data set or data element group must be specified'],
])('an incomplete query %j is a 409 %s', (query, errorCode, message) => {
  const answer = get(seeded(), '/api/dataValueSets', query);
  expect(answer.status).toBe(409);
  expect(answer.body).toEqual({ httpStatus: 'Conflict', httpStatusCode: 409, status: 'ERROR', message, errorCode });
});

test('an org unit outside the user view is refused', () => {
  const standIn = seeded();
  standIn.addUser({ username: 'bambui', password: 'pw', organisationUnits: [BAMBUI], personalAccessTokens: ['d2pat_viewviewviewviewviewviewviewvi031063978451'] });
  const answer = get(standIn, '/api/dataValueSets', { dataSet: DATA_SET, period: '202611', orgUnit: NKWEN }, {
    authorization: 'ApiToken d2pat_viewviewviewviewviewviewviewvi031063978451',
    'content-type': 'application/json',
  });
  expect(answer.status).toBe(409);
  expect(answer.body.message).toBe(`User is not allowed to view org unit: \`${NKWEN}\``);
});

test('async=true answers with the job; its task summary is the bare ImportSummary', () => {
  const standIn = newStandIn();
  const started = post(standIn, monthly([{ dataElement: ANC_VISITS, value: '3' }, { dataElement: 'XXXXXXXXXXX', value: '1' }]), { async: 'true' });
  expect(started.status).toBe(200);
  expect(started.body).toMatchObject({ httpStatus: 'OK', httpStatusCode: 200, status: 'OK', message: 'Initiated DATAVALUE_IMPORT' });
  const job = started.body.response as Record<string, unknown>;
  expect(job).toMatchObject({ name: 'DATAVALUE_IMPORT', jobType: 'DATAVALUE_IMPORT', jobStatus: 'SCHEDULED' });
  expect('responseType' in job).toBe(false);
  expect(started.raw.headers.location).toBe('/system/tasks/DATAVALUE_IMPORT');

  const tasks = get(standIn, `/api/system/tasks/DATAVALUE_IMPORT/${String(job.id)}`);
  expect((tasks.body as unknown as Record<string, unknown>[])[0]).toMatchObject({ message: 'Import done', completed: true });
  const summary = get(standIn, `/api/system/taskSummaries/DATAVALUE_IMPORT/${String(job.id)}`);
  expect(summary.body).toMatchObject({ responseType: 'ImportSummary', status: 'WARNING', importCount: { imported: 1, ignored: 1 } });
  expect(summaryOf(post(newStandIn(), monthly([{ dataElement: ANC_VISITS, value: '3' }]))).status).toBe('SUCCESS');
});
