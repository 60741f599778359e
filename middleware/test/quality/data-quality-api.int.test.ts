// Data-quality screening through the whole service, against the DHIS2 stand-in over HTTP: a ×10 month at a
// facility with two steady years reaches DHIS2 unchanged (marked for follow-up, as configured), its flag is
// listed by GET /api/v1/data-quality for an operator key only, counted in /metrics and shown, with the
// encounters behind it, in the cell's provenance; the correction clears the flag and DHIS2's mark.
import { jest } from '@jest/globals';
import type { Encounter } from '@smc-bridge/contract';
import { DEFAULT_PERSONAL_ACCESS_TOKEN, startDhis2StandInServer, standInMetadata, uidFor, type Dhis2StandInServer } from '@smc-bridge/stand-ins';
import type { CellFlag } from '../../src/quality/flag-store.js';
import { settled } from '../support/settled.js';
import { startTestService, type TestService } from '../support/service.js';
import { FP_ELEMENT, monthsFrom, visits } from './support.js';

jest.setTimeout(120_000);

const FACILITY = 'CM_NW_BAM_CSI201';
const STEADY = [3, 2, 4, 3, 5, 2, 3, 4, 2, 3, 4, 3];
const history = monthsFrom('2024-10', 24).flatMap((month, i) => visits(FACILITY, 'api', month, STEADY[i % STEADY.length]!));
const october = visits(FACILITY, 'api', '2026-10', 30);
let dhis2: Dhis2StandInServer;
let api: TestService;

beforeAll(async () => {
  dhis2 = await startDhis2StandInServer({ metadata: standInMetadata([FACILITY]) });
  api = await startTestService('dq-api', { DHIS2_URL: dhis2.url, DHIS2_TOKEN: DEFAULT_PERSONAL_ACCESS_TOKEN, DHIS2_PUSH_DELAY_MS: '20', DATA_QUALITY_FOLLOWUP_DATASETS: 'SMC_MONTHLY' });
});
afterAll(async () => {
  await api.stop();
  await dhis2.close();
});

async function post(encounters: readonly Encounter[]): Promise<void> {
  for (let i = 0; i < encounters.length; i += 500) expect((await api.post({ encounters: encounters.slice(i, i + 500) })).status).toBe(202);
  await settled(api.service);
}

const cellRow = () =>
  dhis2.standIn.rowOf({ dataElement: uidFor('de', FP_ELEMENT), period: '202610', orgUnit: uidFor('ou', FACILITY), categoryOptionCombo: uidFor('coc', 'RMN_20PLUS_F'), attributeOptionCombo: uidFor('coc', 'SRC_SMC_BRIDGE') });
const flagsOf = async (query: string, key = api.operatorKey) => {
  const response = await api.get(`/api/v1/data-quality?${query}`, key);
  return { status: response.status, body: (await response.json()) as { flags: CellFlag[] } };
};
const gauge = async (rule: string) => {
  const text = await (await fetch(`${api.url}/metrics`)).text();
  const match = new RegExp(`^smc_data_quality_flags\\{rule="${rule}",kind="error"\\} (\\d+)`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
};
const provenance = async (key: string) =>
  (await (await api.get(`/api/v1/provenance?${new URLSearchParams({ dataElement: FP_ELEMENT, period: '202610', orgUnit: FACILITY, categoryOptionCombo: 'RMN_20PLUS_F' })}`, key)).json()) as {
    value: number;
    dataQuality?: CellFlag[];
  };

test('a ×10 month is delivered unchanged, flagged, listed for operators, counted in metrics and shown in provenance; its correction clears it', async () => {
  await post(history);
  await post(october);

  // DHIS2 holds the value as the encounters make it, marked for follow-up.
  expect(cellRow()).toMatchObject({ value: '30', followup: true, deleted: false });

  const { status, body } = await flagsOf(`orgUnit=${FACILITY}&period=202610`);
  expect(status).toBe(200);
  const flag = body.flags.find((f) => f.dataElement === FP_ELEMENT && f.categoryOptionCombo === 'RMN_20PLUS_F' && f.kind === 'error');
  expect(flag).toBeDefined();
  expect(flag).toMatchObject({ orgUnit: FACILITY, period: '202610', dataSet: 'SMC_MONTHLY', value: 30, encounterCount: 30 });
  expect(flag!.explanation.fr).not.toEqual(flag!.explanation.en);
  expect(flag!.encounters.map((e) => e.id).sort()).toEqual(october.map((e) => e.id).sort());
  expect(JSON.stringify(body)).not.toMatch(/Aminata|Traoré|677 12|1999-04-11|P-000123/);
  // Without a period: every flagged period of the facility, October's among them.
  expect((await flagsOf(`orgUnit=${FACILITY}`)).body.flags.some((f) => f.period === '202610' && f.ruleId === flag!.ruleId)).toBe(true);

  // Operators only; the request must name an org unit and a monthly period.
  expect((await flagsOf(`orgUnit=${FACILITY}&period=202610`, api.key)).status).toBe(403);
  expect((await flagsOf(`orgUnit=${FACILITY}&period=202610`, api.appKey)).status).toBe(403);
  expect((await api.get(`/api/v1/data-quality?orgUnit=${FACILITY}`, null)).status).toBe(401);
  expect((await flagsOf('period=202610')).status).toBe(400);
  expect((await flagsOf(`orgUnit=${FACILITY}&period=2026W42`)).status).toBe(400);

  expect(await gauge(flag!.ruleId)).toBeGreaterThanOrEqual(1);

  const forOperator = await provenance(api.operatorKey);
  expect(forOperator.value).toBe(30);
  expect(forOperator.dataQuality?.find((f) => f.ruleId === flag!.ruleId)?.encounters.map((e) => e.id).sort()).toEqual(october.map((e) => e.id).sort());
  expect(await provenance(api.key)).not.toHaveProperty('dataQuality');

  // The correction: 27 of them were entered in error. The flag goes, and so does DHIS2's follow-up mark.
  await post(october.slice(3).map((e) => ({ ...e, version: 2, status: 'entered-in-error' as const })));
  expect(cellRow()).toMatchObject({ value: '3', followup: false });
  expect((await flagsOf(`orgUnit=${FACILITY}&period=202610`)).body.flags.filter((f) => f.dataElement === FP_ELEMENT)).toEqual([]);
  expect((await provenance(api.operatorKey)).dataQuality).toEqual([]);
  expect(await gauge(flag!.ruleId)).toBe(0);
});
