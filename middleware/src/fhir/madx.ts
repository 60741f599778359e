// One DHIS2 cell group → one IHE mADX MeasureReport (reference/fhir.md §1.5), the FHIR twin of the values
// posted to /api/dataValueSets for that group. Pure: the same cells, mappings and terminology always give the
// same report, so a resend is a no-op and a changed value updates the report in place.
//
// Shape:
// - status complete, type summary, `date` when it was made, `meta.profile` the mADX MeasureReport profile,
//   `measure` = <measureBase>/Measure/<dataSet>|<version>: the Measure this module publishes (`measureOf`,
//   with a ValueSet per category), which the FHIR worker sends before the first report that cites it;
// - the DHIS2 attribute option combo the report is for, as an extension (not only in the identifier);
// - zero and missing told apart: a cell the report once carried and that fell to nothing is reported as an
//   explicit zero stratum (a data element whose cells all fell, as population count 0), as the DHIS2 push
//   posts its explicit zero; a cell never reported is absent ("not reported");
// - an age band open above has one upper bound, the mADX one (P9999Y), whatever DHIS2 code it has;
// - `period` from the DHIS2 period;
// - reporter: the facility Organization, by its DHIS2 org unit code (the identifier the encounter Bundles
//   give it, so both land on the same Organization); subject: the facility as a Location with the same
//   identifier, managed by that Organization (R4 does not allow an Organization as MeasureReport.subject;
//   mADX's own examples report on a Location);
// - identifier <report system>|<dataSet>/<orgUnit>/<period>/<attributeOptionCombo>, each code percent-encoded:
//   the conditional PUT key. "/" rather than "|" between the codes, and codes encoded, so the value never needs
//   FHIR search escaping (`\|`), which the Medplum router does not honour (a resend would duplicate);
// - one group per data element (in mapping-rule order): group.code = the data element code, one population
//   (initial-population) whose count is the total of the element's cells;
// - for an element with a category combo, one stratifier (code = the combo) with one stratum per cell
//   (in the combo's option order): a component per category (code = the category; value = the option: age
//   bands in the mADX ISO8601DerivedPeriods system, sexes in administrative-gender, any other option in
//   <categoryOption base>/<category code>) and measureScore.value = the cell value. An element with the
//   default combo has no stratifier.
// Every system comes from the madx section of the terminology tables (mappings/fhir/madx.yaml).
import { createHash } from 'node:crypto';
import type {
  Bundle,
  BundleEntry,
  CodeableConcept,
  Coding,
  Identifier,
  Measure,
  MeasureGroup,
  MeasureReport,
  ValueSet,
  MeasureReportGroup,
  MeasureReportGroupStratifierStratum,
  Location,
  Organization,
  Reference,
} from '@medplum/fhirtypes';
import { DEFAULT_CATEGORY_OPTION_COMBO, type Category, type CategoryCombo, type CategoryOption, type Mappings } from '../mapping/load-mappings.js';
import { periodBounds } from '../mapping/period-ids.js';
import type { FhirClient } from './fhir-client.js';
import { fullUrlOf, identifierCriteria, systemUnder } from './record-identity.js';
import type { ConceptEntry, Terminology } from './terminology.js';
import { describeIssues, validateFhirResource } from './validate-resources.js';
import type { CellGroup, CellValue } from '../domain/cells.js';

/** A cell group that cannot become a MeasureReport; the message names the group and what to fix. */
export class MeasureReportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MeasureReportError';
  }
}

type SystemValue = Identifier & { system: string; value: string };

function describeGroup(group: CellGroup): string {
  return `cell group ${group.dataSet} / ${group.orgUnit} / ${group.period} / ${group.attributeOptionCombo}`;
}

/** The business identifier of the report of one cell group. */
export function measureReportIdentifier(group: CellGroup, terminology: Terminology): SystemValue {
  return {
    use: 'official',
    system: terminology.madx.report,
    value: [group.dataSet, group.orgUnit, group.period, group.attributeOptionCombo].map((code) => encodeURIComponent(code)).join('/'),
  };
}

/** The facility's identifier: the same one encounter Bundles give the facility Organization. */
export function facilityIdentifier(orgUnitCode: string, terminology: Terminology): SystemValue {
  return { use: 'official', system: terminology.identifierSystems.orgUnitCode, value: orgUnitCode };
}

