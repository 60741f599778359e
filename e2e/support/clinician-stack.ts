// The whole clinicians' stack for a browser: the DHIS2 stand-in serving the built DHIS2 app (with the
// metadata package pushed into it and the facilities as org units), the FHIR stand-in, and the real
// middleware (HTTP API and workers, in this process) on the real Redis under its own key prefix, reached
// from the app only through the DHIS2 Route. The demo's own wiring (demo-clinician-app.ts) builds the app,
// adds the clinician and creates the Route; this adds what a test, a screenshot or a benchmark also needs:
// its own prefix, removed afterwards, and direct reads of what the stand-ins hold.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import type { Encounter } from '@smc-bridge/contract';
import {
  byUid,
  DEFAULT_PERSONAL_ACCESS_TOKEN,
  nonZeroValues,
  orgUnitsPayload,
  startDhis2StandInServer,
  startFhirStandInServer,
  type Dhis2StandInServer,
  type FhirStandInServer,
  type OrgUnitRef,
} from '@smc-bridge/stand-ins';
import { APP_NAME, builtClinicianApp, openClinicianApp, type ClinicianAccess } from '../../middleware/src/cli/demo-clinician-app.js';
import { createApiKey } from '../../middleware/src/config/api-keys.js';
import { DEFAULT_DHIS2_API_VERSION, loadConfig } from '../../middleware/src/config/config.js';
import { Dhis2Client } from '../../middleware/src/dhis2/dhis2-client.js';
import { loadMappings } from '../../middleware/src/mapping/load-mappings.js';
import { latestVersions, recomputeCells } from '../../middleware/src/mapping/recompute.js';
import { pushPackage } from '../../middleware/src/metadata/metadata-push.js';
import { loadCheckedPackage } from '../../middleware/src/metadata/package-rules.js';
import { createLogger } from '../../middleware/src/logging/logger.js';
import { deleteKeysWithPrefix } from '../../middleware/src/redis/keys.js';
import { startService, type RunningService } from '../../middleware/src/service.js';
import type { TargetName } from '../../middleware/src/domain/target-state.js';

/** The app's source in the middleware (the Route's key is of this source). */
export const APP_SOURCE = 'dhis2-app';

export const DEFAULT_FACILITIES: readonly OrgUnitRef[] = [
  { code: 'CM_NW_BAM_CSI001', name: 'CSI Bambui' },
  { code: 'CM_NW_BAM_CSI002', name: 'CSI Bambili' },
];

export interface ClinicianStackOptions {
  /** Key prefix label (a random suffix is added). */
  label: string;
  facilities?: readonly OrgUnitRef[];
  /** The shared sync settings an administrator would put in the dataStore (smc-clinic/settings). */
  syncSettings?: Record<string, number>;
  /** How long a changed cell group waits before its push (the middleware's DHIS2_PUSH_DELAY_MS). */
  pushDelayMs?: number;
}

export interface ClinicianStack {
  /** Where the clinician opens the app (signing in first). */
  appUrl: string;
  clinician: ClinicianAccess;
  dhis2: Dhis2StandInServer;
  fhir: FhirStandInServer;
  service: RunningService;
  prefix: string;
  /** The version the middleware holds of an encounter the app sent, with its target states. */
  held(id: string): ReturnType<RunningService['store']['read']>;
  /** Resolves once every named encounter (at least the given version) is delivered or skipped on both targets and no push waits. */
  settled(ids: readonly string[], options?: { timeoutMs?: number; minVersion?: Record<string, number> }): Promise<void>;
  /** The DHIS2 stand-in's non-zero values against a from-scratch recomputation of the latest versions of `encounters`. */
  dhis2Values(): Map<string, number>;
  expectedValues(encounters: readonly Encounter[]): Map<string, number>;
  close(): Promise<void>;
}

function logSink(lines: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
}

const SETTLED: ReadonlySet<string> = new Set(['delivered', 'skipped', 'failed']);

