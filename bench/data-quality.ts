// Data-quality benchmark: seeded synthetic facility-month series with labelled injected errors and
// genuine events, screened by our method and by the DHIS2 and WHO DQ Tool methods. Prints recall per
// error kind and false flags per facility-year for each method at its default threshold and at one
// shared alert budget, for the tuning seed and, pooled, for the held-out seeds; writes the held-out
// precision–recall curve to docs/data-quality-pr-curve.png, and ends with the one line scripts read
// (the held-out figure).
//
//   npx tsx bench/data-quality.ts [facilities] [--seeds 20260,7,42,1234]
//
// The first seed is the tuning seed (the one the rule defaults were set on); the others are held out.
// Each seed generates its own series (generator seed s) and its own errors (injection seed s + 1), and
// each method's budget is, per seed, the number of alerts ours raises at its default on that seed.
// `npx tsx bench/data-quality.ts 200 20260` (a bare second number) runs that one seed alone.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseDataQualityConfig } from '../packages/data-quality/src/config.js';
import {
  atBudget,
  ERROR_KINDS,
  generateSeries,
  GENERATOR_DEFAULTS,
  INJECTION_DEFAULTS,
  injectErrors,
  methods,
  outcomeOf,
  precisionRecallCurve,
  recallByKind,
  type Alert,
  type CurvePoint,
  type InjectedError,
  type Truth,
} from '../packages/data-quality/src/benchmark/index.js';
import { screenHistory, screenPeriod } from '../packages/data-quality/src/screen.js';
import { renderCurvePng } from './data-quality-chart.js';

export const DEFAULT_SEEDS = [GENERATOR_DEFAULTS.seed, 7, 42, 1234];

const args = process.argv.slice(2);
const seedsAt = args.indexOf('--seeds');
const seedList = seedsAt >= 0 ? (args[seedsAt + 1] ?? '') : undefined;
const positional = args.filter((arg, i) => !arg.startsWith('--') && (seedsAt < 0 || i !== seedsAt + 1));
const facilities = Number(positional[0] ?? GENERATOR_DEFAULTS.facilities);
const seeds =
  seedList !== undefined
    ? seedList.split(',').map((text) => Number(text.trim()))
    : positional[1] !== undefined
      ? [Number(positional[1])]
      : DEFAULT_SEEDS;
if (seeds.length === 0 || seeds.some((seed) => !Number.isInteger(seed))) throw new Error(`--seeds takes whole numbers separated by commas, not "${seedList}"`);
if (!Number.isInteger(facilities) || facilities < 1) throw new Error(`facilities must be a whole number, not "${positional[0]}"`);

const started = performance.now();
const config = parseDataQualityConfig(readFileSync(new URL('../mappings/data-quality.yaml', import.meta.url), 'utf8'), 'mappings/data-quality.yaml');
const from = INJECTION_DEFAULTS.from;

/** One seed's run: alerts of every method (org units prefixed with the seed), its truth and budget. */
interface Run {
  seed: number;
  summary: string;
  truth: Truth;
  genuine: Map<string, string>;
  candidates: Map<string, Alert[]>;
  budget: number;
  names: Map<string, string>;
  timing: { nightlyCells: number; nightlyMs: number; entryCells: number; entryMs: number };
}

