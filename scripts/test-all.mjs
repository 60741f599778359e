// `npm test` after the typecheck. Most root tests wait on Redis, HTTP and timers, so on two cores three runs
// fit side by side: the root jest run of every workspace but the browser test, and the DHIS2 app's own tests
// (jest 27 through d2-app-scripts); once the app's tests are done, the browser test (jest project e2e),
// which may rebuild the app: a build regenerates dhis2-app/src/locales, which the app's tests read, so the
// two never run at once. Each run's output is printed whole when it ends; any failing run fails the whole.
import { spawn } from 'node:child_process';

const JEST = ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js'];
const extra = process.argv.slice(2);
const PROJECTS_BUT_E2E = ['contract', 'generator', 'stand-ins', 'data-quality', 'middleware'];

function run(name, command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    const chunks = [];
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
    child.on('close', (code, signal) => {
      process.stdout.write(`\n===== ${name} =====\n${Buffer.concat(chunks).toString()}`);
      resolve({ name, ok: code === 0, code: code ?? signal });
    });
  });
}

const results = await Promise.all([
  run('jest', process.execPath, [...JEST, '--selectProjects', ...PROJECTS_BUT_E2E, ...extra]),
  run('dhis2-app', 'npm', ['-w', 'dhis2-app', 'test']).then(async (app) => [
    app,
    await run('e2e (the built app in Chromium)', process.execPath, [...JEST, '--selectProjects', 'e2e', '--passWithNoTests', ...extra]),
  ]),
]);

const all = results.flat();
for (const result of all) process.stdout.write(`${result.name}: ${result.ok ? 'passed' : `failed (${result.code})`}\n`);
process.exitCode = all.every((result) => result.ok) ? 0 : 1;
