// `smc-bridge data-quality scorecard [--district <code>] [--year <yyyy>] [--json]`: the WHO DQR district
// scorecard (packages/data-quality) of the values the ledger last sent to DHIS2, per district and data
// element (its total over combos): completeness, outliers (±2/±3 SD, modified z 3.5, and our screening's
// flags beside them), consistency over time (±33 %), and the related indicators of mappings/data-quality.yaml;
// districts from DHIS2's org unit hierarchy, or from the codes when DHIS2 cannot be reached (it says which).
import type { Scorecard } from '@smc-bridge/data-quality';
import { loadConfig } from '../config/config.js';
import { Dhis2Client } from '../dhis2/dhis2-client.js';
import { loadMappings } from '../mapping/load-mappings.js';
import { describeDistricts, districtScorecard } from '../quality/district-scorecard.js';
import { OrgUnitDistricts } from '../quality/org-unit-districts.js';
import { loadScreeningConfig } from '../quality/screening-config.js';
import { createRedis, waitUntilReady } from '../redis/connection.js';
import { RedisKeys } from '../redis/keys.js';

export async function runScorecard(options: { district?: string; year?: number; json: boolean }, now = new Date()): Promise<void> {
  const config = loadConfig();
  const year = options.year ?? now.getUTCFullYear() - 1;
  const screening = loadScreeningConfig(config.mappingsDir);
  const campaigns = loadMappings(config.mappingsDir).campaigns ?? [];
  const redis = createRedis(config.redisUrl, 'smc-bridge-scorecard', 'fail-fast');
  try {
    await waitUntilReady(redis, config.redisUrl);
    const keys = new RedisKeys(config.redisPrefix);
    const districts = await new OrgUnitDistricts({ redis, keys, level: config.dataQuality.districtLevel, ...(config.dhis2 ? { client: new Dhis2Client(config.dhis2) } : {}) }).load();
    const result = await districtScorecard({ redis, keys, screening, districts, campaigns }, { year, ...(options.district !== undefined ? { district: options.district } : {}) });
    if (options.json) {
      process.stdout.write(JSON.stringify({ ...result.card, districts: result.districts }, null, 2) + '\n');
    } else {
      printScorecard(result.card, result.facilities);
      console.log(`\n${describeDistricts(result.districts)}`);
      console.log(`${result.facilities} facilities, ${result.dataElements} data elements: ${result.seconds.toFixed(2)} s (${result.readSeconds.toFixed(2)} s reading Redis, the rest scoring)`);
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
