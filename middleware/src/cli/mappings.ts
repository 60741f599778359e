// `smc-bridge mappings validate | preview | schemas`: what integrators run while editing mappings/.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateEncounter, type Encounter } from '@smc-bridge/contract';
import { encounterToBundle } from '../fhir/encounter-bundle.js';
import { loadTerminology } from '../fhir/terminology.js';
import { aggregateContributions } from '../mapping/aggregate-contributions.js';
import { buildMappingJsonSchemas } from '../mapping/json-schemas.js';
import { loadMappings, type Mappings } from '../mapping/load-mappings.js';

export { DEFAULT_MAPPINGS_DIR as DEFAULT_MAPPINGS_DIRECTORY } from '../config/config.js';

export function validateMappings(directory: string): void {
  const mappings = loadMappings(directory);
  const terminology = loadTerminology(directory);
  const dataSets = new Set(mappings.rules.map((rule) => rule.dataSet));
  console.log(`${directory}: ${mappings.rules.length} aggregate rules for ${dataSets.size} data sets, ${mappings.categoryCombos.size} category combos: valid`);
  console.log(
    `${directory}/fhir: terminology for ${Object.keys(terminology.observations).length} observations, ${Object.keys(terminology.vaccines).length} vaccines, ${Object.keys(terminology.medications).length} medicines: valid`,
  );
}

export function previewEncounter(directory: string, encounterFile: string): void {
  const mappings = loadMappings(directory);
  const terminology = loadTerminology(directory);
  const input: unknown = JSON.parse(readFileSync(encounterFile, 'utf8'));
  const validation = validateEncounter(input, new Date());
  if (!validation.ok) {
    console.log('The encounter does not meet the contract:');
    for (const error of validation.errors) console.log(`  ${error.path} ${error.message}`);
    process.exitCode = 1;
    return;
  }
  previewAggregates(validation.encounter, mappings);
  const fhir = encounterToBundle(validation.encounter, terminology);
  if (fhir.bundle === null) {
    console.log(`\nNo FHIR Bundle: ${fhir.reason}.`);
    return;
  }
  console.log(`\nFHIR transaction Bundle (${fhir.bundle.entry?.length ?? 0} entries):`);
  console.log(JSON.stringify(fhir.bundle, null, 2));
}

function previewAggregates(encounter: Encounter, mappings: Mappings): void {
  const result = aggregateContributions(encounter, mappings);
  if (result.excluded) {
    console.log(`Contributes nothing to DHIS2: ${result.excluded}.`);
    return;
  }
  const rules = new Map(mappings.rules.map((rule) => [rule.id, rule]));
  console.log(`DHIS2 cells this encounter adds to (${result.contributions.length}):`);
  for (const c of result.contributions) {
    const rule = rules.get(c.rule);
    console.log(`  ${c.dataSet} ${c.period} ${c.orgUnit}  ${c.dataElement} / ${c.categoryOptionCombo} / ${c.attributeOptionCombo}  +${c.value}`);
    console.log(`      because ${rule?.description} (${c.rule}, ${rule?.file}:${rule?.line})`);
  }
  for (const u of result.unplaced) console.log(`  not placed by rule ${u.rule}: ${u.reason}`);
}

export function writeMappingSchemas(directory: string, write: boolean): void {
  const schemas = buildMappingJsonSchemas();
  if (!write) {
    process.stdout.write(JSON.stringify(schemas, null, 2) + '\n');
    return;
  }
  mkdirSync(join(directory, 'schemas'), { recursive: true });
  for (const [file, schema] of Object.entries(schemas)) {
    writeFileSync(join(directory, 'schemas', file), JSON.stringify(schema, null, 2) + '\n');
  }
}
