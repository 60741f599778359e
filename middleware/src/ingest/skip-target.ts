// A pipeline step for a target this deployment does not deliver to: its status says so, with the reason,
// instead of staying "accepted" forever.
import type { EncounterStore } from './encounter-store.js';
import type { EncounterStep } from './ingest-queue.js';
import type { TargetName } from '../domain/target-state.js';

export function skipTarget(store: EncounterStore, target: TargetName, reason: string): EncounterStep {
  return async (encounters) => {
    const at = new Date().toISOString();
    await store.setTargetStates(
      encounters.filter(({ encounter }) => encounter.training !== true).map(({ ref }) => ({ ref, target, state: { state: 'skipped' as const, reason, at } })),
    );
  };
}
