// DHIS2 metadata for the stand-in, built from the mapping files: every data element, category option combo
// and data set the rules target, and the given org units (tests and the demo), until the metadata package
// (metadata/, issue 5) exists. Half the elements treat zero as significant, half not, so both of DHIS2's
// zero rules are exercised.
import { createHash } from 'node:crypto';
import type { Cell } from '../mapping/aggregate-contributions.js';
import type { Dhis2StandIn } from './stand-in.js';
import type { Dhis2MetadataPayload } from './types.js';
import type { Mappings } from '../mapping/load-mappings.js';

const DEFAULT_COMBO = 'bjDvmb4bfuf';
const DEFAULT_COC = 'HllvX50cXC0';

/** A valid DHIS2 uid derived from a name, so tests can look values up by uid. */
export function uidFor(kind: string, code: string): string {
  if (kind === 'coc' && code === 'default') return DEFAULT_COC;
  const digest = createHash('sha256').update(`${kind}:${code}`).digest('base64').replace(/[^A-Za-z0-9]/g, '');
  return `U${digest.slice(0, 10)}`;
}

export function metadataForMappings(mappings: Mappings, orgUnitCodes: readonly string[]): Dhis2MetadataPayload {
  const categoryOptions = new Map<string, { id: string; code: string; name: string; shortName: string }>();
  const categories = new Map<string, { id: string; code: string; name: string; categoryOptions: { id: string }[] }>();
  const categoryCombos: Dhis2MetadataPayload['categoryCombos'] = [];
  const categoryOptionCombos: Dhis2MetadataPayload['categoryOptionCombos'] = [];
  for (const combo of mappings.categoryCombos.values()) {
    for (const category of combo.categories) {
      const optionRefs = category.options.map((option) => {
        const id = uidFor('option', `${category.code}:${option.code}`);
        categoryOptions.set(id, { id, code: `${category.code}_${option.code}`, name: `${category.code} ${option.code}`, shortName: option.code });
        return { id };
      });
      categories.set(category.code, { id: uidFor('category', category.code), code: category.code, name: category.code, categoryOptions: optionRefs });
    }
    const comboId = uidFor('combo', combo.code);
    categoryCombos.push({ id: comboId, code: combo.code, name: combo.code, categories: combo.categories.map((c) => ({ id: uidFor('category', c.code) })) });
    for (const [options, cocCode] of combo.comboByOptions) {
      const codes = options.split('|');
      categoryOptionCombos.push({
        id: uidFor('coc', cocCode),
        code: cocCode,
        name: cocCode,
        categoryCombo: { id: comboId },
        categoryOptions: combo.categories.map((category, i) => ({ id: uidFor('option', `${category.code}:${codes[i]}`) })),
      });
    }
  }
  const elements = new Map<string, { combo: string; dataSet: string }>();
  for (const rule of mappings.rules) elements.set(rule.dataElement, { combo: rule.categoryCombo?.code ?? 'default', dataSet: rule.dataSet });
  const dataElements = [...elements].map(([code, { combo }], index) => ({
    id: uidFor('de', code),
    code,
    name: code,
    shortName: code.slice(0, 50),
    valueType: 'NUMBER',
    aggregationType: 'SUM',
    domainType: 'AGGREGATE',
    zeroIsSignificant: index % 2 === 0,
    categoryCombo: { id: combo === 'default' ? DEFAULT_COMBO : uidFor('combo', combo) },
  }));
  const organisationUnits = orgUnitCodes.map((code) => ({ id: uidFor('ou', code), code, name: code, shortName: code, openingDate: '2000-01-01' }));
  const dataSets = [...new Set(mappings.rules.map((rule) => `${rule.dataSet}|${rule.periodType}`))].map((entry) => {
    const [code, periodType] = entry.split('|') as [string, string];
    const id = uidFor('ds', code);
    return {
      id,
      code,
      name: code,
      shortName: code,
      periodType,
      categoryCombo: { id: DEFAULT_COMBO },
      // Encounters stream in as they happen, so the running period must be open (with 0 DHIS2 refuses it, E7641).
      openFuturePeriods: 1,
      expiryDays: 0,
      dataSetElements: [...elements].filter(([, e]) => e.dataSet === code).map(([de]) => ({ dataSet: { id }, dataElement: { id: uidFor('de', de) } })),
      organisationUnits: organisationUnits.map((ou) => ({ id: ou.id })),
    };
  });
  return {
    categoryOptions: [...categoryOptions.values()],
    categories: [...categories.values()],
    categoryCombos,
    categoryOptionCombos,
    dataElements,
    dataSets,
    organisationUnits,
  } as Dhis2MetadataPayload;
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

/** A from-scratch recomputation (codes) keyed as the stand-in stores values (uids made by `uidFor`). */
export function byUid(cells: Iterable<Cell & { value: number }>): Map<string, number> {
  const byKey = new Map<string, number>();
  for (const cell of cells) {
    const key = uidCellKey(uidFor('de', cell.dataElement), cell.period, uidFor('ou', cell.orgUnit), uidFor('coc', cell.categoryOptionCombo), uidFor('coc', cell.attributeOptionCombo));
    byKey.set(key, cell.value);
  }
  return byKey;
}
