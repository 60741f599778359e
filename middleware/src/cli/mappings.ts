// `smc-bridge mappings validate | preview | schemas | coverage`: what integrators run while editing mappings/.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { validateEncounter, type Encounter } from '@smc-bridge/contract';
import { encounterToBundle } from '../fhir/encounter-bundle.js';
import { loadTerminology } from '../fhir/terminology.js';
import { aggregateContributions } from '../mapping/aggregate-contributions.js';
import {
  buildCoverage,
  COVERAGE_FILE,
  COVERAGE_REASONS_FILE,
  DEFAULT_TOOLKIT_DIR,
  extractToolkitElements,
  loadCoverageReasons,
  TOOLKIT_ELEMENTS_FILE,
  toolkitElementsText,
} from '../mapping/coverage.js';
import { buildMappingJsonSchemas } from '../mapping-files/published-schemas.js';
import { loadMappings, type Mappings } from '../mapping/load-mappings.js';
import { formatMappingError } from '../mapping-files/read-yaml.js';

export { DEFAULT_MAPPINGS_DIR as DEFAULT_MAPPINGS_DIRECTORY } from '../config/config.js';

export function validateMappings(directory: string): void {
  const mappings = loadMappings(directory);
  const terminology = loadTerminology(directory);
  const dataSets = new Set(mappings.rules.map((rule) => rule.dataSet));
  console.log(`${directory}: ${mappings.rules.length} aggregate rules for ${dataSets.size} data sets, ${mappings.categoryCombos.size} category combos: valid`);
  if (existsSync(join(directory, COVERAGE_REASONS_FILE))) {
    console.log(`${directory}/${COVERAGE_REASONS_FILE}: ${loadCoverageReasons(directory).reasons.size} reasons: valid`);
  }
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

export interface CoverageOptions {
  /** Read the toolkit packages from this folder instead of the committed extract (true: the default folder). */
  toolkit?: string | true;
  write?: boolean;
  writeElements?: boolean;
}

/**
 * Prints (or writes to mappings/COVERAGE.md) which WHO toolkit data elements the rules map, and why each
 * other one is not; exits 1 when an element has neither a rule nor a reason, or a reason is for an element
 * that is mapped or does not exist. `writeElements` refreshes the committed extract of the packages.
 */
export function mappingsCoverage(directory: string, options: CoverageOptions): void {
  const toolkitDir = options.toolkit === true ? DEFAULT_TOOLKIT_DIR : options.toolkit;
  if (options.writeElements) {
    const from = toolkitDir ?? DEFAULT_TOOLKIT_DIR;
    const elements = extractToolkitElements(from);
    writeFileSync(join(directory, TOOLKIT_ELEMENTS_FILE), toolkitElementsText(elements));
    const count = elements.packages.reduce((sum, pkg) => sum + pkg.dataElements.length, 0);
    console.error(`wrote ${join(directory, TOOLKIT_ELEMENTS_FILE)}: ${elements.packages.length} packages, ${count} data elements, from ${relative(process.cwd(), from) || from}`);
  }
  const { coverage, markdown } = buildCoverage(loadMappings(directory), { mappingsDir: directory, ...(toolkitDir !== undefined ? { toolkitDir } : {}) });
  if (coverage.problems.length > 0) {
    console.error(`coverage of the WHO toolkit: ${coverage.problems.length} problem${coverage.problems.length === 1 ? '' : 's'}`);
    for (const problem of coverage.problems) console.error(`  ${formatMappingError(problem)}`);
    if (options.write) console.error(`${join(directory, COVERAGE_FILE)} is not written until they are solved`);
    process.exitCode = 1;
    if (options.write) return;
  }
  if (options.write) {
    writeFileSync(join(directory, COVERAGE_FILE), markdown);
    const line = coverage.packages.map((p) => `${p.package.code} ${p.counts.mapped}/${p.rows.length} mapped`).join(', ');
    console.error(`wrote ${join(directory, COVERAGE_FILE)}: ${line}`);
    return;
  }
  process.stdout.write(markdown);
}
