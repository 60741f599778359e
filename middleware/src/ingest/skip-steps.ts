// Two pipeline steps that only say why nothing is delivered: practice data never counts (its targets are
// skipped), and a target this deployment does not deliver to is skipped too, instead of staying "accepted".
import { isPractice } from '../domain/practice.js';
import type { TargetName } from '../domain/target-state.js';
import { practiceUpdates, targetStates } from '../status/target-states.js';
import type { EncounterStore } from './encounter-store.js';
import type { EncounterStep } from './ingest-queue.js';

export function skipPractice(store: EncounterStore): EncounterStep {
  return async (encounters) => store.setTargetStates(practiceUpdates(encounters));
}

export function skipTarget(store: EncounterStore, target: TargetName, reason: string): EncounterStep {
  return async (encounters) =>
    store.setTargetStates(encounters.filter(({ encounter }) => !isPractice(encounter)).map(({ ref }) => ({ ref, target, state: targetStates.skipped(reason) })));
}
