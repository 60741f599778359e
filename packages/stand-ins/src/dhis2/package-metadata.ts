// The stand-in's DHIS2 metadata for tests and the demo: the shipped package (metadata/smc-metadata.json,
// checked on load) plus the org units the encounters come from, which a package never holds. Also the
// helpers that read values back by code: uids of package objects by code, every non-zero value the
// stand-in holds, a recomputation keyed the same way, and cells described by the package's names.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DEFAULT_CATEGORY_OPTION_COMBO } from './metadata.js';
import type { Dhis2StandIn } from './stand-in.js';
import type { Dhis2MetadataPayload } from './types.js';

/** The project's metadata package, as shipped: data the stand-in loads, as a DHIS2 would import it. */
export const SHIPPED_PACKAGE_FILE = new URL('../../../../metadata/smc-metadata.json', import.meta.url).pathname;

/** A DHIS2 cell named by codes, as the middleware's mappings name it. */
export interface CellByCode {
  dataSet?: string;
  orgUnit: string;
  period: string;
  attributeOptionCombo: string;
  dataElement: string;
  categoryOptionCombo: string;
}

type MetadataPackage = Dhis2MetadataPayload;
type PackageObject = Record<string, unknown> & { id?: string; code?: string; name?: string };

const cache = new Map<string, MetadataPackage>();

