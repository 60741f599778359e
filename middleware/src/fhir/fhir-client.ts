// The FHIR client the middleware uses: a thin typed adapter over fhir-kit-client 2 (reference/fhir.md §1.6),
// which is ESM-only and types every resource as `FhirResource` (not assignable from @medplum/fhirtypes).
// It adds a timeout on every request and turns every failure into a FhirRequestError that says whether a
// retry can help: network errors, timeouts, 429 and 5xx can; any other 4xx (400 invalid, 412 criteria
// matching several resources) cannot, and needs a person (reference recommendation 3). Error messages
// carry the status and the OperationOutcome's issue codes, never the request or the resource.
import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { Client, type FhirResource } from 'fhir-kit-client';

export interface FhirClientOptions {
  /** FHIR base URL, e.g. https://hapi.example.org/fhir */
  baseUrl: string;
  bearerToken?: string;
  /** Per request; default 30 s. */
  timeoutMs?: number;
}

export type FhirFailureKind = 'http' | 'network' | 'timeout';

export class FhirRequestError extends Error {
  constructor(
    message: string,
    readonly kind: FhirFailureKind,
    readonly retryable: boolean,
    readonly status?: number,
    readonly outcome?: OperationOutcome,
  ) {
    super(message);
    this.name = 'FhirRequestError';
  }
}

function isOperationOutcome(value: unknown): value is OperationOutcome {
  return typeof value === 'object' && value !== null && (value as { resourceType?: unknown }).resourceType === 'OperationOutcome';
}

/** What went wrong, as a FhirRequestError. */
export function toFhirRequestError(error: unknown, what: string): FhirRequestError {
  if (error instanceof FhirRequestError) return error;
  const response = (error as { response?: { status?: number; data?: unknown } } | undefined)?.response;
  if (response?.status !== undefined) {
    const status = response.status;
    const outcome = isOperationOutcome(response.data) ? response.data : undefined;
    const codes = outcome?.issue?.map((issue) => issue.code).join(', ');
    const retryable = status === 429 || status >= 500;
    return new FhirRequestError(`${what}: HTTP ${status}${codes ? ` (${codes})` : ''}`, 'http', retryable, status, outcome);
  }
  const name = (error as { name?: string } | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return new FhirRequestError(`${what}: no answer in time`, 'timeout', true);
  const cause = (error as { cause?: { code?: string } } | undefined)?.cause?.code;
  return new FhirRequestError(`${what}: ${cause ?? (error as Error | undefined)?.message ?? 'request failed'}`, 'network', true);
}

export class FhirClient {
  private readonly client: Client;
  private readonly timeoutMs: number;

  constructor(options: FhirClientOptions) {
    this.client = new Client({ baseUrl: options.baseUrl, ...(options.bearerToken ? { bearerToken: options.bearerToken } : {}) });
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  private async call<T>(what: string, run: (signal: AbortSignal) => Promise<FhirResource>): Promise<T> {
    try {
      return (await run(AbortSignal.timeout(this.timeoutMs))) as unknown as T;
    } catch (error) {
      throw toFhirRequestError(error, what);
    }
  }

  /** POSTs a transaction Bundle; resolves with the transaction-response Bundle. */
  transaction(bundle: Bundle): Promise<Bundle> {
    return this.call('FHIR transaction', (signal) => this.client.transaction({ body: bundle as unknown as FhirResource, options: { signal } }));
  }

  read<T extends Resource>(resourceType: T['resourceType'], id: string): Promise<T> {
    return this.call(`FHIR read ${resourceType}`, (signal) => this.client.read({ resourceType, id, options: { signal } }));
  }

  /** One page of a search (`_count` sets its size). */
  search<T extends Resource>(resourceType: T['resourceType'], searchParams: Record<string, string | number> = {}): Promise<Bundle<T>> {
    return this.call(`FHIR search ${resourceType}`, (signal) => this.client.search({ resourceType, searchParams, options: { signal } }));
  }

  /** The resources of one search page. */
  async searchResources<T extends Resource>(resourceType: T['resourceType'], searchParams: Record<string, string | number> = {}): Promise<T[]> {
    const bundle = await this.search<T>(resourceType, searchParams);
    return (bundle.entry ?? []).flatMap((entry) => (entry.resource ? [entry.resource] : []));
  }
}
