// The from-scratch answer the delivered values must equal: the latest version of every encounter, mapped,
// summed per cell. Independent of the ledger and of delivery, which is what makes it a check on them.
import type { Encounter } from '@smc-bridge/contract';
import { cellKeyOf, type Cell, type Contribution } from '../domain/cells.js';
import { aggregateContributions } from './aggregate-contributions.js';
import type { Mappings } from './load-mappings.js';

/** The latest version of every encounter (by source and id), in the order each was first seen. */
export function latestVersions(encounters: Iterable<Encounter>): Encounter[] {
  const latest = new Map<string, Encounter>();
  for (const e of encounters) {
    const key = `${e.source}\n${e.id}`;
    if ((latest.get(key)?.version ?? 0) < e.version) latest.set(key, e);
  }
  return [...latest.values()];
}

export function recomputeCells(encounters: Iterable<Encounter>, mappings: Mappings): Map<string, Cell & { value: number; rules: Set<string> }> {
  const cells = new Map<string, Cell & { value: number; rules: Set<string> }>();
  for (const e of latestVersions(encounters)) {
    for (const c of aggregateContributions(e, mappings).contributions) {
      const key = cellKeyOf(c);
      const cell = cells.get(key) ?? { ...withoutValue(c), value: 0, rules: new Set<string>() };
      cell.value += c.value;
      cell.rules.add(c.rule);
      cells.set(key, cell);
    }
  }
  return cells;
}


function withoutValue(c: Contribution): Cell {
  const { dataSet, orgUnit, period, attributeOptionCombo, dataElement, categoryOptionCombo } = c;
  return { dataSet, orgUnit, period, attributeOptionCombo, dataElement, categoryOptionCombo };
}
