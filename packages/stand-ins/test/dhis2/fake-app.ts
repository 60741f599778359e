// A tiny stand-in for `build/app/` of `d2-app-scripts build` (the files a built platform app holds), for the
// installed-app and start-up tests. Nothing is built: the files only need to exist and carry the markers.
import { mkdtempSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const INDEX_HTML = [
  '<!doctype html>',
  '<html lang="en">',
  '<head><meta charset="utf-8"><meta name="dhis2-base-url" content="__DHIS2_BASE_URL__"><link rel="manifest" href="./manifest.json" crossorigin="use-credentials">',
  '<script>window.appRoot = "__DHIS2_APP_ROOT_URL__"</script><script type="module" src="./assets/main-abc123.js"></script></head>',
  '<body><div id="dhis2-app-root"></div></body>',
  '</html>',
].join('\r\n');
export const MANIFEST_WEBAPP = {
  appType: 'APP',
  short_name: 'smc-clinic',
  name: 'SMC Clinic',
  description: 'Seasonal malaria chemoprevention encounters, offline first, for rural clinics and their outreach teams.',
  version: '0.1.0',
  launch_path: 'index.html',
  default_locale: 'en',
  activities: { dhis: { href: '*', namespace: 'smc-clinic' } },
  icons: { 48: 'dhis2-app-icon.png' },
  developer: { name: 'SMC bridge' },
};
export const FONT = Buffer.from([0x77, 0x4f, 0x46, 0x32, 0, 1, 0, 0]);
export const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);


/** The files, relative to the folder, as the service worker would precache them (index.html as ?redirect=false). */
export const PRECACHED = [
  'index.html?redirect=false',
  'service-worker.js',
  'assets/main-abc123.js',
  'assets/main-abc123.css',
  'assets/App-def456.js',
  'fonts/roboto.woff2',
  'dhis2-app-icon.png',
  'favicon.ico',
  'logo.svg',
  'manifest.json',
  'manifest.webapp',
];

export function makeFakeApp(): { directory: string; remove(): void } {
  const folder = mkdtempSync(join(tmpdir(), 'smc-app-'));
  writeFileSync(join(folder, 'index.html'), INDEX_HTML);
  writeFileSync(join(folder, 'service-worker.js'), 'self.addEventListener("install", () => {});\n');
  mkdirSync(join(folder, 'assets'));
  writeFileSync(join(folder, 'assets', 'main-abc123.js'), 'console.log("__DHIS2_BASE_URL__ stays in a script");\n');
  writeFileSync(join(folder, 'assets', 'App-def456.js'), 'export default function App() {}\n');
  writeFileSync(join(folder, 'assets', 'main-abc123.css'), 'body{margin:0}\n');
  writeFileSync(join(folder, 'assets', 'main-abc123.js.map'), '{"version":3}');
  mkdirSync(join(folder, 'fonts'));
  writeFileSync(join(folder, 'fonts', 'roboto.woff2'), FONT);
  writeFileSync(join(folder, 'dhis2-app-icon.png'), PNG);
  writeFileSync(join(folder, 'favicon.ico'), Buffer.from([0, 0, 1, 0]));
  writeFileSync(join(folder, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(folder, 'manifest.json'), JSON.stringify({ short_name: 'SMC', start_url: '.' }));
  writeFileSync(join(folder, 'app.webmanifest'), '{}');
  writeFileSync(join(folder, 'manifest.webapp'), JSON.stringify(MANIFEST_WEBAPP));
  mkdirSync(join(folder, 'docs'));
  writeFileSync(join(folder, 'docs', 'index.html'), '<p>__DHIS2_BASE_URL__ docs</p>');
  const past = new Date('2026-11-01T08:00:00Z');
  utimesSync(join(folder, 'service-worker.js'), past, past);
  return { directory: folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}
