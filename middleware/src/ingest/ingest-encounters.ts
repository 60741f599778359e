// Ingest of a validated request body (batch-validation.ts): store the valid encounters durably, queue what
// was newly stored, and say per encounter what happened. Items are independent: a bad item is rejected with
// its errors while the others go through.
import { jsonPointer } from '@smc-bridge/contract';
import type { IngestResult } from '../http/api-schemas.js';
import type { AcceptOutcome, EncounterStore } from './encounter-store.js';
import type { EncounterRef } from '../domain/encounter-ref.js';
import { itemPathOf, type BatchValidation, type ValidItem } from './batch-validation.js';

export interface IngestDeps {
  store: EncounterStore;
  /** Queues newly stored versions as one job. */
  enqueue: (refs: EncounterRef[]) => Promise<void>;
}

export type ValidatedBatch = Exclude<BatchValidation, { problem: unknown }>;

function resultFor(item: ValidItem, outcome: AcceptOutcome, batch: boolean): IngestResult {
  const ref = { index: item.index, source: item.source, id: item.id, version: item.version };
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
            path: jsonPointer([...itemPathOf(batch, item.index), 'version']),
            message: `version ${item.version} was already accepted with different content; send a higher version`,
          },
        ],
      };
  }
}

/** `enteredBy`: the DHIS2 user who entered the encounters, when they came through the DHIS2 app's Route. */
export async function ingestValidated(validated: ValidatedBatch, request: { now: Date; enteredBy?: string }, deps: IngestDeps): Promise<IngestResult[]> {
  const { valid, batch } = validated;
  const outcomes = await deps.store.accept(
    valid.map((item) => ({ encounter: item, contentHash: item.contentHash, body: item.body, ...(request.enteredBy ? { enteredBy: request.enteredBy } : {}) })),
    request.now,
  );
  const results = [...validated.rejected] as IngestResult[];
  const accepted: EncounterRef[] = [];
  valid.forEach((item, position) => {
    const outcome = outcomes[position] as AcceptOutcome;
    if (outcome.outcome === 'accepted') accepted.push({ source: item.source, id: item.id, version: item.version });
    results[item.index] = resultFor(item, outcome, batch);
  });
  await deps.enqueue(accepted);
  return results;
}
