// The benchmark's facility-month series: synthetic, parameterised, not real epidemiology. Each facility
// has a catchment population (log-normal: many small facilities, a few large); its monthly counts are
// negative-binomial around catchment-based means, with a malaria season (a July–November Sahelian peak in
// Mali, a flatter bimodal pattern in southern Cameroon) and year-to-year variation by district. Genuine
// events are labelled so that a flag on them can be counted: an RDT stock-out (testing falls, presumptive
// treatment rises), a measles–rubella campaign month, a malaria epidemic in one district, a facility that
// opens during the series. Missing reports leave whole months empty.
import type { CellSeries, FacilityHistory } from '../facility-history.js';
import { monthNumber, periodOf } from '../periods.js';
import type { KnownEvent } from '../signals.js';
import { Draws } from './random.js';

export type GenuineKind = 'stock-out' | 'campaign' | 'epidemic' | 'opening';

export interface BenchmarkFacility {
  orgUnit: string;
  district: string;
  country: 'ML' | 'CM';
  catchment: number;
  /** Month index of the first report; 0 unless the facility opens during the series. */
  opensAt: number;
  history: FacilityHistory;
}

export interface GeneratedSeries {
  start: string;
  months: number;
  facilities: BenchmarkFacility[];
  /** `orgUnit|dataElement|combo|index` → the genuine event behind that cell. */
  genuine: Map<string, GenuineKind>;
  /** The campaigns a ministry would have declared (what our screening is told). */
  campaigns: KnownEvent[];
}

export interface GeneratorOptions {
  seed: number;
  facilities: number;
  /** First month (YYYYMM) and number of months. */
  start: string;
  months: number;
}

export const GENERATOR_DEFAULTS: GeneratorOptions = { seed: 20260, facilities: 200, start: '202101', months: 60 };

const MALARIA_AGES = ['MAL_0_4Y', 'MAL_5_14Y', 'MAL_15PLUS'] as const;
const MALARIA_AGE_SHARE = [0.45, 0.25, 0.3];
const SEXES = ['M', 'F'] as const;
const REPRO_AGES = ['RMN_10_14Y', 'RMN_15_19Y', 'RMN_20PLUS'] as const;
const REPRO_AGE_SHARE = [0.04, 0.22, 0.74];
const EPI_AGES = ['EPI_LT1Y', 'EPI_1PLUS'] as const;
const AGE_SEX_CODE: Record<(typeof MALARIA_AGES)[number], string> = { MAL_0_4Y: 'MAL_0_4Y', MAL_5_14Y: 'MAL_5_14Y', MAL_15PLUS: 'MAL_15PLUS' };

// Malaria season multipliers of suspected fever by calendar month, and test positivity (trough, peak).
const SEASON = {
  ML: [0.5, 0.45, 0.45, 0.45, 0.5, 0.7, 1.1, 1.7, 2.1, 2.1, 1.4, 0.8],
  CM: [0.9, 0.85, 1.0, 1.1, 1.1, 1.0, 0.95, 0.9, 1.0, 1.1, 1.1, 0.95],
} as const;
const POSITIVITY = { ML: [0.3, 0.6], CM: [0.4, 0.5] } as const;
const OVERDISPERSION = 15;

