// With MADX_ENABLED, every cell group DHIS2 accepts is also sent to the FHIR server as an IHE mADX
// MeasureReport, and the report always says what DHIS2 holds, corrections included. Without it, none is sent.
import { jest } from '@jest/globals';
import type { Measure, MeasureReport } from '@medplum/fhirtypes';
import type { Encounter } from '@smc-bridge/contract';
import { DEFAULT_PERSONAL_ACCESS_TOKEN, startDhis2StandInServer, type Dhis2StandInServer } from '@smc-bridge/stand-ins';
import { facilitiesOf, standInMetadata } from '@smc-bridge/stand-ins';
import { startFhirStandInServer, type FhirStandInServer } from '@smc-bridge/stand-ins';
import { loadMappings } from '../../src/mapping/load-mappings.js';
import { latestVersions, recomputeCells } from '../../src/mapping/recompute.js';
import { DEFAULT_MAPPINGS_DIR } from '../../src/config/config.js';
import { generateEncounters } from '@smc-bridge/generator';
import { settled } from '../support/settled.js';
import { startTestService, type TestService } from '../support/service.js';

jest.setTimeout(180_000);

const mappings = loadMappings(DEFAULT_MAPPINGS_DIR);
const encounters = generateEncounters({ seed: 33, facilityCount: 2, encounterCount: 150, endDate: '2026-10-31', days: 45, updateRate: 0.1 });

let dhis2: Dhis2StandInServer;
let fhir: FhirStandInServer;
const services: TestService[] = [];

beforeAll(async () => {
  dhis2 = await startDhis2StandInServer({ metadata: standInMetadata(facilitiesOf(encounters)) });
  fhir = await startFhirStandInServer();
});
afterAll(async () => {
  for (const service of services) await service.stop();
  await fhir.close();
  await dhis2.close();
});

async function start(madx: boolean): Promise<TestService> {
  const api = await startTestService(`madx-${madx}`, {
    DHIS2_URL: dhis2.url,
    DHIS2_TOKEN: DEFAULT_PERSONAL_ACCESS_TOKEN,
    DHIS2_PUSH_DELAY_MS: '50',
    FHIR_URL: fhir.baseUrl,
    MADX_ENABLED: String(madx),
  });
  services.push(api);
  return api;
}

async function postAndSettle(api: TestService, posted: readonly Encounter[]): Promise<void> {
  for (let i = 0; i < posted.length; i += 100) expect((await api.post({ encounters: posted.slice(i, i + 100) })).status).toBe(202);
  await settled(api.service, 150_000);
}

/** Per (data set, org unit, period, data element): the total a MeasureReport must carry, from a recomputation. */
function expectedTotals(posted: readonly Encounter[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const cell of recomputeCells(posted, mappings).values()) {
    const key = [cell.dataSet, cell.orgUnit, cell.period, cell.dataElement].join(' ');
    totals.set(key, (totals.get(key) ?? 0) + cell.value);
  }
  return totals;
}

function reportedTotals(reports: readonly MeasureReport[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const report of reports) {
    const [dataSet, orgUnit, period] = decodeURIComponent(report.identifier?.[0]?.value ?? '').split('/');
    for (const group of report.group ?? []) {
      const count = group.population?.[0]?.count ?? 0;
      if (count > 0) totals.set([dataSet, orgUnit, period, group.code?.coding?.[0]?.code].join(' '), count);
    }
  }
  return totals;
}

test('off by default: DHIS2 gets its values and the FHIR server gets no MeasureReport', async () => {
  fhir.standIn.clear();
  await postAndSettle(await start(false), encounters);
  expect(await fhir.standIn.all('MeasureReport')).toEqual([]);
});

test('on: one MeasureReport per cell group, whose counts equal the recomputation, corrections included', async () => {
  fhir.standIn.clear();
  const api = await start(true);
  await postAndSettle(api, encounters);
  const reports = await fhir.standIn.all<MeasureReport>('MeasureReport');
  expect(reports.length).toBeGreaterThan(5);
  expect(new Set(reports.map((r) => r.identifier?.[0]?.value)).size).toBe(reports.length);
  expect(reportedTotals(reports)).toEqual(expectedTotals(encounters));

  // Withdrawals lower the counts; the reports follow, a cell left with nothing as an explicit zero.
  const withdrawn = latestVersions(encounters).filter((e) => e.type === 'malaria' && e.status === 'completed' && e.training !== true).slice(0, 10).map((e) => ({ ...e, version: e.version + 1, status: 'entered-in-error' as const }));
  expect(withdrawn.length).toBeGreaterThan(3);
  await postAndSettle(api, withdrawn);
  const after = reportedTotals(await fhir.standIn.all<MeasureReport>('MeasureReport'));
  const expected = expectedTotals([...encounters, ...withdrawn]);
  for (const [key, total] of expected) expect([key, after.get(key)]).toEqual([key, total]);
  const held = await fhir.standIn.all<MeasureReport>('MeasureReport');
  const values = held.flatMap((report) => report.group ?? []).flatMap((group) => (group.stratifier ? (group.stratifier[0]?.stratum ?? []).map((stratum) => stratum.measureScore?.value) : [group.population?.[0]?.count]));
  expect(values).toContain(0);
  // Every report cites a Measure the server serves.
  const measures = (await fhir.standIn.all<Measure>('Measure')).map((measure) => `${measure.url}|${measure.version}`);
  expect(measures.length).toBeGreaterThan(0);
  for (const report of held) expect(measures).toContain(report.measure);
});
