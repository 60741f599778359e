// DHIS2 cells as the pipeline speaks of them, by code (the WHO toolkit's codes). A cell group is what one
// dataValueSets post carries: one data set, org unit, period and attribute option combo; the ledger keeps
// each group's cells and the DHIS2 push sends a whole group at a time.

/** A DHIS2 cell: the data value's coordinates. */
export interface Cell {
  dataSet: string;
  orgUnit: string;
  period: string;
  attributeOptionCombo: string;
  dataElement: string;
  categoryOptionCombo: string;
}

/** What one encounter adds to one cell, and the rule that says so. */
export interface Contribution extends Cell {
  value: number;
  rule: string;
}

export type CellGroup = Pick<Cell, 'dataSet' | 'orgUnit' | 'period' | 'attributeOptionCombo'>;

/** A cell of a group with its value. */
export interface CellValue {
  dataElement: string;
  categoryOptionCombo: string;
  value: number;
}

/** One encounter's share of a cell (provenance). */
export interface EncounterShare {
  source: string;
  id: string;
  value: number;
}

/** The key of a cell group (stable, reversible). */
export function groupKeyOf(group: CellGroup): string {
  return JSON.stringify([group.dataSet, group.orgUnit, group.period, group.attributeOptionCombo]);
}

export function groupOfKey(key: string): CellGroup {
  const [dataSet, orgUnit, period, attributeOptionCombo] = JSON.parse(key) as string[];
  return { dataSet, orgUnit, period, attributeOptionCombo } as CellGroup;
}

/** The key of a cell within its group: its data element and category option combo. */
export function cellInGroupKeyOf(cell: { dataElement: string; categoryOptionCombo: string }): string {
  return JSON.stringify([cell.dataElement, cell.categoryOptionCombo]);
}

/** The key of a cell among all cells: every coordinate. */
export function cellKeyOf(cell: Cell): string {
  return JSON.stringify([cell.dataSet, cell.orgUnit, cell.period, cell.attributeOptionCombo, cell.dataElement, cell.categoryOptionCombo]);
}
