// The `smc-bridge` command line. Each command loads its own modules when it runs, so that `--help` and the
// container's frequent `health` check do not load the whole service (FHIR definitions, BullMQ, express…).
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { createApiKey, KEY_SCOPES, SOURCE_PATTERN, type KeyScope } from '../config/api-keys.js';
import { ConfigError, DEFAULT_MAPPINGS_DIR as DEFAULT_MAPPINGS_DIRECTORY } from '../config/config.js';
import { MappingFileError } from '../mapping-files/read-yaml.js';
import { DEFAULT_PACKAGE_FILE, DEFAULT_PACKAGE_SOURCE } from '../metadata/package-files.js';
import { yesterday } from './yesterday.js';

const cliMappings = () => import('./mappings.js');
const cliMetadata = () => import('./metadata.js');

const ENCOUNTER_SCHEMA_FILE = new URL(import.meta.resolve('@smc-bridge/contract/encounter.schema.json'));

// A reader that stops early (`smc-bridge generate | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const program = new Command('smc-bridge').description('Carries clinic encounters into DHIS2 and FHIR R4');

program
  .command('serve')
  .description('run the HTTP API and the workers')
  .action(async () => (await import('./run-service.js')).runService('serve'));

program
  .command('api')
  .description('run the HTTP API only (the workers run as `smc-bridge worker` processes)')
  .action(async () => (await import('./run-service.js')).runService('api'));

program
  .command('worker')
  .description('run workers only (start several to scale out)')
  .action(async () => (await import('./run-service.js')).runService('worker'));

const whole = (min: number, max = Number.MAX_SAFE_INTEGER) => (value: string): number => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new Error(`"${value}" is not a whole number from ${min} to ${max}`);
  }
  return number;
};
const SEED_MAX = 2 ** 31 - 1; // the generator's PRNG takes a 32-bit integer

program
  .command('demo')
  .description('start the service on embedded defaults and feed it generated encounters')
  .option('--encounters <n>', 'encounter versions to generate', whole(1), 2000)
  .option('--facilities <n>', 'facilities they come from', whole(1), 8)
  .option('--seed <n>', 'seed of the generator', whole(0, SEED_MAX), 2026)
  .option('--batch-size <n>', 'encounters per HTTP request (at most 1000)', whole(1), 250)
  .option('--keep-running', 'keep the service running afterwards')
  .action(async (options: { encounters: number; facilities: number; seed: number; batchSize: number; keepRunning?: boolean }) => {
    // The demo's stand-ins and generator are development packages: loaded only when the demo runs.
    const { runDemo } = await import('./demo.js');
    await runDemo({ ...options, batchSize: Math.min(options.batchSize, 1000), keepRunning: options.keepRunning === true });
  });

program
  .command('generate')
  .description('print generated encounters as NDJSON (one per line), for tests and integrators')
  .option('--encounters <n>', 'encounter versions to generate', whole(1), 100)
  .option('--facilities <n>', 'facilities they come from', whole(1), 4)
  .option('--seed <n>', 'seed of the generator', whole(0, SEED_MAX), 2026)
  .option('--end-date <date>', 'last day encounters may occur (YYYY-MM-DD); default yesterday')
  .action(async (options: { encounters: number; facilities: number; seed: number; endDate?: string }) => {
    const { encounterStream } = await import('@smc-bridge/generator');
    const endDate = options.endDate ?? yesterday();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(endDate)) throw new Error('--end-date must be YYYY-MM-DD');
    for (const encounter of encounterStream({ seed: options.seed, facilityCount: options.facilities, encounterCount: options.encounters, endDate })) {
      process.stdout.write(JSON.stringify(encounter) + '\n');
    }
  });

const mappings = program.command('mappings').description('the mapping files in mappings/');
mappings
  .command('validate')
  .option('--dir <directory>', 'mappings directory', DEFAULT_MAPPINGS_DIRECTORY)
  .description('check every mapping file; errors name file, line and path')
  .action(async (options: { dir: string }) => (await cliMappings()).validateMappings(options.dir));
