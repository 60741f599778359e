// What integrators write in mappings/ (DESIGN.md §4), as zod schemas: the loader validates each YAML file
// against them, and their JSON Schema is published in mappings/schemas/ for editors.
import { z } from 'zod';
import { TerminologyFileSchema } from './terminology-file-schema.js';
import { FacilitiesFileSchema } from './facility-table.js';
import { CampaignsFileSchema } from './campaigns-file.js';

/** The DHIS2 period types a data set of the mappings may have. */
export const PERIOD_TYPES = ['Monthly', 'Weekly'] as const;
export type PeriodType = (typeof PERIOD_TYPES)[number];

const code = z.string().min(1).max(50).regex(/^[^\s]+$/, 'must have no spaces');
const fhirPath = z.string().min(1).describe('FHIRPath expression evaluated over the encounter');

const CategoryOptionSchema = z.strictObject({
  code: code.describe('Category option code in DHIS2; for an age category, its ISO 8601 band such as P0Y--P5Y'),
  sex: z.enum(['female', 'male']).optional().describe('for a sex category: the patient sex this option stands for'),
  when: fhirPath.optional().describe('for an expression category: true when the encounter belongs to this option'),
});

export const CategoriesFileSchema = z.strictObject({
  categories: z
    .array(
      z.strictObject({
        code,
        name: z.string().optional(),
        match: z.enum(['age', 'sex', 'expression']).describe('how an encounter picks its option'),
        options: z.array(CategoryOptionSchema).min(1),
      }),
    )
    .min(1),
  categoryCombos: z
    .array(
      z.strictObject({
        code,
        name: z.string().optional(),
        categories: z.array(code).min(1).describe('category codes, in order'),
        categoryOptionCombos: z
          .array(z.strictObject({ code, options: z.array(code).min(1).describe('one option code per category, in order') }))
          .min(1),
      }),
    )
    .min(1),
});

export const AggregateRuleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and "-"'),
  description: z.string().optional(),
  dataElement: code.describe('DHIS2 data element code'),
  categoryCombo: code.optional().describe('code of a combo in categories.yaml; omit for the default combo'),
  when: fhirPath.describe('the encounter counts toward this rule when true'),
  value: z
    .union([z.literal('count'), fhirPath])
    .default('count')
    .describe('"count" adds 1; otherwise a FHIRPath expression giving a number (sum)'),
});

export const AggregateFileSchema = z.strictObject({
  dataSet: z.strictObject({
    code,
    periodType: z.enum(PERIOD_TYPES),
    attributeOptionCombo: code.default('default').describe('attribute option combo code for the values of this data set'),
  }),
  rules: z.array(AggregateRuleSchema).min(1),
});

export const COVERAGE_REASON_KINDS = ['no-data', 'out-of-scope', 'planned'] as const;

export const CoverageReasonsFileSchema = z.strictObject({
  reasons: z
    .record(
      z.string().regex(/^[^\s]+$/, 'must be a data element code (or uid) without spaces'),
      z.strictObject({
        kind: z
          .enum(COVERAGE_REASON_KINDS)
          .describe('no-data: the encounter contract does not carry it; out-of-scope: not for the bridge to report; planned: expressible, not mapped yet'),
        text: z.string().trim().min(1, 'must say why').max(400).describe('what is missing, or why it is out of scope'),
      }),
    )
    .describe('WHO toolkit data element code (uid where it has none) → why no aggregate rule maps it'),
});

export type CategoriesFile = z.infer<typeof CategoriesFileSchema>;
export type AggregateFile = z.infer<typeof AggregateFileSchema>;
export type AggregateRule = z.infer<typeof AggregateRuleSchema>;
export type CoverageReasonsFile = z.infer<typeof CoverageReasonsFileSchema>;

export const MAPPING_FILE_SCHEMAS = {
  'categories.schema.json': CategoriesFileSchema,
  'aggregate.schema.json': AggregateFileSchema,
  'facilities.schema.json': FacilitiesFileSchema,
  'coverage-reasons.schema.json': CoverageReasonsFileSchema,
  'fhir-terminology.schema.json': TerminologyFileSchema,
  'campaigns.schema.json': CampaignsFileSchema,
} as const;
