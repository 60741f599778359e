// `smc-bridge data-quality scorecard [--district <code>] [--year <yyyy>] [--json]`: the WHO DQR district
// scorecard (packages/data-quality) of the values the ledger last sent to DHIS2, per district and data
// element (its total over combos): completeness, outliers (±2/±3 SD, modified z 3.5, and our screening's
// flags beside them), consistency over time (±33 %), and the related indicators of mappings/data-quality.yaml.
import { dqrScorecard, type Scorecard } from '@smc-bridge/data-quality';
import { loadConfig } from '../config/config.js';
import { pushedRecordsByDistrict, readDistrictHistories } from '../quality/ledger-histories.js';
import { loadScreeningConfig } from '../quality/screening-config.js';
import { createRedis, waitUntilReady } from '../redis/connection.js';
import { RedisKeys } from '../redis/keys.js';

export async function runScorecard(options: { district?: string; year?: number; json: boolean }, now = new Date()): Promise<void> {
  const config = loadConfig();
  const year = options.year ?? now.getUTCFullYear() - 1;
  const screening = loadScreeningConfig(config.mappingsDir);
  const redis = createRedis(config.redisUrl, 'smc-bridge-scorecard', 'fail-fast');
  try {
    await waitUntilReady(redis, config.redisUrl);
    const started = performance.now();
    const keys = new RedisKeys(config.redisPrefix);
    const districts = await pushedRecordsByDistrict(redis, keys, { ...(options.district !== undefined ? { district: options.district } : {}), until: `${year}12` });
    // One district at a time, so memory holds one district's histories.
    const card: Scorecard = { year, indicators: [], relatedIndicators: [] };
    let facilities = 0;
    const elements = new Set<string>();
    let readSeconds = 0;
    for (const records of districts) {
      const read = performance.now();
      const histories = await readDistrictHistories(redis, records);
      readSeconds += (performance.now() - read) / 1000;
      const districtElements = [...new Set(histories.flatMap(({ history }) => history.cells.map((cell) => cell.dataElement)))].sort();
      const scored = dqrScorecard(histories, districtElements.map((dataElement) => ({ id: dataElement, operands: [{ dataElement }] })), year, screening);
      card.indicators.push(...scored.indicators);
      card.relatedIndicators.push(...scored.relatedIndicators);
      facilities += histories.length;
      for (const element of districtElements) elements.add(element);
    }
    const seconds = (performance.now() - started) / 1000;
    if (options.json) {
      process.stdout.write(JSON.stringify(card, null, 2) + '\n');
    } else {
      printScorecard(card, facilities);
      console.log(`\n${facilities} facilities, ${elements.size} data elements: ${seconds.toFixed(2)} s (${readSeconds.toFixed(2)} s reading Redis, the rest scoring)`);
    }
  } finally {
    redis.disconnect();
  }
}

const percent = (value: number) => `${(100 * value).toFixed(1)} %`;
const ratio = (value: number | null) => (value === null ? '–' : value.toFixed(2));

function printScorecard(card: Scorecard, facilities: number): void {
  console.log(`WHO DQR scorecard ${card.year}, ${facilities} facilities (values the ledger last sent to DHIS2)`);
  if (card.indicators.length === 0) {
    console.log('No monthly values for that year (and district) in the ledger.');
    return;
  }
  const rows = card.indicators.map((score) => [
    score.district,
    score.indicator,
    `${percent(score.completeness.rate)} (${score.completeness.reported}/${score.completeness.expected})`,
    String(score.completeness.facilitiesBelowTarget),
    `${score.outliers.extreme}/${score.outliers.moderate}/${score.outliers.modifiedZ}`,
    String(score.outliers.seasonalScreening),
    `${ratio(score.consistencyOverTime.ratio)}${score.consistencyOverTime.flagged ? ' !' : ''}`,
    `${score.consistencyOverTime.facilitiesOutside}/${score.consistencyOverTime.facilitiesCompared}`,
  ]);
  printTable(['district', 'indicator', 'completeness', '<90 %', 'outliers ±3SD/±2SD/modz', 'screening flags', 'year ÷ previous', 'facilities ±33 %'], rows);
  if (card.relatedIndicators.length > 0) {
    console.log('');
    printTable(
      ['district', 'related indicators', 'type', 'ratio', 'facilities flagged'],
      card.relatedIndicators.map((score) => [score.district, score.relation, score.type, ratio(score.ratio), `${score.facilitiesFlagged}/${score.facilitiesCompared}`]),
    );
  }
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}
