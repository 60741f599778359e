// `smc-bridge metadata check` on deliberately broken copies of the shipped package (and of the mappings):
// each fails with the precise message that names the object, the field and the reason.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadMappings, type Mappings } from '../../src/mapping/load-mappings.js';
import { checkMappingTargets } from '../../src/metadata/mapping-targets.js';
import { DEFAULT_PACKAGE_FILE } from '../../src/metadata/package-files.js';
import { checkPackage } from '../../src/metadata/package-rules.js';

type Obj = Record<string, any>;
type Pkg = Record<string, Obj[]>;

const mappings = loadMappings(fileURLToPath(new URL('../../../mappings', import.meta.url)));
const shipped = JSON.parse(readFileSync(DEFAULT_PACKAGE_FILE, 'utf8')) as Pkg;
const MAPPINGS = 'mappings/aggregate';

function problemsOf(pkg: unknown, withMappings: Mappings = mappings): string[] {
  const check = checkPackage(pkg);
  return check.package ? [...check.problems, ...checkMappingTargets(check.package, withMappings)] : check.problems;
}
const indexOf = (pkg: Pkg, type: string, code: string) => {
  const index = (pkg[type] ?? []).findIndex((o) => o['code'] === code);
  if (index < 0) throw new Error(`no ${type} ${code} in the package`);
  return index;
};
const get = (pkg: Pkg, type: string, code: string) => pkg[type]![indexOf(pkg, type, code)]!;
/** `dataElements[12] (SMC_MAL_TESTED_W, TbuPq7cesES)`, as the shipped package places the object. */
const label = (type: string, code: string, id?: string) => `${type}[${indexOf(shipped, type, code)}] (${code}, ${id ?? get(shipped, type, code)['id']})`;
const uid = (type: string, code: string) => get(shipped, type, code)['id'] as string;
const ruleAt = (id: string) => {
  const rule = mappings.rules.find((r) => r.id === id)!;
  return `mapping rule ${id} (${rule.file}:${rule.line})`;
};

interface Case {
  name: string;
  breakIt: (pkg: Pkg) => Mappings | void;
  expected: (pkg: Pkg) => string[];
}

