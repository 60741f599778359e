// The shipped mappings load; broken copies fail with the file, the line and the path of each problem.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildMappingJsonSchemas } from '../../src/mapping-files/published-schemas.js';
import { loadMappings } from '../../src/mapping/load-mappings.js';
import { MappingsCopy, refusalsOf, SHIPPED_MAPPINGS } from '../support/mappings-copy.js';

const SHIPPED = SHIPPED_MAPPINGS;
let copy: MappingsCopy;

beforeEach(() => {
  copy = new MappingsCopy('mappings');
});
afterEach(() => copy.remove());

const edit = (file: string, from: string | RegExp, to: string) => copy.edit(file, from, to);
const errorsOf = () => refusalsOf(() => loadMappings(copy.dir));
const lineOf = (file: string, text: string) => copy.lineOf(file, text, 'last');

test('the shipped mappings load and cover the data sets', () => {
  const mappings = loadMappings(SHIPPED);
  expect(new Set(mappings.rules.map((rule) => rule.dataSet))).toEqual(new Set(['SMC_MONTHLY', 'SMC_WEEKLY']));
  expect(mappings.rules.length).toBeGreaterThanOrEqual(50);
});

test('the published JSON Schemas are what the zod schemas generate (npx smc-bridge mappings schemas --write)', () => {
  for (const [file, schema] of Object.entries(buildMappingJsonSchemas())) {
    expect(JSON.parse(readFileSync(join(SHIPPED, 'schemas', file), 'utf8'))).toEqual(schema);
  }
});

test.each([
  {
    name: 'a misspelt field',
    file: 'aggregate/malaria.yaml',
    from: '    dataElement: MAL_SUSP_MAL_CASES',
    to: '    dataElemnt: MAL_SUSP_MAL_CASES',
    path: 'rules[0].dataElemnt',
    says: /unknown field "dataElemnt"/,
  },
  {
    name: 'FHIRPath that does not parse',
    file: 'aggregate/malaria.yaml',
    from: `when: "malaria.suspected = true or`,
    to: `when: "malaria.suspected = = true or`,
    path: 'rules[0].when',
    says: /FHIRPath does not parse/,
  },
  {
    name: 'a combo that does not exist',
    file: 'aggregate/malaria.yaml',
    from: 'categoryCombo: AGE_MALARIA\n    when: "malaria.suspected',
    to: 'categoryCombo: AGE_MALARA\n    when: "malaria.suspected',
    path: 'rules[0].categoryCombo',
    says: /no category combo "AGE_MALARA"/,
  },
  {
    name: 'an unknown period type',
    file: 'aggregate/surveillance-weekly.yaml',
    from: 'periodType: Weekly',
    to: 'periodType: Fortnightly',
    path: 'dataSet.periodType',
    says: /Monthly|Weekly/,
  },
  {
    name: 'an age option that is not an ISO band',
    file: 'categories.yaml',
    from: '      - code: P5Y--P15Y',
    to: '      - code: 5-14y',
    path: 'categories[1].options[1].code',
    says: /not an ISO 8601 age band/,
  },
  {
    name: 'a combination missing from a combo',
    file: 'categories.yaml',
    from: /\n {6}- \{ code: MAL_0_4Y_M, options: \[P0Y--P5Y, M\] \}/,
    to: '',
    path: 'categoryCombos[0].categoryOptionCombos',
    says: /lists 5 option combinations; the categories make 6/,
  },
  {
    name: 'a rule id used twice',
    file: 'aggregate/family-planning.yaml',
    from: 'id: fp-first-time-user-by-method',
    to: 'id: fp-first-time-user',
    path: 'rules[1].id',
    says: /used twice/,
  },
  {
    name: 'a facility time zone that is not an IANA zone',
    file: 'facilities.yaml',
    from: 'ML_: Africa/Bamako',
    to: 'ML_: UTC+0',
    path: 'timeZonesByCodePrefix.ML_',
    says: /not an IANA time zone/,
  },
  {
    name: 'a facility table without its default time zone',
    file: 'facilities.yaml',
    from: 'defaultTimeZone: Africa/Douala',
    to: 'defaultTimezone: Africa/Douala',
    path: 'defaultTimezone',
    says: /unknown field/,
  },
  {
    name: 'YAML that does not parse',
    file: 'aggregate/child-health.yaml',
    from: '  - id: child-diarrhoea\n',
    to: '  - id: child-diarrhoea\n   bad: [indent\n',
    path: '',
    says: /not valid YAML/,
  },
])('$name is reported with file, line and path', ({ file, from, to, path, says }) => {
  edit(file, from, to);
  const errors = errorsOf();
  const error = errors.find((e) => e.file.endsWith(file) && e.path === path);
  expect(error).toBeDefined();
  expect(error!.message).toMatch(says);
  expect(error!.line).toBeGreaterThan(0);
  if (typeof from === 'string' && !to.includes('\n')) expect(error!.line).toBe(lineOf(file, to.trim()));
});

