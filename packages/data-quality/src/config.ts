// What `mappings/data-quality.yaml` holds, as a zod schema, and a parser for its text that names the file,
// the line and the path of each problem (as middleware/src/mapping/read-yaml.ts does for the mapping
// files). Text in, configuration out: reading the file is the caller's job, so this entry runs in a browser.
import { isNode, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { SCORECARD_DEFAULTS, SCREENING_DEFAULTS } from './defaults.js';

const code = z.string().min(1).max(50).regex(/^[^\s]+$/, 'must have no spaces');
const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and "-"');

const OperandSchema = z.strictObject({
  dataElement: code.describe('DHIS2 data element code, as in mappings/aggregate/*.yaml'),
  categoryOptionCombo: code.optional().describe('one category option combo; omit to sum them all'),
});

export const LogicalRelationSchema = z.strictObject({
  id,
  description: z.string().optional(),
  left: z.array(OperandSchema).min(1).describe('summed'),
  operator: z.enum(['<=', '>=']),
  right: z.array(OperandSchema).min(1).describe('summed'),
  period: z.enum(['month', 'year']).describe('compare each month, or the sums over each calendar year'),
  byCategoryOptionCombo: z
    .boolean()
    .default(false)
    .describe('compare combo by combo (left and right share a category combo) instead of the totals'),
  tolerance: z
    .strictObject({ relative: z.number().min(0).default(0), absolute: z.number().min(0).default(0) })
    .default({ relative: 0, absolute: 0 })
    .describe('left may exceed right by relative × right + absolute (for <=) before a flag'),
  severity: z.enum(['warning', 'critical']).default('critical'),
});

const ChangeSchema = z.strictObject({
  dataElements: z.array(code).min(1).describe('their totals over all combos, summed'),
  change: z.enum(['rise', 'fall']),
  ratio: z.number().positive().describe('this month ÷ the usual value: at least this for a rise, at most for a fall'),
});

export const SignalSchema = z.strictObject({
  id,
  label: z.strictObject({ en: z.string().min(1), fr: z.string().min(1) }),
  when: z.array(ChangeSchema).min(1).describe('all must hold in the facility-month'),
  explains: z
    .array(z.strictObject({ dataElements: z.array(code).min(1), change: z.enum(['rise', 'fall']) }))
    .min(1)
    .describe('flags on these elements, in this direction, become this signal instead of errors'),
});

export const GroupSchema = z.strictObject({
  id,
  description: z.string().optional(),
  label: z.strictObject({ en: z.string().min(1), fr: z.string().min(1) }).describe('how a flag names the group: "the other malaria cells"'),
  dataElements: z
    .array(code)
    .min(2)
    .describe('elements that move together (season, epidemics, a busy year): each cell is predicted from the others'),
});

const RelatedIndicatorSchema = z.strictObject({
  id,
  description: z.string().optional(),
  type: z.enum(['eq', 'aGTb', 'do']).describe('WHO DQ Tool: eq = A/B within 1 ± c; aGTb = A/B ≥ 1 − c; do = dropout (A − B)/A ≥ 0'),
  a: z.array(OperandSchema).min(1),
  b: z.array(OperandSchema).min(1),
  criterion: z.number().min(0).default(0.1),
});

const screeningShape = Object.fromEntries(
  Object.entries(SCREENING_DEFAULTS).map(([key, value]) => [key, z.number().nonnegative().default(value)]),
) as { [K in keyof typeof SCREENING_DEFAULTS]: z.ZodDefault<z.ZodNumber> };
const scorecardShape = Object.fromEntries(
  Object.entries(SCORECARD_DEFAULTS).map(([key, value]) => [key, z.number().nonnegative().default(value)]),
) as { [K in keyof typeof SCORECARD_DEFAULTS]: z.ZodDefault<z.ZodNumber> };

export const DataQualityConfigSchema = z.strictObject({
  relations: z.array(LogicalRelationSchema).default([]),
  signals: z.array(SignalSchema).default([]),
  groups: z.array(GroupSchema).default([]),
  screening: z.strictObject(screeningShape).prefault({}),
  scorecard: z
    .strictObject({ ...scorecardShape, relatedIndicators: z.array(RelatedIndicatorSchema).default([]) })
    .prefault({}),
});

export type DataQualityConfig = z.infer<typeof DataQualityConfigSchema>;
export type LogicalRelation = z.infer<typeof LogicalRelationSchema>;
export type Operand = z.infer<typeof OperandSchema>;
export type Signal = z.infer<typeof SignalSchema>;
export type Group = z.infer<typeof GroupSchema>;
export type RelatedIndicator = z.infer<typeof RelatedIndicatorSchema>;

export interface ConfigProblem {
  file: string;
  line?: number;
  path: string;
  message: string;
}

export class DataQualityConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map((p) => `${p.file}${p.line !== undefined ? `:${p.line}` : ''} ${p.path || '(document)'}: ${p.message}`).join('\n'));
    this.name = 'DataQualityConfigError';
  }
}

/** Parses and validates the text of a data-quality file; `file` is the name used in the errors. */
export function parseDataQualityConfig(text: string, file: string): DataQualityConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  if (document.errors.length > 0) {
    throw new DataQualityConfigError(
      document.errors.map((error) => ({
        file,
        line: lineCounter.linePos(error.pos[0]).line,
        path: '',
        message: `not valid YAML: ${error.message.split('\n')[0]}`,
      })),
    );
  }
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = document.getIn(path.slice(0, depth) as (string | number)[], true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const parsed = DataQualityConfigSchema.safeParse(document.toJS() ?? {});
  if (!parsed.success) {
    throw new DataQualityConfigError(
      parsed.error.issues.map((issue) => {
        const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] as string] : issue.path;
        const message = issue.code === 'unrecognized_keys' ? `unknown field "${issue.keys.join('", "')}"` : issue.message;
        return { file, line: lineOf(path), path: pathText(path), message };
      }),
    );
  }
  const duplicate = firstDuplicate(parsed.data.relations.map((relation) => relation.id));
  if (duplicate !== undefined) {
    throw new DataQualityConfigError([{ file, line: lineOf(['relations', duplicate.index, 'id']), path: `relations[${duplicate.index}].id`, message: `relation id "${duplicate.value}" is used twice` }]);
  }
  const grouped = new Map<string, number>();
  for (const [index, group] of parsed.data.groups.entries()) {
    for (const [position, dataElement] of group.dataElements.entries()) {
      const earlier = grouped.get(dataElement);
      if (earlier !== undefined) {
        throw new DataQualityConfigError([
          {
            file,
            line: lineOf(['groups', index, 'dataElements', position]),
            path: `groups[${index}].dataElements[${position}]`,
            message: `${dataElement} is already in group "${parsed.data.groups[earlier]?.id}": a data element belongs to one group`,
          },
        ]);
      }
      grouped.set(dataElement, index);
    }
  }
  return parsed.data;
}

function firstDuplicate(values: readonly string[]): { value: string; index: number } | undefined {
  const seen = new Set<string>();
  for (const [index, value] of values.entries()) {
    if (seen.has(value)) return { value, index };
    seen.add(value);
  }
  return undefined;
}

function pathText(path: readonly PropertyKey[]): string {
  return path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`)).join('').replace(/^\./, '');
}
