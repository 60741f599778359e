// Lenient by default, strict on request or by system setting (reference/dhis2-web-api.md §1.4, §1.6):
// an element outside the data set, an org unit not assigned, a COC outside the element's combo.
import {
  ANC_VISITS,
  BAMBUI,
  DATA_SET,
  DEFAULT_COC,
  MALARIA_CASES,
  NKWEN,
  REFERRALS,
  UNDER_5,
  monthly,
  newStandIn,
  post,
  summaryOf,
} from './fixture.js';

const notInDataSet = { dataElement: REFERRALS, value: '2' };
const wrongCombo = { dataElement: ANC_VISITS, categoryOptionCombo: UNDER_5, value: '2' };
const notAssigned = { dataElement: ANC_VISITS, orgUnit: NKWEN, value: '2' };

test('by default all three are accepted silently and stored', () => {
  const standIn = newStandIn();
  const summary = summaryOf(
    post(standIn, {
      dataSet: DATA_SET,
      period: '202611',
      dataValues: [{ ...notInDataSet, orgUnit: BAMBUI }, { ...wrongCombo, orgUnit: BAMBUI }, notAssigned],
    }),
  );
  expect(summary.status).toBe('SUCCESS');
  expect(summary.importCount.imported).toBe(3);
  expect(standIn.valueOf({ dataElement: REFERRALS, period: '202611', orgUnit: BAMBUI })).toBe('2');
  expect(standIn.valueOf({ dataElement: ANC_VISITS, period: '202611', orgUnit: BAMBUI, categoryOptionCombo: UNDER_5 })).toBe('2');
  expect(standIn.valueOf({ dataElement: ANC_VISITS, period: '202611', orgUnit: NKWEN })).toBe('2');
});

test('strictDataElements: an element outside the payload data set is refused (E7633)', () => {
  const summary = summaryOf(post(newStandIn(), monthly([notInDataSet]), { strictDataElements: 'true' }));
  expect(summary.conflicts).toEqual([
    {
      object: REFERRALS,
      objects: { dataElement: REFERRALS, dataSet: DATA_SET },
      value: `Data element: \`${REFERRALS}\` is not part of dataset(s): \`${DATA_SET}\``,
      errorCode: 'E7633',
      property: 'dataElement',
      indexes: [0],
    },
  ]);
});

test('strictDataElements without a data set in the payload: only an element in no data set is refused (E7633, no E7602 abort)', () => {
  // dhis2-core DataValueSetImportValidator.checkDataValueStrictDataElement (2.39–2.42): the targets are the
  // element's own data sets, joined with ","; none for REFERRALS, so the list is empty.
  const answer = post(
    newStandIn(),
    { period: '202611', orgUnit: BAMBUI, dataValues: [{ dataElement: ANC_VISITS, value: '1' }, notInDataSet] },
    { strictDataElements: 'true' },
  );
  expect(answer.status).toBe(409);
  const summary = summaryOf(answer);
  expect(summary.status).toBe('WARNING');
  expect(summary.importCount).toEqual({ imported: 1, updated: 0, ignored: 1, deleted: 0 });
  expect(summary.conflicts).toEqual([
    {
      object: REFERRALS,
      objects: { dataElement: REFERRALS, dataSet: '' },
      value: `Data element: \`${REFERRALS}\` is not part of dataset(s): \`\``,
      errorCode: 'E7633',
      property: 'dataElement',
      indexes: [1],
    },
  ]);
});

test('strictCategoryOptionCombos: a COC outside the element combo is refused (E7634)', () => {
  const summary = summaryOf(post(newStandIn(), monthly([wrongCombo]), { strictCategoryOptionCombos: 'true' }));
  expect(summary.conflicts).toEqual([
    {
      object: UNDER_5,
      objects: { categoryOptionCombo: UNDER_5, dataElement: ANC_VISITS },
      value: `Category option combo: \`${UNDER_5}\` must be part of category combo of data element: \`${ANC_VISITS}\``,
      errorCode: 'E7634',
      property: 'categoryOptionCombo',
      indexes: [0],
    },
  ]);
  // The element's own options pass; an omitted COC falls back to the default, which the age combo lacks.
  const own = summaryOf(post(newStandIn(), monthly([{ dataElement: MALARIA_CASES, categoryOptionCombo: UNDER_5, value: '1' }]), { strictCategoryOptionCombos: 'true' }));
  expect(own.status).toBe('SUCCESS');
  const omitted = summaryOf(post(newStandIn(), monthly([{ dataElement: MALARIA_CASES, value: '1' }]), { strictCategoryOptionCombos: 'true' }));
  // The posted COC is null: the first entry of `objects`, so `object` is null as well; both are left out.
  expect(omitted.conflicts[0]).toMatchObject({ errorCode: 'E7634', objects: { dataElement: MALARIA_CASES } });
  expect(omitted.conflicts[0]).not.toHaveProperty('object');
});

test('strictOrganisationUnits: an org unit without a data set holding the element is refused (E7636)', () => {
  const summary = summaryOf(post(newStandIn(), { period: '202611', dataValues: [notAssigned] }, { strictOrganisationUnits: 'true' }));
  expect(summary.conflicts).toEqual([
    {
      object: NKWEN,
      objects: { organisationUnit: NKWEN, dataElement: ANC_VISITS },
      value: `Data element: \`${ANC_VISITS}\` must be assigned through data sets to organisation unit: \`${NKWEN}\``,
      errorCode: 'E7636',
      property: 'orgUnit',
      indexes: [0],
    },
  ]);
});

test('strictPeriods: a period of another type than the element data sets is refused (E7632)', () => {
  const value = { dataElement: ANC_VISITS, period: '2026W40', orgUnit: BAMBUI, value: '1' };
  expect(summaryOf(post(newStandIn(), { dataValues: [value] })).status).toBe('SUCCESS');
  const summary = summaryOf(post(newStandIn(), { dataValues: [value] }, { strictPeriods: 'true' }));
  expect(summary.conflicts).toEqual([
    {
      object: '2026W40',
      objects: { period: '2026W40', dataElement: ANC_VISITS },
      value: `Period type of period: \`2026W40\` not valid for data element: \`${ANC_VISITS}\``,
      errorCode: 'E7632',
      indexes: [0],
    },
  ]);
});

test('a system setting makes the check strict whatever the request says', () => {
  const standIn = newStandIn({ systemSettings: { keyDataImportStrictOrganisationUnits: true } });
  const summary = summaryOf(post(standIn, { period: '202611', dataValues: [notAssigned] }, { strictOrganisationUnits: 'false' }));
  expect(summary.conflicts.map((conflict) => conflict.errorCode)).toEqual(['E7636']);
  // …while the echoed importOptions still show the request's flag.
  expect(summary.importOptions?.strictOrganisationUnits).toBe(false);
});

test('the default COC is stored when a disaggregated element is posted without one (lenient)', () => {
  const standIn = newStandIn();
  post(standIn, monthly([{ dataElement: MALARIA_CASES, value: '7' }]));
  expect(standIn.valueOf({ dataElement: MALARIA_CASES, period: '202611', orgUnit: BAMBUI, categoryOptionCombo: DEFAULT_COC })).toBe('7');
});