function concept(entry: ConceptEntry): CodeableConcept {
  return { coding: entry.coding.map((c) => ({ system: c.system, code: c.code, ...(c.display ? { display: c.display } : {}) })) };
}

/** Upper bounds at or above this many years mean "no upper bound" (no one is that old). */
const OPEN_AGE_YEARS = 150;

/** An ISO 8601 age band with its open upper bound written as the table's one form (P999Y and P9999Y alike). */
export function normalAgeBand(code: string, openBound: string): string {
  const match = /^(.*--)P(\d+)Y$/.exec(code);
  return match && Number(match[2]) >= OPEN_AGE_YEARS ? `${match[1]}${openBound}` : code;
}

/** The coding of one category option, as a stratum component value. */
export function optionCoding(category: Category, option: CategoryOption, terminology: Terminology): Coding {
  const madx = terminology.madx;
  switch (category.match) {
    case 'age':
      return { system: madx.ageBand, code: normalAgeBand(option.code, madx.openAgeBound) };
    case 'sex':
      // The loader makes every option of a sex category say which sex it is.
      return { system: madx.sex, code: option.sex as string };
    case 'expression':
      return { system: systemUnder(madx.categoryOption, category.code), code: option.code };
  }
}

/** Every option combination of a combo, in category order, with its category option combo code. */
function optionCombinations(combo: CategoryCombo): { options: CategoryOption[]; coc: string }[] {
  let combinations: CategoryOption[][] = [[]];
  for (const category of combo.categories) {
    combinations = combinations.flatMap((prefix) => category.options.map((option) => [...prefix, option]));
  }
  return combinations.flatMap((options) => {
    const coc = combo.comboByOptions.get(options.map((option) => option.code).join('|'));
    return coc === undefined ? [] : [{ options, coc }];
  });
}

/** The data elements of a data set in rule order, each with its category combo (undefined: default). */
function elementsOf(dataSet: string, mappings: Mappings): Map<string, CategoryCombo | undefined> {
  const elements = new Map<string, CategoryCombo | undefined>();
  for (const rule of mappings.rules) {
    if (rule.dataSet !== dataSet) continue;
    if (elements.has(rule.dataElement) && elements.get(rule.dataElement) !== rule.categoryCombo) {
      const names = [elements.get(rule.dataElement), rule.categoryCombo].map((combo) => combo?.code ?? 'default');
      throw new MeasureReportError(
        `data element ${rule.dataElement} of data set ${dataSet} has rules with different category combos (${names.join(', ')}); an mADX group needs one`,
      );
    }
    elements.set(rule.dataElement, rule.categoryCombo);
  }
  return elements;
}

function groupOf(
  group: CellGroup,
  dataElement: string,
  combo: CategoryCombo | undefined,
  cells: readonly CellValue[],
  terminology: Terminology,
  reported: ReadonlySet<string>,
): MeasureReportGroup {
  const madx = terminology.madx;
  const valueOf = new Map<string, number>();
  for (const cell of cells) {
    if (valueOf.has(cell.categoryOptionCombo)) {
      throw new MeasureReportError(`${describeGroup(group)} holds cell ${dataElement} / ${cell.categoryOptionCombo} twice`);
    }
    if (!Number.isFinite(cell.value) || cell.value < 0) {
      throw new MeasureReportError(`${describeGroup(group)}: cell ${dataElement} / ${cell.categoryOptionCombo} has value ${cell.value}, not a count`);
    }
    valueOf.set(cell.categoryOptionCombo, cell.value);
  }
  // A cell an earlier report carried and that fell to nothing: an explicit zero, not "not reported".
  for (const key of reported) {
    const [element, coc] = JSON.parse(key) as [string, string];
    if (element === dataElement && !valueOf.has(coc)) valueOf.set(coc, 0);
  }
  const total = cells.reduce((sum, cell) => sum + cell.value, 0);
  if (!Number.isInteger(total)) {
    throw new MeasureReportError(`${describeGroup(group)}: data element ${dataElement} totals ${total}; an mADX population count is a whole number`);
  }

  const result: MeasureReportGroup = {
    code: { coding: [{ system: madx.dataElement, code: dataElement }] },
    population: [{ code: concept(madx.population), count: total }],
  };
  if (combo === undefined) {
    const other = cells.find((cell) => cell.categoryOptionCombo !== DEFAULT_CATEGORY_OPTION_COMBO);
    if (other) {
      throw new MeasureReportError(
        `${describeGroup(group)}: data element ${dataElement} has no category combo, but a cell has category option combo ${other.categoryOptionCombo}`,
      );
    }
    return result;
  }

  const strata: MeasureReportGroupStratifierStratum[] = [];
  for (const { options, coc } of optionCombinations(combo)) {
    const value = valueOf.get(coc);
    if (value === undefined) continue;
    valueOf.delete(coc);
    strata.push({
      component: combo.categories.map((category, i) => ({
        code: { coding: [{ system: madx.category, code: category.code }] },
        value: { coding: [optionCoding(category, options[i] as CategoryOption, terminology)] },
      })),
      measureScore: { value },
    });
  }
  const [unknown] = valueOf.keys();
  if (unknown !== undefined) {
    throw new MeasureReportError(`${describeGroup(group)}: category option combo ${unknown} is not in combo ${combo.code} of data element ${dataElement}`);
  }
  result.stratifier = [{ code: [{ coding: [{ system: madx.categoryCombo, code: combo.code }] }], stratum: strata }];
  return result;
}