test('campaigns.yaml: a good campaign loads; each bad entry is named by its field and line', () => {
  const good = `campaigns:
  - id: mr-round-2026-09
    label: { en: the measles–rubella campaign, fr: la campagne rougeole–rubéole }
    dataElements: [EPI_YF_GIVEN]
    months: ['202609']
    districts: [CM_SW_BUE]
`;
  edit('campaigns.yaml', /campaigns: \[\]/, good.trimEnd());
  expect(loadMappings(copy.dir).campaigns).toEqual([{ id: 'mr-round-2026-09', label: { en: 'the measles–rubella campaign', fr: 'la campagne rougeole–rubéole' }, dataElements: ['EPI_YF_GIVEN'], months: ['202609'], districts: ['CM_SW_BUE'] }]);

  edit('campaigns.yaml', "months: ['202609']", "months: ['2026-09']");
  edit('campaigns.yaml', 'dataElements: [EPI_YF_GIVEN]', 'dataElements: [EPI_YF_GIVEN, EPI_MR9_GIVEN]');
  edit('campaigns.yaml', '    districts: [CM_SW_BUE]', '    distrcts: [CM_SW_BUE]');
  const errors = errorsOf();
  expect(errors.map((error) => [error.file.endsWith('campaigns.yaml'), error.path])).toEqual([
    [true, 'campaigns[0].months[0]'],
    [true, 'campaigns[0].distrcts'],
    [true, 'campaigns[0].orgUnits'],
  ]);
  expect(errors[0]!.message).toMatch(/YYYYMM/);
  expect(errors[0]!.line).toBe(lineOf('campaigns.yaml', "months: ['2026-09']"));
  expect(errors[1]!.message).toMatch(/unknown field "distrcts"/);

  // Past the schema: a data element no rule writes, an id used twice, a campaign that says nowhere.
  edit('campaigns.yaml', "months: ['2026-09']", "months: ['202609']");
  edit('campaigns.yaml', '    distrcts: [CM_SW_BUE]', `    countries: [CM]
  - id: mr-round-2026-09
    label: { en: again, fr: encore }
    dataElements: [EPI_MR2_GIVEN]
    months: ['202604']
    orgUnits: [CM_NW_BAM_CSI001]`);
  expect(errorsOf().map((error) => [error.path, error.message])).toEqual([
    ['campaigns[0].dataElements[1]', 'no aggregate rule writes data element "EPI_MR9_GIVEN"'],
    ['campaigns[1].id', 'campaign id "mr-round-2026-09" is used twice'],
  ]);
  edit('campaigns.yaml', '    orgUnits: [CM_NW_BAM_CSI001]', '');
  expect(errorsOf().map((error) => [error.path, error.message])).toEqual([['campaigns[1].orgUnits', 'name where the campaign ran: orgUnits, districts or countries']]);
});
