// The compiled subset of FHIRPath must answer exactly as the fhirpath package does: on every shipped
// expression over generated encounters and over mutations of them (fields removed, values of another
// type, arrays where one value was), and on hand-made cases of FHIRPath's collection semantics.
import fc from 'fast-check';
import fhirpath from 'fhirpath';
import { ageAt, type Encounter } from '@smc-bridge/contract';
import { generateEncounters } from '@smc-bridge/generator';
import { compileSubset } from '../../src/mapping/fhirpath-subset.js';
import { deliveryWeeksOf } from '../../src/mapping/load-mappings.js';
import { shippedExpressions } from '../support/shipped-expressions.js';

type Env = Record<string, unknown>;
const reference = (expression: string) => {
  const compiled = fhirpath.compile(expression);
  return (input: unknown, environment: Env): string => {
    try {
      return JSON.stringify(compiled(input as object, environment));
    } catch (error) {
      return `error: ${String((error as Error)?.message ?? error).split('\n')[0]}`;
    }
  };
};
const subset = (expression: string) => {
  const general = fhirpath.compile(expression);
  const compiled = compileSubset(expression, (input, environment) => general(input as object, environment) as unknown[]);
  return compiled === undefined
    ? undefined
    : (input: unknown, environment: Env): string => {
        try {
          return JSON.stringify(compiled(input, environment));
        } catch (error) {
          return `error: ${String((error as Error)?.message ?? error).split('\n')[0]}`;
        }
      };
};
const environmentOf = (encounter: Encounter): Env => {
  const { years, days } = ageAt(encounter.patient, encounter.occurredAt);
  return { ...(years !== undefined ? { ageYears: years } : {}), ...(days !== undefined ? { ageDays: days } : {}), deliveryWeeks: deliveryWeeksOf(encounter) };
};

test('every shipped expression lies in the compiled subset', () => {
  const outside = shippedExpressions().filter((expression) => subset(expression) === undefined);
  expect(outside).toEqual([]);
});

test('on generated encounters of every type, every shipped expression answers as the fhirpath package does', () => {
  const encounters = generateEncounters({ seed: 11, facilityCount: 5, encounterCount: 2000, endDate: '2026-10-31', days: 365, enteredInErrorRate: 0.05 });
  const environments = encounters.map(environmentOf);
  for (const expression of shippedExpressions()) {
    const [fast, slow] = [subset(expression)!, reference(expression)];
    const differing = encounters.flatMap((encounter, i) => (fast(encounter, environments[i]!) === slow(encounter, environments[i]!) ? [] : [i]));
    expect([expression, differing.slice(0, 3)]).toEqual([expression, []]);
  }
});

test('on mutated encounters (fields removed or replaced by values of another shape), the answers still agree', () => {
  const bases = generateEncounters({ seed: 12, facilityCount: 3, encounterCount: 300, endDate: '2026-10-31' });
  const expressions = shippedExpressions().map((expression) => [expression, subset(expression)!, reference(expression)] as const);
  const awkward = fc.constantFrom<unknown>(null, true, false, 0, 1, 4, 12, 'anc', 'positive', 'act', 'B54', 'A09.0', 'J15', 'zinc', [], [1, 2], ['ors', 'zinc'], {}, { result: 'positive' }, { code: 'B50.9' }, [{ code: 'J18' }, { code: 'A09' }]);
  fc.assert(
    fc.property(fc.integer({ min: 0, max: bases.length - 1 }), fc.array(fc.tuple(fc.nat(), awkward, fc.boolean()), { minLength: 1, maxLength: 3 }), (index, edits) => {
      const encounter = structuredClone(bases[index]) as unknown as Record<string, unknown>;
      for (const [pick, value, remove] of edits) {
        // A field at depth one or two: a section, or a field of a section.
        const top = Object.keys(encounter);
        const key = top[pick % top.length] as string;
        const section = encounter[key];
        if (section && typeof section === 'object' && !Array.isArray(section) && pick % 2 === 0) {
          const inner = Object.keys(section as object);
          const field = inner[pick % Math.max(inner.length, 1)];
          if (field !== undefined) {
            if (remove) delete (section as Record<string, unknown>)[field];
            else (section as Record<string, unknown>)[field] = value;
          }
        } else if (remove) delete encounter[key];
        else encounter[key] = value;
      }
      const environment = { ageYears: (index % 70) as number, ageDays: index * 17, deliveryWeeks: deliveryWeeksOf(encounter as { delivery?: { gestationalAgeWeeks?: number } }) };
      for (const [expression, fast, slow] of expressions) {
        if (fast(encounter, environment) !== slow(encounter, environment)) throw new Error(`${expression} differs on ${JSON.stringify(encounter)}`);
      }
      return true;
    }),
    { numRuns: 300, seed: 20261202 },
  );
});

test.each([
  ["anc.visitNumber = 1", { anc: { visitNumber: 1 } }],
  ["anc.visitNumber = 1", {}],
  ["anc.visitNumber != 1", { anc: { visitNumber: 2 } }],
  ["(anc.visitNumber = 1).not()", {}],
  ["anc.exists() and malaria.exists()", { anc: {} }],
  ["anc.exists() and malaria.suspected", { anc: {}, malaria: {} }],
  ["anc.exists() or malaria.suspected", { malaria: {} }],
  ["malaria.suspected or anc.exists()", { malaria: { suspected: false } }],
  ["treatments contains 'zinc'", {}],
  ["treatments contains 'zinc'", { treatments: ['ors', 'zinc'] }],
  ["type in ('anc' | 'malaria')", {}],
  ["type in ('anc' | 'malaria')", { type: 'malaria' }],
  ["('a' | 'b' | 'a').count()", {}],
  ["diagnoses.where(code.matches('^B5[0-4]')).count()", { diagnoses: [{ code: 'B54' }, { code: 'A09.0' }, { code: 'B50.9' }] }],
  ["diagnoses.code.matches('^B5')", { diagnoses: [{ code: 'B54' }, { code: 'B50' }] }],
  ["%ageYears < 5", {}],
  ["%ageYears >= 'five'", {}],
  ["anc.visitNumber = '1'", { anc: { visitNumber: 1 } }],
  ["delivery.outcomes.where(outcome).exists()", { delivery: { outcomes: [{ outcome: 'live_birth' }] } }],
  ["delivery.outcomes.where(outcome = 'live_birth').count() >= 2", { delivery: { outcomes: [{ outcome: 'live_birth' }, { outcome: 'live_birth' }] } }],
  ["immunization.doses.where(vaccine = 'td' and doseNumber = 2).exists()", { immunization: { doses: [{ vaccine: 'td', doseNumber: 2 }] } }],
  ["'it\\'s' = 'it\\'s'", {}],
])('%s on %j answers as the fhirpath package does', (expression, input) => {
  const fast = subset(expression);
  const environment = { ageYears: 3 };
  if (fast === undefined) throw new Error(`${expression} should be in the subset`);
  expect(fast(input, environment)).toBe(reference(expression)(input, environment));
});

test('expressions outside the subset are left to the fhirpath package', () => {
  for (const expression of ['descendants().count()', '$this.anc.exists()', 'anc.visitNumber + 1 = 2', 'iif(anc.exists(), 1, 0)', '%ageYears.toString()']) {
    expect([expression, subset(expression)]).toEqual([expression, undefined]);
  }
});