/** A cell of a group, as the set of cells reported before keeps it: JSON [dataElement, categoryOptionCombo]. */
export function reportedCellKey(cell: Pick<CellValue, 'dataElement' | 'categoryOptionCombo'>): string {
  return JSON.stringify([cell.dataElement, cell.categoryOptionCombo]);
}

export interface MeasureReportOptions {
  /** Cells (as `reportedCellKey`) an earlier report of the group carried: reported as zero when they fell to nothing. */
  reported?: Iterable<string>;
  /** When the report is made (MeasureReport.date); default now. */
  date?: string;
}

/** The mADX MeasureReport of one cell group, from the group's current cells (zeros included). */
export function cellGroupToMeasureReport(
  group: CellGroup,
  cells: readonly CellValue[],
  mappings: Mappings,
  terminology: Terminology,
  options: MeasureReportOptions = {},
): MeasureReport {
  const bounds = periodBounds(group.period);
  if (!bounds) throw new MeasureReportError(`${describeGroup(group)}: "${group.period}" is not a monthly or weekly DHIS2 period`);
  const reported = new Set(options.reported ?? []);
  if (cells.length === 0 && reported.size === 0) throw new MeasureReportError(`${describeGroup(group)} has no cells; an mADX report needs at least one group`);

  const elements = elementsOf(group.dataSet, mappings);
  const cellsOf = new Map<string, CellValue[]>();
  for (const key of reported) {
    const [dataElement] = JSON.parse(key) as [string, string];
    if (elements.has(dataElement) && !cellsOf.has(dataElement)) cellsOf.set(dataElement, []);
  }
  for (const cell of cells) {
    if (!elements.has(cell.dataElement)) {
      throw new MeasureReportError(`${describeGroup(group)}: no mapping rule of data set ${group.dataSet} targets data element ${cell.dataElement}`);
    }
    cellsOf.set(cell.dataElement, [...(cellsOf.get(cell.dataElement) ?? []), cell]);
  }

  const facility = facilityIdentifier(group.orgUnit, terminology);
  const subject: Reference<Location> = { reference: fullUrlOf('Location', facility), type: 'Location', identifier: facility };
  const reporter: Reference<Organization> = { reference: fullUrlOf('Organization', facility), type: 'Organization', identifier: facility };
  const measure = measureOf(group.dataSet, mappings, terminology);
  return {
    resourceType: 'MeasureReport',
    meta: { profile: [terminology.madx.reportProfile] },
    extension: [
      {
        url: terminology.extensions.attributeOptionCombo,
        valueCodeableConcept: { coding: [{ system: terminology.madx.attributeOptionCombo, code: group.attributeOptionCombo }] },
      },
    ],
    identifier: [measureReportIdentifier(group, terminology)],
    status: 'complete',
    type: 'summary',
    measure: `${measure.url}|${measure.version}`,
    subject,
    date: options.date ?? new Date().toISOString(),
    reporter,
    period: bounds,
    group: [...elements].flatMap(([dataElement, combo]) => {
      const elementCells = cellsOf.get(dataElement);
      return elementCells ? [groupOf(group, dataElement, combo, elementCells, terminology, reported)] : [];
    }),
  };
}

