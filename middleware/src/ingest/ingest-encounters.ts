// Ingest of a list of posted encounters: validate each one, store the valid ones durably, queue what was
// newly stored, and say per encounter what happened. Items are independent: a bad item is rejected with its
// errors while the others go through.
import { createHash } from 'node:crypto';
import { validateEncounter, type Encounter, type FieldError } from '@smc-bridge/contract';
import { jsonPointer } from '@smc-bridge/contract';
import type { IngestResult } from '../http/api-schemas.js';
import type { AcceptOutcome, EncounterStore } from './encounter-store.js';
import type { EncounterRef } from '../domain/encounter-ref.js';


export interface IngestDeps {
  store: EncounterStore;
  /** Queues newly stored versions as one job. */
  enqueue: (refs: EncounterRef[]) => Promise<void>;
  /** The facility's IANA time zone (mappings/facilities.yaml), for the contract's rules on local dates. */
  timeZoneOf?: (facility: Encounter['facility']) => string;
}

export interface IngestRequest {
  items: readonly unknown[];
  /** The source the API key speaks for; an encounter may only be posted by its own source. */
  keySource: string;
  /** Where the items sit in the request body, for error paths: [] for a single encounter. */
  itemPath: (index: number) => PropertyKey[];
  now: Date;
  /** The DHIS2 user who entered the encounters, when they came through the DHIS2 app's Route. */
  enteredBy?: string;
}

/** The encounter as stored, and the hash of its content. */
function serialised(encounter: Encounter): { body: string; contentHash: string } {
  // The parsed encounter lists its fields in schema order, so equal content hashes equally whatever key
  // order the client used.
  const body = JSON.stringify(encounter);
  return { body, contentHash: createHash('sha256').update(body).digest('hex') };
}

/** Whatever identification a rejected item offers, so the client can match the answer to its record. */
function identification(item: unknown): Pick<IngestResult, 'source' | 'id' | 'version'> {
  if (typeof item !== 'object' || item === null) return {};
  const { source, id, version } = item as Record<string, unknown>;
  return {
    ...(typeof source === 'string' ? { source } : {}),
    ...(typeof id === 'string' ? { id } : {}),
    ...(typeof version === 'number' ? { version } : {}),
  };
}

function resultFor(index: number, encounter: Encounter, outcome: AcceptOutcome, path: PropertyKey[]): IngestResult {
  const ref = { index, source: encounter.source, id: encounter.id, version: encounter.version };
  switch (outcome.outcome) {
    case 'accepted':
      return { ...ref, status: 'accepted' };
    case 'duplicate':
      return { ...ref, status: 'duplicate' };
    case 'stale':
      return { ...ref, status: 'stale', currentVersion: outcome.currentVersion };
    case 'conflict':
      return {
        ...ref,
        status: 'rejected',
        errors: [
          {
            path: jsonPointer([...path, 'version']),
            message: `version ${encounter.version} was already accepted with different content; send a higher version`,
          },
        ],
      };
  }
}

export async function ingestEncounters(request: IngestRequest, deps: IngestDeps): Promise<IngestResult[]> {
  const results: IngestResult[] = new Array(request.items.length);
  const valid: { index: number; encounter: Encounter; body: string; contentHash: string; enteredBy?: string }[] = [];

  request.items.forEach((item, index) => {
    const path = request.itemPath(index);
    const validation = validateEncounter(item, request.now, path, deps.timeZoneOf ? { timeZoneOf: deps.timeZoneOf } : {});
    if (!validation.ok) {
      results[index] = { index, ...identification(item), status: 'rejected', errors: validation.errors };
    } else if (validation.encounter.source !== request.keySource) {
      results[index] = {
        index,
        ...identification(item),
        status: 'rejected',
        errors: [
          { path: jsonPointer([...path, 'source']), message: `must be "${request.keySource}", the source of this API key` },
        ],
      };
    } else {
      valid.push({ index, encounter: validation.encounter, ...serialised(validation.encounter), ...(request.enteredBy ? { enteredBy: request.enteredBy } : {}) });
    }
  });

  const outcomes = await deps.store.accept(valid, request.now);
  const accepted: EncounterRef[] = [];
  valid.forEach(({ index, encounter }, position) => {
    const outcome = outcomes[position] as AcceptOutcome;
    if (outcome.outcome === 'accepted') accepted.push({ source: encounter.source, id: encounter.id, version: encounter.version });
    results[index] = resultFor(index, encounter, outcome, request.itemPath(index));
  });

  await deps.enqueue(accepted);
  return results;
}
