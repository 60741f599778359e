// The DQR scorecard on a hand-computed district, the configuration file and its errors, the benchmark
// generator's labels, and the package's purity (no Node built-in in src, so a browser bundle can use it).
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { generateSeries, injectErrors } from '../src/benchmark/index.js';
import { DataQualityConfigError, parseDataQualityConfig } from '../src/config.js';
import { dqrScorecard } from '../src/scorecard/dqr-scorecard.js';

const months = (count: number, value: number | null) => Array.from({ length: count }, () => value);

describe('the DQR scorecard', () => {
  it('computes completeness, outliers and consistency over time for a district by hand', () => {
    // A: 2021–2023 at 10 a month (120 a year); 2024: eleven 10s and a 46 (total 156; 156/120 = 1.3, inside ±33 %);
    //    the 46 is 3.3166 SD from the mean (extreme), and modified z 8.094 through the MeanAD fallback.
    // B: 2021–2023 at 10; 2024: six months of 10 reported, six missing (completeness 50 %; 60/120 = 0.5, outside).
    // District: completeness (12 + 6)/24 = 0.75; total 156 + 60 = 216 against 240 a year → 0.9 (inside).
    const a = { district: 'D1', history: { orgUnit: 'A', start: '202101', cells: [{ dataElement: 'X', categoryOptionCombo: 'default', values: [...months(36, 10), ...months(11, 10), 46] }] } };
    const b = { district: 'D1', history: { orgUnit: 'B', start: '202101', cells: [{ dataElement: 'X', categoryOptionCombo: 'default', values: [...months(36, 10), ...months(6, 10), ...months(6, null)] }] } };
    const card = dqrScorecard([a, b], [{ id: 'x', operands: [{ dataElement: 'X' }] }], 2024, { relations: [], signals: [] });
    const score = card.indicators[0];
    expect(score?.completeness).toEqual({ expected: 24, reported: 18, rate: 0.75, facilitiesBelowTarget: 1 });
    expect(score?.outliers).toMatchObject({ values: 18, extreme: 1, moderate: 1, facilitiesWithMoreThanOneModerate: 0, modifiedZ: 1 });
    expect(score?.outliers.seasonalScreening).toBeGreaterThanOrEqual(1); // our screening flags the 46 as well
    expect(score?.consistencyOverTime).toEqual({ total: 216, referenceMean: 240, ratio: 0.9, flagged: false, facilitiesCompared: 2, facilitiesOutside: 1 });
  });
});