/** Expression.language (extensible binding): the criteria are described in words; the rules live in mappings/. */
const PLAIN_TEXT = 'text/plain' as 'text/fhirpath';

/** The categories of a data set's combos, each once, in rule order. */
function categoriesOf(dataSet: string, mappings: Mappings): Category[] {
  const seen = new Map<string, Category>();
  for (const combo of elementsOf(dataSet, mappings).values()) for (const category of combo?.categories ?? []) if (!seen.has(category.code)) seen.set(category.code, category);
  return [...seen.values()];
}

function valueSetUrl(category: Category, terminology: Terminology): string {
  return systemUnder(terminology.madx.valueSetBase, 'ValueSet', category.code);
}

/** The ValueSet of one category's option codes, as the reports code them. */
function valueSetOf(category: Category, version: string, terminology: Terminology): ValueSet {
  const codings = category.options.map((option) => optionCoding(category, option, terminology));
  const systems = [...new Set(codings.map((coding) => coding.system as string))];
  return {
    resourceType: 'ValueSet',
    url: valueSetUrl(category, terminology),
    version,
    name: category.code.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z])/, 'C$1'),
    title: `Options of DHIS2 category ${category.code}`,
    status: 'active',
    experimental: false,
    publisher: terminology.madx.publisher,
    description: `The values of the ${category.code} disaggregation in the mADX reports of the SMC bridge.`,
    compose: { include: systems.map((system) => ({ system, concept: [...new Set(codings.filter((c) => c.system === system).map((c) => c.code as string))].map((code) => ({ code })) })) },
  };
}

/**
 * The IHE mADX Measure a data set's reports conform to: one group per data element (its population; a
 * stratifier with a component per category, for an element with a combo), and a `depends-on` related artifact
 * per category naming the ValueSet of its codes. Its version is a digest of that content, so a change of the
 * mappings publishes a new version and older reports keep citing theirs.
 */
export function measureOf(dataSet: string, mappings: Mappings, terminology: Terminology): Measure & { url: string; version: string } {
  const madx = terminology.madx;
  const categories = categoriesOf(dataSet, mappings);
  const descriptions = new Map<string, string>();
  for (const rule of mappings.rules) if (rule.dataSet === dataSet && !descriptions.has(rule.dataElement)) descriptions.set(rule.dataElement, rule.description);
  const groups: MeasureGroup[] = [...elementsOf(dataSet, mappings)].map(([dataElement, combo]) => ({
    code: { coding: [{ system: madx.dataElement, code: dataElement }] },
    description: descriptions.get(dataElement) ?? dataElement,
    population: [{ code: concept(madx.population), description: `Count of ${dataElement}`, criteria: { language: PLAIN_TEXT, expression: `the DHIS2 data element ${dataElement}, counted by the rules of mappings/aggregate` } }],
    ...(combo
      ? {
          // (mea-1: a stratifier has either its own criteria or components; the combo is what its components make)
          stratifier: [
            {
              component: combo.categories.map((category) => ({
                code: { coding: [{ system: madx.category, code: category.code }] },
                criteria: { language: PLAIN_TEXT, expression: `the option of DHIS2 category ${category.code} (mappings/categories.yaml)` },
              })),
            },
          ],
        }
      : {}),
  }));
  const content = {
    groups,
    categories: categories.map((category) => [category.code, category.options.map((option) => optionCoding(category, option, terminology))]),
  };
  const version = createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 12);
  return {
    resourceType: 'Measure',
    meta: { profile: [madx.measureProfile] },
    url: systemUnder(madx.measureBase, 'Measure', dataSet),
    version,
    name: dataSet.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z])/, 'M$1'),
    title: `DHIS2 data set ${dataSet}`,
    status: 'active',
    experimental: false,
    publisher: madx.publisher,
    description: `The aggregate values of the DHIS2 data set ${dataSet} as the SMC bridge reports them in IHE mADX MeasureReports: one group per data element, one stratum per category option combo.`,
    subjectCodeableConcept: { coding: [{ system: madx.subjectType.system, code: madx.subjectType.code }] },
    scoring: concept(madx.scoring),
    relatedArtifact: categories.map((category) => ({ type: 'depends-on', label: category.code, resource: `${valueSetUrl(category, terminology)}|${version}` })),
    group: groups,
  };
}

