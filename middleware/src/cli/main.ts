// The `smc-bridge` command line.
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { createApiKey, SOURCE_PATTERN } from '../config/api-keys.js';
import { ConfigError } from '../config/config.js';
import { buildEncounterJsonSchema } from '../contract/index.js';
import { runService } from './run-service.js';

const ENCOUNTER_SCHEMA_FILE = new URL('../contract/encounter.schema.json', import.meta.url);

const program = new Command('smc-bridge').description('Carries clinic encounters into DHIS2 and FHIR R4');

program
  .command('serve')
  .description('run the HTTP API and the workers')
  .action(() => runService('serve'));

program
  .command('worker')
  .description('run workers only (start several to scale out)')
  .action(() => runService('worker'));

const keys = program.command('keys').description('API keys');
keys
  .command('new')
  .argument('<source>', 'the source the key may post encounters for, e.g. smc-platform')
  .description('create an API key; prints the key once and the API_KEYS entry that admits it')
  .action((source: string) => {
    if (!SOURCE_PATTERN.test(source)) throw new Error('source must be lowercase letters, digits and "-"');
    const { key, entry } = createApiKey(source);
    console.log(`key (give it to the client, it is not stored):  ${key}`);
    console.log(`API_KEYS entry (append, comma-separated):       ${entry}`);
  });

const contract = program.command('contract').description('the encounter contract');
contract
  .command('schema')
  .option('--write', 'write middleware/src/contract/encounter.schema.json instead of printing')
  .description('print the JSON Schema of the encounter contract')
  .action((options: { write?: boolean }) => {
    const text = JSON.stringify(buildEncounterJsonSchema(), null, 2) + '\n';
    if (options.write) writeFileSync(ENCOUNTER_SCHEMA_FILE, text);
    else process.stdout.write(text);
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const message = error instanceof ConfigError ? `configuration error: ${error.message}` : (error as Error).message;
  console.error(`smc-bridge: ${message}`);
  process.exit(1);
}
