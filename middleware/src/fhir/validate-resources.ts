// Validation of what the FHIR mapping produces, by two independent validators (DESIGN.md §8; reference/
// fhir.md §2.1, §2.2 and recommendation 4, "validate before sending"):
// - @medplum/core validateResource, over the R4 definitions: structure, cardinality, types, formats,
//   invariants; it does not check code bindings;
// - FHIR.js (the `fhir` package): required code bindings (status, gender, …), which Medplum skips.
// Only errors count: FHIR.js warns about every LOINC or SNOMED code, having no terminology server.
// Messages can quote a value from the resource: keep them out of logs (use `describeIssues`).
import { OperationOutcomeError, validateResource } from '@medplum/core';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import fhirJs from 'fhir';
import { indexFhirDefinitions } from './definitions.js';

export interface ValidationIssue {
  validator: 'medplum' | 'fhir.js';
  resourceType: string;
  /** Index of the entry in the Bundle, when validating a Bundle. */
  entry?: number;
  path: string;
  message: string;
}

let fhirJsInstance: InstanceType<typeof fhirJs.Fhir> | undefined;

function medplumIssues(resource: Resource): ValidationIssue[] {
  indexFhirDefinitions();
  try {
    validateResource(resource);
    return [];
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) throw error;
    return (error.outcome.issue ?? [])
      .filter((issue) => issue.severity === 'error' || issue.severity === 'fatal')
      .map((issue) => ({
        validator: 'medplum' as const,
        resourceType: resource.resourceType,
        path: issue.expression?.join(', ') ?? '',
        message: issue.details?.text ?? issue.diagnostics ?? issue.code,
      }));
  }
}

function fhirJsIssues(resource: Resource): ValidationIssue[] {
  fhirJsInstance ??= new fhirJs.Fhir();
  const result = fhirJsInstance.validate(resource, { errorOnUnexpected: true });
  return result.messages
    .filter((message) => message.severity === 'error' || message.severity === 'fatal')
    .map((message) => ({
      validator: 'fhir.js' as const,
      resourceType: resource.resourceType,
      path: message.location ?? '',
      message: message.message ?? 'invalid',
    }));
}

/**
 * Errors of one resource, from both validators; empty when both accept it. The resource is validated as it
 * travels, through JSON: that also gives FHIR.js plain arrays (it rejects arrays of another realm, such as
 * those structuredClone makes under jest's vm modules).
 */
export function validateFhirResource(resource: Resource): ValidationIssue[] {
  const sent = JSON.parse(JSON.stringify(resource)) as Resource;
  return [...medplumIssues(sent), ...fhirJsIssues(sent)];
}

/**
 * Builds both validators now: the R4 definitions indexed, FHIR.js's conformance resources read (about 0.1 s
 * of its own), so that a worker's first uploads do not pay for it.
 */
export function prepareFhirValidators(): void {
  indexFhirDefinitions();
  fhirJsInstance ??= new fhirJs.Fhir();
}

/** Errors of every entry's resource and of the Bundle around them. */
export function validateFhirBundle(bundle: Bundle): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  (bundle.entry ?? []).forEach((entry, index) => {
    if (entry.resource) issues.push(...validateFhirResource(entry.resource).map((issue) => ({ ...issue, entry: index })));
  });
  const shell: Bundle = { ...bundle, entry: (bundle.entry ?? []).map(({ resource: _resource, ...rest }) => rest) };
  issues.push(...validateFhirResource(shell));
  return issues;
}

/** One line per issue, without the values a message may quote: safe for logs and status records. */
export function describeIssues(issues: readonly ValidationIssue[]): string {
  return issues
    .map((issue) => `${issue.validator}: ${issue.entry !== undefined ? `entry ${issue.entry} ` : ''}${issue.path}: ${issue.message.replace(/"[^"]*"/g, '"…"')}`)
    .join('\n');
}
