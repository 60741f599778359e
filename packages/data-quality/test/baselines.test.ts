// The DHIS2 and WHO DQ Tool methods, with golden values computed by hand from their definitions in
// reference/data-quality.md, and the regression tests that pin the WHO DQ app's two bugs as NOT reproduced.
import { describe, expect, it } from '@jest/globals';
import { dhis2MinMaxAt, dhis2ModifiedZScores, dhis2ZScores } from '../src/baselines/dhis2.js';
import { whoModifiedZ, whoOutliers } from '../src/baselines/who-dq-tool.js';
import { consistencyOverTime, relatedIndicatorFlag } from '../src/scorecard/dqr-scorecard.js';
import { median, medianAbsoluteDeviation } from '../src/statistics.js';

describe('DHIS2 z-score', () => {
  it('is |x − mean| / sd over the whole series, flagged above 3', () => {
    // [2,4,4,4,5,5,7,9]: mean 5, sd 2; z(9) = 4/2 = 2; z(2) = 3/2 = 1.5; bounds 5 ± 2·3 = [−1, 11]
    const scores = dhis2ZScores([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(scores[7]).toMatchObject({ z: 2, flagged: false, low: -1, high: 11 });
    expect(scores[0]?.z).toBe(1.5);
  });

  it('can never flag one outlier among ten values: its z is exactly √9 = 3, not above 3', () => {
    // nine 10s and a 40: mean 13; squares 9·9 + 27² = 810; sd = √81 = 9; z(40) = 27 / 9 = 3
    const scores = dhis2ZScores([10, 10, 10, 10, 10, 10, 10, 10, 10, 40]);
    expect(scores[9]?.z).toBe(3);
    expect(scores[9]?.flagged).toBe(false);
  });

  it('gives z = 0 when sd = 0, and skips unreported months', () => {
    const scores = dhis2ZScores([5, null, 5, 5]);
    expect(scores.map((s) => [s.index, s.z])).toEqual([
      [0, 0],
      [2, 0],
      [3, 0],
    ]);
  });
});

describe('DHIS2 modified z-score', () => {
  it('is 0.6745·|x − median| / MAD, flagged above 3.5', () => {
    // [10,12,11,13,9,10,60]: sorted 9,10,10,11,12,13,60 → median 11; |x − 11| = 1,1,0,2,2,1,49 → MAD 1
    // z(60) = 0.6745·49 = 33.0505; z(13) = 0.6745·2 = 1.349; bounds 11 ± 3.5/0.6745 = 11 ± 5.18903
    const scores = dhis2ModifiedZScores([10, 12, 11, 13, 9, 10, 60]);
    expect(scores[6]?.z).toBeCloseTo(33.0505, 10);
    expect(scores[6]?.flagged).toBe(true);
    expect(scores[3]?.z).toBeCloseTo(1.349, 10);
    expect(scores[3]?.high).toBeCloseTo(16.18903, 5);
  });

  it('gives z = 0 when MAD = 0, so a small facility reporting 0, 0, 1, 0 is never flagged, even at 10', () => {
    // median 0; |x − 0| = 0,0,0,1,0,0,10 → sorted 0,0,0,0,0,1,10 → MAD 0
    const scores = dhis2ModifiedZScores([0, 0, 0, 1, 0, 0, 10]);
    expect(scores.every((s) => s.z === 0 && !s.flagged)).toBe(true);
  });
});

describe('DHIS2 min-max', () => {
  it('bounds the value by mean ± 2 SD of the months before it', () => {
    // history 4,6,4,6,4,6: mean 5, sd 1 → [3, 7]; 13 is outside (distance 8 SD), 7 is inside
    expect(dhis2MinMaxAt([4, 6, 4, 6, 4, 6, 13], 6)).toMatchObject({ low: 3, high: 7, z: 8, flagged: true });
    expect(dhis2MinMaxAt([4, 6, 4, 6, 4, 6, 7], 6)?.flagged).toBe(false);
  });

  it('collapses to the mean when the history is constant', () => {
    expect(dhis2MinMaxAt([5, 5, 5, 5, 5, 5, 6], 6)).toMatchObject({ low: 5, high: 5, flagged: true });
    expect(dhis2MinMaxAt([5, 5, 5, 6], 3)).toBeUndefined(); // fewer than six months before it
  });
});

describe('WHO DQ Tool outliers', () => {
  it('flags ±3 SD as extreme and ±2 SD as moderate', () => {
    // eleven 10s and a 46: mean 156/12 = 13; squares 11·9 + 33² = 1188; /12 = 99; sd √99 = 9.94987
    // distance(46) = 33 / 9.94987 = 3.31662 (> 3: extreme); distance(10) = 3 / 9.94987 = 0.30151
    const verdicts = whoOutliers([10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 46]);
    expect(verdicts[11]?.sdDistance).toBeCloseTo(3.31662, 5);
    expect(verdicts[11]).toMatchObject({ extreme: true, moderate: true });
    expect(verdicts[0]?.sdDistance).toBeCloseTo(0.30151, 5);
    expect(verdicts[0]).toMatchObject({ extreme: false, moderate: false });
  });

  it('regression: with MAD = 0 it falls back on MeanAD and still flags (the app computed MeanAD with MAD)', () => {
    // median 10; |x − 10| = eleven 0s and 36 → MAD 0; MeanAD = 36 / 12 = 3; z(46) = 0.6745·36/3 = 8.094
    const values = [10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 46];
    const verdicts = whoOutliers(values);
    expect(verdicts[11]?.modifiedZ).toBeCloseTo(8.094, 10);
    expect(verdicts[11]?.modifiedZOutlier).toBe(true);
    // The app's bug: "MeanAD" = MAD = 0, so its fallback divides by zero and reports no outlier.
    const mad = medianAbsoluteDeviation(values);
    expect(whoModifiedZ(46, median(values), mad, mad)).toBe(0);
  });

  it('regression: scores each value with its own value, not the subunit index (the app read valueSet[i])', () => {
    // sorted 7,8,9,9,10,10,10,11,11,12,13,60 → median 10; |x − 10| = 2,0,2,1,1,0,3,3,0,1,1,50 → MAD 1
    // z(60) = 0.6745·50 = 33.725 → flagged; z(13) = 0.6745·3 = 2.0235; only month 12 is an outlier
    const values = [8, 10, 12, 9, 11, 10, 13, 7, 10, 11, 9, 60];
    const verdicts = whoOutliers(values);
    expect(verdicts.filter((verdict) => verdict.modifiedZOutlier).map((verdict) => verdict.index)).toEqual([11]);
    expect(verdicts[11]?.modifiedZ).toBeCloseTo(33.725, 10);
    expect(verdicts[6]?.modifiedZ).toBeCloseTo(2.0235, 10);
    // The bug's result for the first subunit (i = 0): every month scored as if it were 8 → z 1.349 → none.
    const buggy = values.map(() => whoModifiedZ(values[0] as number, 10, 1, 1));
    expect(buggy.some((z) => z > 3.5)).toBe(false);
  });
});

describe('WHO DQR consistency', () => {
  it('compares the year with the mean of the reference years, ±33 %', () => {
    // references 100, 90, 110 → mean 100; 130/100 = 1.3 (inside); 140/100 = 1.4 and 60/100 = 0.6 (outside)
    expect(consistencyOverTime(130, [100, 90, 110], 0.33)).toEqual({ ratio: 1.3, flagged: false });
    expect(consistencyOverTime(140, [100, 90, 110], 0.33)?.flagged).toBe(true);
    expect(consistencyOverTime(60, [100, 90, 110], 0.33)?.flagged).toBe(true);
    expect(consistencyOverTime(60, [], 0.33)).toBeUndefined();
  });

  it('tests related indicators as eq ±10 %, aGTb and a negative dropout', () => {
    expect(relatedIndicatorFlag({ type: 'eq', criterion: 0.1 }, 95, 100)).toBe(false); // 0.95
    expect(relatedIndicatorFlag({ type: 'eq', criterion: 0.1 }, 120, 100)).toBe(true); // 1.2 > 1.1
    expect(relatedIndicatorFlag({ type: 'eq', criterion: 0.1 }, 85, 100)).toBe(true); // 0.85 < 0.9
    expect(relatedIndicatorFlag({ type: 'aGTb', criterion: 0.1 }, 85, 100)).toBe(true); // 0.85 < 0.9
    expect(relatedIndicatorFlag({ type: 'aGTb', criterion: 0.1 }, 150, 100)).toBe(false); // A above B is fine
    expect(relatedIndicatorFlag({ type: 'do', criterion: 0 }, 100, 105)).toBe(true); // (100 − 105)/100 = −0.05
    expect(relatedIndicatorFlag({ type: 'do', criterion: 0 }, 100, 80)).toBe(false); // 0.2
    expect(relatedIndicatorFlag({ type: 'eq', criterion: 0.1 }, 5, 0)).toBeUndefined();
  });
});
