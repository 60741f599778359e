// Every FHIRPath expression in the shipped mapping files (rule conditions, values, category options), for
// the tests that check an expression engine or a shortcut against the fhirpath package on all of them.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const MAPPINGS = fileURLToPath(new URL('../../../mappings', import.meta.url));

export function shippedExpressions(): string[] {
  const found: string[] = [];
  const collect = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(collect);
    else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if ((key === 'when' || key === 'value') && typeof value === 'string' && value !== 'count') found.push(value);
        else collect(value);
      }
    }
  };
  collect(parse(readFileSync(`${MAPPINGS}/categories.yaml`, 'utf8')));
  for (const file of readdirSync(`${MAPPINGS}/aggregate`)) collect(parse(readFileSync(`${MAPPINGS}/aggregate/${file}`, 'utf8')));
  return [...new Set(found)];
}
