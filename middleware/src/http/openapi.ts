// The OpenAPI 3.1 description of the API, generated from the zod schemas of the contract and of the answers.
import { z } from 'zod';
import { SCHEMA_VERSION } from '@smc-bridge/contract';
import { MAX_BATCH_SIZE } from '../config/config.js';
import {
  DataQualityAnswerSchema,
  DataQualityFlagSchema,
  EncounterBatchSchema,
  EncounterStatusSchema,
  HealthSchema,
  IngestAnswerSchema,
  ProblemSchema,
  ScorecardAnswerSchema,
} from './api-schemas.js';
import { EncounterSchema } from '@smc-bridge/contract';

function component(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ 'application/json': { schema: ref(name) } });
const problemAnswer = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });

export function buildOpenApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'SMC bridge middleware',
      version: SCHEMA_VERSION,
      description:
        'Takes clinic encounters from the SMC platform and the DHIS2 app, and delivers them to DHIS2 ' +
        '(aggregate data values) and to a FHIR R4 server. Encounter contract version ' +
        `${SCHEMA_VERSION}. Validation errors name each field as a JSON Pointer into the request body.`,
    },
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'API key; each key belongs to one source' } },
      schemas: {
        Encounter: component(EncounterSchema),
        EncounterBatch: component(EncounterBatchSchema),
        IngestAnswer: component(IngestAnswerSchema),
        EncounterStatus: component(EncounterStatusSchema),
        Health: component(HealthSchema),
        Problem: component(ProblemSchema),
        DataQualityFlag: component(DataQualityFlagSchema),
        DataQualityAnswer: component(DataQualityAnswerSchema),
        DataQualityScorecard: component(ScorecardAnswerSchema),
      },
    },
    paths: {
      '/health': {
        get: {
          summary: 'Whether the service and its Redis answer',
          responses: {
            '200': { description: 'Healthy', content: json('Health') },
            '503': { description: 'Redis does not answer', content: json('Health') },
          },
        },
      },
      '/metrics': {
        get: { summary: 'Prometheus metrics', responses: { '200': { description: 'Metrics in the Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } } } },
      },
      '/api/v1/openapi.json': {
        get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1 document', content: { 'application/json': { schema: { type: 'object' } } } } } },
      },
      '/api/v1/encounters': {
        post: {
          summary: `Submit one encounter, or a batch of up to ${MAX_BATCH_SIZE}`,
          description:
            'Each encounter is validated on its own: good ones are accepted even when others in the batch are ' +
            'rejected. An accepted version is stored durably before the answer. Re-posting the same ' +
            '(source, id, version) answers `duplicate` and queues nothing; a lower version answers `stale`.',
          security: [{ apiKey: [] }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { oneOf: [ref('Encounter'), ref('EncounterBatch')] } } },
          },
          responses: {
            '202': { description: 'At least one encounter was accepted, or already held; results per encounter', content: json('IngestAnswer') },
            '400': problemAnswer('Malformed JSON or not an encounter/batch'),
            '401': problemAnswer('Missing or unknown API key'),
            '413': problemAnswer('Body over the size limit, or more encounters than a batch may hold'),
            '415': problemAnswer('Not application/json'),
            '422': { description: 'Every encounter was rejected; results say why, field by field', content: json('IngestAnswer') },
            '503': problemAnswer('Redis unavailable; nothing was accepted, retry later'),
          },
        },
      },
      '/api/v1/provenance': {
        get: {
          summary: 'The encounters behind one DHIS2 value (codes as in the mappings)',
          security: [{ apiKey: [] }],
          parameters: ['dataElement', 'period', 'orgUnit', 'categoryOptionCombo', 'attributeOptionCombo', 'dataSet'].map((name) => ({
            name,
            in: 'query',
            required: ['dataElement', 'period', 'orgUnit', 'categoryOptionCombo'].includes(name),
            schema: { type: 'string' },
          })),
          responses: {
            '200': {
              description: 'The value the ledger holds and the encounters that make it; for an operator key also `dataQuality`, the flags standing on the cell',
              content: {
                'application/json': {
                  schema: { type: 'object', properties: { value: { type: 'number' }, encounters: { type: 'array', items: { type: 'object' } }, dataQuality: { type: 'array', items: ref('DataQualityFlag') } } },
                },
              },
            },
            '400': problemAnswer('A required parameter is missing'),
            '401': problemAnswer('Missing or unknown API key'),
            '404': problemAnswer('No mapping rule targets the data element'),
          },
        },
      },
      '/api/v1/data-quality': {
        get: {
          summary: "The data-quality flags standing on a facility's DHIS2 cells (operator key)",
          description:
            'Each cell group is screened before its DHIS2 push against the facility\'s own history (seasonal count ' +
            'models, keying slips, reporting patterns, logical relations); nothing is held back. Every flag names its ' +
            'rule, the expected range, a severity, an explanation in English and French and the encounters behind the value.',
          security: [{ apiKey: [] }],
          parameters: [
            { name: 'orgUnit', in: 'query', required: true, schema: { type: 'string' }, description: 'Org unit code, as in the mappings' },
            { name: 'period', in: 'query', required: false, schema: { type: 'string', pattern: '^\\d{6}$' }, description: 'Monthly period YYYYMM; every flagged period when left out' },
          ],
          responses: {
            '200': { description: 'The standing flags, by period, data set and cell', content: json('DataQualityAnswer') },
            '400': problemAnswer('orgUnit missing, or period not YYYYMM'),
            '401': problemAnswer('Missing or unknown API key'),
            '403': problemAnswer('Not an operator key'),
          },
        },
      },
      '/api/v1/data-quality/scorecard': {
        get: {
          summary: 'The nightly WHO DQR district scorecard (operator key)',
          description:
            "Computed each night by a worker (DATA_QUALITY_SCORECARD_CRON, default 02:00 in the deployment's zone) from the " +
            'values the ledger last sent to DHIS2, for the previous calendar year: completeness, outliers (±2/±3 SD, ' +
            'modified z 3.5, our seasonal screening), consistency over time (±33 %) and related indicators, per district ' +
            "(DHIS2's org unit hierarchy; the answer says when the codes were used instead).",
          security: [{ apiKey: [] }],
          parameters: [
            { name: 'year', in: 'query', required: false, schema: { type: 'string', pattern: '^\\d{4}$' }, description: 'The scored year; the latest stored when left out' },
            { name: 'district', in: 'query', required: false, schema: { type: 'string' }, description: 'A district org unit code; every district when left out' },
          ],
          responses: {
            '200': { description: "The year's scorecard, by district", content: json('DataQualityScorecard') },
            '400': problemAnswer('year not YYYY, or district not an org unit code'),
            '401': problemAnswer('Missing or unknown API key'),
            '403': problemAnswer('Not an operator key'),
            '404': problemAnswer('No scorecard stored for that year (or that district in it)'),
          },
        },
      },
      '/api/v1/dead-letters': {
        get: {
          summary: 'Jobs that failed for good, each with the reason (DHIS2 message)',
          security: [{ apiKey: [] }],
          responses: {
            '200': { description: 'The dead-letter list', content: { 'application/json': { schema: { type: 'object' } } } },
            '401': problemAnswer('Missing or unknown API key'),
          },
        },
      },
      '/api/v1/dead-letters/replay': {
        post: {
          summary: 'Put failed jobs back in their queues once the cause is fixed (all, or the given jobIds)',
          security: [{ apiKey: [] }],
          requestBody: {
            required: false,
            content: { 'application/json': { schema: { type: 'object', properties: { jobIds: { type: 'array', items: { type: 'string' } } } } } },
          },
          responses: {
            '200': { description: 'How many jobs were replayed', content: { 'application/json': { schema: { type: 'object', properties: { replayed: { type: 'integer' } } } } } },
            '400': problemAnswer('jobIds is not a list of strings'),
            '401': problemAnswer('Missing or unknown API key'),
          },
        },
      },
      '/api/v1/encounters/{source}/{id}': {
        get: {
          summary: 'Latest version of an encounter and its state per target',
          security: [{ apiKey: [] }],
          parameters: [
            { name: 'source', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
          ],
          responses: {
            '200': { description: 'Status', content: json('EncounterStatus') },
            '401': problemAnswer('Missing or unknown API key'),
            '404': problemAnswer('No encounter with this source and id'),
          },
        },
      },
    },
  };
}
