// A Redis Cluster of three masters of the test's own, on free loopback ports (Debian's redis-server and
// redis-cli, as CI has them): started, joined with `redis-cli --cluster create`, waited for until every node
// says cluster_state:ok, and shut down after. Nothing is persisted.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCluster {
  /** The REDIS_URL of the cluster (redis+cluster://…). */
  url: string;
  ports: number[];
  stop(): Promise<void>;
}

async function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port that is free, with its cluster bus port (port + 10000) free too. */
async function freeClusterPort(taken: readonly number[]): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    if (taken.includes(port)) continue;
    if ((await isFree(port)) && (await isFree(port + 10_000))) return port;
  }
}

async function cli(port: number, ...args: string[]): Promise<string> {
  return (await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args])).stdout;
}

export async function startTestCluster(masters = 3): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'smc-cluster-'));
  const ports: number[] = [];
  for (let i = 0; i < masters; i++) ports.push(await freeClusterPort(ports));
  const stop = async () => {
    await Promise.all(ports.map((port) => cli(port, 'shutdown', 'nosave').catch(() => undefined)));
    // A node that did not answer is killed by its pid file.
    for (const port of ports) {
      try {
        process.kill(Number(readFileSync(join(dir, `${port}.pid`), 'utf8')), 'SIGKILL');
      } catch {
        // gone already
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) {
      await run('redis-server', [
        '--cluster-enabled', 'yes', '--port', String(port), '--bind', '127.0.0.1',
        '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--dir', dir, '--pidfile', join(dir, `${port}.pid`),
        '--save', '', '--appendonly', 'no', '--daemonize', 'yes',
      ]);
    }
    for (const port of ports) await waitFor(async () => (await cli(port, 'ping').catch(() => '')).trim() === 'PONG', `node ${port} answers`);
    await run('redis-cli', ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes']);
    for (const port of ports) await waitFor(async () => (await cli(port, 'cluster', 'info')).includes('cluster_state:ok'), `node ${port} says cluster_state:ok`);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `redis+cluster://${ports.map((port) => `127.0.0.1:${port}`).join(',')}`, ports, stop };
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`the test cluster did not come up: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
