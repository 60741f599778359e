// The pipeline step that turns each current encounter version into ledger contributions (DESIGN.md §1.2–3).
// Safe to run twice: the ledger ignores a version it already holds. A training encounter is put into the
// ledger with no contributions too, so a practice record that replaced a real one takes its counts away.
import type { EncounterStore } from '../ingest/encounter-store.js';
import type { EncounterStep } from '../ingest/ingest-queue.js';
import type { CellGroup, Ledger } from '../ledger/ledger.js';
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
    const dirty = new Map<string, CellGroup>();
    for (const { ref, encounter } of encounters) {
      const result = aggregateContributions(encounter, options.mappings);
      const touched = await options.ledger.replace(ref.source, ref.id, ref.version, result.contributions);
      for (const group of touched) dirty.set(JSON.stringify(group), group);
      if (encounter.training === true) continue;
      const notes = [
        ...(result.excluded ? [`${result.excluded}: its counts are removed`] : []),
        ...result.unplaced.map((u) => `rule ${u.rule} not applied: ${u.reason}`),
      ];
      if (result.contributions.length === 0 && !result.excluded) {
        const reason = notes.length > 0 ? notes.join('; ') : 'no aggregate rule applies to this encounter';
        await options.store.setTargetState(ref, 'dhis2', { state: 'skipped', reason, at: new Date().toISOString() });
        continue;
      }
      await options.store.setTargetState(ref, 'dhis2', {
        state: 'mapped',
        at: new Date().toISOString(),
        ...(notes.length > 0 ? { reason: notes.join('; ') } : {}),
      });
    }
    if (dirty.size > 0) await options.onDirty([...dirty.values()]);
  };
}
