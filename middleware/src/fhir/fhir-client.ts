// The FHIR client the middleware uses: the three FHIR REST interactions it needs (transaction/batch, read,
// search), typed with @medplum/fhirtypes, over node:http(s) with a keep-alive Agent. It replaced
// fhir-kit-client 2 (reference/fhir.md §1.6) on the delivery's hot path (issue 13): that client goes through
// fetch (undici, web streams, a Request and Headers per call, its agent option ignored), which cost about a
// quarter of a worker's CPU at 1,000 uploads/s; here a request is one write of the JSON text and one read of
// the answer on a socket kept open between requests (`maxSockets` per worker process).
// It adds a timeout on every request and turns every failure into a FhirRequestError that says whether a
// retry can help: network errors, timeouts, 429 and 5xx can; any other 4xx (400 invalid, 412 criteria
// matching several resources) cannot, and needs a person (reference recommendation 3). Error messages
// carry the status and the OperationOutcome's issue codes, never the request or the resource.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';

export interface FhirClientOptions {
  /** FHIR base URL, e.g. https://hapi.example.org/fhir */
  baseUrl: string;
  bearerToken?: string;
  /** Per request; default 30 s. */
  timeoutMs?: number;
  /** Sockets kept open to the server (and so requests in flight at once); default 16. */
  maxSockets?: number;
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

/** The error of an HTTP answer that is not a success (or not JSON): retryable for 429 and 5xx only. */
function httpError(what: string, status: number, data: unknown): FhirRequestError {
  const outcome = isOperationOutcome(data) ? data : undefined;
  const codes = outcome?.issue?.map((issue) => issue.code).join(', ');
  return new FhirRequestError(`${what}: HTTP ${status}${codes ? ` (${codes})` : ''}`, 'http', status === 429 || status >= 500, status, outcome);
}

/** What went wrong, as a FhirRequestError. */
export function toFhirRequestError(error: unknown, what: string): FhirRequestError {
  if (error instanceof FhirRequestError) return error;
  const name = (error as { name?: string } | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return new FhirRequestError(`${what}: no answer in time`, 'timeout', true);
  const code = (error as { code?: string } | undefined)?.code;
  return new FhirRequestError(`${what}: ${code ?? (error as Error | undefined)?.message ?? 'request failed'}`, 'network', true);
}

/** The query string of a search, each value URL-encoded (`|` → `%7C`, `,` → `%2C`), as fhir-kit-client did. */
export function queryStringOf(params: Record<string, string | number>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) query.append(key, String(value));
  return query.toString();
}

const FHIR_JSON = 'application/fhir+json';

export class FhirClient {
  private readonly base: URL;
  private readonly basePath: string;
  private readonly agent: HttpAgent;
  private readonly send: typeof httpRequest;
  private readonly timeoutMs: number;
  private readonly headers: Record<string, string>;

  constructor(options: FhirClientOptions) {
    this.base = new URL(options.baseUrl);
    this.basePath = this.base.pathname.replace(/\/+$/, '');
    const https = this.base.protocol === 'https:';
    // An idle socket is closed after 4 s, before the server's own idle timeout (Node's 5 s, Jetty's 30 s), so
    // a request rarely goes out on a socket the server is closing (that one fails as a network error, retried).
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 16, timeout: 4_000 };
    this.agent = https ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
    this.send = https ? httpsRequest : httpRequest;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.headers = { accept: FHIR_JSON, ...(options.bearerToken ? { authorization: `Bearer ${options.bearerToken}` } : {}) };
  }

  /** One request; resolves with the parsed JSON answer of a 2xx, rejects with a FhirRequestError otherwise. */
  private request<T>(what: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string | number> = text === undefined ? this.headers : { ...this.headers, 'content-type': FHIR_JSON, 'content-length': Buffer.byteLength(text) };
    const options: RequestOptions = {
      protocol: this.base.protocol,
      hostname: this.base.hostname,
      port: this.base.port,
      path: `${this.basePath}${path}`,
      method,
      headers,
      agent: this.agent,
    };
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const fail = (error: FhirRequestError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(error);
      };
      const request = this.send(options, (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) => fail(toFhirRequestError(error, what)));
        response.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          const status = response.statusCode ?? 0;
          const answer = chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8');
          let data: unknown = {};
          if (answer.length > 0) {
            try {
              data = JSON.parse(answer);
            } catch {
              return reject(httpError(what, status, undefined));
            }
          }
          if (status < 200 || status >= 300) return reject(httpError(what, status, data));
          resolve(data as T);
        });
      });
      const timer = setTimeout(() => {
        fail(new FhirRequestError(`${what}: no answer in time`, 'timeout', true));
        request.destroy();
      }, this.timeoutMs);
      request.on('error', (error) => fail(toFhirRequestError(error, what)));
      request.end(text);
    });
  }

  /** POSTs a transaction (or batch) Bundle; resolves with the transaction-response (batch-response) Bundle. */
  transaction(bundle: Bundle): Promise<Bundle> {
    return this.request('FHIR transaction', 'POST', '/', bundle);
  }

  read<T extends Resource>(resourceType: T['resourceType'], id: string): Promise<T> {
    return this.request(`FHIR read ${resourceType}`, 'GET', `/${resourceType}/${encodeURIComponent(id)}`);
  }

  /** One page of a search (`_count` sets its size). */
  search<T extends Resource>(resourceType: T['resourceType'], searchParams: Record<string, string | number> = {}): Promise<Bundle<T>> {
    const query = queryStringOf(searchParams);
    return this.request(`FHIR search ${resourceType}`, 'GET', `/${resourceType}${query ? `?${query}` : ''}`);
  }

  /** The resources of one search page. */
  async searchResources<T extends Resource>(resourceType: T['resourceType'], searchParams: Record<string, string | number> = {}): Promise<T[]> {
    const bundle = await this.search<T>(resourceType, searchParams);
    return (bundle.entry ?? []).flatMap((entry) => (entry.resource ? [entry.resource] : []));
  }

  /** Closes the sockets kept open. */
  close(): void {
    this.agent.destroy();
  }
}
