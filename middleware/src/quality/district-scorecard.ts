// The WHO DQR district scorecard (packages/data-quality) of the values the ledger last sent to DHIS2, per
// district and data element (its total over combos), for one year: what `smc-bridge data-quality scorecard`
// prints and what the nightly job stores. Districts come from DHIS2's hierarchy (org-unit-districts.ts),
// from the code convention only when DHIS2 cannot be reached, and the result says which. Declared
// campaigns (campaigns.yaml) are told to the screening, so a campaign month is not an outlier of ours.
import type { RedisClient } from '../redis/connection.js';
import { dqrScorecard, type Scorecard } from '@smc-bridge/data-quality';
import type { DataQualityConfig } from '@smc-bridge/data-quality/config';
import { knownEventsOf, type Campaign } from '../mapping-files/campaigns-file.js';
import type { RedisKeys } from '../redis/keys.js';
import { pushedRecordsByDistrict, readDistrictHistories } from './ledger-histories.js';
import type { Districts, DistrictSource } from './org-unit-districts.js';

export interface DistrictScorecard {
  card: Scorecard;
  computedAt: string;
  /** Where the districts came from; with the facilities DHIS2's hierarchy did not place (placed by code). */
  districts: DistrictSource & { facilitiesNotInHierarchy: number };
  facilities: number;
  dataElements: number;
  seconds: number;
  readSeconds: number;
}

export interface ScorecardInputs {
  redis: RedisClient;
  keys: RedisKeys;
  screening: DataQualityConfig;
  districts: Districts;
  campaigns?: readonly Campaign[];
  now?: () => Date;
}

export async function districtScorecard(inputs: ScorecardInputs, options: { year: number; district?: string }): Promise<DistrictScorecard> {
  const { redis, keys, screening, districts } = inputs;
  const started = performance.now();
  const { year } = options;
  const byDistrict = await pushedRecordsByDistrict(redis, keys, { ...(options.district !== undefined ? { district: options.district } : {}), until: `${year}12`, districtOf: (orgUnit) => districts.of(orgUnit) });
  // One district at a time, so memory holds one district's histories.
  const card: Scorecard = { year, indicators: [], relatedIndicators: [] };
  let facilities = 0;
  const elements = new Set<string>();
  let readSeconds = 0;
  for (const records of byDistrict) {
    const read = performance.now();
    const histories = await readDistrictHistories(redis, records);
    readSeconds += (performance.now() - read) / 1000;
    const districtElements = [...new Set(histories.flatMap(({ history }) => history.cells.map((cell) => cell.dataElement)))].sort();
    const knownEvents = inputs.campaigns?.length ? knownEventsOf(inputs.campaigns, histories.map(({ history }) => history.orgUnit), (orgUnit) => districts.of(orgUnit)) : [];
    const scored = dqrScorecard(histories, districtElements.map((dataElement) => ({ id: dataElement, operands: [{ dataElement }] })), year, screening, { knownEvents });
    card.indicators.push(...scored.indicators);
    card.relatedIndicators.push(...scored.relatedIndicators);
    facilities += histories.length;
    for (const element of districtElements) elements.add(element);
  }
  return {
    card,
    computedAt: (inputs.now?.() ?? new Date()).toISOString(),
    districts: { ...districts.from, facilitiesNotInHierarchy: districts.notInHierarchy().size },
    facilities,
    dataElements: elements.size,
    seconds: (performance.now() - started) / 1000,
    readSeconds,
  };
}

/** How the output says where the districts came from, in one line. */
export function describeDistricts(districts: DistrictScorecard['districts']): string {
  if (districts.source === 'code-pattern') return `districts from the org unit codes (country_region_district_…), not DHIS2's hierarchy: ${districts.reason}`;
  const level = districts.level === 'parent' ? "each facility's parent" : `level ${districts.level}`;
  const missing = districts.facilitiesNotInHierarchy > 0 ? `; ${districts.facilitiesNotInHierarchy} facilities not in it placed by their code` : '';
  return `districts from DHIS2's org unit hierarchy (${level}, read ${districts.readAt})${missing}`;
}
