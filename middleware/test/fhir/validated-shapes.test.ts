// Validation by shape (fhir/validated-shapes.ts) gives the verdict of the two validators: once the shapes of
// generated Bundles are known valid, a Bundle with one leaf broken (a code no value set holds, a bad date, an
// empty or untrimmed string, a number of the wrong sign or kind, an element removed or an unknown one added)
// is refused exactly when both validators run in full refuse it.
import { beforeAll, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { createRandom, generateEncounters, type Random } from '@smc-bridge/generator';
import { encounterToBundle } from '../../src/fhir/encounter-bundle.js';
import { loadTerminology, type Terminology } from '../../src/fhir/terminology.js';
import { validateFhirBundle, validateFhirResource } from '../../src/fhir/validate-resources.js';
import { shapeOf, ValidatedShapes, type SharedShapes } from '../../src/fhir/validated-shapes.js';

const MAPPINGS = fileURLToPath(new URL('../../../mappings', import.meta.url));
let terminology: Terminology;
let bundles: Bundle[];

beforeAll(() => {
  terminology = loadTerminology(MAPPINGS);
  bundles = generateEncounters({ seed: 2027, facilityCount: 6, encounterCount: 400, endDate: '2026-10-31', days: 365 }).flatMap((encounter) => {
    const built = encounterToBundle(encounter, terminology);
    return built.bundle ? [built.bundle] : [];
  });
});

type Path = (string | number)[];

/** Every leaf of a JSON value, with its path. */
function leaves(value: unknown, path: Path = []): { path: Path; value: unknown }[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => leaves(item, [...path, index]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, child]) => (key === 'resourceType' ? [] : leaves(child, [...path, key])));
  return [{ path, value }];
}

function parentOf(root: unknown, path: Path): Record<string | number, unknown> {
  let node = root as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
  return node;
}

const BROKEN_TEXT = ['', ' padded', 'bogus-code', '2026-13-45', '2026-02-30T25:00:00Z', 'urn:uuid:', 'Patient', 'x'.repeat(1200), 'tab\tinside'];
const BROKEN_NUMBERS = [-1, 0, 1.5, -0.5, 3_000_000_000];

/** The bundle with one leaf broken, chosen at random. */
function mutated(bundle: Bundle, random: Random): { bundle: Bundle; what: string } {
  const copy = JSON.parse(JSON.stringify(bundle)) as Bundle;
  const all = leaves(copy);
  const { path, value } = all[random.int(0, all.length - 1)]!;
  const parent = parentOf(copy, path);
  const key = path.at(-1)!;
  const kind = random.int(0, 3);
  if (kind === 0) {
    delete parent[key];
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    return { bundle: copy, what: `removed ${path.join('.')}` };
  }
  if (kind === 1) {
    parent['unknownElement'] = 'x';
    return { bundle: copy, what: `unknown element beside ${path.join('.')}` };
  }
  const replacement = typeof value === 'number' ? BROKEN_NUMBERS[random.int(0, BROKEN_NUMBERS.length - 1)] : BROKEN_TEXT[random.int(0, BROKEN_TEXT.length - 1)];
  parent[key] = replacement;
  return { bundle: copy, what: `${path.join('.')} = ${JSON.stringify(replacement).slice(0, 40)}` };
}

it('knows the shape of every resource the mapping makes, and most encounters need no full validation once warm', () => {
  const shapes = new ValidatedShapes();
  for (const bundle of bundles) for (const entry of bundle.entry ?? []) expect(shapeOf(entry.resource as Resource)).toBeDefined();
  for (const bundle of bundles.slice(0, 200)) expect(shapes.validateBundle(bundle)).toEqual([]);
  shapes.counts.byShape = 0;
  shapes.counts.inFull = 0;
  for (const bundle of bundles.slice(200)) expect(shapes.validateBundle(bundle)).toEqual([]);
  expect(shapes.counts.byShape).toBeGreaterThan(10 * shapes.counts.inFull);
});

