// How far the aggregate rules cover the WHO health data toolkit: every data element of the RMNCAH, Malaria
// burden reduction and EPI packages is either mapped by a rule or has a reason in mappings/coverage-reasons.yaml
// (the contract lacks the data, it is out of scope, or it is planned). `smc-bridge mappings coverage` prints the
// result as Markdown; its committed copy is mappings/COVERAGE.md.
//
// The packages themselves (shared/reference/who-toolkit/*_COMPLETE_*.json, several MB) are not in the
// repository; the few facts the report needs (per package: every data element's uid, code, name, category
// combo name and data sets) are, in mappings/who-toolkit-elements.json, written by `--write-elements`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Mappings } from './load-mappings.js';
import { CoverageReasonsFileSchema, COVERAGE_REASON_KINDS } from '../mapping-files/rule-file-schemas.js';
import { readYaml, type MappingError } from '../mapping-files/read-yaml.js';

export const TOOLKIT_ELEMENTS_FILE = 'who-toolkit-elements.json';
export const COVERAGE_REASONS_FILE = 'coverage-reasons.yaml';
export const COVERAGE_FILE = 'COVERAGE.md';
/** Where the reference copies of the toolkit packages sit next to a checkout (`../shared/reference/who-toolkit`). */
export const DEFAULT_TOOLKIT_DIR = fileURLToPath(new URL('../../../../shared/reference/who-toolkit', import.meta.url));
/** Where those copies come from (shared/reference/dhis2-web-api.md §7). */
export const TOOLKIT_SOURCE = {
  repository: 'https://github.com/dhis2/metadata-package-development',
  commit: 'c64010e9',
  paths: [
    'metadata/RMNCAH/RMNCAH_COMPLETE_V1_DHIS2.36/metadata.json',
    'metadata/MAL/MAL-BR_COMPLETE_V1_DHIS2.36/metadata.json',
    'metadata/EPI/EPI_COMPLETE_V0_DHIS2.36/metadata.json',
  ],
} as const;

export type ReasonKind = (typeof COVERAGE_REASON_KINDS)[number];

const text = z.string().min(1);

export const ToolkitElementsSchema = z.strictObject({
  source: z.strictObject({ repository: text, commit: text, paths: z.array(text) }),
  packages: z.array(
    z.strictObject({
      file: text,
      code: text,
      name: text,
      version: text,
      dataSets: z.array(z.strictObject({ uid: text, name: text, periodType: text })),
      dataElements: z.array(
        z.strictObject({
          uid: text,
          code: text.optional(),
          name: text,
          categoryCombo: text,
          dataSets: z.array(text),
        }),
      ),
    }),
  ),
});

export type ToolkitElements = z.infer<typeof ToolkitElementsSchema>;
export type ToolkitPackage = ToolkitElements['packages'][number];
export type ToolkitElement = ToolkitPackage['dataElements'][number];

/** The key an element is known by in the reasons file: its code, or its uid when it has none. */
export const keyOf = (element: ToolkitElement): string => element.code ?? element.uid;

const byName = <T extends { name: string; uid: string }>(a: T, b: T) => {
  const [x, y] = [a.name.toLowerCase(), b.name.toLowerCase()];
  return x < y ? -1 : x > y ? 1 : a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0;
};

// Only the fields read here; the packages hold much more.
const Ref = z.looseObject({ id: text });
const PackageJsonSchema = z.looseObject({
  package: z.looseObject({ code: text, name: text, version: text }),
  categoryCombos: z.array(z.looseObject({ id: text, name: text })),
  dataSets: z.array(z.looseObject({ id: text, name: text, periodType: text, dataSetElements: z.array(z.looseObject({ dataElement: Ref })).default([]) })),
  dataElements: z.array(z.looseObject({ id: text, code: text.optional(), name: text, categoryCombo: Ref })),
});

