// `npm run bench`: every benchmark of the middleware once, at sizes that fit in about two minutes on this
// 2-core machine, each in its own process one after the other (so none competes with another), with what it
// prints. The figures are the same the full-size runs print (bench/README.md); smaller runs are noisier.
import { spawnSync } from 'node:child_process';

const runs: { title: string; args: string[] }[] = [
  { title: 'mapping alone, one core', args: ['bench/mapping.ts', '5000'] },
  { title: 'ingest alone: the api process, no worker', args: ['bench/ingest.ts', '6000', '4', 'none'] },
  { title: 'end to end: the api and 2 worker processes', args: ['bench/ingest.ts', '4000', '4', '2'] },
  { title: 'latency at a steady 200 encounters/s', args: ['bench/latency.ts', '200', '4'] },
  { title: 'backlog drained by 2 worker processes, memory', args: ['bench/backlog.ts', '2000', '2', '--probes', '7'] },
  { title: 'FHIR leg', args: ['bench/fhir.ts', '300', '2', '40', '--sample', '150'] },
];

const started = performance.now();
let failed = 0;
for (const run of runs) {
  console.log(`\n## ${run.title}: npx tsx ${run.args.join(' ')}\n`);
  const runStarted = performance.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', ...run.args], { stdio: 'inherit' });
  console.log(`(${run.title}: ${((performance.now() - runStarted) / 1000).toFixed(1)} s)`);
  if (result.status !== 0) {
    failed += 1;
    console.log(`(exited with ${result.status ?? result.signal})`);
  }
}
console.log(`\nall benchmarks: ${((performance.now() - started) / 1000).toFixed(0)} s${failed > 0 ? `, ${failed} failed` : ''}`);
process.exitCode = failed > 0 ? 1 : 0;
