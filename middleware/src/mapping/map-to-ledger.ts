// The pipeline step that turns each current encounter version into ledger contributions (DESIGN.md §1.2–3).
// One job's encounters go to the ledger in one pipelined round trip, and their states in another (§9).
// Safe to run twice: the ledger ignores a version it already holds and remembers what that version did, so a
// re-run after a crash sets the same states. A training encounter is put into the ledger with no
// contributions too, so a practice record that replaced a real one takes its counts away.
import type { EncounterStore } from '../ingest/encounter-store.js';
import type { EncounterStep } from '../ingest/ingest-queue.js';
import type { Ledger, ReplaceOutcome } from '../ledger/ledger.js';
import { aggregateContributions, type AggregateMapping } from './aggregate-contributions.js';
import type { Mappings } from './load-mappings.js';
import type { TargetState } from '../domain/target-state.js';
import type { CellGroup } from '../domain/cells.js';

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

    const at = new Date().toISOString();
    await options.store.setTargetStates(
      encounters.flatMap(({ ref, encounter }, index) => {
        const outcome = outcomes[index]!;
        // Training encounters have their own step; a stale version's newer version sets the state.
        if (encounter.training === true || outcome.outcome === 'stale') return [];
        return [{ ref, target: 'dhis2' as const, state: { ...dhis2StateAfterMapping(results[index]!, outcome), at } }];
      }),
    );
    if (dirty.size > 0) await options.onDirty([...dirty.values()]);
  };
}

/** What an encounter's DHIS2 status says once it is in the ledger, before the push. */
export function dhis2StateAfterMapping(result: AggregateMapping, outcome: ReplaceOutcome): Pick<TargetState, 'state' | 'reason'> {
  const notes = result.unplaced.map((u) => `rule ${u.rule} not applied: ${u.reason}`);
  if (result.contributions.length > 0) return { state: 'mapped', ...(notes.length > 0 ? { reason: notes.join('; ') } : {}) };
  const why = result.excluded ?? (notes.length > 0 ? notes.join('; ') : 'no aggregate rule applies to this encounter');
  // Counts it had before must leave DHIS2: the push that removes them marks it delivered.
  if (outcome.withdrew) return { state: 'mapped', reason: `${why}: its earlier counts are being removed` };
  return { state: 'skipped', reason: why };
}
