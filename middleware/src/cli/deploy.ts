// Commands a deployment runs: `setup` and `route ensure` (the DHIS2 Route to the middleware, created or
// updated; the compose setup job runs it after the metadata import). `health` is in health-check.ts.
import { loadConfig, type Config } from '../config/config.js';
import { Dhis2Client } from '../dhis2/dhis2-client.js';
import { ensureRoute, routeDefinition, type RouteSettings } from '../dhis2/route-setup.js';
import { DEFAULT_PACKAGE_FILE, pushMetadataPackage } from './metadata.js';

/** Waits until DHIS2 answers /api/system/info with 200 (it takes minutes to start on a fresh database). */
export async function waitForDhis2(client: Pick<Dhis2Client, 'systemInfoStatus'>, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const status = await client.systemInfoStatus();
      if (status === 200) return;
      last = `HTTP ${status}`;
      // Refused credentials do not mend by waiting: 401, 403, or 400 for a token DHIS2 finds malformed or
      // whose checksum fails (ApiTokenResolver). A starting DHIS2 answers 404 or 5xx, or nothing.
      if (status === 400 || status === 401 || status === 403) break;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 5000));
  }
  throw new Error(`DHIS2 at ${url} is not ready: ${last}`);
}

/** What creating the route needs from the configuration, or an error naming what is missing. */
function routeTarget(config: Config): { dhis2: NonNullable<Config['dhis2']>; settings: RouteSettings } {
  if (!config.dhis2) throw new Error('DHIS2_URL and DHIS2_TOKEN (or DHIS2_USERNAME/DHIS2_PASSWORD) are needed to create the route');
  if (config.route.apiKey === undefined) throw new Error('ROUTE_API_KEY is needed: a key from `smc-bridge keys new dhis2-app --scope app` whose entry is in API_KEYS');
  return { dhis2: config.dhis2, settings: { ...config.route, apiKey: config.route.apiKey } };
}

async function ensureAndReport({ dhis2, settings }: ReturnType<typeof routeTarget>): Promise<void> {
  const outcome = await ensureRoute(new Dhis2Client(dhis2), settings);
  console.log(`DHIS2 route smc-bridge ${outcome}: ${routeDefinition(settings)['url'] as string}`);
}

/** The one-shot deployment job: once DHIS2 is up, import the metadata package and ensure the route. */
export async function runSetup(options: { waitSeconds: number }): Promise<void> {
  const config = loadConfig();
  // Everything the job needs is checked before it waits minutes for DHIS2.
  const target = routeTarget(config);
  await waitForDhis2(new Dhis2Client({ ...target.dhis2, timeoutMs: 10_000 }), target.dhis2.url, options.waitSeconds * 1000);
  console.log(`DHIS2 at ${target.dhis2.url} is ready`);
  if (!(await pushMetadataPackage(DEFAULT_PACKAGE_FILE, { mappings: config.mappingsDir }))) {
    throw new Error('the metadata import failed (see above); the route was not created');
  }
  await ensureAndReport(target);
}

export async function runRouteEnsure(): Promise<void> {
  await ensureAndReport(routeTarget(loadConfig()));
}
