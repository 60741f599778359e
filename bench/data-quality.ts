// Data-quality benchmark: seeded synthetic facility-month series with labelled injected errors and
// genuine events, screened by our method and by the DHIS2 and WHO DQ Tool methods. Prints recall per
// error kind and false flags per facility-year for each method at its default threshold and at one
// shared alert budget, writes the precision–recall curve to docs/data-quality-pr-curve.png, and ends
// with the one line scripts read. `npx tsx bench/data-quality.ts [facilities] [seed]`.
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
  truthOf,
  type Alert,
  type CurvePoint,
} from '../packages/data-quality/src/benchmark/index.js';
import { renderCurvePng } from './data-quality-chart.js';

const facilities = Number(process.argv[2] ?? GENERATOR_DEFAULTS.facilities);
const seed = Number(process.argv[3] ?? GENERATOR_DEFAULTS.seed);
const started = performance.now();
const config = parseDataQualityConfig(readFileSync(new URL('../mappings/data-quality.yaml', import.meta.url), 'utf8'), 'mappings/data-quality.yaml');
const series = generateSeries({ ...GENERATOR_DEFAULTS, facilities, seed });
const errors = injectErrors(series, { ...INJECTION_DEFAULTS, seed: seed + 1 });
const from = INJECTION_DEFAULTS.from;
const truth = truthOf(series, errors, from);

const candidates = new Map<string, Alert[]>();
const all = methods(config, series);
for (const method of all) candidates.set(method.id, series.facilities.flatMap((facility) => method.alerts(facility, from, 0.3)));
const ours = candidates.get('ours') as Alert[];
const budget = ours.filter((alert) => alert.score >= 1).length;

const kinds = ERROR_KINDS.map((kind) => [kind, errors.filter((error) => error.kind === kind).length] as const);
console.log(
  `${series.facilities.length} facilities × ${series.months} months (seed ${seed}), ${series.facilities[0]?.history.cells.length} cells each; ` +
    `evaluated months ${from + 1}–${series.months}: ${truth.facilityYears.toFixed(0)} facility-years; ${errors.length} injected errors ` +
    `(${kinds.map(([kind, count]) => `${kind} ${count}`).join(', ')}); ${series.genuine.size} cell-months of genuine events`,
);
const header = ['method', 'threshold', 'alerts', '×10/÷10/extra', ...ERROR_KINDS, 'false/fac-yr', 'on genuine'];
const rows: string[][] = [];
const pct = (value: number) => (Number.isNaN(value) ? '–' : `${(value * 100).toFixed(1)} %`);
for (const setting of ['default', 'budget'] as const) {
  for (const method of all) {
    const alerts = candidates.get(method.id) as Alert[];
    const chosen = setting === 'default' ? alerts.filter((alert) => alert.score >= 1) : atBudget(alerts, budget);
    const outcome = outcomeOf(chosen, truth, series.genuine);
    const recall = recallByKind(outcome, truth);
    rows.push([
      method.name,
      setting === 'default' ? 'default' : `budget ${budget}`,
      String(outcome.alerts),
      pct(recall.headline),
      ...ERROR_KINDS.map((kind) => pct(recall[kind])),
      (outcome.falseAlerts / truth.facilityYears).toFixed(2),
      String(outcome.falseOnGenuine),
    ]);
  }
}
console.log(`| ${header.join(' | ')} |\n| ${header.map(() => '---').join(' | ')} |\n${rows.map((row) => `| ${row.join(' | ')} |`).join('\n')}`);

const curves = all.map((method) => ({ name: method.name, points: precisionRecallCurve(candidates.get(method.id) as Alert[], truth) as CurvePoint[] }));
const png = renderCurvePng(curves, budget);
writeFileSync(new URL('../docs/data-quality-pr-curve.png', import.meta.url), png);
console.log(`precision–recall curve: docs/data-quality-pr-curve.png; ran in ${((performance.now() - started) / 1000).toFixed(1)} s`);

const oursDefault = outcomeOf(ours.filter((alert) => alert.score >= 1), truth, series.genuine);
console.log(
  `data quality: recall ${(recallByKind(oursDefault, truth).headline * 100).toFixed(1)} % (×10, ÷10, extra digit), ${(oursDefault.falseAlerts / truth.facilityYears).toFixed(2)} false flags per facility-year`,
);
