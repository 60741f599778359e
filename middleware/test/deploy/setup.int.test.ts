// `smc-bridge setup`, the compose stack's one-shot job, against the DHIS2 stand-in over HTTP: it imports the
// metadata package and creates the route; run again, it updates both and duplicates nothing.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { jest } from '@jest/globals';
import { createApiKey } from '../../src/config/api-keys.js';
import { DEFAULT_PERSONAL_ACCESS_TOKEN, startDhis2StandInServer, type Dhis2StandInServer } from '@smc-bridge/stand-ins';
import { metadataPackage } from '@smc-bridge/stand-ins';

jest.setTimeout(90_000);

const BIN = fileURLToPath(new URL('../../bin/smc-bridge.js', import.meta.url));
let dhis2: Dhis2StandInServer;

beforeAll(async () => {
  dhis2 = await startDhis2StandInServer({});
});
afterAll(async () => dhis2.close());

const runSetup = (env: Record<string, string>) =>
  promisify(execFile)(process.execPath, [BIN, 'setup', '--wait', '5'], { env: { ...process.env, LOG_LEVEL: 'warn', ...env } }).then(
    ({ stdout }) => ({ code: 0, output: stdout }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, output: error.stdout + error.stderr }),
  );

test('setup imports the package and creates the route, and a second run updates both', async () => {
  const { key } = createApiKey('dhis2-app', 'app');
  const env = { DHIS2_URL: dhis2.url, DHIS2_TOKEN: DEFAULT_PERSONAL_ACCESS_TOKEN, ROUTE_API_KEY: key, ROUTE_MIDDLEWARE_URL: 'http://middleware:8080' };
  const first = await runSetup(env);
  expect(first).toMatchObject({ code: 0 });
  expect(first.output).toMatch(/COMMIT: OK/);
  expect(first.output).toContain('DHIS2 route smc-bridge created: http://middleware:8080/api/v1/app/**');
  const dataSets = (metadataPackage().dataSets ?? []).map((dataSet) => dataSet.code);
  for (const code of dataSets) expect(dhis2.standIn.metadata.find('dataSet', code as string, { type: 'CODE' })).toBeDefined();

  const second = await runSetup(env);
  expect(second).toMatchObject({ code: 0 });
  expect(second.output).toContain('DHIS2 route smc-bridge updated');
  expect(dhis2.standIn.routesApi.routes.size).toBe(1);
  expect(second.output).not.toContain(key);
});

test('setup stops, naming the cause, when DHIS2 refuses the credentials or the route key is missing', async () => {
  const { key } = createApiKey('dhis2-app', 'app');
  const refused = await runSetup({ DHIS2_URL: dhis2.url, DHIS2_TOKEN: 'd2pat_wrongwrongwrongwrongwrongwrong002918950583', ROUTE_API_KEY: key });
  expect(refused.code).toBe(1);
  expect(refused.output).toMatch(/DHIS2 at .* is not ready: HTTP 401/);
  const noKey = await runSetup({ DHIS2_URL: dhis2.url, DHIS2_TOKEN: DEFAULT_PERSONAL_ACCESS_TOKEN });
  expect(noKey.code).toBe(1);
  expect(noKey.output).toContain('ROUTE_API_KEY is needed');
});
