// The nightly district scorecard through the whole service: the worker's job scheduler runs it (here every
// second), it is stored in Redis and served to operators at GET /api/v1/data-quality/scorecard; districts
// come from DHIS2's org unit hierarchy (the stand-in over HTTP), where a facility whose code follows no
// convention is still placed under its parent; with DHIS2 unreachable the code convention is used and the
// answer says so.
import { jest } from '@jest/globals';
import { DEFAULT_PERSONAL_ACCESS_TOKEN, orgUnitUid, startDhis2StandInServer, standInMetadata, type Dhis2StandInServer } from '@smc-bridge/stand-ins';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { SCORECARD_SCHEDULER } from '../../src/quality/scorecard-job.js';
import { startTestService, type TestService } from '../support/service.js';
import { monthsFrom } from './support.js';

jest.setTimeout(180_000);

const EVERY_SECOND = '* * * * * *';
const HIERARCHY_ONLY = 'NKWEN-HC'; // placed under CM_NW_BAM by DHIS2 alone
const FACILITIES = ['CM_NW_BAM_CSI301', HIERARCHY_ONLY, 'CM_SW_BUE_CSI301'];
const LAST_YEAR = new Date().getUTCFullYear() - 1;
let dhis2: Dhis2StandInServer;
const services: TestService[] = [];

beforeAll(async () => {
  const metadata = standInMetadata(['CM_NW_BAM_CSI301', 'CM_SW_BUE_CSI301']);
  const units = metadata.organisationUnits as unknown as Record<string, unknown>[];
  units.push({ id: orgUnitUid(HIERARCHY_ONLY), code: HIERARCHY_ONLY, name: 'CSI Nkwen', shortName: 'CSI Nkwen', openingDate: '2000-01-01', parent: { id: orgUnitUid('CM_NW_BAM') } });
  dhis2 = await startDhis2StandInServer({ metadata });
});
afterAll(async () => {
  for (const service of services) await service.stop();
  await dhis2.close();
});

async function serviceWithHistory(label: string, env: Record<string, string>): Promise<TestService> {
  const service = await startTestService(label, { DHIS2_TOKEN: DEFAULT_PERSONAL_ACCESS_TOKEN, DATA_QUALITY_SCORECARD_CRON: EVERY_SECOND, ...env });
  services.push(service);
  for (const orgUnit of FACILITIES) {
    for (const [i, month] of monthsFrom(`${LAST_YEAR - 1}-01`, 24).entries()) {
      await service.service.ledger.recordPushed({ dataSet: 'SMC_MONTHLY', orgUnit, period: month.replace('-', ''), attributeOptionCombo: 'SRC_SMC_BRIDGE' }, [
        { dataElement: 'RMNCAH_ANC1', categoryOptionCombo: 'RMN_20PLUS', value: 10 + ((i * 7) % 5) },
        { dataElement: 'RMNCAH_ANC4', categoryOptionCombo: 'RMN_20PLUS', value: 4 + (i % 3) },
      ]);
    }
  }
  return service;
}

interface Answer {
  year: number;
  computedAt: string;
  facilities: number;
  districts: { source: string; reason?: string; level?: string | number; facilitiesNotInHierarchy: number };
  scorecard: { district: string; indicators: { indicator: string; completeness: { expected: number; reported: number } }[]; relatedIndicators: unknown[] }[];
}

