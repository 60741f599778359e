// Each facility's district as DHIS2's org unit hierarchy places it, for the scorecard (and for campaigns
// declared by district). The hierarchy is read through the one DHIS2 client, page by page:
//   GET /api/<v>/organisationUnits?fields=id,code,name,level,path,parent[id,code,name]&paging=true&pageSize=1000&page=N
//   → {"pager":{"page":1,"pageCount":3,"total":2871,"pageSize":1000,…},"organisationUnits":[{"id":…,"code":…,
//      "level":4,"path":"/<country>/<region>/<district>/<facility>","parent":{"id":…,"code":…,"name":…}},…]}
// (reference/dhis2-web-api.md §4.4). The district is the facility's parent (DATA_QUALITY_DISTRICT_LEVEL=parent,
// the default) or its ancestor at a DHIS2 level (a number, taken from the path); a district without a code is
// named by its uid. The map is kept in Redis for CACHE_SECONDS, so the nightly job, the CLI and every worker
// read DHIS2 at most that often. Only when DHIS2 cannot be reached (no answer, or a gateway's 502–504), or is
// not configured, are districts taken from the codes' country_region_district_ convention, and the answer
// says so; any other refusal (401, 403, 404…) is an error, not a reason to guess.
import type { RedisClient } from '../redis/connection.js';
import { Dhis2Unreachable, type Dhis2Client } from '../dhis2/dhis2-client.js';
import type { RedisKeys } from '../redis/keys.js';

/** The district of an org unit code, by the project's convention country_region_district_facility (CM_NW_BAM_CSI001 → CM_NW_BAM); a code of another form is its own district. */
export function districtByCode(orgUnit: string): string {
  const parts = orgUnit.split('_');
  return parts.length >= 4 && parts.slice(0, 3).every((part) => /^[A-Z0-9]+$/.test(part)) ? parts.slice(0, 3).join('_') : orgUnit;
}

export type DistrictLevel = 'parent' | number;

/** Where the districts came from, as the scorecard reports it. */
export type DistrictSource =
  | { source: 'dhis2'; level: DistrictLevel; readAt: string }
  | { source: 'code-pattern'; reason: string };

export interface Districts {
  from: DistrictSource;
  /** The district of an org unit code; one DHIS2 does not place is placed by its code, and counted. */
  of(orgUnit: string): string;
  /** The org unit codes asked about that the hierarchy did not hold (placed by their code). */
  notInHierarchy(): ReadonlySet<string>;
}

export const CACHE_SECONDS = 6 * 3600;
const PAGE_SIZE = 1000;
const FIELDS = 'id,code,name,level,path,parent[id,code,name]';

interface OrgUnitRow {
  id: string;
  code?: string;
  level?: number;
  path?: string;
  parent?: { id: string; code?: string };
}

/** DHIS2 answered, but not with the hierarchy. */
export class HierarchyRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HierarchyRefused';
  }
}

/** Every org unit of DHIS2, read in pages of PAGE_SIZE. */
export async function readOrgUnits(client: Pick<Dhis2Client, 'request'>, pageSize = PAGE_SIZE): Promise<OrgUnitRow[]> {
  const units: OrgUnitRow[] = [];
  for (let page = 1; ; page++) {
    const answer = await client.request('GET', '/organisationUnits', { params: { fields: FIELDS, paging: 'true', pageSize: String(pageSize), page: String(page), order: 'id:asc' } });
    if (answer.status >= 502 && answer.status <= 504) throw new Dhis2Unreachable(`a gateway answered ${answer.status} for organisationUnits`);
    const body = answer.body as { pager?: { pageCount?: unknown }; organisationUnits?: unknown } | undefined;
    if (answer.status !== 200 || !body || !Array.isArray(body.organisationUnits)) {
      throw new HierarchyRefused(`DHIS2 answered ${answer.status} to GET organisationUnits${answer.status === 200 ? ' without an organisationUnits list' : ''}`);
    }
    for (const unit of body.organisationUnits as OrgUnitRow[]) if (typeof unit?.id === 'string') units.push(unit);
    const pageCount = typeof body.pager?.pageCount === 'number' ? body.pager.pageCount : page;
    if (page >= pageCount) return units;
  }
}

/** Org unit code → district name (its code, else its uid), for the given level. */
export function districtMap(units: readonly OrgUnitRow[], level: DistrictLevel): Map<string, string> {
  const nameOf = new Map(units.map((unit) => [unit.id, unit.code ?? unit.id]));
  const map = new Map<string, string>();
  for (const unit of units) {
    if (unit.code === undefined) continue;
    let district: string | undefined;
    if (level === 'parent') {
      if (unit.parent) district = unit.parent.code ?? nameOf.get(unit.parent.id) ?? unit.parent.id;
    } else {
      const ids = (unit.path ?? '').split('/').filter((id) => id !== '');
      // At or above the district level an org unit is its own district (or above any district).
      const at = ids[level - 1];
      if (at !== undefined && ids.length > level) district = nameOf.get(at) ?? at;
    }
    if (district !== undefined) map.set(unit.code, district);
  }
  return map;
}

export interface OrgUnitDistrictsDeps {
  redis: RedisClient;
  keys: RedisKeys;
  /** Undefined when DHIS2 is not configured. */
  client?: Pick<Dhis2Client, 'request'>;
  level: DistrictLevel;
  cacheSeconds?: number;
  now?: () => Date;
}

export class OrgUnitDistricts {
  constructor(private readonly deps: OrgUnitDistrictsDeps) {}

  /** The districts: DHIS2's hierarchy (from the cache when fresh), or the code convention when DHIS2 cannot be reached. */
  async load(): Promise<Districts> {
    const { redis, keys, client, level } = this.deps;
    if (!client) return byCodePattern('DHIS2 is not configured (DHIS2_URL)');
    const cacheKey = keys.qualityOrgUnitDistricts(String(level));
    const cached = await redis.get(cacheKey);
    if (cached !== null) {
      const { readAt, pairs } = JSON.parse(cached) as { readAt: string; pairs: [string, string][] };
      return fromHierarchy(new Map(pairs), { source: 'dhis2', level, readAt });
    }
    let units: OrgUnitRow[];
    try {
      units = await readOrgUnits(client);
    } catch (error) {
      if (error instanceof Dhis2Unreachable) return byCodePattern(error.message);
      throw error;
    }
    const map = districtMap(units, level);
    const readAt = (this.deps.now?.() ?? new Date()).toISOString();
    await redis.set(cacheKey, JSON.stringify({ readAt, pairs: [...map] }), 'EX', this.deps.cacheSeconds ?? CACHE_SECONDS);
    return fromHierarchy(map, { source: 'dhis2', level, readAt });
  }
}

function fromHierarchy(map: ReadonlyMap<string, string>, from: DistrictSource): Districts {
  const missing = new Set<string>();
  return {
    from,
    of(orgUnit) {
      const district = map.get(orgUnit);
      if (district !== undefined) return district;
      missing.add(orgUnit);
      return districtByCode(orgUnit);
    },
    notInHierarchy: () => missing,
  };
}

export function byCodePattern(reason: string): Districts {
  const none: ReadonlySet<string> = new Set();
  return { from: { source: 'code-pattern', reason }, of: districtByCode, notInHierarchy: () => none };
}
