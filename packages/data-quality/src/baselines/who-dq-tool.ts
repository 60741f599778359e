// The WHO Data Quality Tool's outlier rules (dhis2/who-data-quality-app, metaData.json defaults), over the
// monthly values of one facility and one indicator in one year:
// - extreme outlier: |x − mean| > 3·SD; moderate outlier: |x − mean| > 2·SD (SD of the year's values);
// - modified z-score: 0.6745·(x − median) / MAD > 3.5; where the MAD is 0, the fallback the tool intended,
//   0.6745·(x − median) / MeanAD with MeanAD the mean absolute deviation from the median.
// Computed correctly, unlike the app at commit c3fac5237e (Dec 2020): there the modified-z loop read the
// subunit index's value instead of each value's, and MeanAD was computed with the MAD function, so that a
// MAD of 0 again meant "no outliers". The regression tests pin both.
import { mean, meanAbsoluteDeviation, median, medianAbsoluteDeviation, populationStandardDeviation } from '../statistics.js';

export interface WhoOutlier {
  index: number;
  value: number;
  /** |x − mean| / SD (0 when SD = 0). */
  sdDistance: number;
  modifiedZ: number;
  extreme: boolean;
  moderate: boolean;
  modifiedZOutlier: boolean;
}

export interface WhoOutlierThresholds {
  extremeOutlierSd: number;
  moderateOutlierSd: number;
  modifiedZ: number;
}

export const WHO_OUTLIER_DEFAULTS: WhoOutlierThresholds = { extremeOutlierSd: 3, moderateOutlierSd: 2, modifiedZ: 3.5 };

/** The outlier verdicts of every reported value in `values` (the months of one year, say). */
export function whoOutliers(values: readonly (number | null)[], thresholds: WhoOutlierThresholds = WHO_OUTLIER_DEFAULTS): WhoOutlier[] {
  const points: { index: number; value: number }[] = [];
  values.forEach((value, index) => {
    if (value !== null && value !== undefined) points.push({ index, value });
  });
  const numbers = points.map((point) => point.value);
  const middle = mean(numbers);
  const sd = populationStandardDeviation(numbers);
  const med = median(numbers);
  const mad = medianAbsoluteDeviation(numbers, med);
  const meanAd = meanAbsoluteDeviation(numbers, med);
  return points.map(({ index, value }) => {
    const sdDistance = sd === 0 ? 0 : Math.abs(value - middle) / sd;
    const modifiedZ = whoModifiedZ(value, med, mad, meanAd);
    return {
      index,
      value,
      sdDistance,
      modifiedZ,
      extreme: sdDistance > thresholds.extremeOutlierSd,
      moderate: sdDistance > thresholds.moderateOutlierSd,
      modifiedZOutlier: modifiedZ > thresholds.modifiedZ,
    };
  });
}

/** |modified z| with the tool's intended MAD = 0 fallback; 0 when every value equals the median. */
export function whoModifiedZ(value: number, med: number, mad: number, meanAd: number): number {
  if (mad > 0) return (0.6745 * Math.abs(value - med)) / mad;
  if (meanAd > 0) return (0.6745 * Math.abs(value - med)) / meanAd;
  return 0;
}
