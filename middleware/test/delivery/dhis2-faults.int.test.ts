// DHIS2 failing: transport failures and 5xx are retried with backoff until the values are in; a permanent
// conflict ends in the dead-letter list with DHIS2's message, blocks nothing else, and is replayed after
// the fix.
import { jest } from '@jest/globals';
import { DEFAULT_PERSONAL_ACCESS_TOKEN, startDhis2StandInServer, type Dhis2StandInServer } from '@smc-bridge/stand-ins';
import { standInMetadata, uidFor } from '@smc-bridge/stand-ins';
import { ancEncounter } from '../support/fixtures.js';
import { startTestService, type TestService } from '../support/service.js';

jest.setTimeout(60_000);

const KNOWN = 'CM_NW_BAM_CSI001';
const UNKNOWN = 'CM_NW_XYZ_CSI009';
let dhis2: Dhis2StandInServer;
let api: TestService;

beforeAll(async () => {
  dhis2 = await startDhis2StandInServer({ metadata: standInMetadata([KNOWN]) });
  api = await startTestService('dhis2-faults', { DHIS2_URL: dhis2.url, DHIS2_TOKEN: DEFAULT_PERSONAL_ACCESS_TOKEN, DHIS2_PUSH_DELAY_MS: '20' });
});
afterAll(async () => {
  await api.stop();
  await dhis2.close();
});