export async function startClinicianStack(options: ClinicianStackOptions): Promise<ClinicianStack> {
  const facilities = options.facilities ?? DEFAULT_FACILITIES;
  // Built again when a source changed since: a test of an older build would say nothing of the app.
  const appDirectory = builtClinicianApp((line) => console.log(line.trim()), { rebuildIfStale: true });
  if (!appDirectory) throw new Error('the DHIS2 app could not be built: run `npm -w dhis2-app run build` to see why');
  const prefix = `e2e-${options.label}-${randomBytes(4).toString('hex')}`;
  const app = createApiKey(APP_SOURCE, 'app');

  const fhir = await startFhirStandInServer();
  const dhis2 = await startDhis2StandInServer({ host: '127.0.0.1', apps: [{ name: APP_NAME, directory: appDirectory }] });
  const logs: string[] = [];
  const config = loadConfig({
    ...process.env,
    REDIS_PREFIX: prefix,
    PORT: '0',
    HOST: '127.0.0.1',
    API_KEYS: app.entry,
    DHIS2_URL: dhis2.url,
    DHIS2_TOKEN: DEFAULT_PERSONAL_ACCESS_TOKEN,
    DHIS2_PUSH_DELAY_MS: String(options.pushDelayMs ?? 100),
    FHIR_URL: fhir.baseUrl,
    LOG_LEVEL: 'warn',
  });
  const service = await startService(config, createLogger('warn', logSink(logs)), { http: true, workers: true });
  // Set up as a deployment's setup job does (smc-bridge metadata push, then the Route), one after the other.
  const admin = new Dhis2Client({ url: dhis2.url, auth: { kind: 'token', token: DEFAULT_PERSONAL_ACCESS_TOKEN }, apiVersion: DEFAULT_DHIS2_API_VERSION, timeoutMs: 30_000 });
  const pushed = await pushPackage(admin, loadCheckedPackage());
  if (!pushed.ok) throw new Error(`the metadata package did not import into the DHIS2 stand-in: ${pushed.message}`);
  dhis2.standIn.loadMetadata(orgUnitsPayload(facilities));
  const clinician = await openClinicianApp({ dhis2, middlewareUrl: service.url as string, appKey: app.key, facilityCodes: facilities.map((facility) => facility.code) });
  if (options.syncSettings) {
    const answer = await fetch(`${dhis2.url}/api/dataStore/${APP_NAME}/settings`, {
      method: 'POST',
      headers: { authorization: `ApiToken ${DEFAULT_PERSONAL_ACCESS_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(options.syncSettings),
    });
    if (!answer.ok) throw new Error(`the app's sync settings could not be stored: HTTP ${answer.status}`);
  }
  const mappings = loadMappings(config.mappingsDir);

  const held: ClinicianStack['held'] = (id) => service.store.read(APP_SOURCE, id);
  return {
    appUrl: clinician.url,
    clinician,
    dhis2,
    fhir,
    service,
    prefix,
    held,
    async settled(ids, { timeoutMs = 60_000, minVersion = {} } = {}) {
      const deadline = Date.now() + timeoutMs;
      const targets: TargetName[] = ['dhis2', 'fhir'];
      for (;;) {
        const stored = await Promise.all(ids.map((id) => held(id)));
        const done = stored.every(
          (entry, index) =>
            entry !== undefined &&
            entry.version >= (minVersion[ids[index] as string] ?? 1) &&
            entry.processedVersion >= entry.version &&
            targets.every((target) => SETTLED.has(entry.targets[target]?.state ?? '')),
        );
        if (done && (await service.pendingPushes()) === 0 && (await service.pendingFhirUploads()) === 0) return;
        if (Date.now() > deadline) {
          const states = stored.map((entry, index) => `${ids[index]}: v${entry?.version ?? '-'} ${targets.map((t) => `${t} ${entry?.targets[t]?.state ?? '-'}`).join(', ')}`);
          throw new Error(`not settled after ${timeoutMs} ms: ${states.join('; ')}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    dhis2Values: () => nonZeroValues(dhis2.standIn),
    expectedValues: (encounters) => byUid(recomputeCells(latestVersions(encounters), mappings).values()),
    async close() {
      await service.close();
      await dhis2.close();
      await fhir.close();
      const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1 });
      try {
        await deleteKeysWithPrefix(redis, prefix);
      } finally {
        redis.disconnect();
      }
      if (logs.some((line) => /"level":(50|60)/.test(line))) console.log(`middleware errors:\n${logs.join('')}`);
    },
  };
}
