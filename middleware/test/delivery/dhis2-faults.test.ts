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