export function generateSeries(options: GeneratorOptions = GENERATOR_DEFAULTS): GeneratedSeries {
  const draws = new Draws(options.seed);
  const startMonth = monthNumber(options.start);
  const genuine = new Map<string, GenuineKind>();
  const facilities: BenchmarkFacility[] = [];
  const districtCount = Math.max(2, Math.round(options.facilities / 20));
  const districtYear = Array.from({ length: districtCount }, () => Array.from({ length: Math.ceil(options.months / 12) + 1 }, () => draws.logNormal(1, 0.2)));
  const epidemicDistrict = 0; // a Mali district (even districts are in Mali)
  const epidemicStart = Math.min(options.months - 3, 48 + 5); // June of the fifth year
  const campaignMonth = Math.min(options.months - 1, 36 + 2); // March of the fourth year
  const campaignDistricts = new Set(Array.from({ length: districtCount }, (_, d) => d).filter((d) => d % 3 === 1));
  const campaignOrgUnits: string[] = [];

  for (let f = 0; f < options.facilities; f++) {
    const district = f % districtCount;
    const country = district % 2 === 0 ? 'ML' : 'CM';
    const orgUnit = `${country}-D${String(district).padStart(2, '0')}-F${String(f).padStart(3, '0')}`;
    const catchment = Math.round(Math.min(40000, Math.max(800, draws.logNormal(4000, 0.8))));
    const opensAt = draws.chance(0.06) ? draws.int(6, 36) : 0;
    const completeness = draws.between(0.7, 0.98);
    const cells = new Map<string, (number | null)[]>();
    const put = (dataElement: string, combo: string, index: number, value: number | null) => {
      const key = `${dataElement}|${combo}`;
      let values = cells.get(key);
      if (!values) {
        values = new Array<number | null>(options.months).fill(null);
        cells.set(key, values);
      }
      values[index] = value;
    };
    const label = (dataElements: readonly string[], index: number, kind: GenuineKind) => {
      for (const key of cells.keys()) if (dataElements.includes(key.split('|')[0] as string)) genuine.set(`${orgUnit}|${key}|${index}`, kind);
    };
    const facilityYear = Array.from({ length: Math.ceil(options.months / 12) + 1 }, () => draws.logNormal(1, 0.1));
    const stockOuts = new Set<number>();
    for (let year = 0; year * 12 < options.months; year++) {
      if (!draws.chance(0.12)) continue;
      const first = year * 12 + draws.int(0, 11);
      for (let m = first; m < Math.min(options.months, first + draws.int(1, 3)); m++) stockOuts.add(m);
    }
    if (campaignDistricts.has(district)) campaignOrgUnits.push(orgUnit);

    for (let index = 0; index < options.months; index++) {
      const month = (startMonth + index) % 12;
      const year = Math.floor(index / 12);
      const open = index >= opensAt;
      const reported = open && draws.chance(completeness);
      const ramp = index - opensAt < 3 && opensAt > 0 ? [0.35, 0.65, 0.9][index - opensAt] ?? 1 : 1;
      const size = (catchment / 12) * ramp * 1.025 ** year;
      const level = (facilityYear[year] as number) * size;
      const epidemic = district === epidemicDistrict && index >= epidemicStart && index < epidemicStart + 3;
      const stockOut = stockOuts.has(index);
      const campaign = index === campaignMonth && campaignDistricts.has(district);

      const season = SEASON[country][month] as number;
      const [trough, peak] = POSITIVITY[country];
      const seasonShare = (season - Math.min(...SEASON[country])) / (Math.max(...SEASON[country]) - Math.min(...SEASON[country]));
      const positivity = Math.min(0.9, trough + (peak - trough) * seasonShare + (epidemic ? 0.1 : 0));
      const malaria = level * 0.15 * season * ((districtYear[district] as number[])[year] as number) * (epidemic ? 2.5 : 1);
      const testing = stockOut ? 0.1 : 0.9;
      let positiveTotal = 0;
      let untested = 0;
      MALARIA_AGES.forEach((age, a) => {
        const suspected = draws.overdispersed(malaria * (MALARIA_AGE_SHARE[a] as number), OVERDISPERSION);
        put('MAL_SUSP_MAL_CASES', age, index, suspected);
        const opd = draws.overdispersed(level * 0.5 * [0.3, 0.2, 0.5][a]!, OVERDISPERSION) + suspected;
        put('GEN_ALL-CAUSE_OPD_CASES', age, index, opd);
        const tested = draws.binomial(suspected, testing);
        untested += suspected - tested;
        const testedMale = draws.binomial(tested, 0.48);
        SEXES.forEach((sex) => {
          const testedHere = sex === 'M' ? testedMale : tested - testedMale;
          const positive = draws.binomial(testedHere, positivity);
          positiveTotal += positive;
          put('MAL_CASES_TEST_RDT', `${AGE_SEX_CODE[age]}_${sex}`, index, testedHere);
          put('MAL_CASES_POS_RDT', `${AGE_SEX_CODE[age]}_${sex}`, index, positive);
        });
      });
      put('MAL_CONFIRMED_TREATED_ACT', 'default', index, draws.binomial(positiveTotal, 0.93));
      put('MAL_PRESUMED_TREATED_ACT', 'default', index, draws.poisson(malaria * 0.02) + draws.binomial(untested, 0.7));

      const births = level * 0.043;
      let ancTotal = 0;
      let deliveries = 0;
      REPRO_AGES.forEach((age, a) => {
        const anc = draws.overdispersed(births * 0.85 * (REPRO_AGE_SHARE[a] as number), OVERDISPERSION);
        ancTotal += anc;
        put('RMNCAH_ANC1', age, index, anc);
        const delivered = draws.overdispersed(births * 0.55 * (REPRO_AGE_SHARE[a] as number), OVERDISPERSION);
        deliveries += delivered;
        put('RMNCAH_DLV_HF_AGE', age, index, delivered);
      });
      put('RMNCAH_ANC4', 'default', index, draws.poisson(births * 0.85 * 0.45));
      const fresh = draws.binomial(deliveries, 0.01);
      const macerated = draws.binomial(deliveries, 0.008);
      put('RMNCAH_SBF', 'default', index, fresh);
      put('RMNCAH_SBM', 'default', index, macerated);
      put('RMNCAH_LIVE_BIRTH_HF', 'default', index, deliveries - fresh - macerated + draws.binomial(deliveries, 0.015));

      const infants = births * 0.95;
      EPI_AGES.forEach((age, a) => {
        put('EPI_DPT-HEPB-HIB1_GIVEN', age, index, draws.overdispersed(infants * [0.9, 0.05][a]!, OVERDISPERSION));
        put('EPI_DPT-HEPB-HIB3_GIVEN', age, index, draws.overdispersed(infants * [0.76, 0.06][a]!, OVERDISPERSION));
        const campaignDoses = campaign ? [0.002, 0.02][a]! * catchment : 0;
        put('EPI_MR1_GIVEN', age, index, draws.overdispersed(infants * [0.75, 0.1][a]! + campaignDoses, OVERDISPERSION));
      });

      if (!reported) for (const values of cells.values()) values[index] = null;
      if (!open) continue;
      if (index - opensAt < 6 && opensAt > 0) label([...new Set([...cells.keys()].map((key) => key.split('|')[0] as string))], index, 'opening');
      if (stockOut) label(['MAL_CASES_TEST_RDT', 'MAL_CASES_POS_RDT', 'MAL_CONFIRMED_TREATED_ACT', 'MAL_PRESUMED_TREATED_ACT'], index, 'stock-out');
      if (epidemic) label(['MAL_SUSP_MAL_CASES', 'GEN_ALL-CAUSE_OPD_CASES', 'MAL_CASES_TEST_RDT', 'MAL_CASES_POS_RDT', 'MAL_CONFIRMED_TREATED_ACT', 'MAL_PRESUMED_TREATED_ACT'], index, 'epidemic');
      if (campaign) label(['EPI_MR1_GIVEN'], index, 'campaign');
    }
    const series: CellSeries[] = [...cells].map(([key, values]) => {
      const [dataElement, categoryOptionCombo] = key.split('|') as [string, string];
      return { dataElement, categoryOptionCombo, values };
    });
    facilities.push({ orgUnit, district: `D${String(district).padStart(2, '0')}`, country, catchment, opensAt, history: { orgUnit, start: options.start, cells: series } });
  }
  const campaigns: KnownEvent[] = [
    {
      id: 'campaign-month',
      label: { en: 'the measles–rubella campaign', fr: 'la campagne rougeole–rubéole' },
      dataElements: ['EPI_MR1_GIVEN'],
      periods: [periodOf(startMonth + campaignMonth)],
      orgUnits: campaignOrgUnits,
    },
  ];
  return { start: options.start, months: options.months, facilities, genuine, campaigns };
}