mappings
  .command('preview')
  .argument('<encounter.json>', 'an encounter as posted to the API')
  .option('--dir <directory>', 'mappings directory', DEFAULT_MAPPINGS_DIRECTORY)
  .description('print the DHIS2 cells an encounter contributes to, and why, then its FHIR transaction Bundle')
  .action(async (file: string, options: { dir: string }) => (await cliMappings()).previewEncounter(options.dir, file));
mappings
  .command('schemas')
  .option('--dir <directory>', 'mappings directory', DEFAULT_MAPPINGS_DIRECTORY)
  .option('--write', 'write mappings/schemas/*.schema.json instead of printing')
  .description('the JSON Schemas of the mapping files')
  .action(async (options: { dir: string; write?: boolean }) => (await cliMappings()).writeMappingSchemas(options.dir, options.write === true));
mappings
  .command('coverage')
  .option('--dir <directory>', 'mappings directory', DEFAULT_MAPPINGS_DIRECTORY)
  .option('--toolkit [dir]', 'read the WHO toolkit packages (*_COMPLETE_*.json) from this folder instead of mappings/who-toolkit-elements.json (default folder ../shared/reference/who-toolkit)')
  .option('--write', 'write mappings/COVERAGE.md instead of printing')
  .option('--write-elements', 'first write mappings/who-toolkit-elements.json from the toolkit packages (--toolkit, or the default folder)')
  .description('which data elements of the WHO toolkit packages the rules map, and why each other one is not')
  .action(async (options: { dir: string; toolkit?: string | true; write?: boolean; writeElements?: boolean }) =>
    (await cliMappings()).mappingsCoverage(options.dir, { ...(options.toolkit !== undefined ? { toolkit: options.toolkit } : {}), write: options.write === true, writeElements: options.writeElements === true }),
  );

const metadata = program.command('metadata').description('the DHIS2 metadata package in metadata/');
metadata
  .command('check')
  .argument('[package.json]', 'the package', DEFAULT_PACKAGE_FILE)
  .option('--mappings <directory>', 'mappings directory whose targets must exist in the package', DEFAULT_MAPPINGS_DIRECTORY)
  .description('check the package by the DHIS2 import rules, and that every mapping target exists in it')
  .action(async (file: string, options: { mappings: string }) => (await cliMetadata()).checkMetadataPackage(file, options.mappings));
metadata
  .command('push')
  .argument('[package.json]', 'the package', DEFAULT_PACKAGE_FILE)
  .option('--dhis2 <url>', 'DHIS2 base URL (default DHIS2_URL); credentials from DHIS2_TOKEN or DHIS2_USERNAME/DHIS2_PASSWORD')
  .option('--mappings <directory>', 'mappings directory whose targets must exist in the package', DEFAULT_MAPPINGS_DIRECTORY)
  .description('check the package, then import it into DHIS2 (VALIDATE, then COMMIT; safe to run again)')
  .action(async (file: string, options: { dhis2?: string; mappings: string }) => {
    await (await cliMetadata()).pushMetadataPackage(file, options);
  });
metadata
  .command('build')
  .option('--source <file>', 'the package source', DEFAULT_PACKAGE_SOURCE)
  .option('--out <file>', 'the package to write', DEFAULT_PACKAGE_FILE)
  .option('--check', 'only check that the committed package is what the source builds')
  .description('build metadata/smc-metadata.json from metadata/source/smc-metadata.yaml')
  .action(async (options: { source: string; out: string; check?: boolean }) => (await cliMetadata()).buildMetadataPackage({ ...options, check: options.check === true }));

