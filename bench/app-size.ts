// The DHIS2 app's weight: its own code gzipped, beyond the DHIS2 platform and @dhis2/ui (goal ≤ 200 KB),
// and the bytes one encounter costs on the wire gzipped (goal ≤ 1 KB). Run after `npm -w dhis2-app run
// build`: `npx tsx bench/app-size.ts`.
//
// How "the app's own" is told apart: the platform's shell bundles the platform, @dhis2/ui and the app
// together, so no chunk is purely ours. The build's Vite extension (dhis2-app/vite.config.mts) records
// which modules Rollup rendered into each chunk (after tree-shaking, before minification) in
// build/bundle-composition.json. Ours are the app's sources (dhis2-app/src, its translations included),
// the contract it validates with (packages/contract) and the packages the app and the contract depend on
// directly: zod, luxon and idb. Everything else (React, the app-runtime, the app-shell, @dhis2/ui and their
// dependencies) is the platform's. Our modules' code is minified with esbuild as the build minifies it
// (esbuild is there with tsx) and gzipped; the same method applied to every module of a chunk is printed
// beside the real chunk's gzipped size, as a check of the method. Our CSS (CSS modules) is counted too.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CompressionStream } from 'node:stream/web';
import { gzipSync } from 'node:zlib';
import { transform } from 'esbuild';
import { generateEncounters } from '@smc-bridge/generator';

const appDir = new URL('../dhis2-app/', import.meta.url).pathname;
const assetsDir = join(appDir, 'build/app/assets');

interface Composition {
  chunks: { fileName: string; css: string[]; modules: { id: string; code: string }[] }[];
}

let composition: Composition;
try {
  composition = JSON.parse(readFileSync(join(appDir, 'build/bundle-composition.json'), 'utf8')) as Composition;
} catch {
  console.error('No dhis2-app/build/bundle-composition.json: run `npm -w dhis2-app run build` first.');
  process.exit(1);
}

