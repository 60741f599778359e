// The pipeline step that turns each current encounter version into ledger contributions (DESIGN.md §1.2–3).
// One job's encounters go to the ledger in one pipelined round trip, and their states in another (§9).
// Safe to run twice: the ledger ignores a version it already holds and remembers what that version did, so a
// re-run after a crash sets the same states. A training encounter is put into the ledger with no
// contributions too, so a practice record that replaced a real one takes its counts away.
import type { EncounterStore } from '../ingest/encounter-store.js';
import type { EncounterStep } from '../ingest/ingest-queue.js';
import type { CellGroup } from '../domain/cells.js';
import { isPractice } from '../domain/practice.js';
import type { Ledger } from '../ledger/ledger.js';
import { stateAfterMapping } from '../status/target-states.js';
import { aggregateContributions } from './aggregate-contributions.js';
import type { Mappings } from './load-mappings.js';

export function mapToLedger(options: {
  mappings: Mappings;
  ledger: Ledger;
  store: EncounterStore;
  /** Told about every cell group that changed, to schedule its push. */
  onDirty: (groups: CellGroup[]) => Promise<void>;
}): EncounterStep {
  return async (encounters) => {
    const results = encounters.map(({ encounter }) => aggregateContributions(encounter, options.mappings));
    const outcomes = await options.ledger.replaceMany(
      encounters.map(({ ref }, index) => ({ ...ref, contributions: results[index]!.contributions })),
    );
    const dirty = new Map<string, CellGroup>();
    for (const outcome of outcomes) for (const group of outcome.touched) dirty.set(JSON.stringify(group), group);

    await options.store.setTargetStates(
      encounters.flatMap(({ ref, encounter }, index) => {
        const outcome = outcomes[index]!;
        // Practice versions have their own step; a stale version's newer version sets the state.
        if (isPractice(encounter) || outcome.outcome === 'stale') return [];
        return [{ ref, target: 'dhis2' as const, state: stateAfterMapping(results[index]!, outcome.withdrew) }];
      }),
    );
    if (dirty.size > 0) await options.onDirty([...dirty.values()]);
  };
}
