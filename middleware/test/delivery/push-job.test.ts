// The DHIS2 push job run directly (execPushJob), over the real Redis and a DHIS2 client that answers as
// told: what each encounter's dhis2 status says after each push of each of its cell groups.
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import type { Encounter } from '@smc-bridge/contract';
import { PendingPushes } from '../../src/delivery/dhis2/pending-pushes.js';
import { execPushJob, type PushDeps } from '../../src/delivery/dhis2/push-queue.js';
import type { DataValue } from '../../src/dhis2/dhis2-client.js';
import type { ImportOutcome } from '../../src/dhis2/import-answer.js';
import { EncounterStore } from '../../src/ingest/encounter-store.js';
import { Ledger } from '../../src/ledger/ledger.js';
import { loadMappings } from '../../src/mapping/load-mappings.js';
import { mapToLedger } from '../../src/mapping/map-to-ledger.js';
import { RedisKeys } from '../../src/redis/keys.js';
import { ancEncounter } from '../support/fixtures.js';
import { deleteKeysOf, TEST_REDIS_URL, uniquePrefix } from '../support/redis.js';
import type { TargetState } from '../../src/domain/target-state.js';
import type { CellGroup } from '../../src/domain/cells.js';

const mappings = loadMappings(fileURLToPath(new URL('../../../mappings', import.meta.url)));
const prefix = uniquePrefix('push-job');
let redis: Redis;
let store: EncounterStore;
let ledger: Ledger;
/** Groups marked dirty by the mapping step, in order. */
let dirty: CellGroup[] = [];
/** What the client answers to the next posts. */
let answers: ((values: readonly DataValue[]) => ImportOutcome)[] = [];
const imported = (): ImportOutcome => ({ kind: 'imported', importCount: { imported: 1, updated: 0, ignored: 0, deleted: 0 }, conflicts: [], rejectedIndexes: [] });
/** Every post the client got, in order. */
let posted: (readonly DataValue[])[] = [];
const client: PushDeps['client'] = {
  postDataValues: async (values) => {
    posted.push(values);
    return (answers.shift() ?? imported)(values);
  },
};

beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL);
  store = new EncounterStore(redis, new RedisKeys(prefix));
  ledger = new Ledger(redis, new RedisKeys(prefix));
});
afterAll(async () => {
  redis.disconnect();
  await deleteKeysOf(prefix);
});
beforeEach(() => {
  dirty = [];
  answers = [];
  posted = [];
});

/** Accepts and maps encounter versions as the ingest worker does; returns the groups they changed. */
async function map(...encounters: Encounter[]): Promise<CellGroup[]> {
  await store.accept(encounters.map((encounter) => ({ encounter, contentHash: `${encounter.id}${encounter.version}`.padEnd(64, '0') })), new Date());
  const step = mapToLedger({ mappings, ledger, store, onDirty: async (groups) => void dirty.push(...groups) });
  const stored = await store.readMany(encounters);
  await step(stored.map((record, i) => ({ ...record!, ref: { source: encounters[i]!.source, id: encounters[i]!.id, version: encounters[i]!.version } })));
  return dirty;
}

const dhis2Of = async (encounter: Encounter): Promise<TargetState | undefined> => (await store.read(encounter.source, encounter.id))?.targets.dhis2;
const push = (group: CellGroup) => execPushJob({ group }, { ledger, client, store }).catch((error: Error) => error);
const byDataSet = (groups: CellGroup[], dataSet: string) => groups.find((group) => group.dataSet === dataSet)!;

const malaria = (id: string, overrides: Partial<Encounter> = {}): Encounter =>
  ancEncounter({
    id,
    type: 'malaria',
    anc: undefined,
    occurredAt: '2026-10-14T10:00:00+01:00',
    patient: { ...ancEncounter().patient, birthDate: '1990-03-01' },
    malaria: { suspected: true, test: { method: 'rdt', result: 'positive' }, treatment: 'act' },
    ...overrides,
  });

test('an encounter counted in the monthly and the weekly data set reads delivered only once both are in DHIS2', async () => {
  const groups = await map(malaria('both-1'));
  expect(new Set(groups.map((group) => group.dataSet))).toEqual(new Set(['SMC_MONTHLY', 'SMC_WEEKLY']));
  await push(byDataSet(groups, 'SMC_MONTHLY'));
  expect((await dhis2Of(malaria('both-1')))?.state).toBe('mapped');
  await push(byDataSet(groups, 'SMC_WEEKLY'));
  expect((await dhis2Of(malaria('both-1')))?.state).toBe('delivered');
});

