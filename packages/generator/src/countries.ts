// What differs between the two countries the synthetic data covers: clock, phone numbering, mutual health
// insurance (mutuelles) and the malaria transmission season.
import type { Random } from './random.js';

export type Country = 'CM' | 'ML';

export interface CountryProfile {
  timeZone: string;
  /** Share of patients enrolled in a mutual health insurance scheme. */
  mutualCoverageRate: number;
  mutualSchemes: readonly { name: string; code: string }[];
  /** Months (1–12) of the rainy, high malaria transmission season. */
  rainyMonths: readonly number[];
}

export const COUNTRY_PROFILES: Record<Country, CountryProfile> = {
  CM: {
    timeZone: 'Africa/Douala', // UTC+01:00 all year
    mutualCoverageRate: 0.06,
    mutualSchemes: [
      { name: 'Mutuelle de Santé Solidarité du Nord-Ouest', code: 'MSSNO' },
      { name: 'Mutuelle Communautaire de Santé de la Mefou', code: 'MCSM' },
      { name: 'Mutuelle de Santé Famille Unie', code: 'MSFU' },
      { name: 'Mutuelle de Santé des Hauts Plateaux', code: 'MSHP' },
    ],
    rainyMonths: [3, 4, 5, 6, 7, 8, 9, 10, 11],
  },
  ML: {
    timeZone: 'Africa/Bamako', // UTC+00:00 all year
    mutualCoverageRate: 0.2,
    mutualSchemes: [
      { name: 'Mutuelle Benkadi', code: 'BENKADI' },
      { name: 'Mutuelle de Santé Jigiya', code: 'JIGIYA' },
      { name: 'Mutuelle Danaya Kènèya', code: 'DANAYA' },
      { name: 'Mutuelle Sabati', code: 'SABATI' },
      { name: 'Mutuelle des Femmes Musow Ka Kènèya', code: 'MUSOW' },
    ],
    rainyMonths: [6, 7, 8, 9, 10],
  },
};

const MOBILE_PREFIXES: Record<Country, readonly string[]> = {
  CM: ['650', '651', '670', '671', '672', '677', '678', '680', '690', '691', '694', '697', '699', '620'],
  ML: ['65', '66', '67', '70', '73', '76', '77', '79', '90', '91', '92', '98'],
};

function digitPairs(random: Random, pairs: number): string {
  return Array.from({ length: pairs }, () => String(random.int(0, 99)).padStart(2, '0')).join(' ');
}

/** A mobile number in international format: +237 6XX XX XX XX (Cameroon) or +223 XX XX XX XX (Mali). */
export function phoneNumber(random: Random, country: Country): string {
  const prefix = random.pick(MOBILE_PREFIXES[country]);
  return country === 'CM' ? `+237 ${prefix} ${digitPairs(random, 3)}` : `+223 ${prefix} ${digitPairs(random, 3)}`;
}

/** Whether a calendar date (YYYY-MM-DD) falls in the country's rainy season. */
export function isRainySeason(country: Country, date: string): boolean {
  return COUNTRY_PROFILES[country].rainyMonths.includes(Number(date.slice(5, 7)));
}