it('refuses a broken Bundle exactly when both validators run in full refuse it', () => {
  const shapes = new ValidatedShapes();
  for (const bundle of bundles) expect(shapes.validateBundle(bundle)).toEqual([]);
  const random = createRandom(99);
  const disagreements: string[] = [];
  let refused = 0;
  for (let n = 0; n < 600; n++) {
    const { bundle, what } = mutated(bundles[random.int(0, bundles.length - 1)]!, random);
    const full = validateFhirBundle(bundle).length > 0;
    const byShape = shapes.validateBundle(bundle).length > 0;
    if (full) refused++;
    if (full !== byShape) disagreements.push(`${what}: full ${full ? 'refuses' : 'accepts'}, by shape ${byShape ? 'refuses' : 'accepts'}`);
  }
  expect(disagreements).toEqual([]);
  expect(refused).toBeGreaterThan(200);
});

it('keeps a Period with both bounds whole (its invariant compares them): another end is validated in full', () => {
  const shapes = new ValidatedShapes();
  const period = (start: string, end?: string): Resource => ({ resourceType: 'Encounter', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' }, period: { start, ...(end ? { end } : {}) } });
  expect(shapes.validateResource(period('2026-05-01T09:00:00Z', '2026-05-01T10:00:00Z'))).toEqual([]);
  expect(shapes.validateResource(period('2026-05-01T10:00:00Z', '2026-05-01T09:00:00Z'))).toEqual(validateFhirResource(period('2026-05-01T10:00:00Z', '2026-05-01T09:00:00Z')));
  expect(shapes.counts).toEqual({ byShape: 0, shared: 0, inFull: 2 });
  // A start alone is only a dateTime: another one is the same shape.
  expect(shapes.validateResource(period('2026-05-01T09:00:00Z'))).toEqual([]);
  expect(shapes.validateResource(period('2026-06-11T16:30:00+01:00'))).toEqual([]);
  expect(shapes.counts).toEqual({ byShape: 1, shared: 0, inFull: 3 });
});

/** The set worker processes share (Redis in the delivery), in memory; `down` makes it unreachable. */
function sharedSet(): SharedShapes & { digests: Set<string>; down: boolean } {
  const set = {
    digests: new Set<string>(),
    down: false,
    known: async (digests: readonly string[]) => {
      if (set.down) throw new Error('unreachable');
      return digests.map((digest) => set.digests.has(digest));
    },
    add: async (digests: readonly string[]) => {
      if (set.down) throw new Error('unreachable');
      for (const digest of digests) set.digests.add(digest);
    },
  };
  return set;
}

it('a shape one process found valid is not validated in full again by another; a broken Bundle is still refused as full validation refuses it', async () => {
  const shared = sharedSet();
  const first = new ValidatedShapes(shared);
  for (const bundle of bundles.slice(0, 200)) expect(await first.validateBundleSharing(bundle)).toEqual([]);
  expect(shared.digests.size).toBe(first.counts.inFull);
  const second = new ValidatedShapes(shared);
  for (const bundle of bundles.slice(0, 200)) expect(await second.validateBundleSharing(bundle)).toEqual([]);
  expect(second.counts.inFull).toBe(0);
  expect(second.counts.shared).toBe(first.counts.inFull);
  // Only valid shapes are shared: broken Bundles are judged as both validators judge them, by either process.
  const random = createRandom(7);
  const disagreements: string[] = [];
  for (let n = 0; n < 200; n++) {
    const { bundle, what } = mutated(bundles[random.int(0, 199)]!, random);
    const full = validateFhirBundle(bundle).length > 0;
    const [byFirst, bySecond] = [(await first.validateBundleSharing(bundle)).length > 0, (await second.validateBundleSharing(bundle)).length > 0];
    if (full !== byFirst || full !== bySecond) disagreements.push(`${what}: full ${full}, first ${byFirst}, second ${bySecond}`);
  }
  expect(disagreements).toEqual([]);
});

it('validates in full when the shared set cannot be reached', async () => {
  const shared = sharedSet();
  shared.down = true;
  const shapes = new ValidatedShapes(shared);
  for (const bundle of bundles.slice(0, 20)) expect(await shapes.validateBundleSharing(bundle)).toEqual([]);
  expect(shapes.counts.inFull).toBeGreaterThan(0);
  expect(shapes.counts.shared).toBe(0);
  const broken = structuredClone(bundles[0]!);
  (broken.entry![0]!.resource as { resourceType: string; status?: string }).status = 'no-such-status';
  expect(validateFhirBundle(broken).length).toBeGreaterThan(0);
  expect((await shapes.validateBundleSharing(broken)).length).toBe(validateFhirBundle(broken).length);
});