test('its withdrawal reads delivered ("counts removed") only after the second of the two pushes', async () => {
  const groups = await map(malaria('both-2'));
  for (const group of groups) await push(group);
  expect((await dhis2Of(malaria('both-2')))?.state).toBe('delivered');

  dirty = [];
  const withdrawn = await map(malaria('both-2', { version: 2, status: 'entered-in-error' }));
  expect(withdrawn).toHaveLength(2);
  await push(byDataSet(withdrawn, 'SMC_WEEKLY'));
  expect(await dhis2Of(malaria('both-2'))).toMatchObject({ state: 'mapped', reason: expect.stringMatching(/earlier counts are being removed/) });
  await push(byDataSet(withdrawn, 'SMC_MONTHLY'));
  expect(await dhis2Of(malaria('both-2'))).toMatchObject({ state: 'delivered', version: 2, reason: 'its counts were removed from DHIS2' });
});

test('a correction that moves an encounter to another month is delivered once the old month lost it and the new one has it', async () => {
  const [old] = await map(ancEncounter({ id: 'mover', occurredAt: '2026-09-20T10:00:00+01:00' }));
  await push(old!);
  dirty = [];
  const moved = await map(ancEncounter({ id: 'mover', version: 2, occurredAt: '2026-10-20T10:00:00+01:00' }));
  expect(moved.map((group) => group.period).sort()).toEqual(['202609', '202610']);
  await push(moved.find((group) => group.period === '202610')!);
  expect((await dhis2Of(ancEncounter({ id: 'mover' })))?.state).toBe('mapped');
  await push(moved.find((group) => group.period === '202609')!);
  expect((await dhis2Of(ancEncounter({ id: 'mover' })))).toMatchObject({ state: 'delivered', version: 2 });
});

test('a push DHIS2 does not answer leaves its encounters "retrying", with the attempt, the reason and the next attempt', async () => {
  const [group] = await map(ancEncounter({ id: 'retry-me', occurredAt: '2026-08-03T10:00:00+01:00' }));
  answers = [() => ({ kind: 'retryable', message: 'DHIS2 answered 503: Service Unavailable' })];
  const next = { attempt: 3, nextAttemptAt: '2026-11-01T10:00:08.000Z' };
  const error = await execPushJob({ group: group! }, { ledger, client, store }, { next }).catch((e: Error) => e);
  expect(error).toBeInstanceOf(Error);
  expect(await dhis2Of(ancEncounter({ id: 'retry-me' }))).toMatchObject({ state: 'retrying', attempt: 3, nextAttemptAt: next.nextAttemptAt, reason: expect.stringMatching(/503/) });
  await push(group!);
  expect((await dhis2Of(ancEncounter({ id: 'retry-me' })))?.state).toBe('delivered');
});

test("another encounter's refused push does not undo a delivery that happened", async () => {
  const [group] = await map(ancEncounter({ id: 'first-in', occurredAt: '2026-07-03T10:00:00+01:00' }));
  await push(group!);
  await map(ancEncounter({ id: 'second-in', occurredAt: '2026-07-04T10:00:00+01:00' }));
  answers = [() => ({ kind: 'refused', message: 'DHIS2 answered 403: Forbidden' })];
  await push(group!);
  expect((await dhis2Of(ancEncounter({ id: 'first-in' })))?.state).toBe('delivered');
  expect(await dhis2Of(ancEncounter({ id: 'second-in' }))).toMatchObject({ state: 'failed', reason: expect.stringMatching(/403/) });
});

test('a later push of the group leaves a delivered encounter as it was, and carries only what changed since', async () => {
  const [group] = await map(ancEncounter({ id: 'early', occurredAt: '2026-06-03T10:00:00+01:00' }));
  await push(group!);
  const delivered = await dhis2Of(ancEncounter({ id: 'early' }));
  expect(delivered?.state).toBe('delivered');
  await new Promise((resolve) => setTimeout(resolve, 5));

  await map(ancEncounter({ id: 'late', occurredAt: '2026-06-04T10:00:00+01:00' }));
  expect(await ledger.awaiting(group!)).toEqual([{ source: 'smc-platform', id: 'late', version: 1 }]);
  await push(group!);
  expect(await dhis2Of(ancEncounter({ id: 'early' }))).toEqual(delivered); // same record, same time
  expect((await dhis2Of(ancEncounter({ id: 'late' })))?.state).toBe('delivered');
  expect(await ledger.awaiting(group!)).toEqual([]);
});