/** The stored scorecard once a run has scored every facility (the job runs every second). */
async function storedScorecard(service: TestService): Promise<Answer> {
  for (let tries = 0; tries < 120; tries++) {
    const response = await service.get('/api/v1/data-quality/scorecard', service.operatorKey);
    if (response.status === 200) {
      const body = (await response.json()) as Answer;
      if (body.facilities === FACILITIES.length) return body;
    } else expect(response.status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('no scorecard was stored');
}

test('the worker computes the scorecard on its schedule, stores it, and serves it to operators; districts from DHIS2', async () => {
  const service = await serviceWithHistory('dq-nightly', { DHIS2_URL: dhis2.url });
  const card = await storedScorecard(service);
  expect(card.year).toBe(LAST_YEAR);
  expect(card.districts).toMatchObject({ source: 'dhis2', level: 'parent', facilitiesNotInHierarchy: 0 });
  expect(card.scorecard.map((district) => district.district)).toEqual(['CM_NW_BAM', 'CM_SW_BUE']);
  // NKWEN-HC counts in Bamenda: two facilities × 12 months expected there.
  const bamenda = card.scorecard.find((district) => district.district === 'CM_NW_BAM')!;
  expect(bamenda.indicators.find((score) => score.indicator === 'RMNCAH_ANC1')!.completeness).toMatchObject({ expected: 24, reported: 24 });

  // One district, one year; a year not computed is a 404, and so is a district not in it.
  const one = (await (await service.get(`/api/v1/data-quality/scorecard?district=CM_SW_BUE&year=${LAST_YEAR}`, service.operatorKey)).json()) as Answer;
  expect(one.scorecard.map((district) => district.district)).toEqual(['CM_SW_BUE']);
  expect((await service.get('/api/v1/data-quality/scorecard?year=1999', service.operatorKey)).status).toBe(404);
  expect((await service.get('/api/v1/data-quality/scorecard?district=ML_SIK_KAD', service.operatorKey)).status).toBe(404);
  // Names every object has are not districts either (found by outside probing: they answered 200 with nothing).
  for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
    expect([name, (await service.get(`/api/v1/data-quality/scorecard?district=${name}&year=${LAST_YEAR}`, service.operatorKey)).status]).toEqual([name, 404]);
  }

  // Bad parameters are 400s naming them.
  for (const [query, parameter] of [['year=25', '?year'], ['year=abcd', '?year'], ['district=two%20words', '?district'], ['district=', '?district']] as const) {
    const response = await service.get(`/api/v1/data-quality/scorecard?${query}`, service.operatorKey);
    expect([query, response.status]).toEqual([query, 400]);
    expect(((await response.json()) as { errors: { path: string }[] }).errors.map((error) => error.path)).toEqual([parameter]);
  }

  // Operators only.
  expect((await service.get('/api/v1/data-quality/scorecard', service.key)).status).toBe(403);
  expect((await service.get('/api/v1/data-quality/scorecard', service.appKey)).status).toBe(403);
  expect((await service.get('/api/v1/data-quality/scorecard', null)).status).toBe(401);

  // The OpenAPI document describes the route.
  const openapi = (await (await service.get('/api/v1/openapi.json', null)).json()) as { paths: Record<string, unknown> };
  expect(openapi.paths).toHaveProperty(['/api/v1/data-quality/scorecard']);
});

test('with DHIS2 unreachable the districts come from the codes, and the scorecard says so', async () => {
  const service = await serviceWithHistory('dq-nightly-down', { DHIS2_URL: 'http://127.0.0.1:9' });
  const card = await storedScorecard(service);
  expect(card.districts.source).toBe('code-pattern');
  expect(card.districts.reason).toMatch(/DHIS2 did not answer/);
  // Without the hierarchy NKWEN-HC is a district of its own.
  expect(card.scorecard.map((district) => district.district)).toEqual(['CM_NW_BAM', 'CM_SW_BUE', HIERARCHY_ONLY]);
});

test('the schedule: a cron pattern, off, or a bad value named', () => {
  const env = { REDIS_URL: 'redis://127.0.0.1:6379' };
  expect(loadConfig(env).dataQuality).toMatchObject({ scorecardCron: '0 2 * * *', districtLevel: 'parent' });
  expect(loadConfig({ ...env, DATA_QUALITY_SCORECARD_CRON: 'off' }).dataQuality.scorecardCron).toBeUndefined();
  expect(loadConfig({ ...env, DATA_QUALITY_DISTRICT_LEVEL: '3' }).dataQuality.districtLevel).toBe(3);
  for (const [variable, value] of [['DATA_QUALITY_SCORECARD_CRON', 'at two'], ['DATA_QUALITY_SCORECARD_TZ', 'Mars/Olympus'], ['DATA_QUALITY_DISTRICT_LEVEL', 'district']] as const) {
    let thrown: unknown;
    try {
      loadConfig({ ...env, [variable]: value });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).problems.map((problem) => problem.variable)).toEqual([variable]);
  }
  expect(SCORECARD_SCHEDULER).toBe('nightly-district-scorecard');
});
