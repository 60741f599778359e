// The facility table (mappings/facilities.yaml): for each facility code (or uid) clinic systems send, the
// DHIS2 org unit code its values go to and the IANA time zone it keeps. Periods, ISO weeks and ages are
// counted on the facility's local date in that zone, whatever UTC offset a device stamped the encounter
// with (an encounter at 00:30 on 1 November in Douala, sent as 23:30Z, belongs to November).
// A facility that is not listed takes the zone of the longest matching code prefix, else the deployment's
// default, and keeps its own code as org unit code.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isTimeZone } from '@smc-bridge/contract';
import { z } from 'zod';
import { readYaml } from './read-yaml.js';

const orgUnitCode = z.string().min(1).max(50).regex(/^[^\s]+$/, 'must have no spaces');
const timeZone = z
  .string()
  .refine(isTimeZone, 'is not an IANA time zone (such as Africa/Douala or Africa/Bamako)')
  .describe('IANA time zone name');

export const FacilitiesFileSchema = z.strictObject({
  defaultTimeZone: timeZone.describe("time zone of any facility the table does not place: the deployment's own"),
  timeZonesByCodePrefix: z
    .record(z.string().min(1), timeZone)
    .default({})
    .describe('code prefix → time zone, e.g. ML_ → Africa/Bamako; the longest matching prefix wins'),
  facilities: z
    .record(
      z.string().min(1).describe('facility code (or uid) as clinic systems send it'),
      z.strictObject({
        orgUnit: orgUnitCode.optional().describe('DHIS2 organisation unit code, where it differs from the facility code'),
        timeZone: timeZone.optional(),
        name: z.string().optional(),
      }),
    )
    .default({}),
});

export type FacilitiesFile = z.infer<typeof FacilitiesFileSchema>;

export const FACILITIES_FILE = 'facilities.yaml';

export class FacilityTable {
  private readonly prefixes: [string, string][];

  constructor(readonly file: FacilitiesFile) {
    this.prefixes = Object.entries(file.timeZonesByCodePrefix).sort(([a], [b]) => b.length - a.length);
  }

  /** The deployment's own zone (the table's defaultTimeZone). */
  get defaultTimeZone(): string {
    return this.file.defaultTimeZone;
  }

  /** The DHIS2 org unit code of a facility code. */
  orgUnitOf(facilityCode: string): string {
    return this.file.facilities[facilityCode]?.orgUnit ?? facilityCode;
  }

  /** The IANA zone of a facility, by its code or uid (the code first). */
  timeZoneOf(facility: { code?: string | undefined; uid?: string | undefined }): string {
    for (const key of [facility.code, facility.uid]) {
      if (key === undefined) continue;
      const listed = this.file.facilities[key]?.timeZone;
      if (listed !== undefined) return listed;
    }
    const code = facility.code ?? facility.uid ?? '';
    return this.prefixes.find(([prefix]) => code.startsWith(prefix))?.[1] ?? this.file.defaultTimeZone;
  }
}

/** Reads and checks mappings/facilities.yaml (file, line and path in each error). */
export function loadFacilityTable(directory: string, display: (file: string) => string = (file) => file): FacilityTable {
  const path = join(directory, FACILITIES_FILE);
  return new FacilityTable(readYaml(path, FacilitiesFileSchema, display(path)).value);
}

export function hasFacilityTable(directory: string): boolean {
  return existsSync(join(directory, FACILITIES_FILE));
}
