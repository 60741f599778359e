// The middleware as a separate `smc-bridge` process, so tests can kill it the hard way (SIGKILL).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { TEST_REDIS_URL } from './redis.js';

const BIN = fileURLToPath(new URL('../../bin/smc-bridge.js', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

/**
 * The settings of a `serve` child on loopback that a test kills and starts again: its port, the test Redis
 * under `prefix`, one API key entry, and a 10 s job lock. A killed worker's job comes back when its lock runs
 * out and the next stall check sees it, up to two lock periods: the default 30 s made that a minute, too close
 * to the tests' deadlines on a loaded machine.
 */
export function restartableServiceEnv(port: number, prefix: string, apiKeys: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PORT: String(port), HOST: '127.0.0.1', REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, API_KEYS: apiKeys, JOB_LOCK_SECONDS: '10', ...extra };
}

export interface ChildService {
  process: ChildProcess;
  output: () => string;
  kill(): Promise<void>;
}

/** Starts `smc-bridge <command>` and, with a health URL, resolves once /health answers. */
export async function startChild(command: 'serve' | 'api' | 'worker', env: Record<string, string>, healthUrl?: string): Promise<ChildService> {
  const child = spawn(process.execPath, [BIN, command], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const handle: ChildService = {
    process: child,
    output: () => output,
    kill: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
  if (healthUrl !== undefined) {
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`smc-bridge ${command} exited early:\n${output}`);
      try {
        if ((await fetch(healthUrl)).status === 200) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`smc-bridge ${command} did not become healthy:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return handle;
}
