// Nightly DQR scorecard cost: 3,000 facilities × 50 data elements × 60 months (default), scored for the
// last year on one core — completeness, WHO outliers, consistency over time, related indicators, and our
// seasonal screening of every cell of that year. `npx tsx bench/data-quality-scorecard.ts [facilities]`.
import { readFileSync } from 'node:fs';
import { parseDataQualityConfig } from '../packages/data-quality/src/config.js';
import { Draws } from '../packages/data-quality/src/benchmark/index.js';
import { dqrScorecard, type ScorecardFacility } from '../packages/data-quality/src/index.js';

const facilityCount = Number(process.argv[2] ?? 3000);
const elements = 50;
const months = 60;
const config = parseDataQualityConfig(readFileSync(new URL('../mappings/data-quality.yaml', import.meta.url), 'utf8'), 'mappings/data-quality.yaml');
const draws = new Draws(5);
const codes = Array.from({ length: elements }, (_, e) => `DE_${String(e).padStart(2, '0')}`);
const facilities: ScorecardFacility[] = Array.from({ length: facilityCount }, (_, f) => {
  const size = draws.logNormal(8, 1);
  return {
    district: `D${f % 150}`,
    history: {
      orgUnit: `F${f}`,
      start: '202101',
      cells: codes.map((dataElement, e) => ({
        dataElement,
        categoryOptionCombo: 'default',
        values: Array.from({ length: months }, (_, m) => (draws.chance(0.1) ? null : draws.poisson(size * (1 + (e % 5) / 4) * (1 + 0.5 * Math.sin((m % 12) / 2))))),
      })),
    },
  };
});
const indicators = codes.map((code) => ({ id: code, operands: [{ dataElement: code }] }));
const relatedIndicators = [
  { id: 'eq-pair', type: 'eq' as const, a: [{ dataElement: 'DE_00' }], b: [{ dataElement: 'DE_01' }], criterion: 0.1 },
  { id: 'dropout', type: 'do' as const, a: [{ dataElement: 'DE_02' }], b: [{ dataElement: 'DE_03' }], criterion: 0 },
];
const started = performance.now();
const card = dqrScorecard(facilities, indicators, 2025, { ...config, relations: [], scorecard: { ...config.scorecard, relatedIndicators } });
const seconds = (performance.now() - started) / 1000;
const flags = card.indicators.reduce((total, score) => total + score.outliers.seasonalScreening, 0);
console.log(
  `scorecard: ${facilityCount} facilities × ${elements} elements × ${months} months, year 2025 → ${card.indicators.length} district-indicator rows, ` +
    `${card.relatedIndicators.length} related-indicator rows, ${flags} seasonal-screening flags, in ${seconds.toFixed(1)} s on one core`,
);
