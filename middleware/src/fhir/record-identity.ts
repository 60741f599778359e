// Deterministic identity of every resource an encounter becomes (DESIGN.md §1.5): a business identifier
// (`<record system>|<source>/<encounter-id>/<element>` for records of the encounter; the register's own
// identifier for a patient, a facility or a practitioner), the conditional criteria built from it, and a
// urn:uuid fullUrl derived from it. The same encounter, in any version, always gives the same three, which
// is what lets a new version update its resources in place and a resend change nothing.
import { createHash } from 'node:crypto';
import type { Identifier } from '@medplum/fhirtypes';

const TOKEN_SPECIAL = /[\\|,$]/;

/** A FHIR search token escapes "\", "|", "," and "$" with a backslash (FHIR R4 search, "Escaping"). */
function escapeToken(text: string): string {
  return TOKEN_SPECIAL.test(text) ? text.replace(/[\\|,$]/g, (character) => `\\${character}`) : text;
}

/** What encodeURIComponent leaves as it is, and ":" and "/" (the mapping's values are nearly all of these). */
const QUERY_PLAIN = /^[A-Za-z0-9\-_.!~*'():/]*$/;

/** Percent-encodes a query value, keeping ":" and "/" readable (both are allowed in a URI query). */
function encodeQueryValue(text: string): string {
  if (QUERY_PLAIN.test(text)) return text;
  return encodeURIComponent(text).replace(/%3A/gi, ':').replace(/%2F/gi, '/');
}

/**
 * `identifier=<system>|<value>`: the query part of a conditional request, as `Bundle.entry.request.ifNoneExist`
 * takes it (no `Patient?` prefix: the Medplum router silently ignores the prefixed form, reference/fhir.md §2.3)
 * and as `request.url` takes it after `Type?`.
 */
export function identifierCriteria(identifier: { system: string; value: string }): string {
  return `identifier=${identifierToken(identifier)}`;
}

function identifierToken(identifier: { system: string; value: string }): string {
  return `${encodeQueryValue(escapeToken(identifier.system))}|${encodeQueryValue(escapeToken(identifier.value))}`;
}

/**
 * `a|1,b|2`, unencoded (for a client that encodes search parameters itself): the value of the `identifier`
 * parameter matching a resource that carries any of the identifiers (a comma between
 * values of one parameter is FHIR search's OR). With one identifier, the same as `identifierCriteria`.
 */
export function anyIdentifierSearchValue(identifiers: readonly { system: string; value: string }[]): string {
  return identifiers.map((identifier) => `${escapeToken(identifier.system)}|${escapeToken(identifier.value)}`).join(',');
}

/** As `anyIdentifierSearchValue`, percent-encoded into a query: `identifier=a|1,b|2`. */
export function anyIdentifierCriteria(identifiers: readonly { system: string; value: string }[]): string {
  return `identifier=${identifiers.map(identifierToken).join(',')}`;
}

/** A name-based UUID (RFC 9562 version 5 layout over SHA-1) of the resource type and its identifier. */
export function fullUrlOf(resourceType: string, identifier: { system: string; value: string }): string {
  const hash = createHash('sha1').update(`${resourceType}?${identifier.system}|${identifier.value}`).digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50;
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The identifier of one record (element) made from an encounter. */
export function recordIdentifier(system: string, source: string, encounterId: string, element: string): Identifier & { system: string; value: string } {
  return { use: 'official', system, value: `${source}/${encounterId}/${element}` };
}

/** True when `text` is an absolute URI (so a register name can be used as an identifier system as it is). */
export function isAbsoluteUri(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:[^\s]+$/i.test(text);
}

/** `<base>/<segment>/…`, each segment percent-encoded, for identifier systems built from names. */
export function systemUnder(base: string, ...segments: string[]): string {
  return [base.replace(/\/+$/, ''), ...segments.map((segment) => encodeURIComponent(segment))].join('/');
}
