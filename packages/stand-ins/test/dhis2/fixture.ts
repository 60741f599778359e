// A small DHIS2 metadata package for the stand-in tests: a monthly data set with two data elements (one
// disaggregated by a two-option age combo, one on the default combo), a third element outside the data
// set, and two org units of which only one is assigned. Plus helpers to post and read answers.
import {
  basicAuthorization,
  DEFAULT_PERSONAL_ACCESS_TOKEN,
  Dhis2StandIn,
  type Dhis2DataValueSet,
  type Dhis2MetadataPayload,
  type Dhis2Response,
  type Dhis2StandInOptions,
} from '../../src/dhis2/index.js';

export const DATA_SET = 'SmcMonthly1';
export const MALARIA_CASES = 'DeMalCases1'; // age combo, INTEGER_ZERO_OR_POSITIVE, zero not significant
export const ANC_VISITS = 'DeAncVisit1'; // default combo, INTEGER, zero significant
export const REFERRALS = 'DeReferral1'; // default combo, INTEGER_POSITIVE, in no data set
export const AGE_COMBO = 'AgeCombo001';
export const UNDER_5 = 'AgeLt5Coc01';
export const OVER_5 = 'Age5pCoc001';
export const BAMBUI = 'OuBambui001'; // assigned to the data set
export const NKWEN = 'OuNkwen0001'; // not assigned
export const DEFAULT_COC = 'HllvX50cXC0';

/** The stand-in's clock in these tests: mid-December 2026, so 202611 is the latest open month. */
export const NOW = new Date('2026-12-15T10:00:00.000Z');

export function fixtureMetadata(): Dhis2MetadataPayload {
  return {
    categoryOptions: [
      { id: 'AgeLt5Opt01', code: 'P0Y--P5Y', name: '<5 years', shortName: '<5 y' },
      { id: 'Age5pOpt001', code: 'P5Y--P999Y', name: '5+ years', shortName: '5+ y' },
    ],
    categories: [
      { id: 'AgeCat00001', code: 'AGE_SMC', name: 'Age (SMC)', categoryOptions: [{ id: 'AgeLt5Opt01' }, { id: 'Age5pOpt001' }] },
    ],
    categoryCombos: [{ id: AGE_COMBO, code: 'AGE_SMC', name: 'Age (SMC)', categories: [{ id: 'AgeCat00001' }] }],
    categoryOptionCombos: [
      { id: UNDER_5, code: 'SMC_AGE_LT5', name: '<5 years', categoryCombo: { id: AGE_COMBO }, categoryOptions: [{ id: 'AgeLt5Opt01' }] },
      { id: OVER_5, code: 'SMC_AGE_5P', name: '5+ years', categoryCombo: { id: AGE_COMBO }, categoryOptions: [{ id: 'Age5pOpt001' }] },
    ],
    dataElements: [
      {
        id: MALARIA_CASES,
        code: 'SMC_MAL_CASES',
        name: 'SMC - Malaria cases',
        shortName: 'Malaria cases',
        valueType: 'INTEGER_ZERO_OR_POSITIVE',
        aggregationType: 'SUM',
        domainType: 'AGGREGATE',
        zeroIsSignificant: false,
        categoryCombo: { id: AGE_COMBO },
      },
      {
        id: ANC_VISITS,
        code: 'SMC_ANC1',
        name: 'SMC - ANC 1st visit',
        shortName: 'ANC 1st visit',
        valueType: 'INTEGER',
        aggregationType: 'SUM',
        domainType: 'AGGREGATE',
        zeroIsSignificant: true,
        categoryCombo: { id: 'bjDvmb4bfuf' },
      },
      {
        id: REFERRALS,
        code: 'SMC_REFERRALS',
        name: 'SMC - Referrals',
        shortName: 'Referrals',
        valueType: 'INTEGER_POSITIVE',
        aggregationType: 'SUM',
        domainType: 'AGGREGATE',
        zeroIsSignificant: false,
        categoryCombo: { id: 'bjDvmb4bfuf' },
      },
    ],
    dataSets: [
      {
        id: DATA_SET,
        code: 'SMC_MONTHLY',
        name: 'SMC monthly',
        shortName: 'SMC monthly',
        periodType: 'Monthly',
        categoryCombo: { id: 'bjDvmb4bfuf' },
        openFuturePeriods: 0,
        expiryDays: 0,
        dataSetElements: [
          { dataSet: { id: DATA_SET }, dataElement: { id: MALARIA_CASES } },
          { dataSet: { id: DATA_SET }, dataElement: { id: ANC_VISITS } },
        ],
        organisationUnits: [{ id: BAMBUI }],
      },
    ],
    organisationUnits: [
      { id: BAMBUI, code: 'CM_NW_BAM_CSI001', name: 'CSI Bambui', shortName: 'CSI Bambui', openingDate: '2000-01-01' },
      { id: NKWEN, code: 'CM_NW_NKW_CSI002', name: 'CSI Nkwen', shortName: 'CSI Nkwen', openingDate: '2000-01-01' },
    ],
  };
}

export function newStandIn(options: Dhis2StandInOptions = {}): Dhis2StandIn {
  return new Dhis2StandIn({ metadata: fixtureMetadata(), now: () => NOW, ...options });
}

export const TOKEN_HEADERS = { authorization: `ApiToken ${DEFAULT_PERSONAL_ACCESS_TOKEN}`, 'content-type': 'application/json' };
export const BASIC_HEADERS = { authorization: basicAuthorization('admin', 'district'), 'content-type': 'application/json' };

export interface Answer {
  status: number;
  body: Record<string, unknown>;
  /** The body's top-level keys, in order. */
  keys: string[];
  raw: Dhis2Response;
}

function answer(raw: Dhis2Response): Answer {
  const isJson = (raw.headers['content-type'] ?? '').startsWith('application/json');
  const body = isJson ? (JSON.parse(raw.body) as Record<string, unknown>) : {};
  return { status: raw.status, body, keys: Object.keys(body), raw };
}

export function post(
  standIn: Dhis2StandIn,
  payload: Dhis2DataValueSet | string,
  query: Record<string, string> = {},
  path = '/api/dataValueSets',
): Answer {
  return answer(
    standIn.handle({
      method: 'POST',
      path,
      query,
      headers: TOKEN_HEADERS,
      body: typeof payload === 'string' ? payload : JSON.stringify(payload),
    }),
  );
}

export function get(standIn: Dhis2StandIn, path: string, query: Record<string, string | string[]> = {}, headers: Record<string, string> = TOKEN_HEADERS): Answer {
  return answer(standIn.handle({ method: 'GET', path, query, headers }));
}

/** The ImportSummary of an answer (the envelope's `response`). */
export function summaryOf(answer: Answer): {
  status: string;
  description: string;
  importCount: { imported: number; updated: number; ignored: number; deleted: number };
  conflicts: Record<string, unknown>[];
  rejectedIndexes: number[];
  dataSetComplete?: string;
  importOptions?: Record<string, unknown>;
} {
  return answer.body.response as ReturnType<typeof summaryOf>;
}

/** A one-month payload for Bambui, values for the given data elements. */
export function monthly(dataValues: Dhis2DataValueSet['dataValues'], header: Partial<Dhis2DataValueSet> = {}): Dhis2DataValueSet {
  return { dataSet: DATA_SET, period: '202611', orgUnit: BAMBUI, ...header, dataValues };
}
