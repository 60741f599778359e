// Fault injection for the FHIR stand-in, in the style of the DHIS2 stand-in's (dhis2-standin/faults.ts),
// so the FHIR delivery's retries can be tested: a 5xx from a proxy or the server (optionally after the
// request took effect), a reset connection, an answer that never comes or comes late, and a
// 412 Precondition Failed with an OperationOutcome, as a FHIR server gives when conditional criteria match
// several resources (reference/fhir.md §1.4). Faults come from a queue (each with an optional match on
// method, path or body, to aim at one request) or at random with a seeded generator.
import { createRandom, type Random } from '../synthetic/random.js';

export type FhirFault =
  /** A 5xx. `applied`: the request took effect before the answer was lost. */
  | { kind: 'status'; status: 500 | 502 | 503 | 504; applied?: boolean }
  /** The connection is reset without an answer. */
  | { kind: 'reset'; applied?: boolean }
  /** No answer until the client gives up. */
  | { kind: 'hang'; applied?: boolean }
  /** The normal answer, `ms` late; the request takes effect at once. */
  | { kind: 'delay'; ms: number }
  /** 412 with an OperationOutcome (`multiple-matches`); the request does not take effect. */
  | { kind: 'preconditionFailed'; diagnostics?: string };

/** What a fault can be aimed at. */
export interface FhirFaultMatch {
  method?: string;
  /** The path under the FHIR base: `/` for a transaction, `/Patient`, `/Patient/123` … */
  path?: string | RegExp;
  /** Matched against the raw request body, e.g. an encounter's record identifier. */
  body?: RegExp;
}

export interface FhirFaultRequest {
  method: string;
  path: string;
  body?: string;
}

export interface RandomFhirFaults {
  seed: number;
  /** Chance in [0, 1] that a matching request gets a fault. */
  probability: number;
  /** Drawn uniformly. */
  faults: readonly FhirFault[];
  match?: FhirFaultMatch;
}

export interface InjectedFhirFault {
  fault: FhirFault;
  method: string;
  path: string;
}

interface QueuedFault {
  fault: FhirFault;
  remaining: number;
  match?: FhirFaultMatch;
}

function matches(match: FhirFaultMatch | undefined, request: FhirFaultRequest): boolean {
  if (!match) return true;
  if (match.method && match.method.toUpperCase() !== request.method.toUpperCase()) return false;
  if (match.path !== undefined && !(typeof match.path === 'string' ? request.path === match.path : match.path.test(request.path))) return false;
  if (match.body !== undefined && !match.body.test(request.body ?? '')) return false;
  return true;
}

export class FhirFaultInjector {
  private readonly queue: QueuedFault[] = [];
  private random?: { options: RandomFhirFaults; generator: Random };
  /** Every fault handed out, in order, for assertions. */
  readonly injected: InjectedFhirFault[] = [];

  /** The next `times` matching requests (default 1) get this fault; queued faults are served in order. */
  enqueue(fault: FhirFault, options: { times?: number; match?: FhirFaultMatch } = {}): void {
    this.queue.push({ fault, remaining: options.times ?? 1, match: options.match });
  }

  /** Random faults for requests the queue does not serve; `null` turns them off. */
  setRandom(options: RandomFhirFaults | null): void {
    this.random = options ? { options, generator: createRandom(options.seed) } : undefined;
  }

  clear(): void {
    this.queue.length = 0;
    this.random = undefined;
  }

  take(request: FhirFaultRequest): FhirFault | undefined {
    const position = this.queue.findIndex((queued) => matches(queued.match, request));
    let fault: FhirFault | undefined;
    if (position >= 0) {
      const queued = this.queue[position] as QueuedFault;
      fault = queued.fault;
      if (--queued.remaining <= 0) this.queue.splice(position, 1);
    } else if (this.random && matches(this.random.options.match, request)) {
      const { options, generator } = this.random;
      if (options.faults.length > 0 && generator.chance(options.probability)) fault = generator.pick(options.faults);
    }
    if (fault) this.injected.push({ fault, method: request.method, path: request.path });
    return fault;
  }
}
