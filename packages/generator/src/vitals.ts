// Vital signs that fit the patient: body size for age and sex (around WHO growth medians), fever, fast
// breathing in pneumonia, raised blood pressure, wasting, weight gain in pregnancy.
import { ageInDays, type Person } from './people.js';
import type { Random } from './random.js';
import type { Vitals } from './visit.js';

/** Probability (0–1) that each measurement is taken at this kind of visit. */
export type VitalsProfile = Partial<
  Record<'temperature' | 'weight' | 'height' | 'bloodPressure' | 'pulse' | 'respiratoryRate' | 'spo2' | 'muac', number>
>;

export interface Condition {
  fever?: boolean;
  severe?: boolean;
  pneumonia?: boolean;
  hypertension?: boolean;
  wasting?: boolean;
  gestationalAgeWeeks?: number;
}

// [age in months, median weight kg, median length/height cm], both sexes, birth to 18 years.
const GROWTH: readonly (readonly [number, number, number])[] = [
  [0, 3.3, 49.5], [1, 4.4, 54], [2, 5.4, 58], [3, 6.2, 61], [4, 6.8, 63.5], [6, 7.7, 66.5], [9, 8.7, 71],
  [12, 9.4, 74.5], [18, 10.8, 81], [24, 12, 86.5], [36, 14.1, 95], [48, 16.1, 102.5], [60, 18.2, 109.5],
  [84, 22.5, 121.5], [108, 28, 133], [132, 35, 143.5], [156, 44, 155], [180, 51, 161], [216, 57, 165],
];
const ADULT = { female: { weight: 60, height: 159 }, male: { weight: 66, height: 170 } } as const;
const DAYS_PER_MONTH = 30.4375;

function medianSize(person: Person, months: number): { weight: number; height: number } {
  const last = GROWTH[GROWTH.length - 1] as (typeof GROWTH)[number];
  if (months >= last[0]) return ADULT[person.sex];
  for (let i = 1; i < GROWTH.length; i++) {
    const [upperMonths, upperWeight, upperHeight] = GROWTH[i] as (typeof GROWTH)[number];
    if (months <= upperMonths) {
      const [lowerMonths, lowerWeight, lowerHeight] = GROWTH[i - 1] as (typeof GROWTH)[number];
      const t = (months - lowerMonths) / (upperMonths - lowerMonths);
      return { weight: lowerWeight + t * (upperWeight - lowerWeight), height: lowerHeight + t * (upperHeight - lowerHeight) };
    }
  }
  return ADULT[person.sex];
}

function oneDecimal(value: number): number {
  return Math.round(value * 10) / 10;
}

function restingPulse(months: number): number {
  if (months < 12) return 135;
  if (months < 60) return 115;
  if (months < 144) return 95;
  return 78;
}

function restingBreathing(months: number): number {
  if (months < 2) return 45;
  if (months < 12) return 38;
  if (months < 60) return 28;
  if (months < 144) return 22;
  return 17;
}

/** The measurements this visit takes, or undefined when none were taken. */
export function measureVitals(
  random: Random,
  person: Person,
  date: string,
  profile: VitalsProfile,
  condition: Condition = {},
): Vitals | undefined {
  const months = ageInDays(person, date) / DAYS_PER_MONTH;
  const taken = (measurement: keyof VitalsProfile) => random.chance(profile[measurement] ?? 0);
  const vitals: Vitals = {};

  if (taken('temperature')) {
    vitals.temperatureC = oneDecimal(
      condition.fever
        ? random.clampedNormal(condition.severe ? 39.4 : 38.6, 0.6, 37.6, 41.2)
        : random.clampedNormal(36.8, 0.3, 35.9, 37.4),
    );
  }
  const median = medianSize(person, months);
  if (taken('weight')) {
    let weight = median.weight * person.build * random.clampedNormal(1, 0.03, 0.92, 1.08);
    if (condition.wasting) weight *= 0.8;
    if (condition.gestationalAgeWeeks !== undefined) weight += Math.max(0, condition.gestationalAgeWeeks - 12) * 0.4;
    vitals.weightKg = oneDecimal(Math.max(0.8, weight));
  }
  if (taken('height')) {
    const height = median.height * Math.pow(person.build, 0.25);
    vitals.heightCm = months < 60 ? Math.round(height * 2) / 2 : Math.round(height);
  }
  if (months >= 12 * 12 && taken('bloodPressure')) {
    const raised = condition.hypertension === true;
    const systolic = Math.round(raised ? random.clampedNormal(162, 14, 140, 210) : random.clampedNormal(117, 11, 90, 139));
    const diastolic = Math.round(raised ? random.clampedNormal(100, 8, 90, 130) : random.clampedNormal(75, 7, 55, 89));
    vitals.systolicMmHg = systolic;
    vitals.diastolicMmHg = Math.min(diastolic, systolic - 20);
  }
  if (taken('pulse')) {
    const raised = (condition.fever ? 15 : 0) + (condition.severe ? 15 : 0);
    vitals.pulseBpm = Math.round(random.clampedNormal(restingPulse(months) + raised, 10, 45, 210));
  }
  if (taken('respiratoryRate')) {
    const raised = (condition.pneumonia ? 14 : 0) + (condition.severe ? 6 : 0);
    vitals.respiratoryRate = Math.round(random.clampedNormal(restingBreathing(months) + raised, 3, 10, 90));
  }
  if (taken('spo2')) {
    vitals.spo2Percent = Math.round(
      condition.pneumonia || condition.severe ? random.clampedNormal(93, 2.5, 85, 99) : random.clampedNormal(98, 1, 94, 100),
    );
  }
  // MUAC is screened in children 6–59 months and in pregnant women.
  if (taken('muac')) {
    if (months >= 6 && months < 60) {
      vitals.muacMm = Math.round(condition.wasting ? random.clampedNormal(118, 4, 105, 124) : random.clampedNormal(142, 9, 125, 170));
    } else if (months >= 12 * 12) {
      vitals.muacMm = Math.round(random.clampedNormal(255, 20, 200, 320));
    }
  }
  return Object.keys(vitals).length > 0 ? vitals : undefined;
}
