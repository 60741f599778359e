// A FHIR R4 server stand-in for tests and the demo (DESIGN.md §8; reference/fhir.md §2.3, §2.4): the
// @medplum/fhir-router FhirRouter over an in-memory MemoryRepository, with what the router leaves out and a
// real server does (see FhirStandInOptions.transactions for how transaction Bundles are applied, and why):
// - every resource written (POST, PUT, each transaction or batch entry) is validated first, by the same two
//   validators as the mapping's output; an invalid one answers 400 with an OperationOutcome;
// - the `If-None-Exist` header of a plain POST becomes a one-entry transaction (the router ignores it);
// - a conditional create or PUT whose criteria name an identifier must carry that identifier in its body,
//   as HAPI checks (HAPI-0929: the created resource must satisfy the conditional URL); criteria naming several
//   identifiers OR-ed by commas (`identifier=a|1,b|2`, FHIR search's OR) are met by a body carrying any one;
//   otherwise 400;
// - `If-Match` on a plain PUT is handed to the router, as it is for `request.ifMatch` in a transaction: a
//   version that is not the current one answers 412 Precondition Failed (R4 http.html "Managing Resource
//   Contention"; HAPI answers such a conflict with 409);
// - requests are served one at a time (MemoryRepository has no isolation between concurrent transactions).
// Known differences from HAPI, kept as they are: every PUT makes a new version even when nothing changed;
// search escaping (`\|` in a token) is not honoured by the router.
import { getStatus, isOk } from '@medplum/core';
import type { Bundle, BundleEntry, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { FhirRouter, type FhirRequest } from '@medplum/fhir-router';
import { IndexedMemoryRepository } from './indexed-repository.js';
import type { CoreAnswer } from '../http/fault-acting-server.js';
import { loadR4Definitions, validateResourceOnWrite, type ValidationIssue } from './validation.js';
import { FhirFaultInjector, type FhirFault } from './fhir-faults.js';

export interface FhirStandInRequest {
  method: string;
  /** Path under the FHIR base: `/`, `/Patient`, `/Patient/123`, `/Encounter` … */
  path: string;
  /** The query string without `?` (still percent-encoded). */
  search?: string;
  headers?: Record<string, string | undefined>;
  body?: string;
}

export type FhirStandInResponse = CoreAnswer;

export interface FhirStandInOptions {
  /** Validate written resources (default true). */
  validate?: boolean;
  /**
   * How a transaction Bundle is applied.
   * - `atomic`: Medplum's transactions, all or nothing. The router then refuses (400, "Transaction requires
   *   strict isolation but has too many entries") any transaction with a conditional entry (ifNoneExist,
   *   conditional PUT or DELETE) and more than 8 entries, and any with more than 50 updates; an encounter's
   *   Bundle usually has 10–30 entries, all conditional.
   * - `sequential` (default): the router's batch processing of the same Bundle (same order, same urn:uuid
   *   resolution, same conditional matching), one request at a time; the first failed entry's status and
   *   OperationOutcome become the answer, but the entries before it stay applied (no rollback). Validation
   *   still refuses a Bundle with any invalid resource before anything is applied.
   */
  transactions?: 'atomic' | 'sequential';
}

const FHIR_JSON = 'application/fhir+json; charset=utf-8';

type IssueCode = NonNullable<OperationOutcome['issue']>[number]['code'];

function outcome(status: number, code: IssueCode, diagnostics: string, expression?: string[]): FhirStandInResponse {
  const body: OperationOutcome = {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code, diagnostics, ...(expression ? { expression } : {}) }],
  };
  return { status, headers: { 'content-type': FHIR_JSON }, body: JSON.stringify(body) };
}

function invalid(issues: ValidationIssue[], where: string): FhirStandInResponse {
  const body: OperationOutcome = {
    resourceType: 'OperationOutcome',
    issue: issues.map((issue) => ({
      severity: 'error',
      code: 'invalid',
      diagnostics: `${where}${issue.validator}: ${issue.message}`,
      expression: [issue.path],
    })),
  };
  return { status: 400, headers: { 'content-type': FHIR_JSON }, body: JSON.stringify(body) };
}

