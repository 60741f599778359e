// Accepted means deliverable (DESIGN.md §2): for generated encounters and mutations of them (fast-check),
// whatever the contract accepts becomes a FHIR Bundle both validators pass and contributions that compute.
// A mutation replaces one field anywhere in the encounter with an awkward value, removes it, or adds one.
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { validateEncounter, type Encounter } from '@smc-bridge/contract';
import { generateEncounters } from '@smc-bridge/generator';
import type { Patient } from '@medplum/fhirtypes';
import { encounterToBundle, withdrawnRecord } from '../../src/fhir/encounter-bundle.js';
import { mergePatient } from '../../src/fhir/patient-merge.js';
import { loadTerminology } from '../../src/fhir/terminology.js';
import { validateFhirBundle, validateFhirResource } from '../../src/fhir/validate-resources.js';
import { aggregateContributions } from '../../src/mapping/aggregate-contributions.js';
import { loadMappings } from '../../src/mapping/load-mappings.js';
import { periodBounds } from '../../src/mapping/period-ids.js';

const MAPPINGS = fileURLToPath(new URL('../../../mappings', import.meta.url));
const mappings = loadMappings(MAPPINGS);
const terminology = loadTerminology(MAPPINGS);
const NOW = new Date('2026-11-30T12:00:00Z');
const RUNS = Number(process.env['DELIVERABLE_PROPERTY_RUNS'] ?? 400);
const bases = generateEncounters({ seed: 9, facilityCount: 6, encounterCount: 300, endDate: '2026-11-29' });

/** Characters that have broken a pipeline somewhere: controls, a lone surrogate, emoji, combining marks. */
const AWKWARD_CHARACTERS = ['\u0000', '\u0007', '\u001b', '\u007f', '\t', '\n', '\r', '\ud800', '\udfff', '😀', '\u0301', '\u200b', '\ufeff', '|', '\\', '%', '"', ' '];
const AWKWARD_STRINGS = ['', ' ', 'x'.repeat(70), 'é'.repeat(300), 'has space', 'a|b', '%ZZ', 'urn:oid:1.2.3', 'https://id.example.cm/cni', 'B54', 'Z99.9999', '0000-01-01', '1799-12-31', '9999-12-31', '2024-02-29'];
const AWKWARD_NUMBERS = [0, -1, 0.5, 1, 2, 5, 12, 45, 120, 121, 300, 1e9, Number.MAX_SAFE_INTEGER, 1e21, -0, 1.0000001];
const AWKWARD_OTHERS: unknown[] = [true, false, null, [], {}, 'text'];

/** How one value is made awkward: decided from its own type when the mutation is applied. */
const mutation = fc.record({
  action: fc.constantFrom('replace', 'replace', 'replace', 'remove', 'add'),
  style: fc.nat(),
  character: fc.constantFrom(...AWKWARD_CHARACTERS),
  at: fc.nat(),
  fractionDigits: fc.integer({ min: 0, max: 31 }),
  offsetMinutes: fc.integer({ min: -16 * 60, max: 16 * 60 }),
  pick: fc.nat(),
  addedKey: fc.constantFrom('extra', 'value', 'code', 'system'),
});
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

const DATE_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function awkwardLike(original: unknown, m: Mutation): unknown {
  if (typeof original === 'string') {
    const dateTime = DATE_TIME.exec(original);
    if (dateTime && m.style % 2 === 0) {
      const fraction = m.fractionDigits === 0 ? '' : `.${'123456789'.repeat(4).slice(0, m.fractionDigits)}`;
      const sign = m.offsetMinutes < 0 ? '-' : '+';
      const abs = Math.abs(m.offsetMinutes);
      const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
      return `${dateTime[1]}${fraction}${offset}`;
    }
    if (m.style % 3 === 0) return AWKWARD_STRINGS[m.pick % AWKWARD_STRINGS.length];
    const at = original.length === 0 ? 0 : m.at % (original.length + 1);
    return original.slice(0, at) + m.character + original.slice(at);
  }
  if (typeof original === 'number') return AWKWARD_NUMBERS[m.pick % AWKWARD_NUMBERS.length];
  return AWKWARD_OTHERS[m.pick % AWKWARD_OTHERS.length];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path to a value in the encounter (objects and arrays included). */
function pathsOf(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const own = prefix.length > 0 ? [prefix] : [];
  if (Array.isArray(value)) return [...own, ...value.flatMap((item, index) => pathsOf(item, [...prefix, index]))];
  if (value !== null && typeof value === 'object') return [...own, ...Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...prefix, key]))];
  return own;
}

