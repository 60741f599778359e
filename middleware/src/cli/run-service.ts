// `smc-bridge serve`, `smc-bridge api` and `smc-bridge worker`: run until SIGINT/SIGTERM, then close cleanly so in-flight
// jobs finish (or are picked up again by another worker).
import { loadConfig, describeConfig } from '../config/config.js';
import { createLogger } from '../logging/logger.js';
import { startService } from '../service.js';

export async function runService(mode: 'serve' | 'api' | 'worker'): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  if (mode !== 'worker' && config.apiKeys.length === 0) {
    throw new Error('API_KEYS is empty, so every request would be refused; create a key with `npx smc-bridge keys new <source>`');
  }
  logger.info({ config: describeConfig(config), mode }, 'starting');
  const service = await startService(config, logger, { http: mode !== 'worker', workers: mode !== 'api' });
  const stop = async (signal: string) => {
    logger.info({ signal }, 'stopping');
    await service.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
