// Commands a deployment runs: `health` (container healthchecks) and `route ensure` (the DHIS2 Route to the
// middleware, created or updated; the compose setup job runs it after the metadata import).
import { loadConfig } from '../config/config.js';
import { ensureRoute } from '../dhis2/routes.js';
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

export async function runRouteEnsure(): Promise<void> {
  const config = loadConfig();
  if (!config.dhis2) throw new Error('DHIS2_URL and DHIS2_TOKEN (or DHIS2_USERNAME/DHIS2_PASSWORD) are needed to create the route');
  if (config.route.apiKey === undefined) throw new Error('ROUTE_API_KEY is needed: a key from `smc-bridge keys new dhis2-app` whose entry is in API_KEYS');
  const outcome = await ensureRoute(config.dhis2.url, config.dhis2.auth, { ...config.route, apiKey: config.route.apiKey });
  console.log(`DHIS2 route smc-bridge ${outcome}: ${config.route.middlewareUrl}/api/v1/**`);
}