// The shell builds the app from its copy of dhis2-app/src in .d2/shell/src/D2App. A dependency counts as
// ours only where the app itself resolves it (the workspace's top node_modules): the platform has its own
// idb, nested under @dhis2/pwa.
const topLevel = (name: string) => new RegExp(`^(?!.*node_modules.*node_modules).*/node_modules/${name}/`);
const OURS: [string, RegExp][] = [
  ['app sources', /\/\.d2\/shell\/src\/D2App\/(?!locales\/)/],
  ['translations', /\/\.d2\/shell\/src\/D2App\/locales\//],
  ['contract', /\/packages\/contract\/src\//],
  ['zod', topLevel('zod')],
  ['luxon', topLevel('luxon')],
  ['idb', topLevel('idb')],
];
const partOf = (id: string) => OURS.find(([, pattern]) => pattern.test(id))?.[0];

const gzipped = (text: string | Buffer) => gzipSync(text, { level: 9 }).length;
const minified = async (code: string) => (await transform(code, { minify: true, format: 'esm', loader: 'js', target: 'es2020' })).code;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

const ours = new Map<string, string[]>(OURS.map(([name]) => [name, []]));
const oursCss = new Set<string>();
console.log('Built chunks (gzip -9):');
for (const chunk of composition.chunks) {
  const actual = gzipped(readFileSync(join(appDir, 'build/app', chunk.fileName)));
  const all = await minified(chunk.modules.map((module) => module.code).join('\n'));
  const ownModules = chunk.modules.filter((module) => partOf(module.id) !== undefined);
  for (const module of ownModules) ours.get(partOf(module.id) as string)?.push(module.code);
  if (ownModules.length > 0) chunk.css.forEach((file) => oursCss.add(file));
  console.log(`  ${chunk.fileName.padEnd(32)} ${kb(actual).padStart(9)}  (method check: ${kb(gzipped(all))}; ${ownModules.length} of ${chunk.modules.length} modules are the app's)`);
}

const ownCode = await minified([...ours.values()].flat().join('\n'));
const ownCss = [...oursCss].map((file) => readFileSync(join(appDir, 'build/app', file), 'utf8')).join('\n');
const ownTotal = gzipped(ownCode) + gzipped(ownCss);
console.log('\nThe app’s own code, minified and gzipped (-9), beyond the platform and @dhis2/ui:');
for (const [name, modules] of ours) {
  if (modules.length > 0) console.log(`  ${name.padEnd(14)} ${kb(gzipped(await minified(modules.join('\n')))).padStart(9)}`);
}
console.log(`  ${'CSS'.padEnd(14)} ${kb(gzipped(ownCss)).padStart(9)}`);
console.log(`  total (JS gzipped as one, + CSS): ${kb(ownTotal)} — goal ≤ 200 KB: ${ownTotal <= 200 * 1024 ? 'met' : 'NOT MET'}`);
console.log(`  (all JavaScript files in build/app/assets together: ${kb(readdirSync(assetsDir).filter((name) => name.endsWith('.js')).reduce((sum, name) => sum + gzipped(readFileSync(join(assetsDir, name))), 0))})`);

// The wire: full antenatal visits as the sync loop sends them (source dhis2-app, a random UUID, the
// facility's org unit code and uid, the ANC form's fields), gzipped by CompressionStream as the browser does.
// Encounter ids are random UUIDs (made with crypto.getRandomValues): here from a seeded generator
// (mulberry32), so that the figures repeat from run to run and the ids compress no better than real ones.
let state = 0x5eed;
const randomByte = () => {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) & 0xff;
};
const randomUuid = () => {
  const hex = Array.from({ length: 16 }, (_, index) => {
    const byte = randomByte();
    return (index === 6 ? (byte & 0x0f) | 0x40 : index === 8 ? (byte & 0x3f) | 0x80 : byte).toString(16).padStart(2, '0');
  }).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
const facilityUids = new Map<string, string>();
const uidOf = (code: string) => {
  if (!facilityUids.has(code)) facilityUids.set(code, `D${randomUuid().replace(/-/g, '').slice(0, 10)}`);
  return facilityUids.get(code) as string;
};
const ancVisits = generateEncounters({ seed: 11, facilityCount: 8, encounterCount: 1200, endDate: '2026-10-31', days: 120 })
  .filter((encounter) => encounter.type === 'anc')
  .slice(0, 100)
  .map((encounter, index) => {
    const { diagnoses: _diagnoses, practitioner, ...rest } = encounter;
    return {
      ...rest,
      id: randomUuid(),
      source: 'dhis2-app',
      facility: { code: encounter.facility.code as string, uid: uidOf(encounter.facility.code as string) },
      patient: { ...encounter.patient, phone: `+237 6${String(70 + (index % 30))} ${String(10 + index).slice(-2)} 34 56` },
      practitioner: { name: practitioner?.name ?? 'Esther Fru', role: 'midwife' },
      anc: { ...encounter.anc, hemoglobinGdl: 11.2 },
    };
  });

async function browserGzip(text: string): Promise<number> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  let bytes = 0;
  for await (const chunk of stream) bytes += (chunk as Uint8Array).length;
  return bytes;
}

const one = JSON.stringify({ encounters: [ancVisits[0]] });
const hundred = JSON.stringify({ encounters: ancVisits });
const oneGzipped = await browserGzip(one);
const hundredGzipped = await browserGzip(hundred);
console.log('\nOne full antenatal visit on the wire (the request body, gzip by CompressionStream):');
console.log(`  in a batch of 1:   ${one.length} bytes of JSON, ${oneGzipped} bytes gzipped — goal ≤ 1 KB: ${oneGzipped <= 1024 ? 'met' : 'NOT MET'}`);
console.log(`  in a batch of 100: ${Math.round(hundred.length / 100)} bytes of JSON, ${Math.round(hundredGzipped / 100)} bytes gzipped per encounter (${hundredGzipped} bytes for the batch)`);
