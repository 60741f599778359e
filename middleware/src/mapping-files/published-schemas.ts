// JSON Schemas of the mapping files, generated from their zod schemas, for editors and integrators.
import { z } from 'zod';
import { MAPPING_FILE_SCHEMAS } from './rule-file-schemas.js';

export function buildMappingJsonSchemas(): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    Object.entries(MAPPING_FILE_SCHEMAS).map(([file, schema]) => [
      file,
      { ...(z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>), title: file.replace('.schema.json', '') },
    ]),
  );
}
