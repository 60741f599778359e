// `smc-bridge metadata push` against the DHIS2 stand-in over HTTP: VALIDATE then COMMIT, counts printed,
// a second push updates instead of creating, a package DHIS2 refuses stores nothing and exits non-zero
// with DHIS2's error reports.
import { loadCheckedPackage } from '../../src/metadata/package-rules.js';
import { jest } from '@jest/globals';
import { pushMetadataPackage } from '../../src/cli/metadata.js';
import { Dhis2Client } from '../../src/dhis2/dhis2-client.js';
import { DEFAULT_PERSONAL_ACCESS_TOKEN, startDhis2StandInServer, type Dhis2StandInServer } from '@smc-bridge/stand-ins';
import { pushPackage } from '../../src/metadata/metadata-push.js';
import { DEFAULT_PACKAGE_FILE } from '../../src/metadata/package-files.js';
import { PACKAGE_TYPES, type MetadataPackage } from '../../src/metadata/package-schema.js';
import { DEFAULT_MAPPINGS_DIR } from '../../src/config/config.js';

const pkg = loadCheckedPackage();
const TOTAL = PACKAGE_TYPES.reduce((sum, type) => sum + (pkg[type]?.length ?? 0), 0);
const token = { kind: 'token' as const, token: DEFAULT_PERSONAL_ACCESS_TOKEN };

let server: Dhis2StandInServer;
beforeEach(async () => {
  server = await startDhis2StandInServer({});
});
afterEach(async () => {
  await server.close();
  process.exitCode = undefined;
  jest.restoreAllMocks();
});

/** The client, recording the importMode of every call. */
function recordingClient(modes: string[]) {
  const client = new Dhis2Client({ url: server.url, auth: token });
  return {
    postMetadata: (payload: unknown, params: Record<string, string>) => {
      modes.push(params['importMode'] as string);
      return client.postMetadata(payload, params);
    },
  };
}

test('VALIDATE, then COMMIT; every object created; a second push updates them all', async () => {
  expect(TOTAL).toBeGreaterThan(100);
  const modes: string[] = [];
  const first = await pushPackage(recordingClient(modes), pkg);
  expect(modes).toEqual(['VALIDATE', 'COMMIT']);
  if (!first.ok) throw new Error(first.message);
  expect(first.validate.stats).toEqual({ created: TOTAL, updated: 0, deleted: 0, ignored: 0, total: TOTAL });
  expect(first.commit.stats).toEqual({ created: TOTAL, updated: 0, deleted: 0, ignored: 0, total: TOTAL });
  expect(first.commit.types.find((t) => t.type === 'DataElement')?.stats.created).toBe(pkg.dataElements!.length);
  expect(server.standIn.metadata.dataSets.size).toBe(pkg.dataSets!.length);
  expect(server.standIn.metadata.hasObject('dashboards', pkg.dashboards![0]!.id as string)).toBe(true);

  const second = await pushPackage(recordingClient(modes), pkg);
  if (!second.ok) throw new Error(second.message);
  expect(second.commit.stats).toEqual({ created: 0, updated: TOTAL, deleted: 0, ignored: 0, total: TOTAL });
  expect(modes).toEqual(['VALIDATE', 'COMMIT', 'VALIDATE', 'COMMIT']);
});

test('a package DHIS2 refuses fails at VALIDATE with its error reports; COMMIT is never sent, nothing is stored', async () => {
  const broken = structuredClone(pkg) as MetadataPackage;
  const element = broken.dataElements!.find((o) => o.code === 'RMNCAH_ANC4')!;
  element.categoryCombo = { id: 'noSuchCombo' };
  const modes: string[] = [];
  const outcome = await pushPackage(recordingClient(modes), broken);
  expect(modes).toEqual(['VALIDATE']);
  expect(outcome).toMatchObject({ ok: false, stage: 'VALIDATE', message: 'the import report has status ERROR (HTTP 409)' });
  if (outcome.ok) return;
  expect(outcome.report?.stats).toEqual({ created: 0, updated: 0, deleted: 0, ignored: TOTAL, total: TOTAL });
  expect(outcome.report?.errors).toEqual([
    `DataElement[${broken.dataElements!.indexOf(element)}] ${element.id}: E5002 Invalid reference [noSuchCombo] (CategoryCombo) on object ${element.name} [${element.id}] (DataElement) for association \`categoryCombo\``,
  ]);
  expect(server.standIn.metadata.dataElements.size).toBe(0);
});

test('the command prints the counts of both stages, and exits non-zero when DHIS2 refuses the credentials', async () => {
  const lines: string[] = [];
  jest.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  jest.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line));
  const env = { DHIS2_TOKEN: DEFAULT_PERSONAL_ACCESS_TOKEN };
  expect(await pushMetadataPackage(DEFAULT_PACKAGE_FILE, { dhis2: server.url, mappings: DEFAULT_MAPPINGS_DIR, env })).toBe(true);
  expect(lines).toContain(`  VALIDATE: OK, created ${TOTAL}, updated 0, deleted 0, ignored 0, total ${TOTAL}`);
  expect(lines).toContain(`  COMMIT: OK, created ${TOTAL}, updated 0, deleted 0, ignored 0, total ${TOTAL}`);
  expect(lines).toContain(`    DataElement: created ${pkg.dataElements!.length}, updated 0, deleted 0, ignored 0, total ${pkg.dataElements!.length}`);
  lines.length = 0;
  expect(await pushMetadataPackage(DEFAULT_PACKAGE_FILE, { dhis2: server.url, mappings: DEFAULT_MAPPINGS_DIR, env })).toBe(true);
  expect(lines).toContain(`  COMMIT: OK, created 0, updated ${TOTAL}, deleted 0, ignored 0, total ${TOTAL}`);
  expect(process.exitCode).toBeUndefined();

  lines.length = 0;
  const refused = await pushMetadataPackage(DEFAULT_PACKAGE_FILE, { dhis2: server.url, mappings: DEFAULT_MAPPINGS_DIR, env: { DHIS2_USERNAME: 'admin', DHIS2_PASSWORD: 'wrong' } });
  expect(refused).toBe(false);
  expect(process.exitCode).toBe(1);
  expect(lines).toContain('  VALIDATE failed: DHIS2 answered HTTP 401 without an import report: Unauthorized; nothing was stored');
});

test('without a DHIS2 URL the command says what to set', async () => {
  await expect(pushMetadataPackage(DEFAULT_PACKAGE_FILE, { mappings: DEFAULT_MAPPINGS_DIR, env: {} })).rejects.toThrow('give --dhis2 <url> or set DHIS2_URL');
});
