// Commands a deployment runs: `health` (container healthchecks) and `route ensure` (the DHIS2 Route to the
// middleware, created or updated; the compose setup job runs it after the metadata import).
import { loadConfig, type Dhis2Auth } from '../config/config.js';
import { ensureRoute } from '../dhis2/routes.js';
import { DEFAULT_PACKAGE_FILE, pushMetadataPackage } from './metadata.js';
import { createRedis, redisAnswers } from '../redis/connection.js';

/** Exit 0 when Redis answers and, given a URL, the HTTP API says it is healthy; 1 otherwise. */
export async function runHealthCheck(options: { http?: string }): Promise<void> {
  const config = loadConfig();
  const redis = createRedis(config.redisUrl, 'smc-bridge-health', 'fail-fast');
  redis.on('error', () => undefined);
  try {
    if (!(await redisAnswers(redis))) throw new Error(`Redis at ${new URL(config.redisUrl).host} does not answer`);
    if (options.http !== undefined) {
      const response = await fetch(new URL('/health', options.http), { signal: AbortSignal.timeout(5000) });
      if (response.status !== 200) throw new Error(`${options.http}/health answered ${response.status}`);
    }
    console.log('healthy');
  } finally {
    redis.disconnect();
  }
}

/** Waits until DHIS2 answers /api/system/info with 200 (it takes minutes to start on a fresh database). */
export async function waitForDhis2(url: string, auth: Dhis2Auth, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const authorization = auth.kind === 'token' ? `ApiToken ${auth.token}` : `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(new URL('api/system/info', url.endsWith('/') ? url : `${url}/`), { headers: { authorization }, signal: AbortSignal.timeout(10_000) });
      if (response.status === 200) return;
      last = `HTTP ${response.status}`;
      if (response.status === 401) break;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 5000));
  }
  throw new Error(`DHIS2 at ${url} is not ready: ${last}`);
}

/** The one-shot deployment job: once DHIS2 is up, import the metadata package and ensure the route. */
export async function runSetup(options: { waitSeconds: number }): Promise<void> {
  const config = loadConfig();
  if (!config.dhis2) throw new Error('DHIS2_URL and DHIS2_TOKEN (or DHIS2_USERNAME/DHIS2_PASSWORD) are needed for setup');
  if (config.route.apiKey === undefined) throw new Error('ROUTE_API_KEY is needed: a key from `smc-bridge keys new dhis2-app` whose entry is in API_KEYS');
  await waitForDhis2(config.dhis2.url, config.dhis2.auth, options.waitSeconds * 1000);
  console.log(`DHIS2 at ${config.dhis2.url} is ready`);
  if (!(await pushMetadataPackage(DEFAULT_PACKAGE_FILE, { mappings: config.mappingsDir }))) {
    throw new Error('the metadata import failed (see above); the route was not created');
  }
  await runRouteEnsure();
}

export async function runRouteEnsure(): Promise<void> {
  const config = loadConfig();
  if (!config.dhis2) throw new Error('DHIS2_URL and DHIS2_TOKEN (or DHIS2_USERNAME/DHIS2_PASSWORD) are needed to create the route');
  if (config.route.apiKey === undefined) throw new Error('ROUTE_API_KEY is needed: a key from `smc-bridge keys new dhis2-app` whose entry is in API_KEYS');
  const outcome = await ensureRoute(config.dhis2.url, config.dhis2.auth, { ...config.route, apiKey: config.route.apiKey });
  console.log(`DHIS2 route smc-bridge ${outcome}: ${config.route.middlewareUrl}/api/v1/**`);
}
