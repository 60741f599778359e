// The middleware as the deployment runs it: `smc-bridge api` and `smc-bridge worker` processes, each
// watched for its CPU time and its peak resident memory while a benchmark runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { cpuSecondsOf, rssMbOf } from './cpu.js';

const BIN = fileURLToPath(new URL('../../middleware/bin/smc-bridge.js', import.meta.url));

export interface WatchedProcess {
  readonly role: string;
  readonly child: ChildProcess;
  /** The largest resident memory seen so far, in MB (sampled every 200 ms). */
  peakRssMb: number;
  cpuSeconds(): number;
  stop(): Promise<void>;
}

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

/** The heap bound the deployment's image sets (docker/middleware.Dockerfile), unless NODE_OPTIONS says otherwise. */
const DEPLOYED_NODE_OPTIONS = '--max-old-space-size=256';

export function startMiddleware(command: 'api' | 'worker', role: string, env: Record<string, string>): WatchedProcess {
  // BENCH_CPU_PROFILE_DIR=<dir>: every middleware process writes a V8 CPU profile there when it stops.
  const profile = process.env['BENCH_CPU_PROFILE_DIR'];
  const nodeArgs = profile === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profile}`];
  const child = spawn(process.execPath, [...nodeArgs, BIN, command], { env: { NODE_OPTIONS: DEPLOYED_NODE_OPTIONS, ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  const watched: WatchedProcess = {
    role,
    child,
    peakRssMb: 0,
    cpuSeconds: () => cpuSecondsOf(child.pid!),
    stop: () =>
      new Promise((resolve) => {
        clearInterval(sampler);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
  const sampler = setInterval(() => {
    try {
      watched.peakRssMb = Math.max(watched.peakRssMb, rssMbOf(child.pid!));
    } catch {
      // exited
    }
  }, 200);
  return watched;
}

export async function waitForHealth(url: string, process: WatchedProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (process.child.exitCode !== null) throw new Error(`${process.role} exited with ${process.child.exitCode}`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${process.role} did not answer ${url}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
