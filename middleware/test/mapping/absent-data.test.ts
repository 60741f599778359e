// The shortcut for encounters that lack the fields an expression names must never change an answer.
import fhirpath from 'fhirpath';
import { namesIn, skipWhenDataAbsent } from '../../src/mapping/absent-data.js';
import { deliveryWeeksOf, type CompiledExpression } from '../../src/mapping/load-mappings.js';
import { ageAt } from '@smc-bridge/contract';
import { generateEncounters } from '@smc-bridge/generator';
import { shippedExpressions } from '../support/shipped-expressions.js';

const plain = (expression: string): CompiledExpression => {
  const compiled = fhirpath.compile(expression);
  return (encounter, environment) => compiled(encounter as object, environment as unknown as Record<string, unknown>) as unknown[];
};

test('names are read outside string literals, backticks included', () => {
  expect([...namesIn("immunization.doses.where(vaccine = 'bcg and anc' and doseNumber = 1).exists()")].sort()).toEqual(
    ['and', 'doseNumber', 'doses', 'exists', 'immunization', 'vaccine', 'where'].sort(),
  );
  expect(namesIn('`family planning`.method')).toEqual(new Set(['family planning', 'method']));
});

test('on generated encounters of every type, every shipped expression answers as plain FHIRPath does', () => {
  const expressions = shippedExpressions();
  expect(expressions.length).toBeGreaterThan(40);
  const encounters = generateEncounters({ seed: 3, facilityCount: 5, encounterCount: 3000, endDate: '2026-10-31', days: 365, enteredInErrorRate: 0.05 });
  expect(new Set(encounters.map((e) => e.type)).size).toBeGreaterThanOrEqual(7);
  const environments = encounters.map((encounter) => {
    const { years, days } = ageAt(encounter.patient, encounter.occurredAt);
    return { ...(years !== undefined ? { ageYears: years } : {}), ...(days !== undefined ? { ageDays: days } : {}), deliveryWeeks: deliveryWeeksOf(encounter) };
  });
  let shortcuts = 0;
  for (const expression of expressions) {
    // Plain FHIRPath's answer on each encounter, once; the shortcut's inner expression hands these back, so
    // the comparison below tests exactly the answers the shortcut gives without evaluating.
    const reference = plain(expression);
    const expected = encounters.map((encounter, i) => JSON.stringify(reference(encounter, environments[i]!)));
    let current = 0;
    let evaluated = 0;
    const fast = skipWhenDataAbsent(expression, () => {
      evaluated++;
      return JSON.parse(expected[current]!) as unknown[];
    });
    const differing: number[] = [];
    encounters.forEach((encounter, i) => {
      current = i;
      if (JSON.stringify(fast(encounter, environments[i]!)) !== expected[i]) differing.push(i);
    });
    expect([expression, differing.slice(0, 5)]).toEqual([expression, []]);
    if (evaluated < encounters.length) shortcuts++;
  }
  // The shortcut is taken for most expressions, or it would not be worth having.
  expect(shortcuts).toBeGreaterThan(expressions.length / 2);
});

test('expressions that can reach data without naming it never take the shortcut', () => {
  for (const expression of ['%ageYears < 5', '$this.anc.exists()', 'descendants().where($this = 1).exists()', 'children().exists()', "now() > @2020-01-01"]) {
    let evaluated = 0;
    const fast = skipWhenDataAbsent(expression, () => {
      evaluated++;
      return [true];
    });
    fast({ type: 'anc' }, { deliveryWeeks: [] });
    fast({ type: 'anc' }, { deliveryWeeks: [] });
    expect([expression, evaluated]).toEqual([expression, 2]);
  }
  // An expression about a missing section is answered as on an empty encounter: `anc.empty()` is true.
  expect(skipWhenDataAbsent('anc.empty()', plain('anc.empty()'))({ type: 'malaria', malaria: {} }, { deliveryWeeks: [] })).toEqual([true]);
});