const cases: Case[] = [
  {
    name: 'bad uid',
    breakIt: (pkg) => void (pkg['dashboards']![0]!['id'] = '1SmcDashbrd'),
    expected: () => [`dashboards[0] (SMC_RURAL_PRIMARY_CARE, 1SmcDashbrd): id "1SmcDashbrd" is not a valid uid (11 characters: a letter, then letters or digits)`],
  },
  {
    name: 'uid of the wrong length in a reference',
    breakIt: (pkg) => void (get(pkg, 'indicators', 'MAL_TRP_RDT')['indicatorType'] = { id: 'hmSnCXmLYw' }),
    expected: () => [`${label('indicators', 'MAL_TRP_RDT')}: indicatorType "hmSnCXmLYw" is not a valid uid`],
  },
  {
    name: 'missing id',
    breakIt: (pkg) => void delete get(pkg, 'dashboards', 'SMC_RURAL_PRIMARY_CARE')['id'],
    expected: () => ['dashboards[0] (SMC_RURAL_PRIMARY_CARE, no id): id is missing (a package object needs a fixed uid, so that importing it again updates it)'],
  },
  {
    name: 'duplicate id',
    breakIt: (pkg) => void (get(pkg, 'indicators', 'MAL_TPR')['id'] = uid('indicators', 'MAL_TRP_RDT')),
    expected: () => [
      `indicators[${indexOf(shipped, 'indicators', 'MAL_TPR')}] (MAL_TPR, ${uid('indicators', 'MAL_TRP_RDT')}): id ${uid('indicators', 'MAL_TRP_RDT')} is also used by ${label('indicators', 'MAL_TRP_RDT')}`,
      // The chart that showed MAL_TPR now points at nothing.
      `${label('visualizations', 'SMC_MALARIA_BY_FACILITY')}: dataDimensionItems[1].indicator refers to ${uid('indicators', 'MAL_TPR')}, which is no indicator in the package`,
    ],
  },
  {
    name: 'missing required field (data element shortName)',
    breakIt: (pkg) => void delete get(pkg, 'dataElements', 'RMNCAH_ANC4')['shortName'],
    expected: () => [`${label('dataElements', 'RMNCAH_ANC4')}: shortName is missing (required)`],
  },
  {
    name: 'missing required field (indicator denominator)',
    breakIt: (pkg) => void delete get(pkg, 'indicators', 'RMNCAH_SB')['denominator'],
    expected: () => [`${label('indicators', 'RMNCAH_SB')}: denominator is missing (required)`],
  },
  {
    name: 'missing required field (data set periodType)',
    breakIt: (pkg) => void delete get(pkg, 'dataSets', 'SMC_POPULATION')['periodType'],
    expected: () => [`${label('dataSets', 'SMC_POPULATION')}: periodType is missing (required)`],
  },
  {
    name: 'short name over 50 characters',
    breakIt: (pkg) => void (get(pkg, 'dataElements', 'SMC_MAL_TESTED_W')['shortName'] = 'Malaria cases tested by RDT or microscopy, every ISO week'),
    expected: () => [`${label('dataElements', 'SMC_MAL_TESTED_W')}: shortName is 57 characters, at most 50`],
  },
  {
    name: 'code over 50 characters',
    breakIt: (pkg) => void (get(pkg, 'visualizations', 'SMC_FP_BY_MONTH')['code'] = 'SMC_FAMILY_PLANNING_FIRST_TIME_USERS_BY_MONTH_AND_FACILITY'),
    expected: () => [
      `visualizations[${indexOf(shipped, 'visualizations', 'SMC_FP_BY_MONTH')}] (SMC_FAMILY_PLANNING_FIRST_TIME_USERS_BY_MONTH_AND_FACILITY, ${uid('visualizations', 'SMC_FP_BY_MONTH')}): code is 58 characters, at most 50`,
    ],
  },
  {
    name: 'value type outside the enum',
    breakIt: (pkg) => void (get(pkg, 'dataElements', 'RMNCAH_SBF')['valueType'] = 'POSITIVE_INTEGER'),
    expected: () => [expect.stringMatching(new RegExp(`^${escape(label('dataElements', 'RMNCAH_SBF'))}: valueType "POSITIVE_INTEGER" is not one of TEXT, LONG_TEXT, .*INTEGER_ZERO_OR_POSITIVE, .*GEOJSON$`))],
  },
  {
    name: 'aggregation type outside the enum',
    breakIt: (pkg) => void (get(pkg, 'dataElements', 'RMNCAH_SBM')['aggregationType'] = 'TOTAL'),
    expected: () => [expect.stringMatching(new RegExp(`^${escape(label('dataElements', 'RMNCAH_SBM'))}: aggregationType "TOTAL" is not one of SUM, AVERAGE, `))],
  },
  {
    name: 'period type misspelt',
    breakIt: (pkg) => void (get(pkg, 'dataSets', 'SMC_POPULATION')['periodType'] = 'Yearley'),
    expected: () => [expect.stringMatching(new RegExp(`^${escape(label('dataSets', 'SMC_POPULATION'))}: periodType "Yearley" is not one of Daily, Weekly, `))],
  },
  {
    name: 'JSON type of a field',
    breakIt: (pkg) => void (get(pkg, 'dataElements', 'RMNCAH_ANC1')['zeroIsSignificant'] = 'true'),
    expected: () => [`${label('dataElements', 'RMNCAH_ANC1')}: zeroIsSignificant expected boolean, received string`],
  },
  {
    name: 'dangling reference (data set element)',
    breakIt: (pkg) => {
      const dse = get(pkg, 'dataSets', 'SMC_MONTHLY')['dataSetElements'].find((e: Obj) => e['dataElement'].id === uid('dataElements', 'RMNCAH_ANC4'));
      dse['dataElement'] = { id: 'Xq9TtUvWy12' };
    },
    expected: (pkg) => [
      `${label('dataSets', 'SMC_MONTHLY')}: dataSetElements[${get(pkg, 'dataSets', 'SMC_MONTHLY')['dataSetElements'].findIndex((e: Obj) => e['dataElement'].id === 'Xq9TtUvWy12')}].dataElement refers to Xq9TtUvWy12, which is no data element in the package`,
      `${ruleAt('anc-4th-visit')}: data element RMNCAH_ANC4 (${uid('dataElements', 'RMNCAH_ANC4')}) is not in data set SMC_MONTHLY`,
    ],
  },
  {
    name: 'dangling reference (dashboard item)',
    breakIt: (pkg) => void (pkg['dashboards']![0]!['dashboardItems'][2]['visualization'] = { id: 'NoSuchVis01' }),
    expected: () => ['dashboards[0] (SMC_RURAL_PRIMARY_CARE, NMUQ2IEkjel): dashboardItems[2].visualization refers to NoSuchVis01, which is no visualization in the package'],
  },
  {
    name: 'indicator operand names a data element the package lacks',
    breakIt: (pkg) => void (get(pkg, 'indicators', 'RMNCAH_ANC4_COV')['denominator'] = '#{WBmvvafUwT9}'),
    expected: () => [`${label('indicators', 'RMNCAH_ANC4_COV')}: denominator refers to data element WBmvvafUwT9 in #{WBmvvafUwT9}, which is no data element in the package`],
  },
  {
    name: 'indicator operand with an option combo outside the element combo',
    breakIt: (pkg) => {
      const indicator = get(pkg, 'indicators', 'EPI_DPT1_3_DROPOUT');
      indicator['denominator'] = `#{${uid('dataElements', 'EPI_DPT-HEPB-HIB1_GIVEN')}.${uid('categoryOptionCombos', 'RMN_20PLUS')}}`;
    },
    expected: () => [
      `${label('indicators', 'EPI_DPT1_3_DROPOUT')}: denominator uses #{${uid('dataElements', 'EPI_DPT-HEPB-HIB1_GIVEN')}.${uid('categoryOptionCombos', 'RMN_20PLUS')}}: ${label('categoryOptionCombos', 'RMN_20PLUS')} is not in the category combo of ${label('dataElements', 'EPI_DPT-HEPB-HIB1_GIVEN')}`,
    ],
  },
  {
    name: 'indicator expression that does not parse',
    breakIt: (pkg) => void (get(pkg, 'indicators', 'MAL_TPR')['numerator'] = `(#{${uid('dataElements', 'MAL_CASES_POS_MICR')}}+#{${uid('dataElements', 'MAL_CASES_POS_RDT')}}`),
    expected: () => [`${label('indicators', 'MAL_TPR')}: numerator leaves a parenthesis open`],
  },
  {
    name: 'option combo with an option outside its combo',
    breakIt: (pkg) => void (get(pkg, 'categoryOptionCombos', 'MAL_0_4Y_M')['categoryOptions'] = [{ id: uid('categoryOptions', 'P0Y--P5Y') }, { id: uid('categoryOptions', 'PREG') }]),
    expected: () => [
      `${label('categoryOptionCombos', 'MAL_0_4Y_M')}: category option PREG is outside its combo ${label('categoryCombos', 'AGE_SEX_MALARIA')} (no category of the combo, or none left, holds it)`,
      `${label('categoryCombos', 'AGE_SEX_MALARIA')}: has no category option combo for P0Y--P5Y + M`,
      `${ruleAt('malaria-tested-rdt')}: category option combo MAL_0_4Y_M (${uid('categoryOptionCombos', 'MAL_0_4Y_M')}) has options P0Y--P5Y + PREG in the package; mappings/categories.yaml gives it M + P0Y--P5Y`,
    ],
  },
  {
    name: 'combo missing an option combo',
    breakIt: (pkg) => void pkg['categoryOptionCombos']!.splice(indexOf(pkg, 'categoryOptionCombos', 'FP_IUD'), 1),
    expected: () => [
      `${label('categoryCombos', 'FP_METHODS')}: has no category option combo for IUD`,
      `${ruleAt('fp-first-time-user-by-method')}: category option combo FP_IUD (of FP_METHODS) is not in the package`,
    ],
  },
  {
    name: 'mapping COC outside the element combo (codes swapped between combos)',
    breakIt: (pkg) => {
      get(pkg, 'categoryOptionCombos', 'RMN_20PLUS')['code'] = 'SWAP';
      get(pkg, 'categoryOptionCombos', 'MAL_15PLUS')['code'] = 'RMN_20PLUS';
      get(pkg, 'categoryOptionCombos', 'SWAP')['code'] = 'MAL_15PLUS';
    },
    expected: () => [
      `${ruleAt('malaria-suspected')}: category option combo MAL_15PLUS (${uid('categoryOptionCombos', 'RMN_20PLUS')}) is outside the combo AGE_MALARIA (${uid('categoryCombos', 'AGE_MALARIA')}) of data element MAL_SUSP_MAL_CASES; it belongs to AGE_REPRO (${uid('categoryCombos', 'AGE_REPRO')})`,
      `${ruleAt('anc-1st-visit')}: category option combo RMN_20PLUS (${uid('categoryOptionCombos', 'MAL_15PLUS')}) is outside the combo AGE_REPRO (${uid('categoryCombos', 'AGE_REPRO')}) of data element RMNCAH_ANC1; it belongs to AGE_MALARIA (${uid('categoryCombos', 'AGE_MALARIA')})`,
    ],
  },
  {
    name: 'mapping target missing from the package',
    breakIt: (pkg) => {
      const id = uid('dataElements', 'SMC_MAL_CONFIRMED_W');
      pkg['dataElements']!.splice(indexOf(pkg, 'dataElements', 'SMC_MAL_CONFIRMED_W'), 1);
      const weekly = get(pkg, 'dataSets', 'SMC_WEEKLY');
      weekly['dataSetElements'] = weekly['dataSetElements'].filter((e: Obj) => e['dataElement'].id !== id);
      const chart = get(pkg, 'visualizations', 'SMC_MALARIA_WEEKLY');
      chart['dataDimensionItems'] = chart['dataDimensionItems'].filter((item: Obj) => item['dataElement']?.id !== id);
    },
    expected: () => [`${ruleAt('weekly-malaria-confirmed')}: data element SMC_MAL_CONFIRMED_W is not in the package`],
  },
  {
    name: 'mapping target not in its data set',
    breakIt: (pkg) => {
      const monthly = get(pkg, 'dataSets', 'SMC_MONTHLY');
      monthly['dataSetElements'] = monthly['dataSetElements'].filter((e: Obj) => e['dataElement'].id !== uid('dataElements', 'RMNCAH_SBF'));
    },
    expected: () => [`${ruleAt('stillbirths-fresh')}: data element RMNCAH_SBF (${uid('dataElements', 'RMNCAH_SBF')}) is not in data set SMC_MONTHLY`],
  },
  {
    name: 'element combo differs from the rule disaggregation',
    breakIt: (pkg) => void (get(pkg, 'dataElements', 'RMNCAH_ANC1')['categoryCombo'] = { id: 'bjDvmb4bfuf' }),
    expected: () => [`${ruleAt('anc-1st-visit')}: data element RMNCAH_ANC1 has category combo default; the rule disaggregates by AGE_REPRO`],
  },
  {
    name: 'data set closed for the running period',
    breakIt: (pkg) => void (get(pkg, 'dataSets', 'SMC_WEEKLY')['openFuturePeriods'] = 0),
    expected: () => [
      `${ruleAt('weekly-malaria-tested')}: data set SMC_WEEKLY has openFuturePeriods 0; the bridge posts the running period, which DHIS2 refuses (E7641) unless it is at least 1`,
    ],
  },
  {
    name: 'data set with a disaggregation combo instead of an attribute combo',
    breakIt: (pkg) => void (get(pkg, 'dataSets', 'SMC_WEEKLY')['categoryCombo'] = { id: uid('categoryCombos', 'AGE_MALARIA') }),
    expected: () => [
      `${label('dataSets', 'SMC_WEEKLY')}: categoryCombo is ${label('categoryCombos', 'AGE_MALARIA')}, a DISAGGREGATION combo; a data set needs an ATTRIBUTE combo (or the default)`,
      `${ruleAt('weekly-malaria-tested')}: attribute option combo SRC_SMC_BRIDGE belongs to DATA_SOURCE (${uid('categoryCombos', 'DATA_SOURCE')}), not to the attribute combo AGE_MALARIA (${uid('categoryCombos', 'AGE_MALARIA')}) of data set SMC_WEEKLY`,
    ],
  },
  {
    name: 'attribute option combo of the mappings not in the package',
    breakIt: () => ({ ...mappings, rules: mappings.rules.map((rule) => (rule.dataSet === 'SMC_WEEKLY' ? { ...rule, attributeOptionCombo: 'SRC_SMS_GATEWAY' } : rule)) }),
    expected: () => [`${ruleAt('weekly-malaria-tested')}: attribute option combo SRC_SMS_GATEWAY is not in the package`],
  },
  {
    name: 'attribute category in a disaggregation combo',
    breakIt: (pkg) => void get(pkg, 'categoryCombos', 'AGE_SEX_MALARIA')['categories'].splice(1, 1, { id: uid('categories', 'DATA_SOURCE') }),
    expected: () => expect.arrayContaining([
      `${label('categoryCombos', 'AGE_SEX_MALARIA')}: categories[1] is ${label('categories', 'DATA_SOURCE')}, a ATTRIBUTE category in a DISAGGREGATION combo`,
    ]) as unknown as string[],
  },
  {
    name: 'two data elements with one name',
    breakIt: (pkg) => void (get(pkg, 'dataElements', 'RMNCAH_SBM')['name'] = get(pkg, 'dataElements', 'RMNCAH_SBF')['name']),
    expected: () => [`${label('dataElements', 'RMNCAH_SBM')}: name "RMNCAH - Birth still fresh" is also used by ${label('dataElements', 'RMNCAH_SBF')} (name must be unique)`],
  },
  {
    name: 'visualization with an unknown dimension',
    breakIt: (pkg) => void (get(pkg, 'visualizations', 'SMC_FP_BY_MONTH')['rowDimensions'] = ['month']),
    expected: () => [`${label('visualizations', 'SMC_FP_BY_MONTH')}: rowDimensions has "month", which is neither dx, pe, ou nor a category of the package`],
  },
  {
    name: 'dashboard item type outside the enum',
    breakIt: (pkg) => void (pkg['dashboards']![0]!['dashboardItems'][0]['type'] = 'CHART'),
    expected: () => [expect.stringMatching(/^dashboards\[0\] \(SMC_RURAL_PRIMARY_CARE, NMUQ2IEkjel\): dashboardItems\[0\]\.type "CHART" is not one of VISUALIZATION, /)],
  },
  {
    name: 'unknown top-level type',
    breakIt: (pkg) => void (pkg['dataElement'] = []),
    expected: () => [expect.stringMatching(/^package: "dataElement" is not a metadata type this check knows \(categoryOptions, categories, /)],
  },
];

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

test('the shipped package has no problem', () => {
  expect(problemsOf(shipped)).toEqual([]);
});

test(`${cases.length} broken copies`, () => {
  expect(cases.length).toBeGreaterThanOrEqual(20);
});

test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, brokenCase) => {
  const pkg = structuredClone(shipped);
  const brokenMappings = brokenCase.breakIt(pkg) ?? mappings;
  expect(problemsOf(pkg, brokenMappings)).toEqual(brokenCase.expected(pkg));
});
