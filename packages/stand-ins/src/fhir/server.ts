// The FHIR stand-in as an HTTP server (node:http) speaking application/fhir+json under `/fhir`, for
// the middleware's FhirClient, end-to-end tests and the demo. Acts out transport faults (reset, hang, delay).
import { startFaultActingServer } from '../http/fault-acting-server.js';
import { FhirStandIn, type FhirStandInOptions } from './stand-in.js';

export const FHIR_BASE_PATH = '/fhir';

export interface FhirStandInServerOptions extends FhirStandInOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  standIn?: FhirStandIn;
}

export interface FhirStandInServer {
  /** The FHIR base URL, e.g. http://127.0.0.1:41234/fhir */
  baseUrl: string;
  standIn: FhirStandIn;
  close(): Promise<void>;
}

export async function startFhirStandInServer(options: FhirStandInServerOptions = {}): Promise<FhirStandInServer> {
  const standIn = options.standIn ?? new FhirStandIn(options);
  const server = await startFaultActingServer(async ({ method, url, headers, body }) => {
    if (url.pathname !== FHIR_BASE_PATH && !url.pathname.startsWith(`${FHIR_BASE_PATH}/`)) {
      return { status: 404, headers: { 'content-type': 'text/plain' }, body: `the FHIR API is under ${FHIR_BASE_PATH}` };
    }
    return standIn.handle({ method, path: url.pathname.slice(FHIR_BASE_PATH.length) || '/', search: url.search.replace(/^\?/, ''), headers, body });
  }, options);
  return { baseUrl: `${server.origin}${FHIR_BASE_PATH}`, standIn, close: server.close };
}
