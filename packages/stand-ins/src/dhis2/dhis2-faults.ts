// Fault injection, so the middleware's retries can be tested: the failures a DHIS2 behind a proxy really
// gives (5xx with an nginx HTML page or a DHIS2 JSON WebMessage, a reset connection, an answer that never
// comes or comes late) and an import that throws inside DHIS2 (ImportSummary ERROR "The import process
// failed: …", reference/dhis2-web-api.md §1.3). Faults come from a queue, or at random with a seeded
// generator so a run can be replayed.
import { FaultSchedule, type HandedOutFault, type RandomFaultSettings } from '../http/fault-schedule.js';
import { failedImportSummary } from './data-value-import.js';
import type { Dhis2Request, Dhis2Response } from './types.js';
import { reasonPhrase, webMessageResponse } from './web-message.js';

export type Dhis2Fault =
  /** A 5xx from the proxy (`html`) or from DHIS2 itself (`json`). `applied`: the request took effect first. */
  | { kind: 'status'; status: 500 | 502 | 503 | 504; body?: 'html' | 'json'; message?: string; applied?: boolean }
  /** The connection is reset without an answer (ECONNRESET / socket hang up in the client). */
  | { kind: 'reset'; applied?: boolean }
  /** No answer at all until the client gives up (its timeout). */
  | { kind: 'hang'; applied?: boolean }
  /** The normal answer, `ms` late; the request takes effect at once, so a client timeout leaves it applied. */
  | { kind: 'delay'; ms: number }
  /** DHIS2 threw inside the import: 409, status ERROR, nothing imported. */
  | { kind: 'importAborted'; message?: string };

export interface FaultMatch {
  method?: string;
  /** Matched against the request path (`/api/dataValueSets`, `/api/41/dataValueSets` …). */
  path?: string | RegExp;
}

export type RandomFaults = RandomFaultSettings<Dhis2Fault, FaultMatch>;
export type InjectedFault = HandedOutFault<Dhis2Fault>;

function matches(match: FaultMatch | undefined, request: Dhis2Request): boolean {
  if (!match) return true;
  if (match.method && match.method.toUpperCase() !== request.method.toUpperCase()) return false;
  if (match.path === undefined) return true;
  return typeof match.path === 'string' ? request.path === match.path : match.path.test(request.path);
}

export class FaultInjector extends FaultSchedule<Dhis2Fault, Dhis2Request, FaultMatch> {
  constructor() {
    super(matches);
  }
}

function nginxPage(status: number): string {
  const title = `${status} ${reasonPhrase(status)}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

/**
 * The answer for a request that met a fault. `handle` runs the request for real; it is called only when
 * the fault lets the request take effect.
 */
export function applyFault(fault: Dhis2Fault, handle: () => Dhis2Response): Dhis2Response {
  switch (fault.kind) {
    case 'status': {
      if (fault.applied) handle();
      if (fault.body === 'json') {
        return webMessageResponse({
          httpStatusCode: fault.status,
          status: 'ERROR',
          message: fault.message ?? reasonPhrase(fault.status),
        });
      }
      return { status: fault.status, headers: { 'content-type': 'text/html' }, body: nginxPage(fault.status) };
    }
    case 'reset':
    case 'hang':
      if (fault.applied) handle();
      return { status: 0, headers: {}, body: '', transport: { kind: fault.kind } };
    case 'delay':
      return { ...handle(), transport: { kind: 'delay', ms: fault.ms } };
    case 'importAborted':
      return webMessageResponse({
        httpStatusCode: 409,
        status: 'ERROR',
        message: 'An error occurred, please check import summary.',
        response: failedImportSummary(fault.message ?? 'ERROR: deadlock detected'),
      });
  }
}
