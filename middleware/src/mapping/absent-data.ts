// Most rules look at one section of the encounter (`immunization.doses…`, `malaria.test…`), and most
// encounters lack most sections. An expression that can only read fields the encounter does not have gives
// the same answer as on an empty encounter, so that answer is worked out once and reused (DESIGN.md §9:
// mapping must keep up with 5,000 encounters/s). The check is deliberately coarse: every name in the
// expression counts as a field it may read, and anything that can reach data without naming it ($this,
// %variables, children(), descendants(), repeat(), now() …) turns the shortcut off for that expression.
import type { CompiledExpression } from './load-mappings.js';

const REACHES_UNNAMED_DATA = /[$%]|\b(children|descendants|repeat|now|today|timeOfDay|resolve|trace|defineVariable)\s*\(/;

/** The names an expression mentions outside string literals (fields, functions, keywords alike). */
export function namesIn(expression: string): Set<string> {
  const withoutStrings = expression.replace(/'(?:[^'\\]|\\.)*'/g, "''");
  const names = new Set<string>();
  for (const match of withoutStrings.matchAll(/`([^`]*)`|[A-Za-z_][A-Za-z0-9_]*/g)) names.add(match[1] ?? match[0]);
  return names;
}

/** `compiled`, answering at once for an encounter that has none of the fields the expression names. */
export function skipWhenDataAbsent(expression: string, compiled: CompiledExpression): CompiledExpression {
  if (REACHES_UNNAMED_DATA.test(expression)) return compiled;
  const names = namesIn(expression);
  let onEmpty: unknown[] | undefined;
  return (encounter, environment) => {
    for (const key in encounter as object) if (names.has(key)) return compiled(encounter, environment);
    onEmpty ??= compiled({}, { deliveryWeeks: [] });
    return onEmpty;
  };
}
