// Identifier schemes (reference/dhis2-web-api.md §1.1, §1.2): values posted by code, payload schemes over
// query schemes, specific schemes over the generic idScheme.
import { ANC_VISITS, BAMBUI, DATA_SET, MALARIA_CASES, OVER_5, UNDER_5, newStandIn, post, summaryOf } from './fixture.js';

const byCode = {
  dataSet: 'SMC_MONTHLY',
  period: '202611',
  orgUnit: 'CM_NW_BAM_CSI001',
  dataValues: [
    { dataElement: 'SMC_MAL_CASES', categoryOptionCombo: 'SMC_AGE_LT5', value: '12' },
    { dataElement: 'SMC_MAL_CASES', categoryOptionCombo: 'SMC_AGE_5P', value: '30' },
    { dataElement: 'SMC_ANC1', value: '4' },
  ],
};

function expectStoredByUid(standIn: ReturnType<typeof newStandIn>): void {
  expect(standIn.valueOf({ dataElement: MALARIA_CASES, period: '202611', orgUnit: BAMBUI, categoryOptionCombo: UNDER_5 })).toBe('12');
  expect(standIn.valueOf({ dataElement: MALARIA_CASES, period: '202611', orgUnit: BAMBUI, categoryOptionCombo: OVER_5 })).toBe('30');
  expect(standIn.valueOf({ dataElement: ANC_VISITS, period: '202611', orgUnit: BAMBUI })).toBe('4');
}

test('idScheme=CODE in the query resolves every object by code', () => {
  const standIn = newStandIn();
  const summary = summaryOf(post(standIn, byCode, { idScheme: 'code' }));
  expect(summary.status).toBe('SUCCESS');
  expect(summary.importCount.imported).toBe(3);
  expectStoredByUid(standIn);
});

test('specific schemes in the query, mixed with UIDs', () => {
  const standIn = newStandIn();
  const payload = { ...byCode, dataSet: DATA_SET };
  const summary = summaryOf(
    post(standIn, payload, { dataElementIdScheme: 'CODE', orgUnitIdScheme: 'CODE', categoryOptionComboIdScheme: 'CODE' }),
  );
  expect(summary.status).toBe('SUCCESS');
  expectStoredByUid(standIn);
});

test('schemes in the payload override the query; a specific scheme overrides the generic one', () => {
  const standIn = newStandIn();
  const payload = { ...byCode, dataSet: DATA_SET, idScheme: 'CODE', dataSetIdScheme: 'UID' };
  const summary = summaryOf(post(standIn, payload, { idScheme: 'UID' }));
  expect(summary.status).toBe('SUCCESS');
  expectStoredByUid(standIn);
});

test('without a scheme, codes are not UIDs: the conflict names the identifier as posted', () => {
  const summary = summaryOf(post(newStandIn(), { ...byCode, dataSet: DATA_SET, orgUnit: BAMBUI }));
  expect(summary.conflicts).toEqual([
    {
      object: 'SMC_MAL_CASES',
      objects: { dataElement: 'SMC_MAL_CASES' },
      value: 'Data element not found or not accessible: `SMC_MAL_CASES`',
      errorCode: 'E7610',
      property: 'dataElement',
      indexes: [0, 1],
    },
    {
      object: 'SMC_ANC1',
      objects: { dataElement: 'SMC_ANC1' },
      value: 'Data element not found or not accessible: `SMC_ANC1`',
      errorCode: 'E7610',
      property: 'dataElement',
      indexes: [2],
    },
  ]);
});

test('an unknown code under CODE is reported with the code', () => {
  const summary = summaryOf(
    post(newStandIn(), { ...byCode, dataValues: [{ dataElement: 'SMC_NOPE', value: '1' }] }, { idScheme: 'CODE' }),
  );
  expect(summary.conflicts[0]).toMatchObject({ errorCode: 'E7610', value: 'Data element not found or not accessible: `SMC_NOPE`' });
});

test('an unknown scheme name in the query is a 400', () => {
  const answer = post(newStandIn(), byCode, { idScheme: 'shortName' });
  expect(answer.status).toBe(400);
  expect(answer.body).toMatchObject({ httpStatus: 'Bad Request', httpStatusCode: 400, status: 'ERROR' });
});
