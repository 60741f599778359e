// The WHO toolkit coverage report: the committed mappings/COVERAGE.md is what the mappings give, every toolkit
// data element is mapped or has a reason, and a broken reasons file fails with file, line and path.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { jest } from '@jest/globals';
import {
  buildCoverage,
  COVERAGE_FILE,
  DEFAULT_TOOLKIT_DIR,
  extractToolkitElements,
  loadCoverageReasons,
  TOOLKIT_ELEMENTS_FILE,
  toolkitElementsText,
  type Coverage,
} from '../../src/mapping/coverage.js';
import { loadMappings } from '../../src/mapping/load-mappings.js';
import { formatMappingError } from '../../src/mapping-files/read-yaml.js';
import { MappingsCopy, refusalsOf, SHIPPED_MAPPINGS } from '../support/mappings-copy.js';

jest.setTimeout(60_000);

const REASONS = 'coverage-reasons.yaml';
const shipped = () => buildCoverage(loadMappings(SHIPPED_MAPPINGS), { mappingsDir: SHIPPED_MAPPINGS });

let copy: MappingsCopy;
beforeEach(() => {
  copy = new MappingsCopy('coverage');
});
afterEach(() => copy.remove());
const coverageOfCopy = (): Coverage => buildCoverage(loadMappings(copy.dir), { mappingsDir: copy.dir }).coverage;
const problemsOfCopy = () => coverageOfCopy().problems.map((problem) => ({ ...problem, file: problem.file.replace(/^.*\//, '') }));

test('mappings/COVERAGE.md is what `smc-bridge mappings coverage` gives for the shipped mappings', () => {
  const { coverage, markdown } = shipped();
  expect(coverage.problems.map(formatMappingError)).toEqual([]);
  const committed = readFileSync(join(SHIPPED_MAPPINGS, COVERAGE_FILE), 'utf8');
  if (committed !== markdown) {
    const [ours, theirs] = [markdown.split('\n'), committed.split('\n')];
    const at = ours.findIndex((line, i) => line !== theirs[i]);
    throw new Error(
      `mappings/${COVERAGE_FILE} is out of date: run \`npx smc-bridge mappings coverage --write\` and commit it.\n` +
        `First difference, line ${at + 1}:\n  committed: ${theirs[at] ?? '(end of file)'}\n  generated: ${ours[at] ?? '(end of file)'}`,
    );
  }
});

test('every data element of the three packages is mapped or has a reason, counted per package', () => {
  const { coverage } = shipped();
  expect(coverage.packages.map((p) => p.package.code)).toEqual(['EPI', 'MAL-BR', 'RMNCAH']);
  for (const { rows, counts } of coverage.packages) {
    expect(rows.every((row) => row.mappedBy.length > 0 || row.reason !== undefined)).toBe(true);
    expect(counts.mapped + counts['no-data'] + counts['out-of-scope'] + counts.planned).toBe(rows.length);
  }
  const row = (pkg: string, code: string) => coverage.packages.find((p) => p.package.code === pkg)!.rows.find((r) => r.element.code === code)!;
  expect(row('MAL-BR', 'MAL_CASES_PRES_CONF').mappedBy).toEqual([{ rule: 'malaria-cases-confirmed-presumed', file: 'malaria.yaml' }]);
  expect(row('RMNCAH', 'MAL_CASES_PRES_CONF').mappedBy).toEqual([{ rule: 'malaria-cases-confirmed-presumed', file: 'malaria.yaml' }]);
  expect(row('MAL-BR', 'MAL_PRESUMED_TREATED_ACT').element.categoryCombo).toBe('default');
  expect(row('EPI', 'EPI_BCG_STKHD').reason?.kind).toBe('out-of-scope');
  expect(coverage.outsideToolkit).toEqual(['SMC_ENC', 'SMC_ENC_MUTUAL', 'SMC_MAL_CONFIRMED_W', 'SMC_MAL_TESTED_W']);
});

(existsSync(DEFAULT_TOOLKIT_DIR) ? test : test.skip)(
  `mappings/${TOOLKIT_ELEMENTS_FILE} is what the reference toolkit packages give (smc-bridge mappings coverage --write-elements)`,
  () => {
    const extracted = extractToolkitElements(DEFAULT_TOOLKIT_DIR);
    expect(extracted.packages.map((p) => [p.code, p.dataElements.length])).toEqual([
      ['EPI', 168],
      ['MAL-BR', 107],
      ['RMNCAH', 125],
    ]);
    expect(readFileSync(join(SHIPPED_MAPPINGS, TOOLKIT_ELEMENTS_FILE), 'utf8')).toBe(toolkitElementsText(extracted));
    // The committed extract and the packages themselves give the same report.
    const mappings = loadMappings(SHIPPED_MAPPINGS);
    expect(buildCoverage(mappings, { mappingsDir: SHIPPED_MAPPINGS, toolkitDir: DEFAULT_TOOLKIT_DIR }).markdown).toBe(shipped().markdown);
  },
);

test.each([
  {
    name: 'an unknown reason kind',
    from: /(  RMNCAH_FGM: \{ kind: )no-data/,
    to: '$1missing',
    key: 'RMNCAH_FGM',
    path: 'reasons.RMNCAH_FGM.kind',
    says: /Invalid option/,
  },
  {
    name: 'an empty text',
    from: /(  EPI_AEFI_SERIOUS: \{ kind: no-data, text: )"[^"]*"/,
    to: '$1" "',
    key: 'EPI_AEFI_SERIOUS',
    path: 'reasons.EPI_AEFI_SERIOUS.text',
    says: /must say why/,
  },
  {
    name: 'a misspelt field',
    from: /(  MAL_PF_RDT: \{ )kind:/,
    to: '$1knd:',
    key: 'MAL_PF_RDT',
    path: 'reasons.MAL_PF_RDT.knd',
    says: /unknown field "knd"/,
  },
])('a reasons file with $name is refused with file, line and path', ({ from, to, key, path, says }) => {
  copy.edit(REASONS, from, to);
  const errors = refusalsOf(() => loadCoverageReasons(copy.dir));
  expect(errors).toContainEqual({ file: expect.stringMatching(/coverage-reasons\.yaml$/), line: copy.lineOf(REASONS, `  ${key}:`), path, message: expect.stringMatching(says) });
});

test('a reasons file that is not YAML is refused with its line', () => {
  copy.edit(REASONS, /(  MAL_PV_RDT: \{ kind: no-data), text/, '$1 text');
  const errors = refusalsOf(() => loadCoverageReasons(copy.dir));
  expect(errors[0]).toMatchObject({ file: expect.stringMatching(/coverage-reasons\.yaml$/), line: copy.lineOf(REASONS, '  MAL_PV_RDT:') });
  expect(errors[0]?.message).toMatch(/not valid YAML/);
});

test('a reason for an element a rule maps, or for a code no package has, is a problem at its line', () => {
  copy.edit(REASONS, 'reasons:\n', 'reasons:\n  EPI_BCG_GIVEN: { kind: no-data, text: "left over" }\n  EPI_BCG_GIVEN_X: { kind: planned, text: "a typo" }\n');
  expect(problemsOfCopy()).toEqual([
    { file: REASONS, line: copy.lineOf(REASONS, 'EPI_BCG_GIVEN:'), path: 'reasons.EPI_BCG_GIVEN', message: 'is mapped by rule epi-bcg-1 (immunization.yaml): remove its reason (no-data)' },
    { file: REASONS, line: copy.lineOf(REASONS, 'EPI_BCG_GIVEN_X:'), path: 'reasons.EPI_BCG_GIVEN_X', message: 'no data element of the WHO toolkit packages has the code (or uid) "EPI_BCG_GIVEN_X"' },
  ]);
});

test('an element neither mapped nor given a reason is a problem, named once even if in two packages', () => {
  copy.edit(REASONS, /  GEN_PREG_EXPECT: .*\n/, '');
  copy.edit(REASONS, /  RMNCAH_FGM: .*\n/, '');
  expect(problemsOfCopy()).toEqual([
    { file: REASONS, path: 'reasons.GEN_PREG_EXPECT', message: 'GEN - Population expected pregnant women (MAL-BR) is neither mapped by a rule nor given a reason: add a rule, or a reason here' },
    { file: REASONS, path: 'reasons.RMNCAH_FGM', message: 'RMNCAH - Women with Female genital mutilation (FGM) reported or observed (RMNCAH) is neither mapped by a rule nor given a reason: add a rule, or a reason here' },
  ]);
});

test('a rule that disaggregates a toolkit element by another combo than the toolkit is a problem at the rule', () => {
  copy.edit('aggregate/malaria.yaml', 'dataElement: MAL_CASES_PRES_CONF\n    categoryCombo: AGE_MALARIA', 'dataElement: MAL_CASES_PRES_CONF\n    categoryCombo: AGE_SEX_MALARIA');
  const problems = problemsOfCopy();
  expect(problems).toEqual([
    {
      file: 'malaria.yaml',
      line: copy.lineOf('aggregate/malaria.yaml', 'id: malaria-cases-confirmed-presumed'),
      path: 'malaria-cases-confirmed-presumed',
      message: 'maps MAL_CASES_PRES_CONF by the combo "Age and sex (malaria)"; the WHO toolkit (MAL-BR) disaggregates it by "Age (malaria)"',
    },
    expect.objectContaining({ message: expect.stringContaining('the WHO toolkit (RMNCAH) disaggregates it by "Age (malaria)"') }),
  ]);
});

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/smc-bridge.js', import.meta.url));
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

test('smc-bridge mappings coverage: the report and exit 0 on the shipped mappings; exit 1 with file and line on a broken copy', async () => {
  const ok = await cli('mappings', 'coverage');
  expect(ok).toMatchObject({ code: 0, stdout: shipped().markdown });

  copy.edit(REASONS, 'reasons:\n', 'reasons:\n  EPI_BCG_GIVEN: { kind: no-data, text: "left over" }\n');
  const failed = await cli('mappings', 'coverage', '--dir', copy.dir, '--write');
  expect(failed.code).toBe(1);
  expect(failed.stderr).toContain(`${REASONS}:${copy.lineOf(REASONS, 'EPI_BCG_GIVEN:')} reasons.EPI_BCG_GIVEN: is mapped by rule epi-bcg-1`);
  expect(failed.stderr).toContain('is not written until they are solved');
  expect(readFileSync(join(copy.dir, COVERAGE_FILE), 'utf8')).toBe(readFileSync(join(SHIPPED_MAPPINGS, COVERAGE_FILE), 'utf8'));

  copy.edit(REASONS, /(  RMNCAH_FGM: \{ kind: )no-data/, '$1missing');
  const refused = await cli('mappings', 'coverage', '--dir', copy.dir);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(new RegExp(`coverage-reasons\\.yaml:${copy.lineOf(REASONS, '  RMNCAH_FGM:')} reasons\\.RMNCAH_FGM\\.kind: Invalid option`));
});