/** The ValueSets a data set's Measure depends on, at the Measure's version. */
export function measureValueSets(dataSet: string, mappings: Mappings, terminology: Terminology): ValueSet[] {
  const { version } = measureOf(dataSet, mappings, terminology);
  return categoriesOf(dataSet, mappings).map((category) => valueSetOf(category, version, terminology));
}

/**
 * One transaction publishing a data set's Measure and its ValueSets, each by conditional PUT on its canonical
 * url and version: idempotent, and a new version lands beside the old one.
 */
export function measureBundle(dataSet: string, mappings: Mappings, terminology: Terminology): Bundle {
  const measure = measureOf(dataSet, mappings, terminology);
  const byCanonical = (resource: Measure | ValueSet): BundleEntry => ({
    resource,
    request: { method: 'PUT', url: `${resource.resourceType}?url=${encodeURIComponent(resource.url as string)}&version=${encodeURIComponent(resource.version as string)}` },
  });
  return { resourceType: 'Bundle', type: 'transaction', entry: [...measureValueSets(dataSet, mappings, terminology).map(byCanonical), byCanonical(measure)] };
}

function identifierOf(report: MeasureReport): SystemValue {
  const identifier = report.identifier?.[0];
  if (identifier?.system === undefined || identifier.value === undefined) {
    throw new MeasureReportError('the MeasureReport has no identifier (system and value) to be upserted by');
  }
  return { system: identifier.system, value: identifier.value };
}

/** The report as a transaction entry: conditional PUT on its identifier (created once, then updated in place). */
export function measureReportEntry(report: MeasureReport): BundleEntry<MeasureReport> {
  const identifier = identifierOf(report);
  return {
    fullUrl: fullUrlOf('MeasureReport', identifier),
    resource: report,
    request: { method: 'PUT', url: `MeasureReport?${identifierCriteria(identifier)}` },
  };
}

function facilityOf(reference: Reference | undefined, role: string): SystemValue {
  const identifier = reference?.identifier;
  if (identifier?.system === undefined || identifier.value === undefined) {
    throw new MeasureReportError(`the MeasureReport ${role} names no facility identifier`);
  }
  return { use: 'official', system: identifier.system, value: identifier.value };
}

/**
 * One transaction per report: the facility Organization and Location by conditional create (found when
 * they exist, e.g. the Organization the encounter Bundles made), then the report by conditional PUT. The
 * report's urn:uuid subject and reporter resolve to them.
 */
export function measureReportBundle(report: MeasureReport): Bundle {
  const organizationId = facilityOf(report.reporter, 'reporter');
  const locationId = facilityOf(report.subject, 'subject');
  const organizationUrl = fullUrlOf('Organization', organizationId);
  const organization: Organization = { resourceType: 'Organization', identifier: [organizationId], active: true };
  const location: Location = {
    resourceType: 'Location',
    identifier: [locationId],
    status: 'active',
    mode: 'instance',
    managingOrganization: { reference: organizationUrl },
  };
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { fullUrl: organizationUrl, resource: organization, request: { method: 'POST', url: 'Organization', ifNoneExist: identifierCriteria(organizationId) } },
      { fullUrl: fullUrlOf('Location', locationId), resource: location, request: { method: 'POST', url: 'Location', ifNoneExist: identifierCriteria(locationId) } },
      measureReportEntry(report),
    ],
  };
}

/**
 * Checks the report with both validators, then sends it as one transaction; resolves with the
 * transaction-response Bundle. An invalid report is refused before it leaves (a MeasureReportError, which no
 * retry can fix); transport and server failures reject with the client's FhirRequestError.
 */
export async function sendMeasureReport(client: Pick<FhirClient, 'transaction'>, report: MeasureReport): Promise<Bundle> {
  const issues = validateFhirResource(report);
  if (issues.length > 0) throw new MeasureReportError(`the MeasureReport is not valid FHIR R4:\n${describeIssues(issues)}`);
  return client.transaction(measureReportBundle(report));
}
