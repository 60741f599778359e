// `npm test` after the typecheck: the root jest run (every workspace but the app, and the browser test) and
// the DHIS2 app's own tests (jest 27 through d2-app-scripts) side by side. Most root tests wait on Redis,
// HTTP and timers, so the app's tests fit beside them on two cores; each run's output is kept whole and
// printed when it ends. Exits non-zero when either fails.
import { spawn } from 'node:child_process';

const runs = [
  { name: 'jest', command: process.execPath, args: ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', ...process.argv.slice(2)] },
  { name: 'dhis2-app', command: 'npm', args: ['-w', 'dhis2-app', 'test'] },
];

const results = await Promise.all(
  runs.map(
    (run) =>
      new Promise((resolve) => {
        const child = spawn(run.command, run.args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
        const chunks = [];
        child.stdout.on('data', (chunk) => chunks.push(chunk));
        child.stderr.on('data', (chunk) => chunks.push(chunk));
        child.on('close', (code, signal) => {
          process.stdout.write(`\n===== ${run.name} =====\n${Buffer.concat(chunks).toString()}`);
          resolve({ name: run.name, ok: code === 0, code: code ?? signal });
        });
      }),
  ),
);

const failed = results.filter((result) => !result.ok);
for (const result of results) process.stdout.write(`${result.name}: ${result.ok ? 'passed' : `failed (${result.code})`}\n`);
process.exitCode = failed.length > 0 ? 1 : 0;