/**
 * `identifier=sys|val` criteria → the identifiers they name, when that is all they say; several when the
 * value lists them OR-ed by unescaped commas (`identifier=a|1,b|2`).
 */
function identifiersOf(criteria: string): { system: string; value: string }[] | undefined {
  const query = criteria.includes('?') ? criteria.slice(criteria.indexOf('?') + 1) : criteria;
  const params = new URLSearchParams(query);
  const tokens = params.getAll('identifier');
  if (tokens.length !== 1 || [...params.keys()].length !== 1) return undefined;
  const unescape = (text: string) => text.replace(/\\([\\|,$])/g, '$1');
  const named: { system: string; value: string }[] = [];
  for (const token of (tokens[0] as string).split(/(?<!\\),/)) {
    // The first "|" not escaped by a backslash separates system and value; then the escapes are undone.
    const bar = token.search(/(?<!\\)\|/);
    if (bar < 0) return undefined;
    named.push({ system: unescape(token.slice(0, bar)), value: unescape(token.slice(bar + 1)) });
  }
  return named;
}

function carriesAny(resource: Resource, named: readonly { system: string; value: string }[]): boolean {
  const identifiers = (resource as { identifier?: { system?: string; value?: string }[] }).identifier ?? [];
  return identifiers.some((candidate) => named.some((identifier) => candidate.system === identifier.system && candidate.value === identifier.value));
}

