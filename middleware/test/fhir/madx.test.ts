// mADX MeasureReports from cell groups recomputed over generated encounters: every report passes both
// validators; per data element the strata, the population count and the cells agree; every stratum's
// components lead back, through the mappings' category combos, to the cell they report; the default combo has
// no stratifier; and through the FhirClient against the FHIR stand-in, resends leave one report and a
// changed value updates it in place.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import type { Bundle, Location, Measure, MeasureReport, MeasureReportGroup, Organization, ValueSet } from '@medplum/fhirtypes';
import { DateTime } from 'luxon';
import { encounterToBundle } from '../../src/fhir/encounter-bundle.js';
import { FhirClient } from '../../src/fhir/fhir-client.js';
import {
  cellGroupToMeasureReport,
  measureBundle,
  measureOf,
  measureValueSets,
  reportedCellKey,
  measureReportBundle,
  measureReportEntry,
  MeasureReportError,
  optionCoding,
  sendMeasureReport,
} from '../../src/fhir/madx.js';
import { identifierCriteria } from '../../src/fhir/record-identity.js';
import { loadTerminology, type Terminology } from '../../src/fhir/terminology.js';
import { validateFhirBundle, validateFhirResource, describeIssues } from '../../src/fhir/validate-resources.js';
import { startFhirStandInServer, type FhirStandInServer } from '@smc-bridge/stand-ins';
import { DEFAULT_CATEGORY_OPTION_COMBO, loadMappings, type Mappings } from '../../src/mapping/load-mappings.js';
import { recomputeCells } from '../../src/mapping/recompute.js';
import { generateEncounters } from '@smc-bridge/generator';
import { fullEncounter } from '../support/fhir-fixtures.js';
import { type CellGroup, type CellValue, groupKeyOf, groupOfKey } from '../../src/domain/cells.js';

const MAPPINGS = fileURLToPath(new URL('../../../mappings', import.meta.url));
let mappings: Mappings;
let terminology: Terminology;

