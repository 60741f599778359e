// The shipped metadata package: what its source builds (byte for byte), valid by the DHIS2 import rules,
// WHO toolkit objects under their toolkit uids and codes, and every mapping target present the way the
// bridge posts to it. Also `smc-bridge metadata check` as a command: exit 0, or 1 with the problem list.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { jest } from '@jest/globals';
import { loadMappings } from '../../src/mapping/load-mappings.js';
import { checkMappingTargets } from '../../src/metadata/mapping-targets.js';
import { DEFAULT_PACKAGE_FILE, DEFAULT_PACKAGE_SOURCE } from '../../src/metadata/package-files.js';
import { checkPackage } from '../../src/metadata/package-rules.js';
import { DEFAULT_UIDS } from '../../src/metadata/package-schema.js';
import { buildPackage, packageText, readPackageSource } from '../../src/metadata/package-source.js';

jest.setTimeout(60_000);

type Obj = Record<string, any>;
const mappings = loadMappings(fileURLToPath(new URL('../../../mappings', import.meta.url)));
const committed = readFileSync(DEFAULT_PACKAGE_FILE, 'utf8');
const pkg = JSON.parse(committed) as Record<string, Obj[]>;
const byCode = (type: string, code: string) => pkg[type]!.find((o) => o['code'] === code);
const byId = (type: string, id: string) => pkg[type]!.find((o) => o['id'] === id);

test('metadata/smc-metadata.json is exactly what metadata/source/smc-metadata.yaml builds (run `smc-bridge metadata build`)', () => {
  expect(packageText(buildPackage(readPackageSource(DEFAULT_PACKAGE_SOURCE)))).toBe(committed);
});

test('the package passes every rule, and every mapping target exists in it', () => {
  const check = checkPackage(pkg);
  expect(check.problems).toEqual([]);
  expect(checkMappingTargets(check.package!, mappings)).toEqual([]);
});

test('WHO toolkit objects keep the toolkit uids (reference/dhis2-web-api.md §7)', () => {
  const expected: [string, string, string][] = [
    ['dataElements', 'RMNCAH_ANC1', 'qqc4NnWVFL9'],
    ['dataElements', 'RMNCAH_ANC4', 'OWk2WulfJYQ'],
    ['dataElements', 'MAL_CASES_TEST_RDT', 'pmRn0GsUfr6'],
    ['dataElements', 'EPI_BCG_GIVEN', 'WSy7zOZx1Wl'],
    ['dataElements', 'GEN_PREG_EXPECT', 'WBmvvafUwT8'],
    ['categories', 'SEX', 'FRwO58KwwJt'],
    ['categories', 'AGE_MALARIA', 'mFoasCYViMW'],
    ['categories', 'AGE_REPRO', 'xocjlnNuDzU'],
    ['categories', 'AGE_IMMUNIZATION', 'yqWKwIGgo3X'],
    ['categoryCombos', 'AGE_SEX_MALARIA', 'IvYR8mc6prX'],
    ['categoryCombos', 'AGE_REPRO', 'jGaNULROqin'],
    ['categoryCombos', 'AGE_IMMUNIZATION', 'Sh24BLPjCF4'],
    ['categoryOptions', 'M', 'MP15bHaQh2x'],
    ['categoryOptions', 'P0Y--P5Y', 'UPvKbcqTEY3'],
    ['categoryOptionCombos', 'RMN_20PLUS', 'MhS0mKLqv9I'],
    ['categoryOptionCombos', 'EPI_LT1Y', 'JKuWbG5bWAu'],
    ['indicators', 'RMNCAH_ANC4_COV', 'FgNnsRgCs8r'],
    ['indicatorTypes', 'PERCENTAGE', 'hmSnCXmLYwt'],
  ];
  for (const [type, code, id] of expected) expect([type, code, byCode(type, code)?.['id']]).toEqual([type, code, id]);
  // The toolkit's own formula, in uids: (DPT1 <1y − DPT3 <1y) / DPT1 <1y.
  expect(byCode('indicators', 'EPI_DPT1_3_DROPOUT')).toMatchObject({
    numerator: '#{hJJlOnVOkV2.JKuWbG5bWAu}-#{TWWbtMMWD51.JKuWbG5bWAu}',
    denominator: '#{hJJlOnVOkV2.JKuWbG5bWAu}',
  });
});

