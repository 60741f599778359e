// A valid encounter to start each test from; tests change one thing at a time.
import type { Encounter } from '@smc-bridge/contract';

export const SOURCE = 'smc-platform';

export function ancEncounter(overrides: Partial<Encounter> = {}): Encounter {
  return {
    schemaVersion: '1.0',
    id: 'enc-0001',
    version: 1,
    source: SOURCE,
    facility: { code: 'CM_NW_BAM_CSI001', name: 'CSI Bambui' },
    occurredAt: '2026-10-02T09:30:00+01:00',
    type: 'anc',
    status: 'completed',
    patient: {
      identifiers: [{ system: 'smc-patient', value: 'P-000123' }],
      name: { given: 'Aminata', family: 'Traoré' },
      sex: 'female',
      birthDate: '1999-04-11',
      phone: '+237 677 12 34 56',
      village: 'Bambui',
    },
    vitals: { temperatureC: 36.8, weightKg: 61.5, systolicMmHg: 112, diastolicMmHg: 71 },
    anc: { visitNumber: 1, gestationalAgeWeeks: 11, hemoglobinGdl: 11.2 },
    ...overrides,
  };
}

/** A deep copy with one property path replaced (or removed, with `undefined`). */
export function withField(base: object, path: (string | number)[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(base) as Record<string, unknown>;
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}
