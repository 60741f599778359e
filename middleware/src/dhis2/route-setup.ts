// The DHIS2 Route through which the DHIS2 app reaches the middleware (DESIGN.md §6, reference §6.2): DHIS2
// adds the middleware's API key server-side, so no credential sits in the browser. Ensuring it is safe to
// repeat: an existing route with the same code is updated in place, otherwise one is created.
import type { Dhis2Client } from './dhis2-client.js';

export const ROUTE_CODE = 'smc-bridge';

export interface RouteSettings {
  /** Where DHIS2 reaches the middleware, e.g. http://middleware:8080 inside the compose network. */
  middlewareUrl: string;
  /** The app's middleware API key (plain, as `keys new dhis2-app --scope app` prints it). */
  apiKey: string;
  /** Authorities whose holders may run the route besides superusers (the app's own authority). */
  authorities: readonly string[];
}

export function routeDefinition(settings: RouteSettings): Record<string, unknown> {
  return {
    code: ROUTE_CODE,
    name: 'SMC bridge middleware',
    description: 'Encounters from the SMC app to the SMC bridge middleware; DHIS2 adds the API key.',
    disabled: false,
    // A wildcard route over the app's endpoints only (/api/routes/smc-bridge/run/encounters reaches
    // /api/v1/app/encounters): every DHIS2 user allowed to run the route reaches these and nothing else, and
    // the key it adds is an app-scoped key, which the middleware honours on these endpoints alone.
    url: `${settings.middlewareUrl.replace(/\/+$/, '')}/api/v1/app/**`,
    auth: { type: 'api-headers', headers: { Authorization: `Bearer ${settings.apiKey}` } },
    authorities: [...settings.authorities],
    responseTimeoutSeconds: 30,
  };
}

export async function ensureRoute(client: Pick<Dhis2Client, 'request'>, settings: RouteSettings): Promise<'created' | 'updated'> {
  const found = await client.request('GET', '/routes', { params: { filter: `code:eq:${ROUTE_CODE}`, fields: 'id' } });
  if (found.status !== 200) throw new Error(`DHIS2 answered ${found.status} to GET /api/routes: ${describe(found.body)}`);
  const existing = (found.body as { routes?: { id: string }[] } | undefined)?.routes?.[0];
  const definition = routeDefinition(settings);
  const response = existing ? await client.request('PUT', `/routes/${existing.id}`, { body: definition }) : await client.request('POST', '/routes', { body: definition });
  if (response.status !== 200 && response.status !== 201) {
    throw new Error(`DHIS2 refused the route (${response.status}): ${describe(response.body)}`);
  }
  return existing ? 'updated' : 'created';
}

function describe(body: unknown): string {
  const message = body as { message?: string; response?: { errorReports?: { message: string }[] } } | undefined;
  const reports = message?.response?.errorReports?.map((report) => report.message) ?? [];
  return [message?.message, ...reports].filter(Boolean).join('; ') || JSON.stringify(body)?.slice(0, 300) || 'no body';
}