/** Reads the toolkit packages (`*_COMPLETE_*.json`) of a folder down to the facts the coverage report needs. */
export function extractToolkitElements(directory: string): ToolkitElements {
  if (!existsSync(directory)) throw new Error(`${directory}: no such folder; give the folder of the WHO toolkit packages with --toolkit <dir>`);
  const files = readdirSync(directory).filter((name) => /_COMPLETE_.*\.json$/i.test(name)).sort();
  if (files.length === 0) throw new Error(`${directory} holds no WHO toolkit package (*_COMPLETE_*.json)`);
  const packages = files.map((file): ToolkitPackage => {
    const parsed = PackageJsonSchema.safeParse(JSON.parse(readFileSync(join(directory, file), 'utf8')));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${join(directory, file)}: not a DHIS2 metadata package as expected: ${issue?.path.join('.')}: ${issue?.message}`);
    }
    const json = parsed.data;
    const comboName = new Map(json.categoryCombos.map((combo) => [combo.id, combo.name]));
    const dataSetsOf = new Map<string, string[]>();
    for (const dataSet of json.dataSets) {
      for (const { dataElement } of dataSet.dataSetElements) dataSetsOf.set(dataElement.id, [...(dataSetsOf.get(dataElement.id) ?? []), dataSet.name]);
    }
    return {
      file,
      code: json.package.code,
      name: json.package.name,
      version: json.package.version,
      dataSets: json.dataSets.map((dataSet) => ({ uid: dataSet.id, name: dataSet.name, periodType: dataSet.periodType })).sort(byName),
      dataElements: json.dataElements
        .map((element) => ({
          uid: element.id,
          ...(element.code !== undefined ? { code: element.code } : {}),
          name: element.name,
          categoryCombo: comboName.get(element.categoryCombo.id) ?? element.categoryCombo.id,
          dataSets: [...(dataSetsOf.get(element.id) ?? [])].sort(),
        }))
        .sort(byName),
    };
  });
  return { source: { repository: TOOLKIT_SOURCE.repository, commit: TOOLKIT_SOURCE.commit, paths: [...TOOLKIT_SOURCE.paths] }, packages };
}

/** The committed extract: JSON with one data element a line, so that a new toolkit version diffs readably. */
export function toolkitElementsText(elements: ToolkitElements): string {
  const packages = elements.packages.map(({ dataElements, ...pkg }) => {
    const head = JSON.stringify(pkg, null, 2).replace(/\n}$/, '').replace(/\n/g, '\n    ');
    const rows = dataElements.map((element) => `        ${JSON.stringify(element)}`).join(',\n');
    return `    ${head},\n      "dataElements": [\n${rows}\n      ]\n    }`;
  });
  return `{\n  "source": ${JSON.stringify(elements.source)},\n  "packages": [\n${packages.join(',\n')}\n  ]\n}\n`;
}

export function readToolkitElements(file: string): ToolkitElements {
  if (!existsSync(file)) throw new Error(`${file}: not found; write it with \`smc-bridge mappings coverage --write-elements\``);
  const parsed = ToolkitElementsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue?.path.join('.')}: ${issue?.message}; write it again with \`smc-bridge mappings coverage --write-elements\``);
  }
  return parsed.data;
}

export interface Reason {
  kind: ReasonKind;
  text: string;
  line: number | undefined;
}

export interface CoverageReasons {
  file: string;
  reasons: Map<string, Reason>;
}

/** Reads and checks mappings/coverage-reasons.yaml; a broken file fails with file, line and path of each problem. */
export function loadCoverageReasons(directory: string): CoverageReasons {
  const path = join(directory, COVERAGE_REASONS_FILE);
  const file = relative(process.cwd(), path) || path;
  const { value, lineOf } = readYaml(path, CoverageReasonsFileSchema, file);
  const reasons = new Map<string, Reason>();
  for (const [key, reason] of Object.entries(value.reasons)) reasons.set(key, { ...reason, line: lineOf(['reasons', key]) });
  return { file, reasons };
}