describe('mappings/data-quality.yaml', () => {
  const text = readFileSync(new URL('../../../mappings/data-quality.yaml', import.meta.url), 'utf8');

  it('parses, and every code it names is in the aggregate mappings or the categories (or is marked as not yet mapped)', () => {
    const config = parseDataQualityConfig(text, 'mappings/data-quality.yaml');
    expect(config.relations.map((relation) => relation.id)).toEqual(expect.arrayContaining(['rdt-positive-within-tested', 'anc4-within-anc1', 'penta3-within-penta1']));
    const mappingsDir = new URL('../../../mappings/', import.meta.url);
    const known = ['aggregate/malaria.yaml', 'aggregate/maternal-health.yaml', 'aggregate/immunization.yaml', 'categories.yaml'].map((file) => readFileSync(new URL(file, mappingsDir), 'utf8')).join('\n');
    const codes = [
      ...config.relations.flatMap((relation) => [...relation.left, ...relation.right]),
      ...config.scorecard.relatedIndicators.flatMap((relation) => [...relation.a, ...relation.b]),
    ].flatMap((operand) => [operand.dataElement, ...(operand.categoryOptionCombo ? [operand.categoryOptionCombo] : [])]);
    for (const code of codes) expect(known).toContain(code);
    expect(config.groups.map((group) => group.id)).toEqual(['malaria', 'maternal', 'immunization']);
    for (const code of config.groups.flatMap((group) => group.dataElements)) expect(known).toContain(`dataElement: ${code}\n`);
  });

  it('names the file, the line and the path of a data element put in two groups', () => {
    // RMNCAH_ANC4 added to the malaria group, where the maternal group already has it
    const twice = text.replace('      - MAL_SUSP_MAL_CASES\n', '      - MAL_SUSP_MAL_CASES\n      - RMNCAH_ANC4\n');
    expect(twice).not.toEqual(text);
    try {
      parseDataQualityConfig(twice, 'data-quality.yaml');
      throw new Error('expected a DataQualityConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(DataQualityConfigError);
      const problem = (error as DataQualityConfigError).problems[0];
      expect(problem?.message).toContain('RMNCAH_ANC4 is already in group "malaria"');
      expect(problem?.path).toMatch(/^groups\[1\]\.dataElements\[\d+\]$/);
      expect(twice.split('\n')[(problem?.line ?? 0) - 1]).toContain('- RMNCAH_ANC4');
    }
  });

  it('names the file, the line and the path of a mistake', () => {
    const broken = text.replace('operator: "<="', 'operator: "<"');
    try {
      parseDataQualityConfig(broken, 'data-quality.yaml');
      throw new Error('expected a DataQualityConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(DataQualityConfigError);
      const problem = (error as DataQualityConfigError).problems[0];
      expect(problem).toMatchObject({ file: 'data-quality.yaml', path: 'relations[0].operator' });
      expect(broken.split('\n')[(problem?.line ?? 0) - 1]).toContain('operator: "<"');
    }
  });
});

describe('the benchmark generator', () => {
  const series = () => generateSeries({ seed: 11, facilities: 8, start: '202101', months: 48 });

  it('is determined by its seed', () => {
    expect(JSON.stringify(series().facilities)).toEqual(JSON.stringify(series().facilities));
    expect(JSON.stringify(generateSeries({ seed: 12, facilities: 8, start: '202101', months: 48 }).facilities)).not.toEqual(JSON.stringify(series().facilities));
  });

  it('labels every injected error where it changed the value, never on a genuine event, in the way its kind says', () => {
    const generated = series();
    const errors = injectErrors(generated, { seed: 3, cellRate: 0.02, swapRate: 0.05, from: 12 });
    expect(errors.length).toBeGreaterThan(20);
    for (const error of errors) {
      const facility = generated.facilities.find((candidate) => candidate.orgUnit === error.orgUnit);
      for (const cell of error.cells) {
        const values = facility?.history.cells.find((c) => c.dataElement === cell.dataElement && c.categoryOptionCombo === cell.categoryOptionCombo)?.values;
        expect(values?.[cell.index]).toBe(cell.injected);
        expect(cell.index).toBeGreaterThanOrEqual(12);
        expect(generated.genuine.has(`${error.orgUnit}|${cell.dataElement}|${cell.categoryOptionCombo}|${cell.index}`)).toBe(false);
        if (error.kind === 'times-10') expect(cell.injected).toBe(cell.original * 10);
        if (error.kind === 'divided-by-10') expect(cell.injected).toBe(Math.round(cell.original / 10));
        if (error.kind === 'transposition') expect(Math.abs(cell.injected - cell.original)).toBeGreaterThanOrEqual(0.3 * cell.original);
        if (error.kind !== 'copied-forward') expect(cell.injected).not.toBe(cell.original);
      }
    }
  });

  it('keeps RDT positive within RDT tested in the clean series', () => {
    for (const facility of series().facilities) {
      for (const positive of facility.history.cells.filter((cell) => cell.dataElement === 'MAL_CASES_POS_RDT')) {
        const tested = facility.history.cells.find((cell) => cell.dataElement === 'MAL_CASES_TEST_RDT' && cell.categoryOptionCombo === positive.categoryOptionCombo);
        positive.values.forEach((value, index) => expect(value ?? 0).toBeLessThanOrEqual(tested?.values[index] ?? 0));
      }
    }
  });
});

describe('the package sources', () => {
  it('use no Node built-in, so that a browser bundle can import them', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts')) files.push(path);
      }
    };
    walk(new URL('../src', import.meta.url).pathname);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) expect(readFileSync(file, 'utf8')).not.toMatch(/from 'node:|from '(fs|path|os|crypto)'|\bprocess\.|\bBuffer\b|require\(/);
  });
});