/** The package at `path` (default: the shipped one), read as JSON; its checks are the product's business. */
export function metadataPackage(path: string = SHIPPED_PACKAGE_FILE): MetadataPackage {
  const cached = cache.get(path);
  if (cached) return cached;
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${path} is not a DHIS2 metadata package (a JSON object)`);
  cache.set(path, parsed as MetadataPackage);
  return parsed as MetadataPackage;
}

export interface OrgUnitRef {
  code: string;
  name?: string;
}

/** The facilities encounters come from (code and name), each once. */
export function facilitiesOf(encounters: readonly { facility: { code?: string; name?: string } }[]): OrgUnitRef[] {
  const byCode = new Map<string, OrgUnitRef>();
  for (const { facility } of encounters) {
    if (facility.code !== undefined && !byCode.has(facility.code)) byCode.set(facility.code, { code: facility.code, ...(facility.name ? { name: facility.name } : {}) });
  }
  return [...byCode.values()];
}

/** The org unit uid the stand-in gives a facility code (org units are not in the package). */
export function orgUnitUid(code: string): string {
  const digest = createHash('sha256').update(`ou:${code}`).digest('base64').replace(/[^A-Za-z0-9]/g, '');
  return `O${digest.slice(0, 10)}`;
}

/** Names for the levels above a facility, as the project's synthetic facilities use them; others keep their code. */
const PLACE_NAMES: Record<string, string> = {
  CM: 'Cameroon',
  CM_NW: 'North-West',
  CM_SW: 'South-West',
  CM_CE: 'Centre',
  CM_OU: 'West',
  CM_LT: 'Littoral',
  CM_SU: 'South',
  CM_AD: 'Adamawa',
  CM_EN: 'Far North',
  CM_ES: 'East',
  CM_NO: 'North',
  CM_NW_TUB: 'Tubah',
  CM_NW_BAM: 'Bamenda',
  CM_NW_NDO: 'Ndop',
  CM_NW_KUM: 'Kumbo East',
  CM_SW_BUE: 'Buea',
  CM_SW_TIK: 'Tiko',
  CM_SW_KBA: 'Kumba',
  CM_CE_MFO: 'Mfou',
  CM_CE_OBA: 'Obala',
  CM_CE_MBM: 'Mbalmayo',
  CM_OU_DSC: 'Dschang',
  CM_OU_FOU: 'Foumbot',
  CM_LT_EDE: 'Edéa',
  CM_LT_NKS: 'Nkongsamba',
  CM_SU_EBO: 'Ebolowa',
  ML: 'Mali',
  ML_SIK: 'Sikasso',
  ML_KKR: 'Koulikoro',
  ML_SEG: 'Ségou',
  ML_KAY: 'Kayes',
  ML_MOP: 'Mopti',
  ML_SIK_KAD: 'Kadiolo',
  ML_SIK_KTL: 'Koutiala',
  ML_SIK_BGN: 'Bougouni',
  ML_KKR_KAT: 'Kati',
  ML_KKR_DIO: 'Dioïla',
  ML_SEG_SEG: 'Ségou',
  ML_SEG_SAN: 'San',
  ML_KAY_KIT: 'Kita',
  ML_MOP_BDG: 'Bandiagara',
};

/**
 * The codes above a facility, country first: `CM_NW_BAM_CSI001` → `CM`, `CM_NW`, `CM_NW_BAM` (country,
 * region, district: the project's org unit codes are country_region_district_type+number). A code of
 * another form has none, so its org unit is a root.
 */
export function ancestorCodes(facilityCode: string): string[] {
  const parts = facilityCode.split('_');
  if (parts.length < 4 || parts.slice(0, 3).some((part) => !/^[A-Z0-9]+$/.test(part))) return [];
  return [parts[0], `${parts[0]}_${parts[1]}`, `${parts[0]}_${parts[1]}_${parts[2]}`] as string[];
}

/**
 * Org units for the given facilities, each assigned to every data set of the package, under a hierarchy
 * country → region → district derived from their codes (`ancestorCodes`; uids by `orgUnitUid` as for
 * facilities), so that levels and paths are as in a DHIS2 (facilities at level 4). Each ancestor comes
 * once, before the facilities, and holds no data set.
 */
export function orgUnitsPayload(orgUnits: readonly (OrgUnitRef | string)[], pkg: MetadataPackage = metadataPackage()): Dhis2MetadataPayload {
  const dataSets = (pkg.dataSets ?? []).map((dataSet) => ({ id: dataSet.id as string }));
  const facilities = orgUnits.map((entry) => (typeof entry === 'string' ? { code: entry, name: undefined } : entry));
  const ancestors = new Map<string, { id: string; code: string; name: string; shortName: string; openingDate: string; parent?: { id: string } }>();
  for (const { code } of facilities) {
    const chain = ancestorCodes(code);
    chain.forEach((ancestor, index) => {
      if (ancestors.has(ancestor)) return;
      const name = PLACE_NAMES[ancestor] ?? ancestor;
      const parent = index > 0 ? chain[index - 1] : undefined;
      ancestors.set(ancestor, {
        id: orgUnitUid(ancestor),
        code: ancestor,
        name,
        shortName: name.slice(0, 50),
        openingDate: '2000-01-01',
        ...(parent !== undefined ? { parent: { id: orgUnitUid(parent) } } : {}),
      });
    });
  }
  return {
    organisationUnits: [
      ...ancestors.values(),
      ...facilities.map(({ code, name }) => {
        const district = ancestorCodes(code).at(-1);
        return {
          id: orgUnitUid(code),
          code,
          name: name ?? code,
          shortName: (name ?? code).slice(0, 50),
          openingDate: '2000-01-01',
          ...(district !== undefined ? { parent: { id: orgUnitUid(district) } } : {}),
          dataSets,
        };
      }),
    ],
  };
}

/** What the stand-in loads: the package and the org units. */
export function standInMetadata(orgUnits: readonly (OrgUnitRef | string)[], pkg: MetadataPackage = metadataPackage()): Dhis2MetadataPayload {
  return { ...(pkg as Dhis2MetadataPayload), ...orgUnitsPayload(orgUnits, pkg) };
}

type Kind = 'de' | 'coc' | 'ds' | 'ou';
const COLLECTION = { de: 'dataElements', coc: 'categoryOptionCombos', ds: 'dataSets' } as const;

function objectByCode(kind: Exclude<Kind, 'ou'>, code: string, pkg: MetadataPackage): PackageObject {
  const found = ((pkg[COLLECTION[kind]] ?? []) as PackageObject[]).find((object) => object.code === code);
  if (!found) throw new Error(`no ${COLLECTION[kind]} object with code ${code} in the metadata package`);
  return found;
}

/** The uid of a package object by code (`coc` `default` is DHIS2's default option combo; `ou` is derived). */
export function uidFor(kind: Kind, code: string, pkg: MetadataPackage = metadataPackage()): string {
  if (kind === 'ou') return orgUnitUid(code);
  if (kind === 'coc' && code === 'default') return DEFAULT_CATEGORY_OPTION_COMBO;
  return objectByCode(kind, code, pkg).id as string;
}

/** The key of a cell among the stand-in's values: its uids and period, as the stand-in stores them. */
function uidCellKey(dataElement: string, period: string, orgUnit: string, categoryOptionCombo: string, attributeOptionCombo: string): string {
  return [dataElement, period, orgUnit, categoryOptionCombo, attributeOptionCombo].join(' ');
}

/** Every non-zero value the stand-in holds, by uid cell key. */
export function nonZeroValues(standIn: Dhis2StandIn): Map<string, number> {
  const cells = new Map<string, number>();
  for (const row of standIn.allValues()) {
    const value = Number(row.value);
    if (value !== 0) cells.set(uidCellKey(row.dataElement, row.period, row.orgUnit, row.categoryOptionCombo, row.attributeOptionCombo), value);
  }
  return cells;
}

/** A from-scratch recomputation (codes) keyed as the stand-in stores values (package uids). */
export function byUid(cells: Iterable<CellByCode & { value: number }>, pkg: MetadataPackage = metadataPackage()): Map<string, number> {
  const byKey = new Map<string, number>();
  for (const cell of cells) {
    const key = uidCellKey(
      uidFor('de', cell.dataElement, pkg),
      cell.period,
      uidFor('ou', cell.orgUnit, pkg),
      uidFor('coc', cell.categoryOptionCombo, pkg),
      uidFor('coc', cell.attributeOptionCombo, pkg),
    );
    byKey.set(key, cell.value);
  }
  return byKey;
}

/** "ANC 1st visit, 20+ years": the data element's form name (or short name) and its option combo's name. */
export function cellLabel(cell: Pick<CellByCode, 'dataElement' | 'categoryOptionCombo'>, pkg: MetadataPackage = metadataPackage()): string {
  const element = objectByCode('de', cell.dataElement, pkg);
  const elementName = (element['formName'] ?? element['shortName'] ?? element.name) as string;
  if (cell.categoryOptionCombo === 'default') return elementName;
  return `${elementName}, ${objectByCode('coc', cell.categoryOptionCombo, pkg).name as string}`;
}
