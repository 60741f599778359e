// Logical relations within a facility-period, as configured in mappings/data-quality.yaml: RDT positive
// ≤ RDT tested, confirmed treated ≤ confirmed, ANC4 ≤ ANC1 over the year… Month relations are checked
// for the month screened; year relations once the year is complete, when December is screened, on the
// sums of the months reported. A side with no reported cell is not compared.
import type { LogicalRelation, Operand } from './config.js';
import { formatCount } from './explanations.js';
import { totalAt, type CellRef, type IndexedHistory } from './facility-history.js';
import type { Flag } from './flag.js';
import { periodOf } from './periods.js';

export function checkRelations(history: IndexedHistory, relations: readonly LogicalRelation[], index: number): Flag[] {
  const flags: Flag[] = [];
  const month = history.startMonth + index;
  for (const relation of relations) {
    if (relation.period === 'year' && month % 12 !== 11) continue;
    const indexes = relation.period === 'month' ? [index] : range(Math.max(0, index - 11), index);
    for (const combo of relation.byCategoryOptionCombo ? combosOf(history, relation.left) : [undefined]) {
      const left = sumOver(history, withCombo(relation.left, combo), indexes);
      const right = sumOver(history, withCombo(relation.right, combo), indexes);
      if (left === null || right === null) continue;
      const flag = judge(history, relation, combo, left, right, periodOf(month));
      if (flag) flags.push(flag);
    }
  }
  return flags;
}

function judge(
  history: IndexedHistory,
  relation: LogicalRelation,
  combo: string | undefined,
  left: number,
  right: number,
  period: string,
): Flag | undefined {
  const { relative, absolute } = relation.tolerance;
  const atMost = relation.operator === '<=';
  const bound = atMost ? right * (1 + relative) + absolute : Math.max(0, right * (1 - relative) - absolute);
  if (atMost ? left <= bound : left >= bound) return undefined;
  const cells = [...cellsOf(history, relation.left, combo), ...cellsOf(history, relation.right, combo)];
  const first = cells[0] as CellRef;
  const leftText = sideText(relation.left, combo);
  const rightText = sideText(relation.right, combo);
  const over = relation.period === 'year' ? { en: ` over ${period.slice(0, 4)}`, fr: ` sur l'année ${period.slice(0, 4)}` } : { en: '', fr: '' };
  const tolerance =
    relative > 0 || absolute > 0
      ? { en: ` (tolerance ${Math.round(relative * 100)} % + ${absolute})`, fr: ` (tolérance ${Math.round(relative * 100)} % + ${absolute})` }
      : { en: '', fr: '' };
  const explanation = atMost
    ? {
        en: `${leftText} = ${formatCount(left)}${over.en} is more than ${rightText} = ${formatCount(right)}${tolerance.en}, which cannot happen. Check both values in the register: one of them is wrong.`,
        fr: `${leftText} = ${formatCount(left)}${over.fr} dépasse ${rightText} = ${formatCount(right)}${tolerance.fr}, ce qui est impossible. Vérifiez les deux valeurs dans le registre : l'une est fausse.`,
      }
    : {
        en: `${leftText} = ${formatCount(left)}${over.en} is less than ${rightText} = ${formatCount(right)}${tolerance.en}, which cannot happen. Check both values in the register: one of them is wrong.`,
        fr: `${leftText} = ${formatCount(left)}${over.fr} est inférieur à ${rightText} = ${formatCount(right)}${tolerance.fr}, ce qui est impossible. Vérifiez les deux valeurs dans le registre : l'une est fausse.`,
      };
  return {
    ruleId: `relation:${relation.id}`,
    kind: 'error',
    severity: relation.severity,
    orgUnit: history.orgUnit,
    period,
    dataElement: first.dataElement,
    categoryOptionCombo: first.categoryOptionCombo,
    cells,
    value: left,
    expected: atMost ? { low: 0, high: Math.floor(bound) } : { low: Math.ceil(bound), high: null },
    score: atMost ? left / Math.max(bound, 0.5) : bound / Math.max(left, 0.5),
    explanation,
  };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function sumOver(history: IndexedHistory, operands: readonly Operand[], indexes: readonly number[]): number | null {
  let total: number | null = null;
  for (const index of indexes) {
    const value = totalAt(history, operands, index);
    if (value !== null) total = (total ?? 0) + value;
  }
  return total;
}

function combosOf(history: IndexedHistory, operands: readonly Operand[]): string[] {
  const combos = new Set<string>();
  for (const operand of operands) for (const cell of history.byDataElement.get(operand.dataElement) ?? []) combos.add(cell.categoryOptionCombo);
  return [...combos];
}

function withCombo(operands: readonly Operand[], combo: string | undefined): Operand[] {
  return combo === undefined ? [...operands] : operands.map((operand) => ({ ...operand, categoryOptionCombo: combo }));
}

function cellsOf(history: IndexedHistory, operands: readonly Operand[], combo: string | undefined): CellRef[] {
  const wanted = combo ?? undefined;
  return operands.flatMap((operand) =>
    (history.byDataElement.get(operand.dataElement) ?? [])
      .filter((cell) => (wanted ?? operand.categoryOptionCombo ?? cell.categoryOptionCombo) === cell.categoryOptionCombo)
      .map((cell) => ({ dataElement: cell.dataElement, categoryOptionCombo: cell.categoryOptionCombo })),
  );
}

function sideText(operands: readonly Operand[], combo: string | undefined): string {
  const names = operands.map((operand) => {
    const cocName = combo ?? operand.categoryOptionCombo;
    return cocName ? `${operand.dataElement} (${cocName})` : operand.dataElement;
  });
  return names.join(' + ');
}
