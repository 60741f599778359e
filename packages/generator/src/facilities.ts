// Synthetic primary health facilities (Cameroonian CSI/CMA, Malian CSCom) with DHIS2-style org unit codes,
// their clock, the villages they serve, their staff and the district facility they refer patients to.
import type { Encounter } from '@smc-bridge/contract';
import { COUNTRY_PROFILES, type Country } from './countries.js';
import { NAME_BOOKS } from './names.js';
import type { Random } from './random.js';

export type PractitionerRole = NonNullable<NonNullable<Encounter['practitioner']>['role']>;

export interface StaffMember {
  id: string;
  name: string;
  role: PractitionerRole;
}

export interface Facility {
  /** DHIS2 org unit code: country_region_district_type+number, e.g. CM_NW_TUB_CSI001. */
  code: string;
  name: string;
  country: Country;
  /** IANA zone: Africa/Douala (UTC+1) or Africa/Bamako (UTC+0). */
  timeZone: string;
  region: string;
  district: string;
  /** The facility's own village first, then the others in its health area. */
  catchmentVillages: readonly string[];
  /** District hospital (CM) or CSRef (ML) that receives this facility's referrals. */
  referralTarget: { code: string; name: string };
  staff: readonly StaffMember[];
  /** Relative workload: how much of the country's activity this facility sees. */
  activity: number;
}

interface District {
  region: string;
  code: string;
  name: string;
}

const DISTRICTS: Record<Country, readonly District[]> = {
  CM: [
    { region: 'NW', code: 'TUB', name: 'Tubah' },
    { region: 'NW', code: 'BAM', name: 'Bamenda' },
    { region: 'NW', code: 'NDO', name: 'Ndop' },
    { region: 'NW', code: 'KUM', name: 'Kumbo East' },
    { region: 'SW', code: 'BUE', name: 'Buea' },
    { region: 'SW', code: 'TIK', name: 'Tiko' },
    { region: 'SW', code: 'KBA', name: 'Kumba' },
    { region: 'CE', code: 'MFO', name: 'Mfou' },
    { region: 'CE', code: 'OBA', name: 'Obala' },
    { region: 'CE', code: 'MBM', name: 'Mbalmayo' },
    { region: 'OU', code: 'DSC', name: 'Dschang' },
    { region: 'OU', code: 'FOU', name: 'Foumbot' },
    { region: 'LT', code: 'EDE', name: 'Edéa' },
    { region: 'LT', code: 'NKS', name: 'Nkongsamba' },
    { region: 'SU', code: 'EBO', name: 'Ebolowa' },
  ],
  ML: [
    { region: 'SIK', code: 'KAD', name: 'Kadiolo' },
    { region: 'SIK', code: 'KTL', name: 'Koutiala' },
    { region: 'SIK', code: 'BGN', name: 'Bougouni' },
    { region: 'KKR', code: 'KAT', name: 'Kati' },
    { region: 'KKR', code: 'DIO', name: 'Dioïla' },
    { region: 'SEG', code: 'SEG', name: 'Ségou' },
    { region: 'SEG', code: 'SAN', name: 'San' },
    { region: 'KAY', code: 'KIT', name: 'Kita' },
    { region: 'MOP', code: 'BDG', name: 'Bandiagara' },
  ],
};

interface FacilityKind {
  code: string;
  label: string;
}

const FACILITY_KINDS: Record<Country, readonly (readonly [FacilityKind, number])[]> = {
  CM: [
    [{ code: 'CSI', label: 'CSI' }, 85], // Centre de Santé Intégré
    [{ code: 'CMA', label: 'CMA' }, 15], // Centre Médical d'Arrondissement
  ],
  ML: [[{ code: 'CSCOM', label: 'CSCom' }, 1]], // Centre de Santé Communautaire
};

const CAMEROON_SHARE = 0.6;

function referralTargetOf(country: Country, district: District): Facility['referralTarget'] {
  return country === 'CM'
    ? { code: `CM_${district.region}_${district.code}_HD001`, name: `Hôpital de District de ${district.name}` }
    : { code: `ML_${district.region}_${district.code}_CSREF001`, name: `CSRef ${district.name}` };
}

function staffOf(random: Random, country: Country, code: string, kind: FacilityKind): StaffMember[] {
  const roles: PractitionerRole[] = ['nurse'];
  if (random.chance(0.6)) roles.push('nurse');
  if (random.chance(0.75)) roles.push('midwife');
  if (kind.code !== 'CSI' && random.chance(0.7)) roles.push('doctor');
  if (country === 'ML' && random.chance(0.5)) roles.push('chw'); // relais communautaire
  if (country === 'CM' && random.chance(0.2)) roles.push('clinical_officer');
  const names = NAME_BOOKS[country];
  return roles.map((role, index) => {
    const female = role === 'midwife' || random.chance(0.5);
    return {
      id: `${code}-S${index + 1}`,
      name: `${random.pick(female ? names.female : names.male)} ${random.pick(names.family)}`,
      role,
    };
  });
}

/** `count` facilities, about 60 % in Cameroon and 40 % in Mali, with unique codes. */
export function generateFacilities(random: Random, count: number): Facility[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`facility count must be a positive integer, got ${count}`);
  const cameroonCount = Math.max(1, Math.round(count * CAMEROON_SHARE));
  const countries = random.shuffled(
    Array.from({ length: count }, (_, index): Country => (index < cameroonCount ? 'CM' : 'ML')),
  );
  const villageQueues: Record<Country, { order: string[]; next: number }> = {
    CM: { order: random.shuffled(NAME_BOOKS.CM.villages), next: 0 },
    ML: { order: random.shuffled(NAME_BOOKS.ML.villages), next: 0 },
  };
  const numbering = new Map<string, number>();

  return countries.map((country) => {
    const district = random.pick(DISTRICTS[country]);
    const kind = random.weighted(FACILITY_KINDS[country]);
    const prefix = `${country}_${district.region}_${district.code}_${kind.code}`;
    const number = (numbering.get(prefix) ?? 0) + 1;
    numbering.set(prefix, number);
    const code = `${prefix}${String(number).padStart(3, '0')}`;

    // Each facility is named after its own village; once every village has a facility, names get a suffix.
    const queue = villageQueues[country];
    const village = queue.order[queue.next % queue.order.length] as string;
    const round = Math.floor(queue.next / queue.order.length);
    queue.next += 1;
    const others = random.shuffled(NAME_BOOKS[country].villages.filter((name) => name !== village));

    return {
      code,
      name: `${kind.label} ${village}${round > 0 ? ` ${round + 1}` : ''}`,
      country,
      timeZone: COUNTRY_PROFILES[country].timeZone,
      region: district.region,
      district: district.name,
      catchmentVillages: [village, ...others.slice(0, random.int(2, 5))],
      referralTarget: referralTargetOf(country, district),
      staff: staffOf(random, country, code, kind),
      activity: random.between(0.5, 1.8),
    };
  });
}
