// Shared by the data-quality tests: family-planning visits (their cells belong to no group of related
// elements, so a ×10 in them is a slip, not an epidemic) at a facility, month by month.
import type { Encounter } from '@smc-bridge/contract';
import { ancEncounter } from '../support/fixtures.js';

export const FP_ELEMENT = 'RMNCAH_C1U';

/** `count` family-planning visits at `facility` in `month` (YYYY-MM), ids `${label}-${month}-${n}`. */
export function visits(facility: string, label: string, month: string, count: number, from = 0): Encounter[] {
  return Array.from({ length: count }, (_, n) =>
    ancEncounter({
      id: `${label}-${month}-${from + n}`,
      type: 'family_planning',
      anc: undefined,
      facility: { code: facility, name: 'CSI' },
      occurredAt: `${month}-${String(1 + ((from + n) % 27)).padStart(2, '0')}T10:00:00+01:00`,
      familyPlanning: { method: 'injectable', newUser: true },
    }),
  );
}

/** The months from `first` (YYYY-MM) on, `count` of them. */
export function monthsFrom(first: string, count: number): string[] {
  const [year, month] = first.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => {
    const index = year * 12 + month - 1 + i;
    return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
  });
}
