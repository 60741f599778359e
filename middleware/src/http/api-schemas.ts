// Shapes of the API's requests and answers, as zod schemas so the OpenAPI description is generated from
// the same definitions the code uses.
import { z } from 'zod';
import { EncounterSchema, FieldErrorSchema } from '@smc-bridge/contract';
import { MAX_BATCH_SIZE } from '../config/config.js';
import { TargetStateSchema } from '../domain/target-state.js';

export { FieldErrorSchema };

export const EncounterBatchSchema = z.object({
  encounters: z.array(EncounterSchema).min(1).max(MAX_BATCH_SIZE),
});

export const INGEST_STATUSES = ['accepted', 'duplicate', 'stale', 'rejected'] as const;

export const IngestResultSchema = z.object({
  index: z.number().int().describe('Position of the encounter in the request (0 for a single encounter)'),
  status: z.enum(INGEST_STATUSES),
  source: z.string().optional(),
  id: z.string().optional(),
  version: z.number().int().optional(),
  currentVersion: z.number().int().optional().describe('For a stale version: the version already held'),
  errors: z.array(FieldErrorSchema).optional(),
});

export const IngestAnswerSchema = z.object({
  counts: z.object({ accepted: z.number(), duplicate: z.number(), stale: z.number(), rejected: z.number() }),
  results: z.array(IngestResultSchema),
});

export const EncounterStatusSchema = z.object({
  source: z.string(),
  id: z.string(),
  version: z.number().int().describe('Latest accepted version'),
  status: z.enum(['completed', 'entered-in-error']),
  type: z.string(),
  training: z.boolean(),
  acceptedAt: z.string(),
  enteredBy: z.string().optional().describe('The DHIS2 user who entered this version in the DHIS2 app'),
  processed: z.boolean().describe('A worker has carried the latest version down the pipeline'),
  targets: z.object({ dhis2: TargetStateSchema.optional(), fhir: TargetStateSchema.optional() }),
});

export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  errors: z.array(FieldErrorSchema).optional(),
});

const CellRefSchema = z.object({ dataElement: z.string(), categoryOptionCombo: z.string() });

export const DataQualityFlagSchema = z
  .object({
    dataSet: z.string(),
    orgUnit: z.string(),
    period: z.string().describe('Monthly period YYYYMM'),
    attributeOptionCombo: z.string(),
    dataElement: z.string().describe('The cell the flag is about (for a relation: its left side)'),
    categoryOptionCombo: z.string(),
    ruleId: z.string().describe('seasonal-outlier, multiplicative-error, digit-transposition, cumulative-as-monthly, repeated-value, sudden-zero, relation:<id>, or signal:<id> for a move a real event explains'),
    kind: z.enum(['error', 'signal']),
    severity: z.enum(['info', 'warning', 'critical']),
    value: z.number().describe('The value judged, as sent to DHIS2'),
    expected: z.object({ low: z.number(), high: z.number().nullable() }).describe('What the rule would not have flagged; high null: no upper bound'),
    score: z.number().describe("Strength against the rule's threshold (1 at the threshold)"),
    explainedRule: z.string().optional().describe('For a signal: the error rule that fired before the signal explained it'),
    explanation: z.object({ en: z.string(), fr: z.string() }),
    cells: z.array(CellRefSchema).describe('Every cell the rule read'),
    encounters: z.array(z.object({ source: z.string(), id: z.string(), value: z.number() })).describe('The encounters behind the value when it was judged (at most 100)'),
    encounterCount: z.number().int(),
    raisedAt: z.string(),
  })
  .describe('A data-quality flag standing on a DHIS2 cell; the value was delivered all the same');

export const DataQualityAnswerSchema = z.object({
  orgUnit: z.string(),
  period: z.string().optional(),
  flags: z.array(DataQualityFlagSchema),
});

const IndicatorScoreSchema = z.object({
  district: z.string(),
  indicator: z.string().describe('A data element (its total over combos)'),
  completeness: z.object({ expected: z.number().int(), reported: z.number().int(), rate: z.number(), facilitiesBelowTarget: z.number().int() }).describe('Facility-months reported ÷ expected; facilities under 90 %'),
  outliers: z
    .object({ values: z.number().int(), extreme: z.number().int(), moderate: z.number().int(), facilitiesWithMoreThanOneModerate: z.number().int(), modifiedZ: z.number().int(), seasonalScreening: z.number().int() })
    .describe('Monthly values outside ±3 SD (extreme), ±2 SD (moderate), modified z > 3.5, and the flags of our seasonal screening'),
  consistencyOverTime: z
    .object({ total: z.number(), referenceMean: z.number().nullable(), ratio: z.number().nullable(), flagged: z.boolean(), facilitiesCompared: z.number().int(), facilitiesOutside: z.number().int() })
    .describe("The year's total ÷ the mean of up to 3 previous years', flagged outside 1 ± 0.33"),
});

const RelatedIndicatorScoreSchema = z.object({
  district: z.string(),
  relation: z.string(),
  type: z.enum(['eq', 'aGTb', 'do']),
  ratio: z.number().nullable(),
  facilitiesCompared: z.number().int(),
  facilitiesFlagged: z.number().int(),
});

export const ScorecardAnswerSchema = z
  .object({
    year: z.number().int(),
    computedAt: z.string().describe('When the nightly job computed it'),
    districts: z
      .object({
        source: z.enum(['dhis2', 'code-pattern']).describe("dhis2: DHIS2's org unit hierarchy; code-pattern: the codes' country_region_district_ convention, used only when DHIS2 could not be reached"),
        level: z.union([z.literal('parent'), z.number().int()]).optional(),
        readAt: z.string().optional(),
        reason: z.string().optional().describe('Why the code convention was used'),
        facilitiesNotInHierarchy: z.number().int(),
      })
      .describe('Where the districts came from'),
    facilities: z.number().int(),
    dataElements: z.number().int(),
    seconds: z.number(),
    scorecard: z.array(z.object({ district: z.string(), indicators: z.array(IndicatorScoreSchema), relatedIndicators: z.array(RelatedIndicatorScoreSchema) })),
  })
  .describe("The WHO DQR district scorecard of the values the ledger last sent to DHIS2, as last night's job stored it");

export const HealthSchema = z.object({ status: z.enum(['ok', 'unavailable']), redis: z.enum(['up', 'down']) });

export type IngestStatus = (typeof INGEST_STATUSES)[number];
export type IngestResult = z.infer<typeof IngestResultSchema>;
export type IngestAnswer = z.infer<typeof IngestAnswerSchema>;
export type EncounterStatus = z.infer<typeof EncounterStatusSchema>;