async function until<T>(read: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const anc1Value = (orgUnit: string) =>
  dhis2.standIn.valueOf({ dataElement: uidFor('de', 'RMNCAH_ANC1'), period: '202610', orgUnit: uidFor('ou', orgUnit), categoryOptionCombo: uidFor('coc', 'RMN_20PLUS'), attributeOptionCombo: uidFor('coc', 'SRC_SMC_BRIDGE') });

test('503s and a connection reset are retried with backoff until DHIS2 has the values', async () => {
  dhis2.standIn.faults.enqueue({ kind: 'status', status: 503, body: 'html' }, { times: 1, match: { method: 'POST' } });
  dhis2.standIn.faults.enqueue({ kind: 'reset' }, { times: 1, match: { method: 'POST' } });
  await api.post({ encounters: [ancEncounter({ id: 'retry-1' }), ancEncounter({ id: 'retry-2' })] });
  expect(await until(() => anc1Value(KNOWN), (value) => value === '2')).toBe('2');
  const posts = dhis2.standIn.requests.filter((request) => request.method === 'POST');
  expect(posts.filter((request) => request.fault !== undefined).length).toBe(2);
  // DHIS2 stores the values before it answers; the status follows the answer.
  const dhis2State = async () => ((await (await api.get('/api/v1/encounters/smc-platform/retry-1')).json()) as { targets: { dhis2: { state: string } } }).targets.dhis2.state;
  expect(await until(dhis2State, (state) => state === 'delivered')).toBe('delivered');
});

test('an unknown org unit ends in the dead-letter list with the DHIS2 message, and replays after the fix', async () => {
  const unknown = ancEncounter({ id: 'dead-1', facility: { code: UNKNOWN } });
  await api.post({ encounters: [unknown, ancEncounter({ id: 'alive-1', occurredAt: '2026-10-05T09:30:00+01:00' })] });

  const letters = await until(
    async () => ((await (await api.get('/api/v1/dead-letters', api.operatorKey)).json()) as { deadLetters: { jobId: string; reason: string }[] }).deadLetters,
    (list) => list.length > 0,
  );
  expect(letters).toHaveLength(1);
  expect(letters[0]!.reason).toMatch(/E7612.*Organisation unit not found or not accessible/);
  const status = (await (await api.get('/api/v1/encounters/smc-platform/dead-1')).json()) as { targets: { dhis2: { state: string; reason: string } } };
  expect(status.targets.dhis2).toMatchObject({ state: 'failed', reason: expect.stringMatching(/E7612/) });
  // The other facility's values went through.
  expect(await until(() => anc1Value(KNOWN), (value) => value === '3')).toBe('3');

  // The fix: DHIS2 gets the org unit; then the replay delivers.
  dhis2.standIn.loadMetadata(standInMetadata([KNOWN, UNKNOWN]));
  const replay = await fetch(`${api.url}/api/v1/dead-letters/replay`, { method: 'POST', headers: { authorization: `Bearer ${api.operatorKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ jobIds: [letters[0]!.jobId] }) });
  expect(await replay.json()).toEqual({ replayed: 1 });
  expect(await until(() => anc1Value(UNKNOWN), (value) => value === '1')).toBe('1');
  const after = (await (await api.get('/api/v1/dead-letters', api.operatorKey)).json()) as { deadLetters: unknown[] };
  expect(after.deadLetters).toEqual([]);
});

test('a cell group in the dead-letter list takes new changes at once: a correction reaches DHIS2 without a replay', async () => {
  const FROZEN = 'CM_NW_XYZ_CSI010';
  const first = ancEncounter({ id: 'frozen-1', facility: { code: FROZEN }, occurredAt: '2026-10-06T09:30:00+01:00' });
  await api.post(first);
  const deadLetters = async () => ((await (await api.get('/api/v1/dead-letters', api.operatorKey)).json()) as { deadLetters: { jobId: string; reason: string; data: unknown }[] }).deadLetters;
  const letters = await until(deadLetters, (list) => list.some((letter) => /E7612/.test(letter.reason) && JSON.stringify(letter.data).includes(FROZEN)));
  const frozenLetters = letters.filter((letter) => JSON.stringify(letter.data).includes(FROZEN));
  expect(frozenLetters).toHaveLength(1);

  // DHIS2 gets the org unit, and the clinic sends a correction (a second visit the same month, and v2).
  dhis2.standIn.loadMetadata(standInMetadata([KNOWN, UNKNOWN, FROZEN]));
  await api.post({ encounters: [ancEncounter({ ...first, version: 2, vitals: { temperatureC: 37.2 } }), ancEncounter({ id: 'frozen-2', facility: { code: FROZEN }, occurredAt: '2026-10-07T09:30:00+01:00' })] });
  expect(await until(() => anc1Value(FROZEN), (value) => value === '2')).toBe('2');
  const stateOf = async (id: string) => ((await (await api.get(`/api/v1/encounters/smc-platform/${id}`)).json()) as { targets: { dhis2: { state: string; version: number } } }).targets.dhis2;
  expect(await until(() => stateOf('frozen-1'), (state) => state.state === 'delivered')).toMatchObject({ state: 'delivered', version: 2 });
  // The later push superseded the dead letter: DHIS2 holds what the ledger says.
  expect(await until(deadLetters, (list) => !list.some((letter) => letter.jobId === frozenLetters[0]!.jobId))).not.toContainEqual(expect.objectContaining({ jobId: frozenLetters[0]!.jobId }));
});

test('while DHIS2 answers 503, the status says "retrying" from the first failure on, with attempt, reason and next attempt', async () => {
  dhis2.standIn.faults.enqueue({ kind: 'status', status: 503, body: 'json', message: 'DHIS2 is restarting' }, { times: 3, match: { method: 'POST' } });
  await api.post(ancEncounter({ id: 'during-outage', occurredAt: '2026-10-08T09:30:00+01:00' }));
  const state = async () => ((await (await api.get('/api/v1/encounters/smc-platform/during-outage')).json()) as { targets: { dhis2: Record<string, unknown> } }).targets.dhis2;
  const retrying = await until(state, (s) => s['state'] === 'retrying');
  expect(retrying).toMatchObject({ state: 'retrying', attempt: expect.any(Number), reason: expect.stringMatching(/503/), nextAttemptAt: expect.any(String) });
  expect(Date.parse(retrying['nextAttemptAt'] as string)).toBeGreaterThan(Date.parse(retrying['at'] as string));
  expect(await until(state, (s) => s['state'] === 'delivered', 60_000)).toMatchObject({ state: 'delivered' });
});
