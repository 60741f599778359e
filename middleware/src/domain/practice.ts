// The training rule (DESIGN.md §2, "practice data never counts"), in one place: an encounter recorded in
// practice mode never reaches DHIS2 or the FHIR server. Its version still goes through the ledger, with no
// contributions, so a practice record that replaced a real one takes that one's counts away.
import type { Encounter } from '@smc-bridge/contract';

export const PRACTICE_REASON = 'training encounter: practice data never reaches DHIS2 or the FHIR server';

export function isPractice(encounter: Pick<Encounter, 'training'>): boolean {
  return encounter.training === true;
}
