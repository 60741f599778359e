// Which encounter version a job, a state or a ledger entry is about: the source that sent it, its id there,
// and its version. Jobs carry these and nothing else; the worker reads the stored encounter by them.
import { z } from 'zod';

export const EncounterRefSchema = z.object({
  source: z.string(),
  id: z.string(),
  version: z.number().int(),
});

export type EncounterRef = z.infer<typeof EncounterRefSchema>;
