// End to end against the DHIS2 stand-in over HTTP: generated encounters posted to the API (batches in
// flight together, so later versions overtake earlier ones), mapped, pushed; DHIS2 then holds exactly what
// a from-scratch recomputation gives, for every cell, and still does after corrections remove counts.
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';
import type { Encounter } from '@smc-bridge/contract';
import { DEFAULT_PERSONAL_ACCESS_TOKEN, startDhis2StandInServer, type Dhis2StandInServer } from '@smc-bridge/stand-ins';
import { aggregateContributions } from '../../src/mapping/aggregate-contributions.js';
import { loadMappings } from '../../src/mapping/load-mappings.js';
import { generateEncounters } from '@smc-bridge/generator';
import { byUid, facilitiesOf, nonZeroValues, standInMetadata, uidFor } from '@smc-bridge/stand-ins';
import { latestVersions, recomputeCells } from '../../src/mapping/recompute.js';
import { settled as waitUntilSettled } from '../support/settled.js';
import { postInParallel, startTestService, type TestService } from '../support/service.js';

jest.setTimeout(120_000);

const mappings = loadMappings(fileURLToPath(new URL('../../../mappings', import.meta.url)));
const encounters = generateEncounters({ seed: 5, facilityCount: 4, encounterCount: 1500, endDate: '2026-10-31', days: 90, updateRate: 0.15, enteredInErrorRate: 0.05 });
const orgUnits = facilitiesOf(encounters);

let dhis2: Dhis2StandInServer;
let api: TestService;

beforeAll(async () => {
  dhis2 = await startDhis2StandInServer({ metadata: standInMetadata(orgUnits) });
  api = await startTestService('dhis2-e2e', { DHIS2_URL: dhis2.url, DHIS2_TOKEN: DEFAULT_PERSONAL_ACCESS_TOKEN, DHIS2_PUSH_DELAY_MS: '50' });
});
afterAll(async () => {
  await api.stop();
  await dhis2.close();
});


const recompute = (posted: readonly Encounter[]) => byUid(recomputeCells(posted, mappings).values());
const heldByDhis2 = () => nonZeroValues(dhis2.standIn);

const settled = () => waitUntilSettled(api.service);

test('DHIS2 holds exactly the recomputed value of every cell', async () => {
  await postInParallel(api, encounters);
  await settled();
  const expected = recompute(encounters);
  expect(expected.size).toBeGreaterThan(100);
  expect(heldByDhis2()).toEqual(expected);

  // Provenance: the encounters the ledger lists behind a value add up to what DHIS2 holds.
  const contribution = aggregateContributions(encounters.find((e) => e.type === 'malaria' && e.status === 'completed' && e.training !== true) as Encounter, mappings).contributions[0]!;
  const query = new URLSearchParams({
    dataElement: contribution.dataElement,
    period: contribution.period,
    orgUnit: contribution.orgUnit,
    categoryOptionCombo: contribution.categoryOptionCombo,
  });
  const provenance = (await (await api.get(`/api/v1/provenance?${query}`)).json()) as { value: number; encounters: { id: string; value: number }[] };
  const held = expected.get([uidFor('de', contribution.dataElement), contribution.period, uidFor('ou', contribution.orgUnit), uidFor('coc', contribution.categoryOptionCombo), uidFor('coc', contribution.attributeOptionCombo)].join(' '));
  expect(provenance.value).toBe(held);
  expect(provenance.encounters.reduce((sum, e) => sum + e.value, 0)).toBe(held);
  expect((await api.get('/api/v1/provenance?period=202610')).status).toBe(400);

  const sample = encounters.find((e) => e.status === 'completed' && e.training !== true && aggregateContributions(e, mappings).contributions.length > 0) as Encounter;
  const status = (await (await api.get(`/api/v1/encounters/smc-platform/${sample.id}`)).json()) as { targets: { dhis2: { state: string } } };
  expect(status.targets.dhis2.state).toBe('delivered');
});

test('corrections and withdrawals take their counts away, down to zero or a deleted value', async () => {
  const latest = new Map(latestVersions(encounters).map((e) => [e.id, e]));
  const withdrawn = [...latest.values()].filter((e) => e.status === 'completed' && e.training !== true).slice(0, 300).map((e) => ({ ...e, version: e.version + 1, status: 'entered-in-error' as const }));
  await postInParallel(api, withdrawn);
  await settled();
  const expected = recompute([...encounters, ...withdrawn]);
  expect(heldByDhis2()).toEqual(expected);
  // Some cells fell to nothing: DHIS2 holds a zero (zero significant) or a deleted row (not significant).
  const cleared = dhis2.standIn.allValues({ includeDeleted: true }).filter((row) => row.deleted || Number(row.value) === 0);
  expect(cleared.length).toBeGreaterThan(0);

  // A withdrawn encounter that had counts says so once DHIS2 lost them; one that never counted was skipped.
  const statusOf = async (e: Encounter) => ((await (await api.get(`/api/v1/encounters/smc-platform/${e.id}`)).json()) as { targets: { dhis2: { state: string; reason?: string } } }).targets.dhis2;
  const hadCounts = withdrawn.find((e) => aggregateContributions(latest.get(e.id) as Encounter, mappings).contributions.length > 0) as Encounter;
  // Every encounter counts somewhere (SMC_ENC), so one that never counted is one entered in error from its first version.
  const neverCounted = { ...hadCounts, id: 'withdrawn-at-once', version: 1 };
  expect((await api.post(neverCounted)).status).toBe(202);
  await settled();
  expect(await statusOf(hadCounts)).toMatchObject({ state: 'delivered', reason: 'its counts were removed from DHIS2' });
  expect(await statusOf(neverCounted)).toMatchObject({ state: 'skipped', reason: 'entered in error' });
});
