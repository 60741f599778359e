// POST /api/metadata on the stand-in (reference/dhis2-web-api.md §5): ImportReport answers, VALIDATE that
// stores nothing, atomic ALL failures with every count in `ignored`, error reports in DHIS2's wording, and
// imported metadata that data values can then be posted against.
import { DEFAULT_PERSONAL_ACCESS_TOKEN, Dhis2StandIn, type Dhis2MetadataPayload } from '../../src/dhis2/index.js';

const headers = { authorization: `ApiToken ${DEFAULT_PERSONAL_ACCESS_TOKEN}`, 'content-type': 'application/json' };
const NOW = new Date('2026-12-15T10:00:00.000Z');

function postMetadata(standIn: Dhis2StandIn, payload: unknown, query: Record<string, string> = {}) {
  const answer = standIn.handle({ method: 'POST', path: '/api/metadata', query, headers, body: JSON.stringify(payload) });
  return { status: answer.status, body: JSON.parse(answer.body) as Record<string, any> };
}

const payload = (): Dhis2MetadataPayload => ({
  categoryOptions: [{ id: 'SrcOption01', code: 'SRC_X', name: 'Source X', shortName: 'Source X' }],
  categories: [{ id: 'SrcCategory', code: 'SRC', name: 'Source', shortName: 'Source', dataDimensionType: 'ATTRIBUTE', categoryOptions: [{ id: 'SrcOption01' }] }],
  categoryCombos: [{ id: 'SrcCombo001', code: 'SRC', name: 'Source', dataDimensionType: 'ATTRIBUTE', categories: [{ id: 'SrcCategory' }] }],
  categoryOptionCombos: [{ id: 'SrcCoc00001', code: 'SRC_X', name: 'Source X', categoryCombo: { id: 'SrcCombo001' }, categoryOptions: [{ id: 'SrcOption01' }] }],
  dataElements: [
    { id: 'qqc4NnWVFL9', code: 'RMNCAH_ANC1', name: 'RMNCAH - ANC 1st visit', shortName: 'ANC 1st visit', domainType: 'AGGREGATE', valueType: 'INTEGER_ZERO_OR_POSITIVE', aggregationType: 'SUM', zeroIsSignificant: true, categoryCombo: { id: 'bjDvmb4bfuf' } },
    { id: 'OWk2WulfJYQ', code: 'RMNCAH_ANC4', name: 'RMNCAH - ANC 4th visit', shortName: 'ANC 4th visit', domainType: 'AGGREGATE', valueType: 'INTEGER_ZERO_OR_POSITIVE', aggregationType: 'SUM', categoryCombo: { id: 'bjDvmb4bfuf' } },
  ],
  dataSets: [
    {
      id: 'SmcMonthly1', code: 'SMC_MONTHLY', name: 'SMC monthly', shortName: 'SMC monthly', periodType: 'Monthly', categoryCombo: { id: 'SrcCombo001' }, openFuturePeriods: 1,
      dataSetElements: [{ dataSet: { id: 'SmcMonthly1' }, dataElement: { id: 'qqc4NnWVFL9' } }, { dataSet: { id: 'SmcMonthly1' }, dataElement: { id: 'OWk2WulfJYQ' } }],
    },
  ],
  indicatorTypes: [{ id: 'hmSnCXmLYwt', name: 'Percentage', factor: 100, number: false }],
  indicators: [{ id: 'FgNnsRgCs8r', name: 'ANC 4th visit coverage (%)', shortName: 'ANC4 cov', numerator: '#{OWk2WulfJYQ}', denominator: '1', indicatorType: { id: 'hmSnCXmLYwt' } }],
  organisationUnits: [{ id: 'OuBambui001', code: 'CM_NW_BAM_CSI001', name: 'CSI Bambui', shortName: 'CSI Bambui', openingDate: '2000-01-01' }],
});
const TOTAL = 10;

test('COMMIT creates every object: 200, status OK, no message, stats per type', () => {
  const standIn = new Dhis2StandIn({ now: () => NOW });
  const { status, body } = postMetadata(standIn, payload());
  expect(status).toBe(200);
  expect(Object.keys(body)).toEqual(['httpStatus', 'httpStatusCode', 'status', 'response']);
  expect(body).toMatchObject({ httpStatus: 'OK', httpStatusCode: 200, status: 'OK' });
  expect(body['response']).toMatchObject({ responseType: 'ImportReport', status: 'OK', stats: { created: TOTAL, updated: 0, deleted: 0, ignored: 0, total: TOTAL } });
  const dataElements = body['response'].typeReports.find((r: any) => r.klass === 'org.hisp.dhis.dataelement.DataElement');
  expect(dataElements).toEqual({ klass: 'org.hisp.dhis.dataelement.DataElement', stats: { created: 2, updated: 0, deleted: 0, ignored: 0, total: 2 }, objectReports: [] });
  expect(standIn.metadata.hasObject('indicators', 'FgNnsRgCs8r')).toBe(true);
});

test('importing the same package again updates instead of creating', () => {
  const standIn = new Dhis2StandIn({ now: () => NOW });
  postMetadata(standIn, payload());
  const again = postMetadata(standIn, payload());
  expect(again.status).toBe(200);
  expect(again.body['response'].stats).toEqual({ created: 0, updated: TOTAL, deleted: 0, ignored: 0, total: TOTAL });
});

