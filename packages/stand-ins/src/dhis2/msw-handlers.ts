// msw 2 handlers that answer DHIS2 Web API calls from the stand-in core (this folder, which follows
// shared/reference/dhis2-web-api.md), so unit tests of the DHIS2 client need no server. Transport faults
// become what a client sees on the wire: a network error for a reset, no answer for a hang. A route run's
// proxy plan is carried out with node:http, as the HTTP server does (its upstream is a real server; requests
// msw does not handle pass through).
import { delay, http, HttpResponse, type HttpHandler } from 'msw';
import { setupServer, type SetupServer } from 'msw/node';
import { resolveProxy } from '../http/outbound.js';
import { Dhis2StandIn, type Dhis2StandInOptions } from './stand-in.js';
import type { Dhis2Request } from './types.js';

export const DHIS2_TEST_URL = 'http://dhis2.test';

async function toDhis2Request(request: Request): Promise<Dhis2Request> {
  const url = new URL(request.url);
  const query: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) (query[name] ??= []).push(value);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const bytes = request.method === 'GET' || request.method === 'HEAD' ? undefined : new Uint8Array(await request.arrayBuffer());
  const present = bytes !== undefined && bytes.length > 0;
  return {
    method: request.method,
    path: url.pathname,
    query,
    headers,
    body: present ? new TextDecoder().decode(bytes) : undefined,
    ...(present ? { rawBody: bytes } : {}),
  };
}

/** Handlers for every route under `baseUrl` (the API, getModules.action, the login form and page), answered by `standIn`. */
export function dhis2Handlers(standIn: Dhis2StandIn, baseUrl: string = DHIS2_TEST_URL): HttpHandler[] {
  const answer = async ({ request }: { request: Request }): Promise<Response> => {
    const response = await resolveProxy(standIn.handle(await toDhis2Request(request)));
    const transport = response.transport;
    if (transport?.kind === 'reset') return HttpResponse.error();
    if (transport?.kind === 'hang') await delay('infinite');
    if (transport?.kind === 'delay') await delay(transport.ms);
    // An empty answer has no body (a Response for 204 or 304 may not have one, and '' would gain text/plain).
    const bodiless = [204, 205, 304].includes(response.status);
    const body = bodiless ? null : (response.rawBody ?? (response.body === '' ? null : response.body));
    return new HttpResponse(body, { status: response.status, headers: response.headers });
  };
  return [
    http.post(`${baseUrl}/api/dataValueSets`, answer),
    http.get(`${baseUrl}/api/dataValueSets`, answer),
    http.all(`${baseUrl}/api/*`, answer),
    http.all(`${baseUrl}/*`, answer),
  ];
}

export interface Dhis2Msw {
  server: SetupServer;
  standIn: Dhis2StandIn;
  baseUrl: string;
  close(): void;
}

/**
 * Starts msw with the stand-in's handlers (requests to other hosts pass through untouched).
 * Call `close()` in afterAll / afterEach.
 */
export function setupDhis2Msw(options: Dhis2StandInOptions & { standIn?: Dhis2StandIn; baseUrl?: string } = {}): Dhis2Msw {
  const standIn = options.standIn ?? new Dhis2StandIn(options);
  const baseUrl = options.baseUrl ?? DHIS2_TEST_URL;
  const server = setupServer(...dhis2Handlers(standIn, baseUrl));
  server.listen({ onUnhandledRequest: 'bypass' });
  return { server, standIn, baseUrl, close: () => server.close() };
}