const dataQuality = program.command('data-quality').description('data-quality screening of the values sent to DHIS2');
dataQuality
  .command('scorecard')
  .option('--district <code>', 'only this district (org unit code, e.g. CM_NW_BAM: facility codes are country_region_district_…)')
  .option('--year <yyyy>', 'the calendar year scored (default: last year)', whole(2000, 2100))
  .option('--json', 'print the scorecard as JSON')
  .description('the WHO DQR district scorecard (completeness, outliers, consistency over time, related indicators) of the ledger\'s values')
  .action(async (options: { district?: string; year?: number; json?: boolean }) => {
    const { runScorecard } = await import('./data-quality.js');
    await runScorecard({ ...(options.district !== undefined ? { district: options.district } : {}), ...(options.year !== undefined ? { year: options.year } : {}), json: options.json === true });
  });

program
  .command('replay')
  .argument('[jobIds...]', 'the failed jobs to replay')
  .option('--all', 'replay every dead letter of every queue')
  .option('--list', 'only list the dead-letter list, with each failure reason')
  .description('replay failed jobs (the dead-letter list) once their cause is fixed: the ones named, or --all')
  .action(async (jobIds: string[], options: { list?: boolean; all?: boolean }) => (await import('./replay.js')).runReplay(jobIds, { list: options.list === true, all: options.all === true }));

program
  .command('health')
  .option('--http <url>', 'also ask this API its /health (for `serve`)')
  .description('exit 0 when Redis answers (and the API is healthy): the container healthcheck')
  .action(async (options: { http?: string }) => (await import('./health-check.js')).runHealthCheck(options));

program
  .command('setup')
  .option('--wait <seconds>', 'how long to wait for DHIS2 to start', (value) => Number(value), 900)
  .description('one-shot deployment job: wait for DHIS2, import metadata/, create or update the DHIS2 route')
  .action(async (options: { wait: number }) => (await import('./deploy.js')).runSetup({ waitSeconds: options.wait }));

const route = program.command('route').description('the DHIS2 Route through which the DHIS2 app reaches the middleware');
route
  .command('ensure')
  .description('create or update the route `smc-bridge` in DHIS2 (DHIS2_URL, ROUTE_API_KEY, ROUTE_MIDDLEWARE_URL)')
  .action(async () => (await import('./deploy.js')).runRouteEnsure());

const keys = program.command('keys').description('API keys');
keys
  .command('new')
  .argument('<name>', 'the source a clinic or app key posts for (e.g. smc-platform, dhis2-app), or an operator key\'s name')
  .option('--scope <scope>', `what the key may do: ${KEY_SCOPES.join(', ')} (clinic: post and read its own source; app: the DHIS2 Route's key, on the app's endpoints only; operator: every source's status and provenance, dead letters and replay)`, 'clinic')
  .description('create an API key; prints the key once and the API_KEYS entry that admits it with its scope')
  .action((name: string, options: { scope: string }) => {
    if (!SOURCE_PATTERN.test(name)) throw new Error('the name must be lowercase letters, digits and "-"');
    if (!(KEY_SCOPES as readonly string[]).includes(options.scope)) throw new Error(`--scope must be one of ${KEY_SCOPES.join(', ')}`);
    const { key, entry } = createApiKey(name, options.scope as KeyScope);
    console.log(`key (give it to the client, it is not stored):  ${key}`);
    console.log(`API_KEYS entry (append, comma-separated):       ${entry}`);
  });

const contract = program.command('contract').description('the encounter contract');
contract
  .command('schema')
  .option('--write', 'write middleware/src/contract/encounter.schema.json instead of printing')
  .description('print the JSON Schema of the encounter contract')
  .action(async (options: { write?: boolean }) => {
    const { buildEncounterJsonSchema } = await import('@smc-bridge/contract');
    const text = JSON.stringify(buildEncounterJsonSchema(), null, 2) + '\n';
    if (options.write) writeFileSync(ENCOUNTER_SCHEMA_FILE, text);
    else process.stdout.write(text);
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const message =
    error instanceof ConfigError
      ? `configuration error: ${error.message}`
      : error instanceof MappingFileError
        ? `mapping files are not valid:\n${error.message}`
        : (error as Error).message;
  console.error(`smc-bridge: ${message}`);
  process.exit(1);
}
