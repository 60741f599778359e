// The declared campaigns (mappings/campaigns.yaml): vaccination rounds, SMC or bed-net distributions, mass
// testing — planned events that raise some data elements' counts in some months and places. The
// data-quality screening is told of them (the package's `knownEvents`), so a campaign month's rise in
// those elements is recorded as a `signal:campaign-month`, not as an error; the same rise undeclared is
// flagged. Where: org unit codes, districts (as the scorecard places facilities: DHIS2's hierarchy, else
// the code convention) or countries (the first part of the code, CM_ or ML_); a campaign names at least one.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { KnownEvent } from '@smc-bridge/data-quality';
import { z } from 'zod';
import { pathText, readYaml, type MappingError } from './read-yaml.js';

const code = z.string().min(1).max(50).regex(/^[^\s]+$/, 'must have no spaces');
const month = z
  .string()
  .regex(/^\d{4}(0[1-9]|1[0-2])$/, 'must be a monthly DHIS2 period, YYYYMM (such as 202503)')
  .describe('a month, as a DHIS2 monthly period');

export const CampaignsFileSchema = z.strictObject({
  campaigns: z
    .array(
      z
        .strictObject({
          id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and "-"'),
          label: z.strictObject({ en: z.string().min(1), fr: z.string().min(1) }).describe('what the flag says the rise was, in English and French'),
          dataElements: z.array(code).min(1).describe('DHIS2 data element codes whose counts the campaign raises'),
          months: z.array(month).min(1),
          orgUnits: z.array(code).min(1).optional().describe('facility org unit codes'),
          districts: z.array(code).min(1).optional().describe('district org unit codes (every facility under them)'),
          countries: z.array(z.string().regex(/^[A-Z0-9]+$/, 'must be a country code as the org unit codes start, such as CM or ML')).min(1).optional(),
        })
        .refine((campaign) => campaign.orgUnits !== undefined || campaign.districts !== undefined || campaign.countries !== undefined, {
          message: 'name where the campaign ran: orgUnits, districts or countries',
          path: ['orgUnits'],
        }),
    )
    .default([]),
});

export type CampaignsFile = z.infer<typeof CampaignsFileSchema>;
export type Campaign = CampaignsFile['campaigns'][number];

export const CAMPAIGNS_FILE = 'campaigns.yaml';

/**
 * The campaigns of the mappings folder (none without the file). Data elements the aggregate rules never
 * write, and ids used twice, are errors named by their field.
 */
export function loadCampaigns(directory: string, display: (file: string) => string, knownDataElements: ReadonlySet<string>, errors: MappingError[]): Campaign[] {
  const path = join(directory, CAMPAIGNS_FILE);
  if (!existsSync(path)) return [];
  const { value, lineOf } = readYaml(path, CampaignsFileSchema, display(path));
  const ids = new Set<string>();
  value.campaigns.forEach((campaign, c) => {
    const fail = (sub: (string | number)[], message: string) => errors.push({ file: display(path), line: lineOf(['campaigns', c, ...sub]), path: pathText(['campaigns', c, ...sub]), message });
    if (ids.has(campaign.id)) fail(['id'], `campaign id "${campaign.id}" is used twice`);
    ids.add(campaign.id);
    campaign.dataElements.forEach((dataElement, d) => {
      if (knownDataElements.size > 0 && !knownDataElements.has(dataElement)) fail(['dataElements', d], `no aggregate rule writes data element "${dataElement}"`);
    });
  });
  return value.campaigns;
}

/** Where a campaign applies, given how to place an org unit in its district. */
export function campaignCovers(campaign: Campaign, orgUnit: string, districtOf: (orgUnit: string) => string): boolean {
  if (campaign.orgUnits?.includes(orgUnit)) return true;
  if (campaign.countries?.some((country) => orgUnit.startsWith(`${country}_`))) return true;
  return campaign.districts !== undefined && campaign.districts.includes(districtOf(orgUnit));
}

/** The campaigns covering one facility, as the package's known events (for that facility alone). */
export function knownEventsAt(campaigns: readonly Campaign[], orgUnit: string, districtOf: (orgUnit: string) => string): KnownEvent[] {
  return campaigns.filter((campaign) => campaignCovers(campaign, orgUnit, districtOf)).map(({ id, label, dataElements, months }) => ({ id, label, dataElements, periods: months }));
}

/** The campaigns as known events of the given facilities (for a screening of many facilities at once). */
export function knownEventsOf(campaigns: readonly Campaign[], orgUnits: readonly string[], districtOf: (orgUnit: string) => string): KnownEvent[] {
  return campaigns.map(({ id, label, dataElements, months, ...where }) => ({
    id,
    label,
    dataElements,
    periods: months,
    orgUnits: orgUnits.filter((orgUnit) => campaignCovers({ id, label, dataElements, months, ...where }, orgUnit, districtOf)),
  }));
}
