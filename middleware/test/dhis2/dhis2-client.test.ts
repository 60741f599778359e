// The DHIS2 client against the stand-in over HTTP: the same partial import reads the same whether DHIS2
// answers 409 (2.39–2.42) or 200 (2.43+); both auth schemes work; a bad token is refused, not retried.
import { Dhis2Client, type DataValue } from '../../src/dhis2/dhis2-client.js';
import { DEFAULT_PERSONAL_ACCESS_TOKEN, personalAccessToken, startDhis2StandInServer } from '@smc-bridge/stand-ins';
import { standInMetadata } from '@smc-bridge/stand-ins';

const metadata = standInMetadata(['CM_NW_BAM_CSI001']);
const good: DataValue = { dataElement: 'RMNCAH_ANC4', period: '202610', orgUnit: 'CM_NW_BAM_CSI001', categoryOptionCombo: 'default', attributeOptionCombo: 'SRC_SMC_BRIDGE', value: '3' };
const unknownElement: DataValue = { ...good, dataElement: 'NO_SUCH_ELEMENT' };

test.each(['2.41', '2.43'])('DHIS2 %s: a partial import is read as imported with its conflict and index', async (version) => {
  const server = await startDhis2StandInServer({ version, metadata });
  try {
    const client = new Dhis2Client({ url: server.url, auth: { kind: 'basic', username: 'admin', password: 'district' } });
    const outcome = await client.postDataValues([unknownElement, good]);
    expect(outcome).toMatchObject({
      kind: 'imported',
      importCount: { imported: 1, updated: 0, ignored: 1, deleted: 0 },
      conflicts: [{ errorCode: 'E7610', indexes: [0] }],
      rejectedIndexes: [0],
    });
    expect(server.standIn.requests.at(-1)?.status).toBe(version === '2.41' ? 409 : 200);
  } finally {
    await server.close();
  }
});

test('a personal access token works; a wrong one is refused, not retried', async () => {
  const server = await startDhis2StandInServer({ metadata });
  try {
    expect((await new Dhis2Client({ url: server.url, auth: { kind: 'token', token: DEFAULT_PERSONAL_ACCESS_TOKEN } }).postDataValues([good])).kind).toBe('imported');
    const refused = await new Dhis2Client({ url: server.url, auth: { kind: 'token', token: personalAccessToken('wrong') } }).postDataValues([good]);
    expect(refused).toMatchObject({ kind: 'refused', message: expect.stringMatching(/401/) });
  } finally {
    await server.close();
  }
});

test('no DHIS2 at the address is retryable', async () => {
  const outcome = await new Dhis2Client({ url: 'http://127.0.0.1:9', auth: { kind: 'token', token: 'x' }, timeoutMs: 2000 }).postDataValues([good]);
  expect(outcome.kind).toBe('retryable');
});

test('every call goes to /api/<version>/…, the version pinned by the configuration (default 41)', async () => {
  const server = await startDhis2StandInServer({ metadata });
  try {
    const auth = { kind: 'token' as const, token: DEFAULT_PERSONAL_ACCESS_TOKEN };
    await new Dhis2Client({ url: server.url, auth }).postDataValues([good]);
    await new Dhis2Client({ url: server.url, auth, apiVersion: 40 }).systemInfoStatus();
    await new Dhis2Client({ url: `${server.url}/`, auth, apiVersion: 42 }).postMetadata({}, { importMode: 'VALIDATE' });
    expect(server.standIn.requests.slice(-3).map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /api/41/dataValueSets',
      'GET /api/40/system/info',
      'POST /api/42/metadata',
    ]);
  } finally {
    await server.close();
  }
});