function mutate(base: Encounter, path: (string | number)[], m: Mutation): unknown {
  const copy = structuredClone(base) as unknown as Json;
  let node = copy as { [key: string]: Json } | Json[];
  for (const key of path.slice(0, -1)) node = (node as Record<string | number, Json>)[key] as typeof node;
  const last = path[path.length - 1] as string | number;
  const container = node as Record<string | number, unknown>;
  const original = container[last];
  if (m.action === 'remove') {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete container[last];
  } else if (m.action === 'add' && original !== null && typeof original === 'object' && !Array.isArray(original)) {
    (original as Record<string, unknown>)[m.addedKey] = awkwardLike('text', m);
  } else {
    container[last] = awkwardLike(original, m);
  }
  return copy;
}

/** Why an accepted encounter could not be delivered; empty when it can be. */
function undeliverable(encounter: Encounter): string[] {
  const problems: string[] = [];
  const built = encounterToBundle(encounter, terminology);
  if (built.bundle !== null) {
    // As sent, as merged into a Patient another source holds, and as withdrawn by a later version.
    const entries = built.bundle.entry ?? [];
    const patient = entries.find((entry) => entry.resource?.resourceType === 'Patient')?.resource as Patient;
    const server: Patient = { resourceType: 'Patient', id: 'p1', meta: { versionId: '3' }, identifier: [{ system: 'urn:oid:2.16.840.1.113883.2.3', value: 'NAT-1' }], telecom: [{ system: 'email', value: 'x@example.org' }] };
    const merged = { ...mergePatient(server, patient).patient, id: 'p1' };
    const withdrawnCopies = entries.flatMap((entry) => (entry.request?.method === 'PUT' && entry.resource ? [withdrawnRecord(entry.resource, terminology)] : []));
    const issues = [...validateFhirBundle(built.bundle), ...validateFhirResource(merged), ...withdrawnCopies.flatMap((resource) => validateFhirResource(resource))];
    problems.push(...issues.map((issue) => `FHIR ${issue.validator} ${issue.resourceType} ${issue.path}: ${issue.message}`));
  }
  const { contributions } = aggregateContributions(encounter, mappings);
  for (const c of contributions) {
    if (!Number.isFinite(c.value) || c.value < 0) problems.push(`contribution ${c.rule} has value ${c.value}`);
    if (periodBounds(c.period) === undefined) problems.push(`contribution ${c.rule} has period ${c.period}`);
  }
  return problems;
}

test('every generated encounter is accepted and deliverable', () => {
  for (const encounter of bases.slice(0, 60)) {
    const validation = validateEncounter(encounter, NOW, [], { timeZoneOf: (facility) => mappings.facilities.timeZoneOf(facility) });
    expect(validation.ok).toBe(true);
    expect([encounter.id, undeliverable(encounter)]).toEqual([encounter.id, []]);
  }
});

test('accepted ⇒ deliverable, for mutated encounters', () => {
  let accepted = 0;
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: bases.length - 1 }),
      fc.nat(),
      mutation,
      (baseIndex, pathPick, m) => {
        const base = bases[baseIndex] as Encounter;
        const paths = pathsOf(base as unknown as Json);
        const candidate = mutate(base, paths[pathPick % paths.length] as (string | number)[], m);
        // JSON is what travels: undefined and lone surrogates behave as they would over HTTP.
        const sent = JSON.parse(JSON.stringify(candidate)) as unknown;
        const validation = validateEncounter(sent, NOW, [], { timeZoneOf: (facility) => mappings.facilities.timeZoneOf(facility) });
        if (!validation.ok) return true;
        accepted += 1;
        const problems = undeliverable(validation.encounter);
        if (problems.length > 0) throw new Error(`accepted but not deliverable:\n${problems.join('\n')}\n${JSON.stringify(sent)}`);
        return true;
      },
    ),
    { numRuns: RUNS, seed: Number(process.env['DELIVERABLE_PROPERTY_SEED'] ?? 20261201) },
  );
  // The mutations must not all be refused, or the property proves nothing.
  expect(accepted).toBeGreaterThan(RUNS / 8);
});
