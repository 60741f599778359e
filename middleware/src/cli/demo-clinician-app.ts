// The demo's clinicians' app: the DHIS2 stand-in serves the built DHIS2 app (dhis2-app/build/app, built
// first when missing), a clinician can sign in with a password the demo prints, and the DHIS2 Route
// `smc-bridge` takes the app's requests to this middleware with an app-scoped key, as a real deployment's
// setup job does. What the clinician enters reaches the stand-in's DHIS2 values and FHIR server.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PERSONAL_ACCESS_TOKEN, orgUnitUid, type Dhis2StandInServer } from '@smc-bridge/stand-ins';
import { Dhis2Client } from '../dhis2/dhis2-client.js';
import { ensureRoute } from '../dhis2/route-setup.js';

export const APP_NAME = 'smc-clinic';
const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));
export const APP_BUILD = `${REPOSITORY}dhis2-app/build/app`;

/** What the build is made from: the app's sources (not the translations the build generates into src/locales), its translations and configuration, and the contract it bundles. */
const APP_SOURCES = ['dhis2-app/src', 'dhis2-app/i18n/fr.po', 'dhis2-app/d2.config.js', 'dhis2-app/vite.config.mts', 'packages/contract/src'];

/** Whether a source of the app changed after the build was made. */
function buildIsStale(): boolean {
  const builtAt = statSync(`${APP_BUILD}/index.html`).mtimeMs;
  for (const source of APP_SOURCES.map((path) => `${REPOSITORY}${path}`)) {
    const files = statSync(source).isDirectory() ? readdirSync(source, { recursive: true, encoding: 'utf8' }).filter((file) => !file.startsWith('locales')).map((file) => `${source}/${file}`) : [source];
    if (files.some((file) => statSync(file).mtimeMs > builtAt)) return true;
  }
  return false;
}

/**
 * The built app's folder, building it first when it is missing (or, with `rebuildIfStale`, older than a
 * source); undefined (with the reason said) if it cannot be built.
 */
export function builtClinicianApp(log: (line: string) => void, options: { rebuildIfStale?: boolean } = {}): string | undefined {
  if (existsSync(`${APP_BUILD}/index.html`) && !(options.rebuildIfStale && buildIsStale())) return APP_BUILD;
  log('  building the clinicians\' DHIS2 app (npm -w dhis2-app run build): about half a minute');
  const build = spawnSync('npm', ['-w', 'dhis2-app', 'run', 'build'], { cwd: REPOSITORY, stdio: 'ignore' });
  if (build.status === 0 && existsSync(`${APP_BUILD}/index.html`)) return APP_BUILD;
  log('  ! the DHIS2 app could not be built here; run `npm -w dhis2-app run build` to see why');
  return undefined;
}

export interface ClinicianAccess {
  url: string;
  username: string;
  password: string;
}

/** A clinician of the demo's facilities, and the Route from the stand-in's DHIS2 to this middleware. */
export async function openClinicianApp(options: { dhis2: Dhis2StandInServer; middlewareUrl: string; appKey: string; facilityCodes: readonly string[] }): Promise<ClinicianAccess> {
  const username = 'clinician';
  const password = `smc-${randomBytes(6).toString('base64url')}`;
  options.dhis2.standIn.addUser({
    username,
    password,
    firstName: 'Aïssatou',
    surname: 'Ngono',
    organisationUnits: options.facilityCodes.map((code) => orgUnitUid(code)),
    userRoles: [{ id: 'DemoClinic1', name: 'Clinician', authorities: ['M_smcclinic', 'F_DATAVALUE_ADD'] }],
  });
  await ensureRoute(new Dhis2Client({ url: options.dhis2.url, auth: { kind: 'token', token: DEFAULT_PERSONAL_ACCESS_TOKEN } }), {
    middlewareUrl: options.middlewareUrl,
    apiKey: options.appKey,
    authorities: ['M_smcclinic'],
  });
  return { url: `${options.dhis2.url}/api/apps/${APP_NAME}/`, username, password };
}
