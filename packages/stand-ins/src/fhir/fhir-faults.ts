// Fault injection for the FHIR stand-in, in the style of the DHIS2 stand-in's (dhis2/dhis2-faults.ts),
// so the FHIR delivery's retries can be tested: a 5xx from a proxy or the server (optionally after the
// request took effect), a reset connection, an answer that never comes or comes late, and a
// 412 Precondition Failed with an OperationOutcome, as a FHIR server gives when conditional criteria match
// several resources (reference/fhir.md §1.4). Faults come from a queue (each with an optional match on
// method, path or body, to aim at one request) or at random with a seeded generator.
import { FaultSchedule, type HandedOutFault, type RandomFaultSettings } from '../http/fault-schedule.js';

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

export type RandomFhirFaults = RandomFaultSettings<FhirFault, FhirFaultMatch>;
export type InjectedFhirFault = HandedOutFault<FhirFault>;

function matches(match: FhirFaultMatch | undefined, request: FhirFaultRequest): boolean {
  if (!match) return true;
  if (match.method && match.method.toUpperCase() !== request.method.toUpperCase()) return false;
  if (match.path !== undefined && !(typeof match.path === 'string' ? request.path === match.path : match.path.test(request.path))) return false;
  if (match.body !== undefined && !match.body.test(request.body ?? '')) return false;
  return true;
}

export class FhirFaultInjector extends FaultSchedule<FhirFault, FhirFaultRequest, FhirFaultMatch> {
  constructor() {
    super(matches);
  }
}
