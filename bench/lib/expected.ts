// What DHIS2 must hold after a run, computed apart from the pipeline: the latest version of every posted
// encounter mapped on its own, contributions summed per cell. A benchmark that only counted requests could
// report a fast run that lost values; this makes a run that ends with other values say so.
import type { Encounter } from '@smc-bridge/contract';
import { DEFAULT_CATEGORY_OPTION_COMBO } from '@smc-bridge/stand-ins';
import { aggregateContributions } from '../../middleware/src/mapping/aggregate-contributions.js';
import type { Mappings } from '../../middleware/src/mapping/load-mappings.js';

export interface HeldValue {
  dataElement: string;
  period: string;
  orgUnit: string;
  categoryOptionCombo: string;
  attributeOptionCombo: string;
  value: string | null;
}

const cellKey = (v: Omit<HeldValue, 'value'>) => [v.dataElement, v.period, v.orgUnit, v.categoryOptionCombo, v.attributeOptionCombo].join('|');

export function expectedValues(batches: readonly string[], mappings: Mappings): Map<string, number> {
  const latest = new Map<string, Encounter>();
  for (const batch of batches) {
    for (const encounter of (JSON.parse(batch) as { encounters: Encounter[] }).encounters) {
      const key = `${encounter.source}\u0000${encounter.id}`;
      if ((latest.get(key)?.version ?? 0) < encounter.version) latest.set(key, encounter);
    }
  }
  const cells = new Map<string, number>();
  for (const encounter of latest.values()) {
    for (const c of aggregateContributions(encounter, mappings).contributions) {
      const key = cellKey(c);
      cells.set(key, (cells.get(key) ?? 0) + c.value);
    }
  }
  for (const [key, value] of cells) if (value === 0) cells.delete(key);
  return cells;
}

interface Identified {
  id: string;
  code?: string;
}

/** Metadata as the DHIS2 stand-in loads it: the pipeline sends codes, DHIS2 stores uids. */
export interface CodedMetadata {
  dataElements: Identified[];
  organisationUnits: Identified[];
  categoryOptionCombos: Identified[];
}

/**
 * How many cells differ between what DHIS2 holds (zeros count as absent; DHIS2 keeps a zero only where it is
 * significant) and what it must hold.
 */
export function differences(held: readonly HeldValue[], expected: ReadonlyMap<string, number>, metadata: CodedMetadata): { cells: number; differing: number; examples: string[] } {
  const codeOf = (list: Identified[]) => new Map(list.map((o) => [o.id, o.code ?? o.id]));
  const [elements, units, combos] = [codeOf(metadata.dataElements), codeOf(metadata.organisationUnits), codeOf(metadata.categoryOptionCombos)];
  combos.set(DEFAULT_CATEGORY_OPTION_COMBO, 'default'); // DHIS2's own, in no package
  const actual = new Map<string, number>();
  for (const value of held) {
    const number = Number(value.value);
    if (number === 0) continue;
    const coded = {
      dataElement: elements.get(value.dataElement) ?? value.dataElement,
      period: value.period,
      orgUnit: units.get(value.orgUnit) ?? value.orgUnit,
      categoryOptionCombo: combos.get(value.categoryOptionCombo) ?? value.categoryOptionCombo,
      attributeOptionCombo: combos.get(value.attributeOptionCombo) ?? value.attributeOptionCombo,
    };
    actual.set(cellKey(coded), number);
  }
  const examples: string[] = [];
  const differ = (key: string) => examples.length < 5 && examples.push(`${key}: held ${actual.get(key) ?? 'nothing'}, expected ${expected.get(key) ?? 'nothing'}`);
  let differing = 0;
  for (const [key, value] of expected) if (actual.get(key) !== value) (differing += 1), differ(key);
  for (const key of actual.keys()) if (!expected.has(key)) (differing += 1), differ(key);
  return { cells: expected.size, differing, examples };
}
