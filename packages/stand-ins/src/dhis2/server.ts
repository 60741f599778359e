// The stand-in as a real HTTP server (node:http), for end-to-end tests, the demo and benchmarks: it carries
// requests to the core and acts out transport faults (reset, hang, delay). Serves `/api/...` and the
// versioned `/api/41/...` form (reference/dhis2-web-api.md §0).
import { startFaultActingServer, type PlainRequest } from '../http/fault-acting-server.js';
import { Dhis2StandIn, type Dhis2StandInOptions } from './stand-in.js';
import type { Dhis2Request } from './types.js';

export interface Dhis2StandInServerOptions extends Dhis2StandInOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Serve an existing core instead of building one from the other options. */
  standIn?: Dhis2StandIn;
}

export interface Dhis2StandInServer {
  /** Base URL without a trailing slash; the API is under `${url}/api`. */
  url: string;
  standIn: Dhis2StandIn;
  close(): Promise<void>;
}

export function toDhis2Request(request: PlainRequest): Dhis2Request {
  const query: Record<string, string[]> = {};
  for (const [name, value] of request.url.searchParams) (query[name] ??= []).push(value);
  return { method: request.method, path: request.url.pathname, query, headers: request.headers, body: request.body, rawBody: request.rawBody };
}

export async function startDhis2StandInServer(options: Dhis2StandInServerOptions = {}): Promise<Dhis2StandInServer> {
  const standIn = options.standIn ?? new Dhis2StandIn(options);
  const server = await startFaultActingServer((request) => standIn.handle(toDhis2Request(request)), options);
  return { url: server.origin, standIn, close: server.close };
}