test('VALIDATE reports what would be created and stores nothing', () => {
  const standIn = new Dhis2StandIn({ now: () => NOW });
  const { status, body } = postMetadata(standIn, payload(), { importMode: 'VALIDATE' });
  expect(status).toBe(200);
  expect(body['response'].stats).toEqual({ created: TOTAL, updated: 0, deleted: 0, ignored: 0, total: TOTAL });
  expect(standIn.metadata.hasObject('dataElements', 'qqc4NnWVFL9')).toBe(false);
  expect(standIn.metadata.dataSets.has('SmcMonthly1')).toBe(false);
});

test('atomic ALL: one bad object stores nothing; 409 with envelope WARNING, report ERROR, every count ignored, DHIS2 error reports', () => {
  const standIn = new Dhis2StandIn({ now: () => NOW });
  const bad = payload();
  delete bad.dataElements![0]!.shortName;
  bad.dataElements![1]!.categoryCombo = { id: 'noSuchCombo' };
  const { status, body } = postMetadata(standIn, bad);
  expect(status).toBe(409);
  expect(body).toMatchObject({ httpStatus: 'Conflict', httpStatusCode: 409, status: 'WARNING', message: 'One or more errors occurred, please see full details in import report.' });
  expect(body['response']).toMatchObject({ status: 'ERROR', stats: { created: 0, updated: 0, deleted: 0, ignored: TOTAL, total: TOTAL } });
  const dataElements = body['response'].typeReports.find((r: any) => r.klass === 'org.hisp.dhis.dataelement.DataElement');
  expect(dataElements.objectReports).toEqual([
    {
      klass: 'org.hisp.dhis.dataelement.DataElement',
      index: 0,
      uid: 'qqc4NnWVFL9',
      errorReports: [
        { message: 'Missing required property `shortName`', mainKlass: 'org.hisp.dhis.dataelement.DataElement', errorKlass: 'java.lang.String', errorProperty: 'shortName', errorProperties: ['shortName'], errorCode: 'E4000', args: ['shortName'] },
      ],
    },
    {
      klass: 'org.hisp.dhis.dataelement.DataElement',
      index: 1,
      uid: 'OWk2WulfJYQ',
      errorReports: [
        {
          message: 'Invalid reference [noSuchCombo] (CategoryCombo) on object RMNCAH - ANC 4th visit [OWk2WulfJYQ] (DataElement) for association `categoryCombo`',
          mainKlass: 'org.hisp.dhis.dataelement.DataElement',
          mainId: 'OWk2WulfJYQ',
          errorKlass: 'org.hisp.dhis.category.CategoryCombo',
          errorProperty: 'categoryCombo',
          errorProperties: ['[noSuchCombo] (CategoryCombo)', 'RMNCAH - ANC 4th visit [OWk2WulfJYQ] (DataElement)', 'categoryCombo'],
          errorCode: 'E5002',
          args: ['[noSuchCombo] (CategoryCombo)', 'RMNCAH - ANC 4th visit [OWk2WulfJYQ] (DataElement)', 'categoryCombo'],
        },
      ],
    },
  ]);
  expect(standIn.metadata.hasObject('categoryOptions', 'SrcOption01')).toBe(false);
  expect(standIn.metadata.dataSets.size).toBe(0);
});

test('invalid uids (E4014) and too-long short names (E4001); atomicMode NONE stores the valid objects with status WARNING', () => {
  const standIn = new Dhis2StandIn({ now: () => NOW });
  const bad = payload();
  bad.indicatorTypes = [{ id: 'hmSnCXmLYw!', name: 'Percentage', factor: 100 } as never];
  bad.indicators = [];
  bad.categoryOptions![0]!.shortName = 'x'.repeat(51);
  const { status, body } = postMetadata(standIn, bad, { atomicMode: 'NONE' });
  expect(status).toBe(409);
  expect(body['response'].status).toBe('WARNING');
  const messages = body['response'].typeReports.flatMap((r: any) => r.objectReports.flatMap((o: any) => o.errorReports.map((e: any) => `${e.errorCode} ${e.message}`)));
  expect(messages).toEqual(['E4001 Maximum length of property `shortName`is 50, but given length was 51', 'E4014 Invalid UID `hmSnCXmLYw!` for property `id`']);
  expect(body['response'].stats).toMatchObject({ created: TOTAL - 3, ignored: 2 });
  expect(standIn.metadata.hasObject('dataElements', 'qqc4NnWVFL9')).toBe(true);
  expect(standIn.metadata.hasObject('indicatorTypes', 'hmSnCXmLYw!')).toBe(false);
});

test('data values can be posted by code against imported metadata, with the attribute option combo of the data set', () => {
  const standIn = new Dhis2StandIn({ now: () => NOW });
  expect(postMetadata(standIn, payload()).status).toBe(200);
  const answer = standIn.handle({
    method: 'POST',
    path: '/api/dataValueSets',
    query: { idScheme: 'CODE' },
    headers,
    body: JSON.stringify({ dataValues: [{ dataElement: 'RMNCAH_ANC4', period: '202611', orgUnit: 'CM_NW_BAM_CSI001', attributeOptionCombo: 'SRC_X', value: '4' }] }),
  });
  expect(answer.status).toBe(200);
  expect(standIn.valueOf({ dataElement: 'OWk2WulfJYQ', period: '202611', orgUnit: 'OuBambui001', attributeOptionCombo: 'SrcCoc00001' })).toBe('4');
});

test('a body that is not JSON is a 400', () => {
  const standIn = new Dhis2StandIn({ now: () => NOW });
  const answer = standIn.handle({ method: 'POST', path: '/api/metadata', headers, body: '{ "dataElements": [' });
  expect(answer.status).toBe(400);
  expect(JSON.parse(answer.body)).toMatchObject({ status: 'ERROR', message: expect.stringMatching(/^JSON parse error/) });
});