describe('one post carries other waiting groups of the same facility', () => {
  const pending = () => new PendingPushes(redis, new RedisKeys(prefix));
  const riders = () => ({ max: 24, pending: pending(), handBack: async (groups: readonly CellGroup[]) => pending().add(groups) });
  const pushWithRiders = (group: CellGroup) => execPushJob({ group }, { ledger, client, store, riders: riders() }).catch((error: Error) => error);
  const periodsOf = (values: readonly DataValue[]) => [...new Set(values.map((v) => v.period))].sort();

  test("a visit's monthly and weekly groups go in one post, and the other group's own job then sends nothing", async () => {
    const groups = await map(malaria('riders-1', { facility: { code: 'CM_NW_BAM_CSI101' } }));
    await pending().add(groups);
    const monthly = byDataSet(groups, 'SMC_MONTHLY');
    const weekly = byDataSet(groups, 'SMC_WEEKLY');
    expect(await pushWithRiders(monthly)).toMatchObject({ groups: 2 });
    expect(posted).toHaveLength(1);
    expect(periodsOf(posted[0]!)).toEqual([monthly.period, weekly.period].sort());
    expect((await dhis2Of(malaria('riders-1')))?.state).toBe('delivered');

    expect(await pushWithRiders(weekly)).toEqual({ sent: 0, groups: 0 });
    expect(posted).toHaveLength(1);
  });

  test('a carried group DHIS2 rejects a value of goes back to its own job; the group that carried it is delivered', async () => {
    const groups = await map(malaria('riders-2', { facility: { code: 'CM_NW_BAM_CSI102' } }));
    await pending().add(groups);
    const monthly = byDataSet(groups, 'SMC_MONTHLY');
    const weekly = byDataSet(groups, 'SMC_WEEKLY');
    answers = [
      (values) => ({
        kind: 'imported',
        importCount: { imported: values.length - 1, updated: 0, ignored: 1, deleted: 0 },
        conflicts: [{ object: 'x', value: 'Period is locked', errorCode: 'E7641', indexes: [values.findIndex((v) => v.period === weekly.period)] }],
        rejectedIndexes: [],
      }),
    ];
    expect(await pushWithRiders(monthly)).toMatchObject({ groups: 1 });
    expect(await ledger.awaiting(monthly)).toEqual([]);
    expect(await ledger.awaiting(weekly)).toEqual([{ source: 'smc-platform', id: 'riders-2', version: 1 }]);
    expect((await ledger.dirtyGroups(1000)).map((g) => g.period)).toContain(weekly.period);
    expect((await dhis2Of(malaria('riders-2')))?.state).toBe('mapped'); // not failed: the weekly group's own job decides
    await pushWithRiders(weekly);
    expect((await dhis2Of(malaria('riders-2')))?.state).toBe('delivered');
  });

  test("a post DHIS2 refuses as a whole is sent again with the group's own values alone", async () => {
    const groups = await map(malaria('riders-3', { facility: { code: 'CM_NW_BAM_CSI103' } }));
    await pending().add(groups);
    const monthly = byDataSet(groups, 'SMC_MONTHLY');
    answers = [() => ({ kind: 'refused', message: 'DHIS2 answered 400: Bad Request' })];
    expect(await pushWithRiders(monthly)).toMatchObject({ groups: 1 });
    expect(posted.map(periodsOf)).toEqual([[monthly.period, byDataSet(groups, 'SMC_WEEKLY').period].sort(), [monthly.period]]);
    expect(await ledger.awaiting(monthly)).toEqual([]);
  });

  test('a group another push holds is not pushed again at the same time: busy, nothing sent', async () => {
    const groups = await map(malaria('riders-4', { facility: { code: 'CM_NW_BAM_CSI104' } }));
    const monthly = byDataSet(groups, 'SMC_MONTHLY');
    const lease = { token: 'another-push', ms: 60_000 };
    await ledger.snapshotForPush([monthly], lease);
    expect(await pushWithRiders(monthly)).toEqual({ sent: 0, groups: 0, busy: true });
    expect(posted).toEqual([]);
    await ledger.releasePushLeases([monthly], lease);
    await ledger.markDirty(monthly);
    expect(await pushWithRiders(monthly)).toMatchObject({ groups: 1 });
    expect(posted).toHaveLength(1);
  });
});
