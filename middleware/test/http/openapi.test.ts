// The served OpenAPI document is valid OpenAPI 3.1 (checked by an independent parser) and describes the
// encounter exactly as the published contract JSON Schema does.
import { validate } from '@readme/openapi-parser';
import { buildEncounterJsonSchema } from '@smc-bridge/contract';
import { startTestService, type TestService } from '../support/service.js';

let api: TestService;
beforeAll(async () => {
  api = await startTestService('openapi', {}, { workers: false });
});
afterAll(async () => api.stop());

test('GET /api/v1/openapi.json is a valid OpenAPI 3.1 document, no key needed', async () => {
  const response = await fetch(`${api.url}/api/v1/openapi.json`);
  expect(response.status).toBe(200);
  const document = (await response.json()) as { openapi: string; components: { schemas: Record<string, Record<string, unknown>> }; paths: Record<string, unknown> };
  expect(document.openapi).toBe('3.1.0');
  const result = await validate(structuredClone(document) as never);
  expect(result.valid ? [] : result.errors).toEqual([]);
  expect(Object.keys(document.paths)).toEqual(
    expect.arrayContaining(['/api/v1/encounters', '/api/v1/encounters/{source}/{id}', '/health', '/metrics']),
  );
  const { $schema: _s, $id: _i, title: _t, description: _d, ...contract } = buildEncounterJsonSchema();
  const { description: _d2, ...served } = document.components.schemas['Encounter'] as Record<string, unknown>;
  expect(served).toEqual(contract);
});

test('health needs no key and reports Redis', async () => {
  const response = await fetch(`${api.url}/health`);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok', redis: 'up' });
});
