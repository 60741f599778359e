// The shared shape of one encounter being made up: the context it happens in (facility, date, season) and
// the clinical content each encounter type contributes before generate.ts wraps it into a contract record.
import type { Encounter } from '@smc-bridge/contract';
import type { Facility, PractitionerRole } from './facilities.js';
import type { Person } from './people.js';
import type { Random } from './random.js';
import type { FacilityRegister } from './register.js';

export interface Visit {
  random: Random;
  facility: Facility;
  register: FacilityRegister;
  /** Local calendar date of the encounter (YYYY-MM-DD). */
  date: string;
  rainySeason: boolean;
}

export type Diagnosis = NonNullable<Encounter['diagnoses']>[number];
export type Treatment = NonNullable<Encounter['treatments']>[number];
export type Vitals = NonNullable<Encounter['vitals']>;

export type ClinicalSections = Pick<
  Encounter,
  | 'vitals'
  | 'diagnoses'
  | 'treatments'
  | 'anc'
  | 'delivery'
  | 'postnatal'
  | 'malaria'
  | 'immunization'
  | 'familyPlanning'
  | 'referral'
>;

export interface ClinicalRecord extends ClinicalSections {
  person: Person;
  /** Who would see this patient, most suitable first. */
  staffRoles: readonly PractitionerRole[];
}

/** Distinct treatments, in the order first given. */
export function uniqueTreatments(treatments: readonly Treatment[]): Treatment[] {
  return [...new Set(treatments)];
}
