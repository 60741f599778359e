// A Redis server of the benchmark's own (Debian's redis-server on a free loopback port, no persistence), so
// a large backlog neither fills the shared Redis nor disturbs what else runs against it.
import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { startTestCluster } from '../../middleware/test/support/redis-cluster.js';
import { freePort } from './processes.js';

export async function startPrivateRedis(): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined); // refused until the server listens
  for (let attempt = 0; ; attempt++) {
    try {
      await probe.connect();
      if ((await probe.ping()) === 'PONG') break;
    } catch {
      if (attempt > 50) throw new Error(`redis-server did not start on port ${port}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  probe.disconnect();
  return {
    url,
    pid: server.pid!,
    stop: () => new Promise((resolve) => (server.exitCode !== null ? resolve() : server.once('exit', () => resolve()).kill('SIGTERM'))),
  };
}

/** A Redis Cluster of the benchmark's own: three masters on free loopback ports (as the cluster test starts it). */
export async function startPrivateCluster(): Promise<{ url: string; stop: () => Promise<void> }> {
  const cluster = await startTestCluster(3);
  return { url: cluster.url, stop: cluster.stop };
}
