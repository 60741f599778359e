// The WebMessage envelope and HTTP status of dataValueSets answers, in both version modes
// (reference/dhis2-web-api.md §0, §1.3, §8 items 1–3).
import { ANC_VISITS, BAMBUI, DATA_SET, MALARIA_CASES, UNDER_5, monthly, newStandIn, post, summaryOf } from './fixture.js';

const ENVELOPE_KEYS = ['httpStatus', 'httpStatusCode', 'status', 'message', 'response'];
const SUMMARY_KEYS = [
  'responseType',
  'status',
  'importOptions',
  'description',
  'importCount',
  'conflicts',
  'rejectedIndexes',
  'dataSetComplete',
];

const good = monthly([
  { dataElement: MALARIA_CASES, categoryOptionCombo: UNDER_5, value: '12' },
  { dataElement: ANC_VISITS, value: '3' },
]);
const partlyBad = monthly([
  { dataElement: MALARIA_CASES, categoryOptionCombo: UNDER_5, value: '12' },
  { dataElement: 'XXXXXXXXXXX', value: '1' },
]);

describe.each(['2.39', '2.41', '2.42', '2.43'])('DHIS2 %s', (version) => {
  const at243 = version === '2.43';

  test('SUCCESS → 200, status OK, "Import was successful."', () => {
    const answer = post(newStandIn({ version }), good);
    expect(answer.status).toBe(200);
    expect(answer.keys).toEqual(ENVELOPE_KEYS);
    expect(answer.body).toMatchObject({
      httpStatus: 'OK',
      httpStatusCode: 200,
      status: 'OK',
      message: 'Import was successful.',
    });
    const summary = summaryOf(answer);
    expect(Object.keys(summary)).toEqual(SUMMARY_KEYS);
    expect(summary).toMatchObject({
      responseType: 'ImportSummary',
      status: 'SUCCESS',
      description: 'Import process completed successfully',
      importCount: { imported: 2, updated: 0, ignored: 0, deleted: 0 },
      conflicts: [],
      rejectedIndexes: [],
      dataSetComplete: 'false',
    });
    expect(Object.keys(summary.importCount)).toEqual(['imported', 'updated', 'ignored', 'deleted']);
  });

  test(`WARNING → ${at243 ? 200 : 409}, status WARNING, the other values imported`, () => {
    const answer = post(newStandIn({ version }), partlyBad);
    expect(answer.status).toBe(at243 ? 200 : 409);
    expect(answer.keys).toEqual(ENVELOPE_KEYS);
    expect(answer.body).toMatchObject(
      at243
        ? { httpStatus: 'OK', httpStatusCode: 200, status: 'WARNING', message: 'Import completed with warnings, please check import summary.' }
        : {
            httpStatus: 'Conflict',
            httpStatusCode: 409,
            status: 'WARNING',
            message: 'One more conflicts encountered, please check import summary.',
          },
    );
    const summary = summaryOf(answer);
    expect(summary.status).toBe('WARNING');
    expect(summary.description).toBe('Import process completed successfully');
    expect(summary.importCount).toEqual({ imported: 1, updated: 0, ignored: 1, deleted: 0 });
    expect(summary.rejectedIndexes).toEqual([1]);
    expect(summary.conflicts).toHaveLength(1);
    expect(Object.keys(summary.conflicts[0] as object)).toEqual(['object', 'objects', 'value', 'errorCode', 'property', 'indexes']);
  });

  test('ERROR (data-set-level failure) → 409, status ERROR, import aborted, nothing stored', () => {
    const standIn = newStandIn({ version });
    const answer = post(standIn, { ...good, dataSet: 'badDataSet1' });
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({
      httpStatus: 'Conflict',
      httpStatusCode: 409,
      status: 'ERROR',
      message: 'An error occurred, please check import summary.',
    });
    const summary = summaryOf(answer);
    expect(summary).toMatchObject({
      status: 'ERROR',
      description: 'Import process was aborted',
      importCount: { imported: 0, updated: 0, ignored: 0, deleted: 0 },
      rejectedIndexes: [],
      dataSetComplete: 'false',
    });
    expect(summary.conflicts).toEqual([
      {
        object: 'badDataSet1',
        objects: { dataSet: 'badDataSet1' },
        value: 'Data set not found or not accessible: `badDataSet1`',
        errorCode: 'E7600',
        property: 'dataSet',
      },
    ]);
    expect(standIn.allValues()).toEqual([]);
  });
});