function runSeed(seed: number): Run {
  const series = generateSeries({ ...GENERATOR_DEFAULTS, facilities, seed });
  const errors = injectErrors(series, { ...INJECTION_DEFAULTS, seed: seed + 1 });
  const prefix = (orgUnit: string) => `${seed}/${orgUnit}`;
  const prefixed: InjectedError[] = errors.map((error) => ({ ...error, orgUnit: prefix(error.orgUnit) }));
  const errorAt = new Map<string, number>();
  for (const error of prefixed) for (const cell of error.cells) errorAt.set(`${error.orgUnit}|${cell.dataElement}|${cell.categoryOptionCombo}|${cell.index}`, error.id);
  let openMonths = 0;
  for (const facility of series.facilities) openMonths += series.months - Math.max(from, facility.opensAt);
  const truth: Truth = { errors: prefixed, errorAt, facilityYears: openMonths / 12 };
  const genuine = new Map<string, string>();
  for (const [key, kind] of series.genuine) genuine.set(`${seed}/${key}`, kind);

  const candidates = new Map<string, Alert[]>();
  const names = new Map<string, string>();
  for (const method of methods(config, series)) {
    names.set(method.id, method.name);
    const alerts = series.facilities.flatMap((facility) => method.alerts(facility, from, 0.3));
    candidates.set(method.id, alerts.map((alert) => ({ ...alert, orgUnit: prefix(alert.orgUnit) })));
  }
  const budget = (candidates.get('ours') as Alert[]).filter((alert) => alert.score >= 1).length;

  // The cost of the screening as it runs: nightly over each facility's whole history (default options),
  // and at entry, one month (the last) of one facility at a time, history indexed on every call.
  const fromPeriod = `${Number(series.start.slice(0, 4)) + Math.floor(from / 12)}${series.start.slice(4)}`;
  const lastPeriod = `${Number(series.start.slice(0, 4)) + Math.floor((series.months - 1) / 12)}${String(((series.months - 1) % 12) + 1).padStart(2, '0')}`;
  let nightlyCells = 0;
  let entryCells = 0;
  for (const facility of series.facilities) {
    for (const cell of facility.history.cells) {
      for (let index = from; index < series.months; index++) if (cell.values[index] !== null) nightlyCells++;
      if (cell.values[series.months - 1] !== null) entryCells++;
    }
  }
  let clock = performance.now();
  for (const facility of series.facilities) screenHistory(facility.history, config, { knownEvents: series.campaigns, from: fromPeriod });
  const nightlyMs = performance.now() - clock;
  clock = performance.now();
  for (const facility of series.facilities) screenPeriod(facility.history, lastPeriod, config, { knownEvents: series.campaigns });
  const entryMs = performance.now() - clock;

  const kinds = ERROR_KINDS.map((kind) => [kind, errors.filter((error) => error.kind === kind).length] as const);
  const summary =
    `${series.facilities.length} facilities × ${series.months} months (seed ${seed}), ${series.facilities[0]?.history.cells.length} cells each; ` +
    `evaluated months ${from + 1}–${series.months}: ${truth.facilityYears.toFixed(0)} facility-years; ${errors.length} injected errors ` +
    `(${kinds.map(([kind, count]) => `${kind} ${count}`).join(', ')}); ${series.genuine.size} cell-months of genuine events`;
  return { seed, summary, truth, genuine, candidates, budget, names, timing: { nightlyCells, nightlyMs, entryCells, entryMs } };
}

/** Several runs as one: their alerts, errors (ids renumbered) and facility-years added up. */
interface Pooled {
  truth: Truth;
  genuine: Map<string, string>;
  /** Per method: the alerts at its default, and at the budget (each seed's strongest N, N = ours on that seed). */
  atDefault: Map<string, Alert[]>;
  atBudget: Map<string, Alert[]>;
  all: Map<string, Alert[]>;
  budget: number;
}

function pool(runs: readonly Run[]): Pooled {
  const errors: InjectedError[] = [];
  const errorAt = new Map<string, number>();
  const genuine = new Map<string, string>();
  let facilityYears = 0;
  const atDefault = new Map<string, Alert[]>();
  const atBudgetOf = new Map<string, Alert[]>();
  const all = new Map<string, Alert[]>();
  let budget = 0;
  for (const run of runs) {
    const offset = errors.length;
    for (const error of run.truth.errors) errors.push({ ...error, id: error.id + offset });
    for (const [key, id] of run.truth.errorAt) errorAt.set(key, id + offset);
    for (const [key, kind] of run.genuine) genuine.set(key, kind);
    facilityYears += run.truth.facilityYears;
    budget += run.budget;
    for (const [id, alerts] of run.candidates) {
      atDefault.set(id, [...(atDefault.get(id) ?? []), ...alerts.filter((alert) => alert.score >= 1)]);
      atBudgetOf.set(id, [...(atBudgetOf.get(id) ?? []), ...atBudget(alerts, run.budget)]);
      all.set(id, [...(all.get(id) ?? []), ...alerts]);
    }
  }
  return { truth: { errors, errorAt, facilityYears }, genuine, atDefault, atBudget: atBudgetOf, all, budget };
}

const pct = (value: number) => (Number.isNaN(value) ? '–' : `${(value * 100).toFixed(1)} %`);

