// Where an encounter version stands with each target system (DHIS2, the FHIR server): the shape a status
// answer carries. Which state follows which event is the status module's business (status/target-states.ts).
import { z } from 'zod';

export const TARGETS = ['dhis2', 'fhir'] as const;
export type TargetName = (typeof TARGETS)[number];

export const TARGET_STATES = ['accepted', 'mapped', 'retrying', 'delivered', 'failed', 'skipped'] as const;

export const TargetStateSchema = z.object({
  state: z.enum(TARGET_STATES),
  version: z.number().int().describe('Encounter version the state refers to'),
  reason: z.string().optional().describe('Why: the last failure while retrying, the refusal when failed'),
  at: z.string(),
  attempt: z.number().int().optional().describe('While retrying: attempts made so far'),
  nextAttemptAt: z.string().optional().describe('While retrying: when the next attempt is due'),
});

export type TargetState = z.infer<typeof TargetStateSchema>;
