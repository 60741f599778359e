// An in-process middleware (HTTP API and workers) on a random port, over the real Redis, under a test prefix.
import { Writable } from 'node:stream';
import { createApiKey } from '../../src/config/api-keys.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';
import { startService, type RunningService } from '../../src/service.js';
import { SOURCE } from './fixtures.js';
import { deleteKeysOf, TEST_REDIS_URL, uniquePrefix } from './redis.js';

export interface TestService {
  url: string;
  prefix: string;
  key: string;
  otherSourceKey: string;
  /** An operator key (dead letters, replay, every source's status and provenance). */
  operatorKey: string;
  /** The DHIS2 app's Route key (source dhis2-app, app endpoints only). */
  appKey: string;
  service: RunningService;
  /** Every log line the service wrote, as raw text. */
  logs: string[];
  post(body: unknown, init?: { key?: string | null; contentType?: string | null; raw?: string }): Promise<Response>;
  get(path: string, key?: string | null): Promise<Response>;
  stop(): Promise<void>;
}

export async function startTestService(label: string, env: Record<string, string> = {}, options: { workers?: boolean } = {}): Promise<TestService> {
  const prefix = uniquePrefix(label);
  const own = createApiKey(SOURCE);
  const other = createApiKey('other-emr');
  const operator = createApiKey('ops', 'operator');
  const app = createApiKey('dhis2-app', 'app');
  const config = loadConfig({
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    PORT: '0',
    HOST: '127.0.0.1',
    API_KEYS: [own.entry, other.entry, operator.entry, app.entry].join(','),
    LOG_LEVEL: 'debug',
    ...env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const service = await startService(config, createLogger('debug', sink), { http: true, workers: options.workers ?? true });
  const url = service.url as string;
  const authHeader = (key: string | null | undefined): Record<string, string> =>
    key === null ? {} : { authorization: `Bearer ${key ?? own.key}` };
  return {
    url,
    prefix,
    key: own.key,
    otherSourceKey: other.key,
    operatorKey: operator.key,
    appKey: app.key,
    service,
    logs,
    post(body, init = {}) {
      const headers: Record<string, string> = { ...authHeader(init.key) };
      if (init.contentType !== null) headers['content-type'] = init.contentType ?? 'application/json';
      return fetch(`${url}/api/v1/encounters`, { method: 'POST', headers, body: init.raw ?? JSON.stringify(body) });
    },
    get(path, key) {
      return fetch(`${url}${path}`, { headers: authHeader(key) });
    },
    async stop() {
      await service.close();
      await deleteKeysOf(prefix, config.redisUrl);
    },
  };
}

/** Posts the encounters as batches of `batch`, `inFlight` requests at a time; each must be accepted (202). */
export async function postInParallel(api: TestService, list: readonly unknown[], batch = 100, inFlight = 3): Promise<void> {
  const batches: unknown[][] = [];
  for (let i = 0; i < list.length; i += batch) batches.push(list.slice(i, i + batch));
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < batches.length) {
        const response = await api.post({ encounters: batches[next++] });
        if (response.status !== 202) throw new Error(`a batch got HTTP ${response.status}: ${await response.text()}`);
      }
    }),
  );
}
