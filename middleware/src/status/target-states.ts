// Every target state an encounter version goes through, and what moves it (DESIGN.md §1.6):
//   accepted  — stored, nothing done yet
//   mapped    — in the ledger, its cells waiting for their DHIS2 push (or its earlier counts being removed)
//   retrying  — a delivery failed in a way time may fix: the attempt, the last reason, the next attempt
//   delivered — the target holds it (for DHIS2: every cell group its version changed)
//   failed    — the target refused it for good; the reason says why, the dead-letter list holds the job
//   skipped   — nothing to deliver (practice data, no rule applies, no such target configured)
// The other modules ask for a state here and store it; none writes a state of its own making.
import { isPractice, PRACTICE_REASON } from '../domain/practice.js';
import type { EncounterRef } from '../domain/encounter-ref.js';
import { TARGETS, type TargetName, type TargetState } from '../domain/target-state.js';
import type { NextAttempt } from '../queues/retry-timing.js';

/** A state to record; the version comes from the encounter it is recorded for. */
export type StateChange = Omit<TargetState, 'version'>;

export interface StateUpdate {
  ref: EncounterRef;
  target: TargetName;
  state: StateChange;
}

const now = () => new Date().toISOString();
const withReason = (reason: string | undefined) => (reason !== undefined ? { reason } : {});

export const targetStates = {
  accepted: (at = now()): StateChange => ({ state: 'accepted', at }),
  mapped: (reason?: string): StateChange => ({ state: 'mapped', ...withReason(reason), at: now() }),
  retrying: (reason: string, next?: NextAttempt): StateChange => ({
    state: 'retrying',
    reason,
    ...(next ? { attempt: next.attempt, nextAttemptAt: next.nextAttemptAt } : {}),
    at: now(),
  }),
  delivered: (reason?: string): StateChange => ({ state: 'delivered', ...withReason(reason), at: now() }),
  failed: (reason: string): StateChange => ({ state: 'failed', reason, at: now() }),
  skipped: (reason: string): StateChange => ({ state: 'skipped', reason, at: now() }),
};

/** What the mapping made of a version, as far as its DHIS2 state goes. */
export interface MappingResult {
  contributions: readonly unknown[];
  unplaced: readonly { rule: string; reason: string }[];
  excluded?: string;
}

/** The DHIS2 state of a version once it is in the ledger, before its push. */
export function stateAfterMapping(result: MappingResult, withdrewEarlierCounts: boolean): StateChange {
  const notes = result.unplaced.map((u) => `rule ${u.rule} not applied: ${u.reason}`);
  if (result.contributions.length > 0) return targetStates.mapped(notes.length > 0 ? notes.join('; ') : undefined);
  const why = result.excluded ?? (notes.length > 0 ? notes.join('; ') : 'no aggregate rule applies to this encounter');
  // Counts it had before must leave DHIS2: the push that removes them marks it delivered.
  if (withdrewEarlierCounts) return targetStates.mapped(`${why}: its earlier counts are being removed`);
  return targetStates.skipped(why);
}

/** A practice version is skipped for every target, with the reason. */
export function practiceUpdates(encounters: readonly { ref: EncounterRef; encounter: { training?: boolean | undefined } }[]): StateUpdate[] {
  return encounters.filter(({ encounter }) => isPractice(encounter)).flatMap(({ ref }) => TARGETS.map((target) => ({ ref, target, state: targetStates.skipped(PRACTICE_REASON) })));
}
