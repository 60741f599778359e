// `smc-bridge health`: the container's healthcheck, run every 30 s, so it loads nothing but the configuration
// and a Redis connection.
import { loadConfig } from '../config/config.js';
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
