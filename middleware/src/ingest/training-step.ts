// Practice data never counts (DESIGN.md §2): a training encounter stops here, with its targets marked
// skipped so anyone asking sees why nothing was delivered.
import type { EncounterStore } from './encounter-store.js';
import type { EncounterStep } from './ingest-queue.js';
import { TARGETS } from '../domain/target-state.js';

export function skipTrainingEncounters(store: EncounterStore): EncounterStep {
  return async (encounters) => {
    const at = new Date().toISOString();
    await store.setTargetStates(
      encounters
        .filter(({ encounter }) => encounter.training === true)
        .flatMap(({ ref }) => TARGETS.map((target) => ({ ref, target, state: { state: 'skipped' as const, reason: 'training encounter: never delivered', at } }))),
    );
  };
}
