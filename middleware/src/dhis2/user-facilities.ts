// Which facilities a DHIS2 user may see, for the DHIS2 app's reads: the org units the user is assigned to
// for data capture, and everything below them (a district nurse sees its facilities). The Route tells the
// middleware who the user is (X-Forwarded-User); the middleware asks DHIS2 itself, with its own credentials,
// and keeps the answers a few minutes so an app polling its outbox costs DHIS2 nothing.
import type { Dhis2Client } from './dhis2-client.js';

export interface OrgUnitRef {
  id: string;
  code?: string;
  /** `/rootUid/…/uid`, as DHIS2 gives it. */
  path: string;
}

interface Cached<T> {
  value: T;
  until: number;
}

export class UserFacilities {
  private readonly users = new Map<string, Cached<OrgUnitRef[]>>();
  private readonly orgUnits = new Map<string, Cached<OrgUnitRef | undefined>>();

  constructor(
    private readonly client: Pick<Dhis2Client, 'request'>,
    private readonly ttlMs = 5 * 60_000,
  ) {}

  private async cached<T>(map: Map<string, Cached<T>>, key: string, read: () => Promise<T>): Promise<T> {
    const hit = map.get(key);
    if (hit && hit.until > Date.now()) return hit.value;
    const value = await read();
    map.set(key, { value, until: Date.now() + this.ttlMs });
    return value;
  }

  /** The org units a user is assigned to for data capture ([] for an unknown user). */
  orgUnitsOf(username: string): Promise<OrgUnitRef[]> {
    return this.cached(this.users, username, async () => {
      const answer = await this.client.request('GET', '/users', { params: { filter: `username:eq:${username}`, fields: 'id,username,organisationUnits[id,code,path]', paging: 'false' } });
      if (answer.status !== 200) throw new Error(`DHIS2 answered ${answer.status} to the look-up of a user's org units`);
      const users = (answer.body as { users?: { username?: string; organisationUnits?: OrgUnitRef[] }[] } | undefined)?.users ?? [];
      // The filter is DHIS2's; the username is checked again here, exactly.
      return users.find((user) => user.username === username)?.organisationUnits ?? [];
    });
  }

  /** An org unit by uid (undefined when DHIS2 has none). */
  orgUnit(uid: string): Promise<OrgUnitRef | undefined> {
    return this.cached(this.orgUnits, uid, async () => {
      const answer = await this.client.request('GET', `/organisationUnits/${encodeURIComponent(uid)}`, { params: { fields: 'id,code,path' } });
      if (answer.status === 404) return undefined;
      if (answer.status !== 200) throw new Error(`DHIS2 answered ${answer.status} to the look-up of an org unit`);
      return answer.body as OrgUnitRef;
    });
  }

  /** The org unit, when the user is assigned to it or to one above it; otherwise undefined. */
  async readableBy(username: string, uid: string): Promise<OrgUnitRef | undefined> {
    if (!/^[A-Za-z][A-Za-z0-9]{10}$/.test(uid)) return undefined;
    const [assigned, orgUnit] = await Promise.all([this.orgUnitsOf(username), this.orgUnit(uid)]);
    if (orgUnit === undefined) return undefined;
    const ancestry = orgUnit.path.split('/');
    return assigned.some((unit) => ancestry.includes(unit.id)) ? orgUnit : undefined;
  }
}