export interface CoverageRow {
  element: ToolkitElement;
  mappedBy: { rule: string; file: string }[];
  reason?: Reason;
}

export interface PackageCoverage {
  package: ToolkitPackage;
  rows: CoverageRow[];
  counts: Record<'mapped' | ReasonKind, number>;
}

export interface Coverage {
  source: ToolkitElements['source'];
  packages: PackageCoverage[];
  /** Elements the rules map that no toolkit package has (the SMC ones). */
  outsideToolkit: string[];
  problems: MappingError[];
}

export function computeCoverage(toolkit: ToolkitElements, mappings: Mappings, reasons: CoverageReasons): Coverage {
  const problems: MappingError[] = [];
  const rulesOf = new Map<string, Mappings['rules']>();
  for (const rule of mappings.rules) rulesOf.set(rule.dataElement, [...(rulesOf.get(rule.dataElement) ?? []), rule]);
  const known = new Map<string, ToolkitElement>();
  const missing = new Set<string>();

  const packages = toolkit.packages.map((pkg): PackageCoverage => {
    const counts = { mapped: 0, 'no-data': 0, 'out-of-scope': 0, planned: 0 };
    const rows = pkg.dataElements.map((element): CoverageRow => {
      const key = keyOf(element);
      known.set(key, element);
      const rules = element.code === undefined ? [] : (rulesOf.get(element.code) ?? []);
      const reason = reasons.reasons.get(key);
      for (const rule of rules) {
        const ruleCombo = rule.categoryCombo === undefined ? 'default' : (rule.categoryCombo.name ?? rule.categoryCombo.code);
        if (ruleCombo !== element.categoryCombo) {
          problems.push({
            file: rule.file,
            ...(rule.line !== undefined ? { line: rule.line } : {}),
            path: rule.id,
            message: `maps ${key} by the combo "${ruleCombo}"; the WHO toolkit (${pkg.code}) disaggregates it by "${element.categoryCombo}"`,
          });
        }
      }
      if (rules.length > 0) counts.mapped += 1;
      else if (reason) counts[reason.kind] += 1;
      else if (!missing.has(key)) {
        missing.add(key);
        problems.push({ file: reasons.file, path: `reasons.${key}`, message: `${element.name} (${pkg.code}) is neither mapped by a rule nor given a reason: add a rule, or a reason here` });
      }
      return { element, mappedBy: rules.map((rule) => ({ rule: rule.id, file: basename(rule.file) })), ...(rules.length === 0 && reason ? { reason } : {}) };
    });
    return { package: pkg, rows, counts };
  });

  for (const [key, reason] of reasons.reasons) {
    const at = { file: reasons.file, ...(reason.line !== undefined ? { line: reason.line } : {}), path: `reasons.${key}` };
    const element = known.get(key);
    if (!element) {
      problems.push({ ...at, message: `no data element of the WHO toolkit packages has the code (or uid) "${key}"` });
    } else if (element.code !== undefined && rulesOf.has(element.code)) {
      const rules = rulesOf.get(element.code) ?? [];
      problems.push({ ...at, message: `is mapped by rule ${rules.map((rule) => rule.id).join(', ')} (${basename(rules[0]?.file ?? '')}): remove its reason (${reason.kind})` });
    }
  }

  const toolkitCodes = new Set([...known.values()].map((element) => element.code));
  const outsideToolkit = [...rulesOf.keys()].filter((code) => !toolkitCodes.has(code)).sort();
  return { source: toolkit.source, packages, outsideToolkit, problems };
}

const cell = (value: string) => value.trim().replace(/\s+/g, ' ').replace(/\|/g, '\\|');

function summary(counts: PackageCoverage['counts'], total: number): string {
  return `${counts.mapped} mapped / ${counts['no-data']} no-data / ${counts['out-of-scope']} out-of-scope / ${counts.planned} planned (${total} data elements)`;
}