export class FhirStandIn {
  readonly repository = new IndexedMemoryRepository();
  readonly faults = new FhirFaultInjector();
  private readonly router = new FhirRouter();
  private readonly validate: boolean;
  private readonly transactions: 'atomic' | 'sequential';
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: FhirStandInOptions = {}) {
    loadR4Definitions();
    this.validate = options.validate ?? true;
    this.transactions = options.transactions ?? 'sequential';
  }

  /** Forgets every resource. */
  clear(): void {
    this.repository.clear();
  }

  /** Every stored resource of a type (for assertions; not through HTTP). */
  async all<T extends Resource>(resourceType: T['resourceType']): Promise<T[]> {
    const bundle = await this.repository.search<T>({ resourceType, count: 10_000 } as never);
    return (bundle.entry ?? []).map((entry) => entry.resource as T);
  }

  handle(request: FhirStandInRequest): Promise<FhirStandInResponse> {
    const run = this.queue.then(() => this.serve(request));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async serve(request: FhirStandInRequest): Promise<FhirStandInResponse> {
    const fault = this.faults.take({ method: request.method, path: request.path, body: request.body });
    if (fault) return this.applyFault(fault, request);
    return this.execute(request);
  }

  private async applyFault(fault: FhirFault, request: FhirStandInRequest): Promise<FhirStandInResponse> {
    switch (fault.kind) {
      case 'status':
        if (fault.applied) await this.execute(request);
        return outcome(fault.status, 'transient', `injected fault: HTTP ${fault.status}`);
      case 'reset':
      case 'hang':
        if (fault.applied) await this.execute(request);
        return { status: 0, headers: {}, body: '', transport: { kind: fault.kind } };
      case 'delay':
        return { ...(await this.execute(request)), transport: { kind: 'delay', ms: fault.ms } };
      case 'preconditionFailed':
        return outcome(412, 'multiple-matches', fault.diagnostics ?? 'Multiple resources found matching condition');
    }
  }

  private checkWrite(resource: Resource, criteria: string | undefined, where: string): FhirStandInResponse | undefined {
    if (this.validate) {
      const issues = validateResourceOnWrite(resource);
      if (issues.length > 0) return invalid(issues, where);
    }
    if (criteria !== undefined) {
      const named = identifiersOf(criteria);
      if (named && !carriesAny(resource, named)) {
        return outcome(400, 'processing', `${where}the resource does not carry the identifier its conditional criteria name`);
      }
    }
    return undefined;
  }

  private async execute(request: FhirStandInRequest): Promise<FhirStandInResponse> {
    const method = request.method.toUpperCase();
    let body: unknown;
    if (request.body !== undefined && request.body.length > 0) {
      try {
        body = JSON.parse(request.body);
      } catch {
        return outcome(400, 'structure', 'the body is not JSON');
      }
    }
    const search = request.search ?? '';
    let url = `${request.path.replace(/^\/+/, '')}${search ? `?${search}` : ''}`;

    if (method === 'POST' || method === 'PUT') {
      const resource = body as Resource | undefined;
      if (!resource || typeof resource !== 'object' || typeof resource.resourceType !== 'string') {
        return outcome(400, 'structure', 'the body is not a FHIR resource');
      }
      if (resource.resourceType === 'Bundle' && method === 'POST' && (url === '' || url === '/')) {
        const bundle = resource as Bundle;
        for (const [index, entry] of (bundle.entry ?? []).entries()) {
          if (!entry.resource) continue;
          const criteria = entry.request?.ifNoneExist ?? (entry.request?.url.includes('?') ? entry.request.url : undefined);
          const refused = this.checkWrite(entry.resource, criteria, `Bundle.entry[${index}]: `);
          if (refused) return refused;
        }
      } else {
        const ifNoneExist = request.headers?.['if-none-exist'];
        const refused = this.checkWrite(resource, method === 'PUT' && search ? search : ifNoneExist, '');
        if (refused) return refused;
        if (method === 'POST' && ifNoneExist) {
          // The router does not read If-None-Exist: the same create as a one-entry transaction.
          const entry: BundleEntry = { resource, request: { method: 'POST', url: resource.resourceType, ifNoneExist } };
          const answer = await this.route('POST', '', { resourceType: 'Bundle', type: 'transaction', entry: [entry] });
          if (answer.status !== 200) return answer;
          const reply = JSON.parse(answer.body) as Bundle;
          const first = reply.entry?.[0];
          const status = Number.parseInt(first?.response?.status ?? '200', 10);
          const created = first?.resource ?? (first?.response?.location ? await this.read(first.response.location) : undefined);
          return {
            status,
            headers: { 'content-type': FHIR_JSON, ...(first?.response?.location ? { location: first.response.location } : {}) },
            body: JSON.stringify(created ?? {}),
          };
        }
      }
      url = url === '/' ? '' : url;
    }
    const ifMatch = method === 'PUT' ? request.headers?.['if-match'] : undefined;
    return this.route(method, url, body, ifMatch ? { 'if-match': ifMatch } : {});
  }

  private async read(location: string): Promise<Resource | undefined> {
    const [resourceType, id] = location.split('/');
    if (!resourceType || !id) return undefined;
    try {
      return await this.repository.readResource(resourceType, id);
    } catch {
      return undefined;
    }
  }

  private async route(method: string, url: string, body: unknown, requestHeaders: Record<string, string> = {}): Promise<FhirStandInResponse> {
    const fhirRequest: FhirRequest = {
      headers: requestHeaders,
      method: method as FhirRequest['method'],
      url: `/${url}`,
      pathname: '',
      body: body === undefined ? undefined : structuredClone(body),
      params: {},
      query: {},
      config: { transactions: this.transactions === 'atomic' },
    };
    const [result, resource] = await this.router.handleRequest(fhirRequest, this.repository);
    const status = getStatus(result);
    const headers: Record<string, string> = { 'content-type': FHIR_JSON };
    if (this.transactions === 'sequential' && status === 200 && resource?.resourceType === 'Bundle' && (body as Bundle | undefined)?.type === 'transaction') {
      const failed = ((resource as Bundle).entry ?? []).find((entry) => Number.parseInt(entry.response?.status ?? '200', 10) >= 400);
      if (failed?.response) {
        const failedOutcome = (failed.response.outcome ?? { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'processing' }] }) as OperationOutcome;
        return { status: Number.parseInt(failed.response.status, 10), headers, body: JSON.stringify(failedOutcome) };
      }
    }
    const payload = resource ?? result;
    if (isOk(result) && resource && 'id' in resource && resource.id && resource.resourceType !== 'Bundle') {
      headers['location'] = `${resource.resourceType}/${resource.id}${resource.meta?.versionId ? `/_history/${resource.meta.versionId}` : ''}`;
      if (resource.meta?.versionId) headers['etag'] = `W/"${resource.meta.versionId}"`;
    }
    return { status, headers, body: JSON.stringify(payload) };
  }
}
