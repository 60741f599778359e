// The two records of an upload that others share with this encounter, read from the FHIR server first:
// - the Patient: matched on every identifier the encounter carries; when this is the patient's most recent
//   encounter, this source's view is merged into the server's copy (fhir/patient-merge.ts: only what this
//   source owns changes) and sent as a version-aware update (`PUT Patient/<id>` with `If-Match`), so a value
//   a client registry added meanwhile makes the server refuse (412/409) and the job merges again;
// - records to withdraw: what an earlier version carried and this one does not, or a shared record no live
//   encounter asserts any more, is read back and marked entered-in-error (`PUT <Type>/<id>` with `If-Match`),
//   never deleted.
// Every request goes through the FhirClient, whose errors carry only statuses and issue codes; the caller
// scrubs any server text before storing it (status/scrub.ts).
import type { BundleEntry, Patient, Resource } from '@medplum/fhirtypes';
import type { FhirClient } from '../../fhir/fhir-client.js';
import { withdrawnRecord } from '../../fhir/encounter-bundle.js';
import { mergePatient, NOTHING_OWNED, slotsOf, type OwnedPatientSlots } from '../../fhir/patient-merge.js';
import { anyIdentifierSearchValue } from '../../fhir/record-identity.js';
import type { Terminology } from '../../fhir/terminology.js';

/** Several Patients on the server carry this encounter's identifiers: duplicates a person must merge there. */
export class AmbiguousPatientError extends Error {
  constructor(readonly matches: number) {
    super(`${matches} Patients on the FHIR server carry the identifiers of this encounter's patient; merge them on the server, then replay`);
    this.name = 'AmbiguousPatientError';
  }
}

export type SearchingClient = Pick<FhirClient, 'search'>;

const versionTag = (resource: Resource) => (resource.meta?.versionId ? `W/"${resource.meta.versionId}"` : undefined);

export interface PatientPlan {
  /** The Patient entry to send: the Bundle's conditional create as it is, or a version-aware update. */
  entry: BundleEntry;
  /** Whether the entry is an update with If-Match (a refusal then means: read and merge again). */
  versioned: boolean;
  /** What this source will own once the upload succeeds: `created` when the server makes the Patient, `existing` when it finds one. */
  owned: { created: OwnedPatientSlots; existing: OwnedPatientSlots | undefined };
}

/**
 * Plans the Patient of an upload. `update`: this encounter is the patient's most recent, so it sets the
 * demographics it owns. The entry keeps the Bundle's fullUrl, so every reference to the Patient still holds.
 */
export async function planPatient(client: SearchingClient, entry: BundleEntry<Patient>, update: boolean, owned: OwnedPatientSlots | undefined): Promise<PatientPlan> {
  const ours = entry.resource as Patient;
  const identifiers = (ours.identifier ?? []).flatMap((identifier) => (identifier.system && identifier.value ? [{ system: identifier.system, value: identifier.value }] : []));
  const bundle = await client.search<Patient>('Patient', { identifier: anyIdentifierSearchValue(identifiers), _count: 2 });
  const matches = (bundle.entry ?? []).flatMap((match) => (match.resource ? [match.resource] : []));
  const total = Math.max(bundle.total ?? 0, matches.length);
  if (total > 1) throw new AmbiguousPatientError(total);
  const created = slotsOf(ours);
  const [server] = matches;
  if (server === undefined || !update) {
    // None yet (the conditional create makes it, and this source owns all it sent), or an older encounter:
    // found by the same criteria and left as it is.
    return { entry, versioned: false, owned: { created, existing: owned } };
  }
  const merge = mergePatient(server, ours, owned ?? NOTHING_OWNED);
  if (!merge.changed) return { entry, versioned: false, owned: { created, existing: merge.owned } };
  const ifMatch = versionTag(server);
  return {
    entry: {
      fullUrl: entry.fullUrl,
      resource: { ...merge.patient, id: server.id },
      request: { method: 'PUT', url: `Patient/${server.id}`, ...(ifMatch ? { ifMatch } : {}) },
    },
    versioned: ifMatch !== undefined,
    owned: { created, existing: merge.owned },
  };
}

/**
 * Entries that mark the records `criteria` name entered-in-error, from the copies the server holds (one
 * entry per match; none for a record the server does not hold or holds already withdrawn).
 */
export async function withdrawalEntries(client: SearchingClient, criteria: readonly string[], terminology: Terminology): Promise<BundleEntry[]> {
  const entries: BundleEntry[] = [];
  for (const url of criteria) {
    const mark = url.indexOf('?');
    if (mark <= 0) continue;
    const resourceType = url.slice(0, mark) as Resource['resourceType'];
    const params = Object.fromEntries(new URLSearchParams(url.slice(mark + 1)));
    const found = await client.search(resourceType, { ...params, _count: 10 });
    for (const match of found.entry ?? []) {
      const resource = match.resource;
      if (!resource?.id || isWithdrawn(resource)) continue;
      const ifMatch = versionTag(resource);
      entries.push({
        resource: { ...withdrawnRecord(resource, terminology), id: resource.id },
        request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}`, ...(ifMatch ? { ifMatch } : {}) },
      });
    }
  }
  return entries;
}

function isWithdrawn(resource: Resource): boolean {
  if (resource.resourceType === 'Condition') return resource.verificationStatus?.coding?.some((coding) => coding.code === 'entered-in-error') ?? false;
  return (resource as { status?: string }).status === 'entered-in-error';
}
