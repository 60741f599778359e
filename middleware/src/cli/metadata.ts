// `smc-bridge metadata build | check | push`: the DHIS2 metadata package in metadata/.
import { readFileSync, writeFileSync } from 'node:fs';
import { loadConfig } from '../config/config.js';
import { Dhis2Client } from '../dhis2/dhis2-client.js';
import { loadMappings } from '../mapping/load-mappings.js';
import { pushPackage, statsText, type ImportReportSummary } from '../metadata/metadata-push.js';
import { checkMappingTargets } from '../metadata/mapping-targets.js';
import { DEFAULT_PACKAGE_FILE, DEFAULT_PACKAGE_SOURCE, readPackageJson } from '../metadata/package-files.js';
import { checkPackage } from '../metadata/package-rules.js';
import { buildPackage, packageText, readPackageSource } from '../metadata/package-source.js';
import type { MetadataPackage } from '../metadata/package-schema.js';

/** Writes (or compares with) the committed package built from its source. */
export function buildMetadataPackage(options: { source: string; out: string; check: boolean }): void {
  const text = packageText(buildPackage(readPackageSource(options.source)));
  if (options.check) {
    let committed = '';
    try {
      committed = readFileSync(options.out, 'utf8');
    } catch {
      // A missing file differs like any other.
    }
    if (committed !== text) {
      console.error(`${options.out} is not what ${options.source} builds: run \`smc-bridge metadata build\``);
      process.exitCode = 1;
      return;
    }
    console.log(`${options.out} matches ${options.source}`);
    return;
  }
  writeFileSync(options.out, text);
  console.log(`wrote ${options.out}`);
}

/** Every problem of the package file, then of the mappings against it; none means it may be imported. */
export function metadataProblems(file: string, mappingsDir: string): { problems: string[]; package?: MetadataPackage } {
  const check = checkPackage(readPackageJson(file));
  const problems = [...check.problems];
  if (check.package) problems.push(...checkMappingTargets(check.package, loadMappings(mappingsDir)));
  return problems.length === 0 && check.package ? { problems, package: check.package } : { problems };
}

export function checkMetadataPackage(file: string, mappingsDir: string): void {
  const { problems, package: pkg } = metadataProblems(file, mappingsDir);
  if (problems.length > 0) {
    console.error(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
    for (const problem of problems) console.error(`  ${problem}`);
    process.exitCode = 1;
    return;
  }
  const counts = Object.entries(pkg ?? {})
    .filter(([, list]) => Array.isArray(list))
    .map(([type, list]) => `${(list as unknown[]).length} ${type}`);
  console.log(`${file}: valid (${counts.join(', ')}); every mapping target in ${mappingsDir} exists in it`);
}

export { DEFAULT_PACKAGE_FILE, DEFAULT_PACKAGE_SOURCE };

/** Checks the package, then imports it into DHIS2 (VALIDATE, then COMMIT) and prints the import counts. */
export async function pushMetadataPackage(file: string, options: { dhis2?: string; mappings: string; env?: Record<string, string | undefined> }): Promise<boolean> {
  const env = options.env ?? process.env;
  const config = loadConfig({ ...env, ...(options.dhis2 !== undefined ? { DHIS2_URL: options.dhis2 } : {}) });
  if (!config.dhis2) throw new Error('no DHIS2 to push to: give --dhis2 <url> or set DHIS2_URL (with DHIS2_TOKEN or DHIS2_USERNAME/DHIS2_PASSWORD)');
  const { problems, package: pkg } = metadataProblems(file, options.mappings);
  if (!pkg) {
    console.error(`${file} is not pushed: ${problems.length} problem${problems.length === 1 ? '' : 's'} (smc-bridge metadata check)`);
    for (const problem of problems) console.error(`  ${problem}`);
    process.exitCode = 1;
    return false;
  }
  console.log(`Importing ${file} into ${config.dhis2.url} (importStrategy=CREATE_AND_UPDATE, atomicMode=ALL)`);
  const outcome = await pushPackage(new Dhis2Client({ ...config.dhis2, timeoutMs: Math.max(config.dhis2.timeoutMs, 300_000) }), pkg);
  const print = (stage: string, report: ImportReportSummary) => {
    console.log(`  ${stage}: ${report.status}, ${statsText(report.stats)}`);
    for (const type of report.types) console.log(`    ${type.type}: ${statsText(type.stats)}`);
  };
  if (!outcome.ok) {
    if (outcome.report) print(outcome.stage, outcome.report);
    console.error(`  ${outcome.stage} failed: ${outcome.message}; nothing was stored`);
    for (const error of outcome.report?.errors ?? []) console.error(`    ${error}`);
    process.exitCode = 1;
    return false;
  }
  print('VALIDATE', outcome.validate);
  print('COMMIT', outcome.commit);
  return true;
}