function table(pooled: Pooled, names: Map<string, string>, budgetLabel: string): string {
  const header = ['method', 'threshold', 'alerts', '×10/÷10/extra', ...ERROR_KINDS, 'false/fac-yr', 'on genuine'];
  const rows: string[][] = [];
  for (const setting of ['default', 'budget'] as const) {
    for (const [id, name] of names) {
      const chosen = (setting === 'default' ? pooled.atDefault : pooled.atBudget).get(id) as Alert[];
      const outcome = outcomeOf(chosen, pooled.truth, pooled.genuine);
      const recall = recallByKind(outcome, pooled.truth);
      rows.push([
        name,
        setting === 'default' ? 'default' : budgetLabel,
        String(outcome.alerts),
        pct(recall.headline),
        ...ERROR_KINDS.map((kind) => pct(recall[kind])),
        (outcome.falseAlerts / pooled.truth.facilityYears).toFixed(2),
        String(outcome.falseOnGenuine),
      ]);
    }
  }
  return `| ${header.join(' | ')} |\n| ${header.map(() => '---').join(' | ')} |\n${rows.map((row) => `| ${row.join(' | ')} |`).join('\n')}`;
}

function oursLine(pooled: Pooled): { recall: number; falsePerYear: number; transposition: number; cumulative: number } {
  const outcome = outcomeOf(pooled.atDefault.get('ours') as Alert[], pooled.truth, pooled.genuine);
  const recall = recallByKind(outcome, pooled.truth);
  return { recall: recall.headline, falsePerYear: outcome.falseAlerts / pooled.truth.facilityYears, transposition: recall.transposition, cumulative: recall.cumulative };
}

const runs = seeds.map((seed) => runSeed(seed));
const names = runs[0]?.names as Map<string, string>;
const [tuningRun, ...heldOutRuns] = runs as [Run, ...Run[]];
for (const run of runs) console.log(run.summary);

const tuning = pool([tuningRun]);
console.log(`\nTuning seed ${tuningRun.seed} (the rule defaults were set on it):\n`);
console.log(table(tuning, names, `budget ${tuning.budget}`));
const heldOut = heldOutRuns.length > 0 ? pool(heldOutRuns) : undefined;
if (heldOut) {
  console.log(`\nHeld-out seeds ${heldOutRuns.map((run) => run.seed).join(', ')}, pooled (${heldOut.truth.facilityYears.toFixed(0)} facility-years, ${heldOut.truth.errors.length} injected errors):\n`);
  console.log(table(heldOut, names, `budget ${heldOutRuns.map((run) => run.budget).join('+')}`));
}
console.log('\nOurs, seed by seed (default threshold):');
for (const run of runs) {
  const line = oursLine(pool([run]));
  console.log(
    `  seed ${run.seed}${run === tuningRun ? ' (tuning)' : ''}: ×10/÷10/extra ${pct(line.recall)}, transposition ${pct(line.transposition)}, cumulative ${pct(line.cumulative)}, ${line.falsePerYear.toFixed(2)} false flags per facility-year`,
  );
}

const shown = heldOut ?? tuning;
const curves = [...names].map(([id, name]) => ({ name, points: precisionRecallCurve(shown.all.get(id) as Alert[], shown.truth) as CurvePoint[] }));
const note = heldOut ? `Seeds ${heldOutRuns.map((run) => run.seed).join(', ')} (held out; tuned on ${tuningRun.seed}).` : `Seed ${tuningRun.seed}.`;
writeFileSync(new URL('../docs/data-quality-pr-curve.png', import.meta.url), renderCurvePng(curves, shown.budget, note));

const timing = runs.reduce(
  (total, run) => ({
    nightlyCells: total.nightlyCells + run.timing.nightlyCells,
    nightlyMs: total.nightlyMs + run.timing.nightlyMs,
    entryCells: total.entryCells + run.timing.entryCells,
    entryMs: total.entryMs + run.timing.entryMs,
  }),
  { nightlyCells: 0, nightlyMs: 0, entryCells: 0, entryMs: 0 },
);
console.log(
  `\nscreening cost: ${((1000 * timing.nightlyMs) / timing.nightlyCells).toFixed(2)} µs per screened cell over whole histories ` +
    `(${timing.nightlyCells} cell-months), ${((1000 * timing.entryMs) / timing.entryCells).toFixed(2)} µs per cell screening one month at entry ` +
    `(${timing.entryCells} cells, history indexed on each call)`,
);
console.log(
  `precision–recall curve (${heldOut ? 'held-out seeds' : `seed ${tuningRun.seed}`}): docs/data-quality-pr-curve.png; ran in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
const final = oursLine(shown);
console.log(`data quality: recall ${(final.recall * 100).toFixed(1)} % (×10, ÷10, extra digit), ${final.falsePerYear.toFixed(2)} false flags per facility-year`);