/** The Markdown report (mappings/COVERAGE.md). Deterministic: the same inputs give the same text. */
export function coverageMarkdown(coverage: Coverage): string {
  const lines: string[] = [
    '# WHO toolkit coverage',
    '',
    'Every data element of the three WHO health data toolkit packages the bridge reports on, and whether an aggregate',
    'rule in `aggregate/` maps it or why not (`coverage-reasons.yaml`: **no-data**, the encounter contract does not',
    'carry it; **out-of-scope**, not for an encounter feed to report; **planned**, expressible but not mapped yet).',
    `Generated by \`npx smc-bridge mappings coverage --write\` from \`${TOOLKIT_ELEMENTS_FILE}\` (extracted from`,
    `${coverage.source.repository} at ${coverage.source.commit}); do not edit by hand.`,
    '',
    '| package | mapped | no-data | out-of-scope | planned | data elements |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...coverage.packages.map(
      ({ package: pkg, counts, rows }) =>
        `| ${pkg.code} | ${counts.mapped} | ${counts['no-data']} | ${counts['out-of-scope']} | ${counts.planned} | ${rows.length} |`,
    ),
    '',
    'An element in more than one package (e.g. `MAL_CASES_PRES_CONF`, in RMNCAH and MAL-BR) is counted in each.',
  ];
  for (const { package: pkg, rows, counts } of coverage.packages) {
    lines.push('', `## ${pkg.code}: ${pkg.name}`, '', `\`${pkg.file}\`. Summary: ${summary(counts, rows.length)}.`);
    const groups = [
      ...pkg.dataSets.map((dataSet) => ({ title: `Data set ${dataSet.name} (${dataSet.periodType})`, rows: rows.filter((row) => row.element.dataSets[0] === dataSet.name) })),
      { title: 'In no data set of the package', rows: rows.filter((row) => row.element.dataSets.length === 0) },
    ].filter((group) => group.rows.length > 0);
    for (const group of groups) {
      lines.push('', `### ${group.title}`, '', '| code | name | combo | mapped by (rule ids, file) | or why not |', '| --- | --- | --- | --- | --- |');
      for (const { element, mappedBy, reason } of group.rows) {
        const files = [...new Set(mappedBy.map((m) => m.file))];
        const mapped = files.map((file) => `${mappedBy.filter((m) => m.file === file).map((m) => `\`${m.rule}\``).join(', ')} (${file})`).join('; ');
        const why = reason ? `**${reason.kind}**: ${cell(reason.text)}` : mapped ? '' : '(no reason)';
        lines.push(`| \`${cell(keyOf(element))}\` | ${cell(element.name)} | ${cell(element.categoryCombo)} | ${mapped} | ${why} |`);
      }
    }
  }
  if (coverage.outsideToolkit.length > 0) {
    lines.push('', '## Mapped elements outside the toolkit', '', `SMC data elements the toolkit has no equivalent for: ${coverage.outsideToolkit.map((code) => `\`${code}\``).join(', ')}.`);
  }
  return lines.join('\n') + '\n';
}

export interface CoverageInputs {
  mappingsDir: string;
  /** A folder of toolkit packages to read instead of the committed extract. */
  toolkitDir?: string;
}

/** Everything `smc-bridge mappings coverage` prints: the report, and the problems that make it fail. */
export function buildCoverage(mappings: Mappings, inputs: CoverageInputs): { coverage: Coverage; markdown: string } {
  const toolkit = inputs.toolkitDir !== undefined ? extractToolkitElements(inputs.toolkitDir) : readToolkitElements(join(inputs.mappingsDir, TOOLKIT_ELEMENTS_FILE));
  const coverage = computeCoverage(toolkit, mappings, loadCoverageReasons(inputs.mappingsDir));
  return { coverage, markdown: coverageMarkdown(coverage) };
}
