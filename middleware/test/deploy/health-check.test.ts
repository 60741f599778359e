// `smc-bridge health`, the command every container's healthcheck runs: exit 0 when Redis answers (and the
// API, given --http, says it is healthy), exit 1 with the reason otherwise. It once failed on every run: the
// fail-fast connection has no offline queue, and its PING went out before the connection was ready.
import { jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { TEST_REDIS_URL } from '../support/redis.js';

const BIN = fileURLToPath(new URL('../../bin/smc-bridge.js', import.meta.url));
// Each case starts a CLI process (tsx compiling on the way): seconds on a loaded 2-core machine.
jest.setTimeout(60_000);

function health(env: Record<string, string>, ...args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, 'health', ...args], { env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` });
    });
  });
}

test('healthy when Redis answers', async () => {
  expect(await health({ REDIS_URL: TEST_REDIS_URL })).toEqual({ code: 0, out: 'healthy\n' });
});

test('unhealthy, with the reason, when nothing answers at the Redis address', async () => {
  const { code, out } = await health({ REDIS_URL: 'redis://127.0.0.1:1' });
  expect(code).toBe(1);
  expect(out).toMatch(/Redis at 127\.0\.0\.1:1 does not answer/);
});

test('with --http, unhealthy when the API does not answer 200 on /health', async () => {
  const server = createServer((_, response) => response.writeHead(503).end()).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const { code, out } = await health({ REDIS_URL: TEST_REDIS_URL }, '--http', url);
    expect(code).toBe(1);
    expect(out).toMatch(/answered 503/);
  } finally {
    server.close();
  }
});