test('every mapping rule target: the data set, the element in it with the rule combo, every option combo with the same options', () => {
  const optionCode = (ref: Obj) => byId('categoryOptions', ref['id'])?.['code'];
  for (const rule of mappings.rules) {
    const dataSet = byCode('dataSets', rule.dataSet);
    const element = byCode('dataElements', rule.dataElement);
    expect([rule.id, dataSet?.['periodType'], (dataSet?.['openFuturePeriods'] ?? 0) >= 1]).toEqual([rule.id, rule.periodType, true]);
    expect([rule.id, dataSet!['dataSetElements'].some((dse: Obj) => dse['dataElement'].id === element?.['id'])]).toEqual([rule.id, true]);
    const combo = rule.categoryCombo ? byCode('categoryCombos', rule.categoryCombo.code)!['id'] : DEFAULT_UIDS.categoryCombo;
    expect([rule.id, element!['categoryCombo'].id]).toEqual([rule.id, combo]);
    for (const [options, cocCode] of rule.categoryCombo?.comboByOptions ?? []) {
      const coc = byCode('categoryOptionCombos', cocCode);
      expect([rule.id, cocCode, coc?.['categoryCombo'].id]).toEqual([rule.id, cocCode, combo]);
      expect(coc!['categoryOptions'].map(optionCode).sort()).toEqual(options.split('|').sort());
    }
    // The attribute option combo the bridge posts with is one of the data set's attribute combo.
    const aoc = byCode('categoryOptionCombos', rule.attributeOptionCombo);
    expect([rule.id, aoc?.['categoryCombo'].id]).toEqual([rule.id, dataSet!['categoryCombo'].id]);
    expect(byId('categoryCombos', dataSet!['categoryCombo'].id)?.['dataDimensionType']).toBe('ATTRIBUTE');
  }
});

test('the package holds what the issue asks for: SMC data sets, the indicators, visualizations and the dashboard', () => {
  expect(byCode('dataSets', 'SMC_MONTHLY')).toMatchObject({ periodType: 'Monthly' });
  expect(byCode('dataSets', 'SMC_WEEKLY')).toMatchObject({ periodType: 'Weekly' });
  const indicatorCodes = pkg['indicators']!.map((i) => i['code']);
  for (const code of ['RMNCAH_ANC4_COV', 'RMNCAH_ANC1_12W', 'RMNCAH_INST_DELIV', 'RMNCAH_SB', 'MAL_TRP_RDT', 'MAL_TPR', 'MAL_PER_SUSP_CASES_TEST', 'EPI_DPT1_3_DROPOUT', 'EPI_BCG_MR1_DROPOUT', 'RMNCAH_FPFT', 'SMC_ENC_MUTUAL_PCT']) {
    expect(indicatorCodes).toContain(code);
  }
  expect(pkg['dashboards']!.map((d) => d['name'])).toEqual(['SMC – rural primary care']);
  const types = new Set(pkg['visualizations']!.map((v) => v['type']));
  expect(types.has('PIVOT_TABLE') && (types.has('COLUMN') || types.has('LINE'))).toBe(true);
  const byFacility = pkg['visualizations']!.filter((v) => v['rowDimensions'].includes('ou'));
  const byMonth = pkg['visualizations']!.filter((v) => [...v['rowDimensions'], ...v['columnDimensions']].includes('pe'));
  expect(byFacility.length).toBeGreaterThan(0);
  expect(byMonth.length).toBeGreaterThan(0);
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

test('smc-bridge metadata check: exit 0 on the shipped package, 1 with the problem list on a broken copy', async () => {
  const ok = await cli('metadata', 'check');
  expect(ok).toMatchObject({ code: 0, stdout: expect.stringContaining('valid') });

  const broken = structuredClone(pkg);
  const element = broken['dataElements']!.find((o) => o['code'] === 'SMC_MAL_TESTED_W')!;
  element['shortName'] = 'Malaria cases tested by RDT or microscopy, every ISO week';
  const file = join(mkdtempSync(join(tmpdir(), 'smc-metadata-')), 'broken.json');
  writeFileSync(file, JSON.stringify(broken));
  const failed = await cli('metadata', 'check', file);
  expect(failed.code).toBe(1);
  expect(failed.stderr).toContain(`${file}: 1 problem`);
  expect(failed.stderr).toContain(`dataElements[${broken['dataElements']!.indexOf(element)}] (SMC_MAL_TESTED_W, ${element['id']}): shortName is 57 characters, at most 50`);

  writeFileSync(file, '{ "dataElements": [');
  expect(await cli('metadata', 'check', file)).toMatchObject({ code: 1, stderr: expect.stringContaining('is not JSON') });
});