test('the summary echoes the request options in ImportOptions order, strict flags as requested', () => {
  const summary = summaryOf(post(newStandIn(), good, { strictOrganisationUnits: 'true', dataElementIdScheme: 'UID' }));
  expect(summary.importOptions).toEqual({
    idSchemes: { dataElementIdScheme: { type: 'UID' } },
    dryRun: false,
    async: false,
    importStrategy: 'CREATE_AND_UPDATE',
    mergeMode: 'REPLACE',
    reportMode: 'FULL',
    skipExistingCheck: false,
    sharing: false,
    skipNotifications: false,
    skipAudit: false,
    datasetAllowsPeriods: false,
    strictPeriods: false,
    strictDataElements: false,
    strictCategoryOptionCombos: false,
    strictAttributeOptionCombos: false,
    strictOrganisationUnits: true,
    strictDataSetApproval: false,
    strictDataSetLocking: false,
    strictDataSetInputPeriods: false,
    requireCategoryOptionCombo: false,
    requireAttributeOptionCombo: false,
    skipPatternValidation: false,
    ignoreEmptyCollection: false,
    force: false,
    firstRowIsHeader: true,
    skipLastUpdated: false,
    mergeDataValues: false,
    skipCache: false,
  });
  expect(Object.keys(summary.importOptions as object).slice(0, 4)).toEqual(['idSchemes', 'dryRun', 'async', 'importStrategy']);
});

test('the versioned path /api/41/ answers like /api/; below 38 the bare summary comes with 200', () => {
  const versioned = post(newStandIn(), partlyBad, {}, '/api/41/dataValueSets');
  expect(versioned.status).toBe(409);
  expect(versioned.keys).toEqual(ENVELOPE_KEYS);

  const legacy = post(newStandIn(), partlyBad, {}, '/api/37/dataValueSets');
  expect(legacy.status).toBe(200);
  expect(legacy.keys).toEqual(SUMMARY_KEYS);
  expect(legacy.body.status).toBe('WARNING');
});

test('unreadable JSON is an ERROR summary: "The import process failed: …"', () => {
  const answer = post(newStandIn(), '{"dataValues": [');
  expect(answer.status).toBe(409);
  expect(answer.body.status).toBe('ERROR');
  const summary = summaryOf(answer);
  expect(summary.status).toBe('ERROR');
  expect(summary.description).toMatch(/^The import process failed: /);
  expect(summary.importCount).toEqual({ imported: 0, updated: 0, ignored: 0, deleted: 0 });
  expect('importOptions' in summary).toBe(false);
});

test('a body sent as text/plain is refused with 415, as Spring does for a JSON-only endpoint', () => {
  const standIn = newStandIn();
  const response = standIn.handle({
    method: 'POST',
    path: '/api/dataValueSets',
    headers: { authorization: 'ApiToken d2pat_5xVA12xyUbWNedQxy4ohH77WlxRGVvZZ1151814092', 'content-type': 'text/plain;charset=UTF-8' },
    body: JSON.stringify(good),
  });
  expect(response.status).toBe(415);
  expect(JSON.parse(response.body)).toEqual({
    httpStatus: 'Unsupported Media Type',
    httpStatusCode: 415,
    status: 'ERROR',
    message: "Content type 'text/plain;charset=UTF-8' not supported",
  });
  expect(standIn.allValues()).toEqual([]);
});

test('completeDate with a data set, period and org unit registers completeness', () => {
  const standIn = newStandIn();
  const summary = summaryOf(post(standIn, { ...good, completeDate: '2026-12-01' }));
  expect(summary.dataSetComplete).toBe('2026-12-01');
  const registration = {
    dataSet: DATA_SET,
    period: '202611',
    orgUnit: BAMBUI,
    attributeOptionCombo: 'HllvX50cXC0',
    completeDate: '2026-12-01',
    date: '2026-12-01T00:00:00.000Z',
    storedBy: 'admin',
    lastUpdatedBy: 'admin',
    lastUpdated: '2026-12-15T10:00:00.000Z',
    completed: true,
  };
  expect(standIn.completeRegistrations()).toEqual([registration]);
  // DefaultDataValueSetService.handleComplete does not look at dryRun: the registration is made all the same.
  const dry = newStandIn();
  expect(summaryOf(post(dry, { ...good, completeDate: '2026-12-01' }, { dryRun: 'true' })).dataSetComplete).toBe('2026-12-01');
  expect(dry.completeRegistrations()).toEqual([registration]);
  expect(dry.allValues()).toEqual([]);
  // A future date is clamped to today.
  expect(summaryOf(post(newStandIn(), { ...good, completeDate: '2027-01-05' })).dataSetComplete).toBe('2026-12-15');
});
