// The middleware on a real Redis Cluster of three masters, started by the test (test/support/redis-cluster.ts):
// the end-to-end exact count (encounters posted over HTTP in parallel batches, corrections, withdrawals and
// corrections that move an encounter to another facility; mapped, pushed to the DHIS2 stand-in, which then
// holds exactly the from-scratch recomputation), with every key under hash tags. Redis Cluster refuses a
// script or pipeline whose keys cross slots, or a key the node does not serve, so a key that lost its tag
// or a script that reaches an undeclared key fails this test. It also fails if the keys all land on one
// node: facility buckets and encounter buckets must be spread over the masters.
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';
import { Redis } from 'ioredis';
import type { Encounter } from '@smc-bridge/contract';
import { DEFAULT_PERSONAL_ACCESS_TOKEN, startDhis2StandInServer, type Dhis2StandInServer } from '@smc-bridge/stand-ins';
import { byUid, facilitiesOf, nonZeroValues, standInMetadata } from '@smc-bridge/stand-ins';
import { generateEncounters } from '@smc-bridge/generator';
import { aggregateContributions } from '../../src/mapping/aggregate-contributions.js';
import { loadMappings } from '../../src/mapping/load-mappings.js';
import { latestVersions, recomputeCells } from '../../src/mapping/recompute.js';
import { RedisKeys } from '../../src/redis/keys.js';
import { startTestCluster, type TestCluster } from '../support/redis-cluster.js';
import { postInParallel, startTestService, type TestService } from '../support/service.js';
import { settled } from '../support/settled.js';

jest.setTimeout(90_000);

const mappings = loadMappings(fileURLToPath(new URL('../../../mappings', import.meta.url)));
const encounters = generateEncounters({ seed: 7, facilityCount: 8, encounterCount: 800, endDate: '2026-10-31', days: 60, updateRate: 0.15, enteredInErrorRate: 0.05 });
const orgUnits = facilitiesOf(encounters);

let cluster: TestCluster;
let dhis2: Dhis2StandInServer;
let api: TestService;

beforeAll(async () => {
  cluster = await startTestCluster(3);
  dhis2 = await startDhis2StandInServer({ metadata: standInMetadata(orgUnits) });
  api = await startTestService('cluster', { REDIS_URL: cluster.url, DHIS2_URL: dhis2.url, DHIS2_TOKEN: DEFAULT_PERSONAL_ACCESS_TOKEN, DHIS2_PUSH_DELAY_MS: '50' });
}, 60_000);
afterAll(async () => {
  await api?.stop();
  await dhis2?.close();
  await cluster?.stop();
});

const recompute = (posted: readonly Encounter[]) => byUid(recomputeCells(posted, mappings).values());

/** The port of the master serving each key, as the cluster itself says (CLUSTER KEYSLOT, CLUSTER SLOTS). */
async function mastersOf(keys: readonly string[]): Promise<number[]> {
  const node = new Redis(cluster.ports[0]!, '127.0.0.1');
  try {
    const ranges = (await node.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
    const masters: number[] = [];
    for (const key of keys) {
      const slot = (await node.call('CLUSTER', 'KEYSLOT', key)) as number;
      masters.push(ranges.find(([from, to]) => slot >= from && slot <= to)![2][1]);
    }
    return masters;
  } finally {
    node.disconnect();
  }
}

test('facilities and encounters are spread over the masters', async () => {
  const keys = new RedisKeys(api.prefix);
  const group = (orgUnit: string) => ({ dataSet: 'SMC_MONTHLY', orgUnit, period: '202610', attributeOptionCombo: 'default' });
  const facilityMasters = await mastersOf(orgUnits.map((unit) => keys.ledgerGroup(group(unit.code))));
  expect(new Set(facilityMasters).size).toBeGreaterThanOrEqual(2);
  const encounterMasters = await mastersOf(encounters.slice(0, 60).map((e) => keys.encounter(e.source, e.id)));
  expect(new Set(encounterMasters).size).toBe(3);
  // The keys of one facility's group share a slot with its dirty set, those of an encounter with its inbox.
  const someGroup = group(orgUnits[0]!.code);
  const someEncounter = encounters[0]!;
  const [a, b, c] = await mastersOf([keys.ledgerGroup(someGroup), keys.ledgerDirtyOf(someGroup), keys.ledgerAwaiting(someGroup)]);
  expect(new Set([a, b, c]).size).toBe(1);
  const [d, e] = await mastersOf([keys.encounter(someEncounter.source, someEncounter.id), keys.inboxOf(someEncounter.source, someEncounter.id)]);
  expect(d).toBe(e);
});

test('DHIS2 holds exactly the recomputed value of every cell, through corrections that move encounters between facilities', async () => {
  await postInParallel(api, encounters);
  await settled(api.service, 60_000);
  expect(nonZeroValues(dhis2.standIn)).toEqual(recompute(encounters));

  // Corrections: some withdrawn, some moved to another facility (their old counts leave one facility bucket,
  // their new ones arrive in another), some moved and back again in two quick versions.
  const latest = latestVersions(encounters).filter((e) => e.status === 'completed' && e.training !== true && aggregateContributions(e, mappings).contributions.length > 0);
  const facilityAfter = (e: Encounter) => encounters.find((other) => other.facility.code !== e.facility.code)!.facility;
  const withdrawn = latest.slice(0, 60).map((e) => ({ ...e, version: e.version + 1, status: 'entered-in-error' as const }));
  const moved = latest.slice(60, 160).map((e) => ({ ...e, version: e.version + 1, facility: facilityAfter(e) }));
  const movedAndBack = latest.slice(160, 220).flatMap((e) => [{ ...e, version: e.version + 1, facility: facilityAfter(e) }, { ...e, version: e.version + 2 }]);
  const corrections = [...withdrawn, ...moved, ...movedAndBack];
  expect(moved.some((e) => recomputeCells([e], mappings).size > 0)).toBe(true);
  await postInParallel(api, corrections, 40, 3);
  await settled(api.service, 60_000);
  const all = [...encounters, ...corrections];
  const expected = recompute(all);
  expect(nonZeroValues(dhis2.standIn)).toEqual(expected);
  expect(expected).not.toEqual(recompute(encounters));

  // Each moved encounter's status reads delivered once both facilities' groups are pushed.
  const status = (await (await api.get(`/api/v1/encounters/smc-platform/${moved[0]!.id}`)).json()) as { targets: { dhis2: { state: string } } };
  expect(status.targets.dhis2.state).toBe('delivered');

  // Every master holds keys of this run.
  for (const port of cluster.ports) {
    const node = new Redis(port, '127.0.0.1');
    expect(await node.dbsize()).toBeGreaterThan(100);
    node.disconnect();
  }
});
