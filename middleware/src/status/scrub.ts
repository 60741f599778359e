// Upstream systems quote what they were sent: a FHIR server's 412 names the identifier it matched on, a
// validation message quotes a value. Before such text is stored in a status record or the dead-letter list,
// or returned by the API, it loses anything that could be patient data: the encounter's own patient values
// (identifiers, names, phone, birth date, village, insurance number), every quoted string (the resource type
// of a match URL is kept), identifier search parameters, dates and long digit runs.
import type { Encounter } from '@smc-bridge/contract';

const REDACTED = '[redacted]';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The patient values of an encounter that must never appear in a status or a log. */
export function patientValuesOf(encounter: Encounter): string[] {
  const { patient } = encounter;
  const values = [
    ...patient.identifiers.map((identifier) => identifier.value),
    patient.name?.given,
    patient.name?.family,
    patient.phone,
    patient.phone?.replace(/\D/g, ''),
    patient.birthDate,
    patient.village,
    patient.coverage?.memberId,
  ];
  // Short values ("A", "12") would blank unrelated words; the generic rules below still catch digits.
  return [...new Set(values.filter((value): value is string => value !== undefined && value.length >= 3))].sort((a, b) => b.length - a.length);
}

/** `text` without any of this encounter's patient values. */
export function removePatientValues(text: string, encounter: Encounter): string {
  let scrubbed = text;
  for (const value of patientValuesOf(encounter)) scrubbed = scrubbed.replace(new RegExp(escapeRegExp(value), 'gi'), REDACTED);
  return scrubbed;
}

/** Text from an upstream system with patient data removed; `encounter` adds its own patient's values. */
export function scrubUpstreamText(text: string, encounter?: Encounter): string {
  return (encounter ? removePatientValues(text, encounter) : text)
    .replace(/"([^"]*)"/g, (_quoted, inner: string) => {
      const matchUrl = /^([A-Z][A-Za-z]+)\?/.exec(inner);
      return matchUrl ? `"${matchUrl[1]}?…"` : '"…"';
    })
    .replace(/\b(identifier|telecom|phone|name|given|family|birthdate)=[^\s&"',;)]*/gi, `$1=${REDACTED}`)
    .replace(/\b\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?\b/g, REDACTED)
    .replace(/\+?\d[\d -]{4,}\d/g, REDACTED);
}
