// The nightly district scorecards in Redis: per year, one hash of each district's scores (so the API reads
// one district in one HGET), and beside them, per year, how and when that scorecard was computed. A night's
// result replaces the year's whole hash in one MULTI, so a reader never sees two nights mixed.
import type { RedisClient } from '../redis/connection.js';
import type { IndicatorScore, RelatedIndicatorScore } from '@smc-bridge/data-quality';
import type { RedisKeys } from '../redis/keys.js';
import type { DistrictScorecard } from './district-scorecard.js';

export interface ScorecardRun {
  year: number;
  computedAt: string;
  districts: DistrictScorecard['districts'];
  facilities: number;
  dataElements: number;
  seconds: number;
}

export interface DistrictScores {
  indicators: IndicatorScore[];
  relatedIndicators: RelatedIndicatorScore[];
}

export interface StoredScorecard extends ScorecardRun {
  /** District → its scores (every district, or the one asked for). */
  byDistrict: Record<string, DistrictScores>;
}

export class ScorecardStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async save(result: DistrictScorecard): Promise<void> {
    const { year } = result.card;
    const byDistrict = new Map<string, DistrictScores>();
    const of = (district: string) => {
      let scores = byDistrict.get(district);
      if (!scores) byDistrict.set(district, (scores = { indicators: [], relatedIndicators: [] }));
      return scores;
    };
    for (const score of result.card.indicators) of(score.district).indicators.push(score);
    for (const score of result.card.relatedIndicators) of(score.district).relatedIndicators.push(score);
    const run: ScorecardRun = { year, computedAt: result.computedAt, districts: result.districts, facilities: result.facilities, dataElements: result.dataElements, seconds: result.seconds };
    const multi = this.redis.multi().del(this.keys.qualityScorecard(year));
    if (byDistrict.size > 0) multi.hset(this.keys.qualityScorecard(year), Object.fromEntries([...byDistrict].map(([district, scores]) => [district, JSON.stringify(scores)])));
    multi.hset(this.keys.qualityScorecardRuns(), String(year), JSON.stringify(run));
    const replies = (await multi.exec()) ?? [];
    for (const [error] of replies) if (error) throw error;
  }

  /** The latest year with a stored scorecard, if any. */
  async latestYear(): Promise<number | undefined> {
    const years = (await this.redis.hkeys(this.keys.qualityScorecardRuns())).map(Number).filter(Number.isInteger);
    return years.length === 0 ? undefined : Math.max(...years);
  }

  /** A year's stored scorecard (of one district when given); undefined when none was computed for that year. */
  async load(year: number, district?: string): Promise<StoredScorecard | undefined> {
    const key = this.keys.qualityScorecard(year);
    const [run, scores] = await Promise.all([
      this.redis.hget(this.keys.qualityScorecardRuns(), String(year)),
      district !== undefined ? this.redis.hget(key, district).then((text) => (text === null ? {} : { [district]: text })) : this.redis.hgetall(key),
    ]);
    if (run === null) return undefined;
    const byDistrict = Object.fromEntries(Object.entries(scores).sort(([a], [b]) => a.localeCompare(b)).map(([name, text]) => [name, JSON.parse(text) as DistrictScores]));
    return { ...(JSON.parse(run) as ScorecardRun), byDistrict };
  }
}
