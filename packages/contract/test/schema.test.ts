// The published JSON Schema is generated from the contract and kept current; an independent JSON Schema
// validator (ajv) agrees with the contract on valid and invalid encounters.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { buildEncounterJsonSchema, validateEncounter } from '../src/index.js';
import { ancEncounter, withField } from './fixtures.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const published = JSON.parse(readFileSync(new URL('../src/encounter.schema.json', import.meta.url), 'utf8')) as object;
const now = new Date('2026-11-23T12:00:00Z');

test('the committed encounter.schema.json is what the contract generates (npm run contract:schema)', () => {
  expect(published).toEqual(buildEncounterJsonSchema());
});

describe('ajv and the contract agree', () => {
  const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
  const check = ajv.compile(published);
  const valid = ancEncounter();

  test('a valid encounter passes both', () => {
    expect(validateEncounter(valid, now)).toMatchObject({ ok: true });
    expect(check(valid)).toBe(true);
  });

  test.each([
    ['unknown field', ['foo'], 1],
    ['wrong type', ['version'], '1'],
    ['bad enum', ['type'], 'surgery'],
    ['out of range', ['anc', 'gestationalAgeWeeks'], 50],
    ['missing required', ['patient'], undefined],
    ['date without offset', ['occurredAt'], '2026-10-02T09:30:00'],
  ])('%s fails both', (_name, path, value) => {
    const broken = withField(valid, path as string[], value);
    expect(validateEncounter(broken, now).ok).toBe(false);
    expect(check(broken)).toBe(false);
  });
});