/** The cell groups the ledger would hold for these encounters: recomputed from scratch, grouped. */
function cellGroups(): { group: CellGroup; cells: CellValue[] }[] {
  const encounters = generateEncounters({ seed: 20261031, facilityCount: 6, encounterCount: 2500, endDate: '2026-10-31', days: 120 });
  const groups = new Map<string, CellValue[]>();
  for (const cell of recomputeCells(encounters, mappings).values()) {
    const key = groupKeyOf(cell);
    groups.set(key, [...(groups.get(key) ?? []), { dataElement: cell.dataElement, categoryOptionCombo: cell.categoryOptionCombo, value: cell.value }]);
  }
  return [...groups].map(([key, cells]) => ({ group: groupOfKey(key), cells }));
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
const codeOf = (group: MeasureReportGroup) => group.code?.coding?.[0]?.code as string;

interface ComponentCodes {
  dimension: { system?: string; code?: string };
  value: { system?: string; code?: string };
}

/** The category option combo a stratum reports, read back through the combo's categories and options. */
function cocOfStratum(comboCode: string, components: readonly ComponentCodes[]): string | undefined {
  const combo = mappings.categoryCombos.get(comboCode);
  if (!combo || components.length !== combo.categories.length) return undefined;
  const optionCodes = combo.categories.map((category) => {
    const component = components.find((c) => c.dimension.system === terminology.madx.category && c.dimension.code === category.code);
    const option = category.options.find((o) => {
      const coding = optionCoding(category, o, terminology);
      return coding.system === component?.value.system && coding.code === component?.value.code;
    });
    return option?.code;
  });
  return optionCodes.includes(undefined) ? undefined : combo.comboByOptions.get(optionCodes.join('|'));
}

beforeAll(() => {
  mappings = loadMappings(MAPPINGS);
  terminology = loadTerminology(MAPPINGS);
});

describe('reports of generated cell groups', () => {
  let reports: { group: CellGroup; cells: CellValue[]; report: MeasureReport }[];

  beforeAll(() => {
    reports = cellGroups().map(({ group, cells }) => ({ group, cells, report: cellGroupToMeasureReport(group, cells, mappings, terminology) }));
  });

  it('cover both data sets, every category combo the rules use, and elements without one', () => {
    const dataSets = new Set(mappings.rules.map((rule) => rule.dataSet));
    expect(new Set(reports.map(({ group }) => group.dataSet))).toEqual(dataSets);
    const combosUsed = new Set(mappings.rules.map((rule) => rule.categoryCombo?.code ?? DEFAULT_CATEGORY_OPTION_COMBO));
    const combosSeen = new Set(
      reports.flatMap(({ report }) => (report.group ?? []).map((g) => g.stratifier?.[0]?.code?.[0]?.coding?.[0]?.code ?? DEFAULT_CATEGORY_OPTION_COMBO)),
    );
    expect(combosSeen).toEqual(combosUsed);
  });

  it('every report and its Bundle pass both validators', () => {
    for (const { report } of reports) {
      const issues = [...validateFhirResource(report), ...validateFhirBundle(measureReportBundle(report))];
      expect(describeIssues(issues)).toBe('');
    }
  });

  it('name the data set, facility, period and cell group they report', () => {
    for (const { group, report } of reports) {
      expect(report.status).toBe('complete');
      expect(report.type).toBe('summary');
      const measure = measureOf(group.dataSet, mappings, terminology);
      expect(report.measure).toBe(`${terminology.madx.measureBase}/Measure/${group.dataSet}|${measure.version}`);
      expect(report.meta?.profile).toEqual(['https://profiles.ihe.net/QRPH/mADX/StructureDefinition/mADX-MeasureReport']);
      expect(Date.parse(report.date as string)).not.toBeNaN();
      // The attribute option combo is in the content, not only in the identifier.
      expect(report.extension).toEqual([{ url: terminology.extensions.attributeOptionCombo, valueCodeableConcept: { coding: [{ system: terminology.madx.attributeOptionCombo, code: group.attributeOptionCombo }] } }]);
      expect(report.identifier).toEqual([
        expect.objectContaining({ system: terminology.madx.report, value: `${group.dataSet}/${group.orgUnit}/${group.period}/${group.attributeOptionCombo}` }),
      ]);
      const facility = expect.objectContaining({ system: terminology.identifierSystems.orgUnitCode, value: group.orgUnit });
      expect(report.subject).toEqual(expect.objectContaining({ type: 'Location', identifier: facility }));
      expect(report.reporter).toEqual(expect.objectContaining({ type: 'Organization', identifier: facility }));
      // The period spans exactly the DHIS2 period: a calendar month (202610) or an ISO week (2026W43).
      const start = DateTime.fromISO(report.period?.start as string);
      const end = DateTime.fromISO(report.period?.end as string);
      const monthly = /^(\d{4})(\d{2})$/.exec(group.period);
      if (monthly) {
        expect([start.year, start.month, start.day]).toEqual([Number(monthly[1]), Number(monthly[2]), 1]);
        expect(end.plus({ days: 1 }).toISODate()).toBe(start.plus({ months: 1 }).toISODate());
      } else {
        expect(`${start.weekYear}W${start.weekNumber}`).toBe(group.period);
        expect([start.weekday, end.diff(start, 'days').days]).toEqual([1, 6]);
      }
    }
  });

  it('per data element: the strata, the population count and the cells agree', () => {
    for (const { cells, report } of reports) {
      const elements = new Set(cells.map((cell) => cell.dataElement));
      expect((report.group ?? []).map(codeOf).sort()).toEqual([...elements].sort());
      for (const group of report.group ?? []) {
        expect(group.code?.coding?.[0]?.system).toBe(terminology.madx.dataElement);
        const cellTotal = sum(cells.filter((cell) => cell.dataElement === codeOf(group)).map((cell) => cell.value));
        expect(group.population).toEqual([{ code: { coding: terminology.madx.population.coding }, count: cellTotal }]);
        if (group.stratifier) {
          expect(group.stratifier).toHaveLength(1);
          expect(sum((group.stratifier[0]?.stratum ?? []).map((stratum) => stratum.measureScore?.value as number))).toBe(cellTotal);
        }
      }
    }
  });

  it('every stratum leads back to the cell it reports, and every cell has its stratum', () => {
    for (const { cells, report } of reports) {
      for (const group of report.group ?? []) {
        const elementCells = cells.filter((cell) => cell.dataElement === codeOf(group));
        const stratifier = group.stratifier?.[0];
        if (!stratifier) continue;
        expect(stratifier.code?.[0]?.coding?.[0]?.system).toBe(terminology.madx.categoryCombo);
        const comboCode = stratifier.code?.[0]?.coding?.[0]?.code as string;
        const reported = (stratifier.stratum ?? []).map((stratum) => {
          const components = (stratum.component ?? []).map((component): ComponentCodes => ({
            dimension: { ...component.code.coding?.[0] },
            value: { ...component.value.coding?.[0] },
          }));
          return { coc: cocOfStratum(comboCode, components), value: stratum.measureScore?.value };
        });
        expect(reported.map((r) => r.coc)).not.toContain(undefined);
        expect(reported.sort((a, b) => (a.coc as string).localeCompare(b.coc as string))).toEqual(
          elementCells.map((cell) => ({ coc: cell.categoryOptionCombo, value: cell.value })).sort((a, b) => a.coc.localeCompare(b.coc)),
        );
      }
    }
  });

  it('codes ages in ISO8601DerivedPeriods, sexes as administrative-gender, other options under the category', () => {
    const systemsByMatch = new Map<string, Set<string>>();
    const openBounds = new Set<string>();
    for (const { report } of reports) {
      for (const group of report.group ?? []) {
        const combo = mappings.categoryCombos.get(group.stratifier?.[0]?.code?.[0]?.coding?.[0]?.code ?? '');
        for (const stratum of group.stratifier?.[0]?.stratum ?? []) {
          for (const component of stratum.component ?? []) {
            const category = combo?.categories.find((c) => c.code === component.code.coding?.[0]?.code);
            const coding = component.value.coding?.[0];
            const key = category?.match ?? 'unknown';
            systemsByMatch.set(key, new Set([...(systemsByMatch.get(key) ?? []), `${coding?.system}`]));
            if (category?.match === 'sex') expect(['male', 'female']).toContain(coding?.code);
            if (category?.match === 'age') {
              expect(coding?.code).toMatch(/^P\d+Y--P\d+Y$/);
              // One open upper bound, mADX's: never P999Y beside P9999Y.
              const upper = Number(/--P(\d+)Y$/.exec(coding?.code as string)?.[1]);
              if (upper >= 150) expect(coding?.code).toMatch(/--P9999Y$/);
              openBounds.add((coding?.code as string).replace(/^P\d+Y--/, ''));
            }
          }
        }
      }
    }
    expect(systemsByMatch.get('age')).toEqual(new Set(['https://profiles.ihe.net/QRPH/mADX/CodeSystem/ISO8601DerivedPeriods']));
    expect(systemsByMatch.get('sex')).toEqual(new Set(['http://hl7.org/fhir/administrative-gender']));
    const expressionCategories = new Set(
      [...mappings.categoryCombos.values()].flatMap((combo) => combo.categories.filter((c) => c.match === 'expression').map((c) => c.code)),
    );
    expect(systemsByMatch.get('expression')).toEqual(new Set([...expressionCategories].map((code) => `${terminology.madx.categoryOption}/${code}`)));
    expect(systemsByMatch.has('unknown')).toBe(false);
    expect(openBounds).toContain('P9999Y');
    expect(openBounds).not.toContain('P999Y');
    // The DHIS2 codes themselves use both forms: only the report writes one.
    const optionCodes = [...mappings.categoryCombos.values()].flatMap((combo) => combo.categories.filter((c) => c.match === 'age').flatMap((c) => c.options.map((o) => o.code)));
    expect(optionCodes.some((code) => code.endsWith('--P999Y'))).toBe(true);
  });

  it('an element with the default combo has no stratifier', () => {
    const defaultElements = new Set(mappings.rules.filter((rule) => rule.categoryCombo === undefined).map((rule) => rule.dataElement));
    let seen = 0;
    for (const { report } of reports) {
      for (const group of report.group ?? []) {
        expect(group.stratifier === undefined).toBe(defaultElements.has(codeOf(group)));
        if (defaultElements.has(codeOf(group))) seen++;
      }
    }
    expect(seen).toBeGreaterThan(0);
  });

  it('a cell that fell to zero keeps its stratum, as DHIS2 gets an explicit 0', () => {
    const stratified = new Set(mappings.rules.filter((rule) => rule.categoryCombo !== undefined).map((rule) => rule.dataElement));
    for (const { group, cells } of reports.slice(0, 20)) {
      const index = cells.findIndex((cell) => stratified.has(cell.dataElement));
      if (index < 0) continue;
      const zeroed = cells.map((cell, i) => (i === index ? { ...cell, value: 0 } : cell));
      const element = (cellGroupToMeasureReport(group, zeroed, mappings, terminology).group ?? []).find((g) => codeOf(g) === cells[index]?.dataElement);
      const strata = element?.stratifier?.[0]?.stratum ?? [];
      expect(strata).toHaveLength(zeroed.filter((cell) => cell.dataElement === cells[index]?.dataElement).length);
      expect(strata.map((stratum) => stratum.measureScore?.value)).toContain(0);
    }
  });

  it('are deterministic: the cells in any order give the same report', () => {
    for (const { group, cells, report } of reports.slice(0, 20)) {
      expect(cellGroupToMeasureReport(group, [...cells].reverse(), mappings, terminology, { date: report.date })).toEqual(report);
    }
  });

  it('zero is not missing: a cell an earlier report carried and that fell to nothing is an explicit zero stratum; an element whose cells all fell keeps its group with count 0', () => {
    const stratified = new Set(mappings.rules.filter((rule) => rule.categoryCombo !== undefined).map((rule) => rule.dataElement));
    let checked = 0;
    for (const { group, cells } of reports.slice(0, 30)) {
      const index = cells.findIndex((cell) => stratified.has(cell.dataElement));
      if (index < 0) continue;
      const gone = cells[index] as CellValue;
      const reported = cells.map(reportedCellKey);
      const now = cells.filter((_, i) => i !== index);
      const report = cellGroupToMeasureReport(group, now, mappings, terminology, { reported });
      const element = (report.group ?? []).find((g) => codeOf(g) === gone.dataElement);
      const zero = (element?.stratifier?.[0]?.stratum ?? []).filter((stratum) => stratum.measureScore?.value === 0);
      expect(zero).toHaveLength(1);
      const comboCode = element?.stratifier?.[0]?.code?.[0]?.coding?.[0]?.code as string;
      expect(cocOfStratum(comboCode, (zero[0]?.component ?? []).map((c) => ({ dimension: { ...c.code.coding?.[0] }, value: { ...c.value.coding?.[0] } })))).toBe(gone.categoryOptionCombo);
      // Never reported before: absent, not zero.
      expect((cellGroupToMeasureReport(group, now, mappings, terminology).group ?? []).flatMap((g) => g.stratifier?.[0]?.stratum ?? []).some((s) => s.measureScore?.value === 0)).toBe(false);
      // Every cell gone: each element that was reported stays, at 0.
      const empty = cellGroupToMeasureReport(group, [], mappings, terminology, { reported });
      expect((empty.group ?? []).map((g) => [codeOf(g), g.population?.[0]?.count])).toEqual([...new Set(cells.map((c) => c.dataElement))].map((de) => [de, 0]).sort((a, b) => (report.group ?? []).findIndex((g) => codeOf(g) === a[0]) - (report.group ?? []).findIndex((g) => codeOf(g) === b[0])));
      expect(validateFhirResource(empty)).toEqual([]);
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
  });
});

describe('the Measure the reports cite', () => {
  it('one per data set: a group per data element, its stratifier components per category, a ValueSet per category with every code the reports use; all valid', () => {
    const dataSets = new Set(mappings.rules.map((rule) => rule.dataSet));
    for (const dataSet of dataSets) {
      const measure = measureOf(dataSet, mappings, terminology);
      const valueSets = measureValueSets(dataSet, mappings, terminology);
      expect(measure.meta?.profile).toEqual(['https://profiles.ihe.net/QRPH/mADX/StructureDefinition/mADX-Measure']);
      const elements = [...new Set(mappings.rules.filter((rule) => rule.dataSet === dataSet).map((rule) => rule.dataElement))];
      expect((measure.group ?? []).map((group) => group.code?.coding?.[0]?.code)).toEqual(elements);
      // What the mADX Measure profile requires: publisher, subject, group code, description and population code.
      expect([measure.publisher, measure.subjectCodeableConcept?.coding?.[0]?.code]).toEqual(['SMC bridge', 'Location']);
      for (const group of measure.group ?? []) {
        expect(group.description).toBeTruthy();
        expect(group.population?.[0]?.code?.coding?.[0]?.code).toBe('initial-population');
        const rule = mappings.rules.find((r) => r.dataSet === dataSet && r.dataElement === group.code?.coding?.[0]?.code);
        expect((group.stratifier?.[0]?.component ?? []).map((c) => c.code?.coding?.[0]?.code)).toEqual(rule?.categoryCombo?.categories.map((c) => c.code) ?? []);
      }
      // A depends-on artifact per category, naming its ValueSet at the Measure's version.
      expect((measure.relatedArtifact ?? []).map((artifact) => [artifact.type, artifact.label, artifact.resource])).toEqual(valueSets.map((vs) => ['depends-on', vs.url?.split('/').pop(), `${vs.url}|${measure.version}`]));
      for (const resource of [measure, ...valueSets]) expect(describeIssues(validateFhirResource(resource))).toBe('');
    }
    // Every stratum value of every report is in its category's ValueSet.
    const codesOf = new Map(measureValueSets('SMC_MONTHLY', mappings, terminology).map((vs) => [vs.url?.split('/').pop(), new Set((vs.compose?.include ?? []).flatMap((inc) => (inc.concept ?? []).map((c) => `${inc.system}|${c.code}`)))]));
    const report = cellGroupToMeasureReport(
      { dataSet: 'SMC_MONTHLY', orgUnit: 'CM-NW-001', period: '202610', attributeOptionCombo: 'default' },
      [...mappings.categoryCombos.values()].filter((combo) => mappings.rules.some((r) => r.dataSet === 'SMC_MONTHLY' && r.categoryCombo === combo)).flatMap((combo) => {
        const rule = mappings.rules.find((r) => r.dataSet === 'SMC_MONTHLY' && r.categoryCombo === combo)!;
        return [...combo.comboByOptions.values()].map((coc) => ({ dataElement: rule.dataElement, categoryOptionCombo: coc, value: 1 }));
      }).filter((cell, i, all) => all.findIndex((c) => c.dataElement === cell.dataElement && c.categoryOptionCombo === cell.categoryOptionCombo) === i),
      mappings,
      terminology,
    );
    for (const group of report.group ?? []) {
      for (const stratum of group.stratifier?.[0]?.stratum ?? []) {
        for (const component of stratum.component ?? []) {
          const coding = component.value.coding?.[0];
          expect(codesOf.get(component.code.coding?.[0]?.code)?.has(`${coding?.system}|${coding?.code}`)).toBe(true);
        }
      }
    }
  });
});

describe('refusals', () => {
  const group: CellGroup = { dataSet: 'SMC_MONTHLY', orgUnit: 'CM-NW-001', period: '202610', attributeOptionCombo: 'default' };

  /** A data element of a malaria rule and one category option combo of its combo. */
  function malaria(): { dataElement: string; coc: string } {
    const rule = mappings.rules.find((r) => r.dataSet === 'SMC_MONTHLY' && r.categoryCombo?.code === 'AGE_SEX_MALARIA');
    if (!rule?.categoryCombo) throw new Error('no rule with combo AGE_SEX_MALARIA');
    return { dataElement: rule.dataElement, coc: [...rule.categoryCombo.comboByOptions.values()][0] as string };
  }

  it('a cell outside its element\'s combo, an unmapped element, a bad period and an empty group', () => {
    const { dataElement, coc } = malaria();
    const refuse = (g: CellGroup, cells: CellValue[]) => () => cellGroupToMeasureReport(g, cells, mappings, terminology);
    expect(refuse(group, [{ dataElement, categoryOptionCombo: 'default', value: 1 }])).toThrow(/default is not in combo AGE_SEX_MALARIA/);
    expect(refuse(group, [{ dataElement: 'NOT_MAPPED', categoryOptionCombo: coc, value: 1 }])).toThrow(/no mapping rule .* NOT_MAPPED/);
    expect(refuse({ ...group, period: '2026-13' }, [{ dataElement, categoryOptionCombo: coc, value: 1 }])).toThrow(MeasureReportError);
    expect(refuse(group, [])).toThrow(/has no cells/);
    expect(refuse(group, [{ dataElement, categoryOptionCombo: coc, value: 1.5 }])).toThrow(/whole number/);
  });

  it('the validators catch a broken report', () => {
    const { dataElement, coc } = malaria();
    const report = cellGroupToMeasureReport(group, [{ dataElement, categoryOptionCombo: coc, value: 3 }], mappings, terminology);
    expect(validateFhirResource(report)).toEqual([]);
    const wrongStatus = { ...report, status: 'final' } as unknown as MeasureReport;
    expect(validateFhirResource(wrongStatus)).toContainEqual(expect.objectContaining({ validator: 'fhir.js', path: expect.stringContaining('status') }));
    const noCount = structuredClone(report);
    (noCount.group?.[0]?.population?.[0] as { count?: unknown }).count = '3';
    expect(validateFhirResource(noCount)).toContainEqual(expect.objectContaining({ validator: 'medplum' }));
  });
});

describe('through the FhirClient to the FHIR stand-in', () => {
  let server: FhirStandInServer;
  let client: FhirClient;

  beforeAll(async () => {
    server = await startFhirStandInServer();
    client = new FhirClient({ baseUrl: server.baseUrl, timeoutMs: 5_000 });
  });
  afterAll(async () => server.close());
  beforeEach(() => server.standIn.clear());

  /** A group with a stratified and a default-combo element, from the mappings. */
  function sample(orgUnit: string): { group: CellGroup; cells: CellValue[] } {
    const stratified = mappings.rules.find((rule) => rule.dataSet === 'SMC_MONTHLY' && (rule.categoryCombo?.categories.length ?? 0) > 1);
    const plain = mappings.rules.find((rule) => rule.dataSet === 'SMC_MONTHLY' && rule.categoryCombo === undefined);
    if (!stratified?.categoryCombo || !plain) throw new Error('the mappings lack the sample rules');
    const cocs = [...stratified.categoryCombo.comboByOptions.values()];
    return {
      group: { dataSet: 'SMC_MONTHLY', orgUnit, period: '202610', attributeOptionCombo: 'default' },
      cells: [
        ...cocs.map((coc, i) => ({ dataElement: stratified.dataElement, categoryOptionCombo: coc, value: i + 1 })),
        { dataElement: plain.dataElement, categoryOptionCombo: DEFAULT_CATEGORY_OPTION_COMBO, value: 7 },
      ],
    };
  }

  async function stored(): Promise<{ reports: MeasureReport[]; organizations: Organization[]; locations: Location[] }> {
    return {
      reports: await client.searchResources<MeasureReport>('MeasureReport', { _count: 100 }),
      organizations: await client.searchResources<Organization>('Organization', { _count: 100 }),
      locations: await client.searchResources<Location>('Location', { _count: 100 }),
    };
  }

  const statuses = (response: Bundle) => (response.entry ?? []).map((entry) => entry.response?.status?.slice(0, 3));

  it('sending the same report three times leaves one MeasureReport; a changed value updates it in place', async () => {
    const { group, cells } = sample('CM-NW-001');
    const report = cellGroupToMeasureReport(group, cells, mappings, terminology);
    expect(statuses(await sendMeasureReport(client, report))).toEqual(['201', '201', '201']);
    const first = await stored();
    expect([first.reports.length, first.organizations.length, first.locations.length]).toEqual([1, 1, 1]);
    for (let resend = 0; resend < 2; resend++) expect(statuses(await sendMeasureReport(client, report))).toEqual(['200', '200', '200']);
    const resent = await stored();
    expect(resent.reports.map((r) => r.id)).toEqual(first.reports.map((r) => r.id));
    expect([resent.organizations.length, resent.locations.length]).toEqual([1, 1]);
    const held = resent.reports[0] as MeasureReport;
    expect(held.subject?.reference).toBe(`Location/${first.locations[0]?.id}`);
    expect(held.reporter?.reference).toBe(`Organization/${first.organizations[0]?.id}`);
    expect(first.locations[0]?.managingOrganization?.reference).toBe(`Organization/${first.organizations[0]?.id}`);
    expect(held.group).toEqual(report.group);

    const changed = cells.map((cell, i) => (i === 0 ? { ...cell, value: cell.value + 10 } : cell));
    const updated = cellGroupToMeasureReport(group, changed, mappings, terminology);
    expect(statuses(await client.transaction(measureReportBundle(updated)))).toEqual(['200', '200', '200']);
    const after = await stored();
    expect(after.reports.map((r) => r.id)).toEqual(first.reports.map((r) => r.id));
    const target = changed[0]!;
    const heldGroup = after.reports[0]?.group?.find((g) => codeOf(g as MeasureReportGroup) === target.dataElement);
    expect(heldGroup?.population?.[0]?.count).toBe(sum(changed.filter((c) => c.dataElement === target.dataElement).map((c) => c.value)));
    const strata = heldGroup?.stratifier?.[0]?.stratum;
    if (strata) expect(strata.map((stratum) => stratum.measureScore?.value)).toContain(target.value);
  });

  it('publishes the Measure and its ValueSets by canonical url and version, once however often sent, and the report cites what the server holds', async () => {
    for (let send = 0; send < 2; send++) await client.transaction(measureBundle('SMC_MONTHLY', mappings, terminology));
    const measures = await client.searchResources<Measure>('Measure', { _count: 10 });
    expect(measures).toHaveLength(1);
    const { group, cells } = sample('CM-NW-001');
    const report = cellGroupToMeasureReport(group, cells, mappings, terminology);
    expect(report.measure).toBe(`${measures[0]?.url}|${measures[0]?.version}`);
    const valueSets = await client.searchResources<ValueSet>('ValueSet', { _count: 50 });
    expect(valueSets.map((vs) => `${vs.url}|${vs.version}`).sort()).toEqual((measures[0]?.relatedArtifact ?? []).map((a) => a.resource).sort());
  });

  it('the report lands on the facility Organization the encounter Bundles made', async () => {
    const encounter = fullEncounter();
    const bundle = encounterToBundle(encounter, terminology).bundle as Bundle;
    await client.transaction(bundle);
    const orgUnit = terminology.facilities.orgUnitOf(encounter.facility.code as string);
    const { group, cells } = sample(orgUnit);
    await sendMeasureReport(client, cellGroupToMeasureReport(group, cells, mappings, terminology));
    const { reports, organizations } = await stored();
    expect(organizations).toHaveLength(1);
    expect(reports[0]?.reporter?.reference).toBe(`Organization/${organizations[0]?.id}`);
  });

  it('codes with "|", "," or "/" still give one report per cell group', async () => {
    const { group, cells } = sample('CM|NW,001/A');
    const report = cellGroupToMeasureReport(group, cells, mappings, terminology);
    for (let send = 0; send < 3; send++) await sendMeasureReport(client, report);
    await sendMeasureReport(client, cellGroupToMeasureReport({ ...group, orgUnit: 'CM|NW,001' }, cells, mappings, terminology));
    expect((await stored()).reports).toHaveLength(2);
  });

  it('reports of other cell groups stay apart; an invalid report never leaves', async () => {
    const a = sample('CM-NW-001');
    const b = sample('CM-NW-002');
    await sendMeasureReport(client, cellGroupToMeasureReport(a.group, a.cells, mappings, terminology));
    await sendMeasureReport(client, cellGroupToMeasureReport(b.group, b.cells, mappings, terminology));
    await sendMeasureReport(client, cellGroupToMeasureReport({ ...a.group, period: '202609' }, a.cells, mappings, terminology));
    expect((await stored()).reports).toHaveLength(3);
    const entry = measureReportEntry(cellGroupToMeasureReport(a.group, a.cells, mappings, terminology));
    expect(entry.request).toEqual({ method: 'PUT', url: `MeasureReport?${identifierCriteria(entry.resource?.identifier?.[0] as { system: string; value: string })}` });

    const broken = { ...cellGroupToMeasureReport(a.group, a.cells, mappings, terminology), status: 'final' } as unknown as MeasureReport;
    await expect(sendMeasureReport(client, broken)).rejects.toThrow(MeasureReportError);
    expect((await stored()).reports).toHaveLength(3);
  });
});
