// Labelled errors injected into the generated series, at known cells of the evaluated months, never on a
// genuine event's cell. Each kind is applied only where it changes the value in its own way:
// - times-10 (v ≥ 1) and divided-by-10 (v ≥ 10, rounded);
// - extra-digit: one digit keyed twice (7 → 77, 12 → 112 or 122; v ≥ 1);
// - transposition: two adjacent digits swapped, no leading zero, changing the value by ≥ 30 % (v ≥ 10);
// - wrong-month: the previous month's value entered in this month (where they differ);
// - cumulative: the total since January entered as this month (March onwards, the earlier months adding
//   at least 1);
// - copied-forward: the previous month's non-zero value entered again for this month and the next;
// - swapped-anc: the ANC1 (20+ years) and ANC4 values of a month swapped (where they differ).
import type { CellSeries } from '../facility-history.js';
import { monthNumber } from '../periods.js';
import type { GeneratedSeries } from './generator.js';
import { Draws } from './random.js';

export const ERROR_KINDS = ['times-10', 'divided-by-10', 'extra-digit', 'transposition', 'wrong-month', 'cumulative', 'copied-forward', 'swapped-anc'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];
export const HEADLINE_KINDS: readonly ErrorKind[] = ['times-10', 'divided-by-10', 'extra-digit'];

export interface InjectedCell {
  dataElement: string;
  categoryOptionCombo: string;
  index: number;
  original: number;
  injected: number;
}

export interface InjectedError {
  id: number;
  kind: ErrorKind;
  orgUnit: string;
  cells: InjectedCell[];
}

export interface InjectionOptions {
  seed: number;
  /** Chance that a reported cell-month of the evaluated window receives a cell error (kind drawn evenly). */
  cellRate: number;
  /** Chance that a reported facility-month has its ANC1 and ANC4 swapped. */
  swapRate: number;
  /** First evaluated month index. */
  from: number;
}

export const INJECTION_DEFAULTS: InjectionOptions = { seed: 7, cellRate: 0.01, swapRate: 0.01, from: 12 };

const CELL_KINDS = ERROR_KINDS.filter((kind) => kind !== 'swapped-anc');

/** Injects errors into the series in place and returns their labels. */
export function injectErrors(series: GeneratedSeries, options: InjectionOptions = INJECTION_DEFAULTS): InjectedError[] {
  const draws = new Draws(options.seed);
  const errors: InjectedError[] = [];
  const startMonth = monthNumber(series.start);
  for (const facility of series.facilities) {
    const touched = new Set<string>();
    const free = (cell: CellSeries, index: number) =>
      index < series.months &&
      !touched.has(`${cell.dataElement}|${cell.categoryOptionCombo}|${index}`) &&
      !series.genuine.has(`${facility.orgUnit}|${cell.dataElement}|${cell.categoryOptionCombo}|${index}`);
    const record = (kind: ErrorKind, changes: { cell: CellSeries; index: number; value: number }[]) => {
      const cells = changes.map(({ cell, index, value }) => {
        const values = cell.values as (number | null)[];
        const original = values[index] as number;
        values[index] = value;
        touched.add(`${cell.dataElement}|${cell.categoryOptionCombo}|${index}`);
        return { dataElement: cell.dataElement, categoryOptionCombo: cell.categoryOptionCombo, index, original, injected: value };
      });
      errors.push({ id: errors.length, kind, orgUnit: facility.orgUnit, cells });
    };
    const anc1 = facility.history.cells.find((cell) => cell.dataElement === 'RMNCAH_ANC1' && cell.categoryOptionCombo === 'RMN_20PLUS');
    const anc4 = facility.history.cells.find((cell) => cell.dataElement === 'RMNCAH_ANC4');
    for (let index = options.from; index < series.months; index++) {
      if (anc1 && anc4 && draws.chance(options.swapRate) && free(anc1, index) && free(anc4, index)) {
        const [a, b] = [anc1.values[index], anc4.values[index]];
        if (a !== null && a !== undefined && b !== null && b !== undefined && a !== b) {
          record('swapped-anc', [
            { cell: anc1, index, value: b },
            { cell: anc4, index, value: a },
          ]);
        }
      }
      for (const cell of facility.history.cells) {
        if (!draws.chance(options.cellRate)) continue;
        const kind = draws.pick(CELL_KINDS);
        const value = cell.values[index];
        if (value === null || value === undefined || !free(cell, index)) continue;
        const changes = cellError(kind, cell, index, (startMonth + index) % 12, value, draws, (i) => free(cell, i));
        if (changes) record(kind, changes.map((change) => ({ cell, ...change })));
      }
    }
  }
  return errors;
}

function cellError(
  kind: ErrorKind,
  cell: CellSeries,
  index: number,
  monthOfYear: number,
  value: number,
  draws: Draws,
  free: (index: number) => boolean,
): { index: number; value: number }[] | undefined {
  const previous = cell.values[index - 1];
  switch (kind) {
    case 'times-10':
      return value >= 1 ? [{ index, value: value * 10 }] : undefined;
    case 'divided-by-10':
      return value >= 10 ? [{ index, value: Math.round(value / 10) }] : undefined;
    case 'extra-digit': {
      if (value < 1) return undefined;
      const digits = String(value);
      const at = draws.int(0, digits.length - 1);
      return [{ index, value: Number(digits.slice(0, at + 1) + digits.slice(at)) }];
    }
    case 'transposition': {
      const digits = String(value);
      const options: number[] = [];
      for (let i = 0; i + 1 < digits.length; i++) {
        const swapped = digits.slice(0, i) + digits[i + 1] + digits[i] + digits.slice(i + 2);
        const next = Number(swapped);
        if (swapped[0] !== '0' && Math.abs(next - value) >= 0.3 * value) options.push(next);
      }
      return options.length > 0 ? [{ index, value: draws.pick(options) }] : undefined;
    }
    case 'wrong-month':
      return previous !== null && previous !== undefined && previous !== value ? [{ index, value: previous }] : undefined;
    case 'cumulative': {
      if (monthOfYear < 2) return undefined;
      let before = 0;
      for (let i = index - monthOfYear; i < index; i++) before += cell.values[i] ?? 0;
      return before >= 1 ? [{ index, value: before + value }] : undefined;
    }
    case 'copied-forward': {
      const next = cell.values[index + 1];
      if (previous === null || previous === undefined || previous < 1 || next === null || next === undefined || !free(index + 1)) return undefined;
      if (previous === value && previous === next) return undefined;
      return [
        { index, value: previous },
        { index: index + 1, value: previous },
      ];
    }
    case 'swapped-anc':
      return undefined;
  }
}
