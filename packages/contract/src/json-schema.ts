// The published JSON Schema of the encounter contract, generated from the zod schema (never written by hand).
// Cross-field and clock rules cannot be expressed in JSON Schema; the description says where they live.
import { z } from 'zod';
import { EncounterSchema, SCHEMA_VERSION } from './encounter.js';

export const ENCOUNTER_SCHEMA_ID = `https://smc-bridge.org/schemas/encounter/${SCHEMA_VERSION}/encounter.schema.json`;

const CROSS_FIELD_RULES =
  'Also enforced by the server: occurredAt and recordedAt not in the future (5 min clock skew), birth date ' +
  'before the encounter, age at most 120 years, maternal age 10–60 for ANC, delivery and postnatal care of ' +
  'the mother, female sex for pregnancy care, newborn postnatal checks within 60 days of birth, the section ' +
  'named by the type present, a facility and a referral target identified, diastolic below systolic.';

export function buildEncounterJsonSchema(target: 'draft-2020-12' | 'openapi-3.0' = 'draft-2020-12'): Record<string, unknown> {
  const schema = z.toJSONSchema(EncounterSchema, { target, io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const description = `${String(schema['description'] ?? '')}. ${CROSS_FIELD_RULES}`;
  if (target === 'openapi-3.0') return { ...schema, description };
  return { ...schema, $id: ENCOUNTER_SCHEMA_ID, title: 'SMC encounter', description };
}
