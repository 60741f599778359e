// The shipped terminology tables load and cover the contract; broken copies fail with the file, the line
// and the path of each problem.
import { afterEach, beforeEach, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VACCINES } from '@smc-bridge/contract';
import { loadTerminology } from '../../src/fhir/terminology.js';
import { MappingsCopy, refusalsOf, SHIPPED_MAPPINGS } from '../support/mappings-copy.js';

const SHIPPED = SHIPPED_MAPPINGS;
let copy: MappingsCopy;

beforeEach(() => {
  copy = new MappingsCopy('terminology');
});
afterEach(() => copy.remove());

const edit = (file: string, from: string | RegExp, to: string) => copy.edit(join('fhir', file), from, to);
const errorsOf = () => refusalsOf(() => loadTerminology(copy.dir));
const lineOf = (file: string, text: string) => copy.lineOf(join('fhir', file), text);

it('the shipped tables load and cover every vaccine, medicine and encounter type', () => {
  const terminology = loadTerminology(SHIPPED);
  expect(Object.keys(terminology.vaccines).sort()).toEqual([...VACCINES].sort());
  expect(terminology.observations.bodyWeight.unit).toEqual({ system: 'http://unitsofmeasure.org', code: 'kg', unit: 'kg' });
  // IPTp-SP as SMART ANC models it: an Immunization with the dose-specific ANC code.
  expect(terminology.medications.iptp_sp.resource).toBe('Immunization');
  expect(terminology.medications.iptp_sp.doseCoding?.['2']?.[0]?.code).toBe('ANC.B10.DE247');
});

it('names file, line and path of a misspelt field', () => {
  edit('vaccines.yaml', '  yf:\n    code:', '  yf:\n    cod:');
  const errors = errorsOf();
  // (the line of an unknown key is where its value starts: the nested mapping on the next line)
  expect(errors).toContainEqual({ file: expect.stringMatching(/fhir\/vaccines\.yaml$/), line: lineOf('vaccines.yaml', 'cod:') + 1, path: 'vaccines.yf.cod', message: 'unknown field "cod"' });
  expect(errors).toContainEqual(expect.objectContaining({ path: 'vaccines.yf.code', line: lineOf('vaccines.yaml', 'cod:') }));
});

it('names a contract code the tables lack', () => {
  edit('vaccines.yaml', /  hpv:\n(    .*\n)+?(?=  td:)/, '');
  expect(errorsOf()).toEqual([
    expect.objectContaining({ file: expect.stringMatching(/fhir\/vaccines\.yaml$/), path: 'vaccines.hpv', message: expect.stringMatching(/contract can send "hpv"/) }),
  ]);
});

it('refuses a code system that is not a URI, and a section defined twice', () => {
  edit('observations.yaml', 'code: { coding: [{ system: http://loinc.org, code: 29463-7', 'code: { coding: [{ system: loinc, code: 29463-7');
  writeFileSync(join(copy.dir, 'fhir', 'extra.yaml'), 'referral:\n  code: { coding: [{ system: http://snomed.info/sct, code: "3457005" }] }\n');
  const errors = errorsOf();
  expect(errors).toContainEqual(expect.objectContaining({ path: 'observations.bodyWeight.code.coding[0].system', line: lineOf('observations.yaml', 'system: loinc') }));
  expect(errors).toContainEqual(expect.objectContaining({ file: expect.stringMatching(/extra\.yaml$/), line: 2, path: 'referral', message: expect.stringMatching(/already defined in .*encounters\.yaml/) }));
});

it('needs a code for a medicine that emits a resource, and a unit for a measurement', () => {
  edit('medications.yaml', '  other:\n    resource: none', '  other:\n    resource: MedicationRequest');
  edit('observations.yaml', /  bodyHeight:\n(.*\n){2}    unit: .*\n/, (readFileSync(join(copy.dir, 'fhir', 'observations.yaml'), 'utf8').match(/  bodyHeight:\n(.*\n){2}/) as RegExpMatchArray)[0]);
  expect(errorsOf().map((error) => `${error.path}: ${error.message}`).sort()).toEqual([
    'medications.other: needs a code to emit a MedicationRequest',
    'observations.bodyHeight: a numeric observation needs a unit (UCUM)',
  ]);
});

it('needs every mADX system', () => {
  expect(loadTerminology(SHIPPED).madx.ageBand).toBe('https://profiles.ihe.net/QRPH/mADX/CodeSystem/ISO8601DerivedPeriods');
  edit('madx.yaml', /  report: .*\n/, '');
  // (the line of a section is where its value starts: the line after "madx:")
  expect(errorsOf()).toEqual([
    { file: expect.stringMatching(/fhir\/madx\.yaml$/), line: lineOf('madx.yaml', 'madx:') + 1, path: 'madx.report', message: 'missing: mADX MeasureReports need "report"' },
  ]);
});

it('refuses an mADX system that is not an absolute URI', () => {
  edit('madx.yaml', /ageBand: \S+/, 'ageBand: ISO8601DerivedPeriods');
  expect(errorsOf()).toEqual([expect.objectContaining({ file: expect.stringMatching(/fhir\/madx\.yaml$/), path: 'madx.ageBand', line: lineOf('madx.yaml', 'ageBand:') })]);
});
