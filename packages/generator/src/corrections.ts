// Later versions of an encounter: a correction of something entered wrongly or completed afterwards (a
// re-measured vital sign, a more precise diagnosis, a lab result or birth weight filled in, the phone
// number), or the whole record withdrawn as entered in error.
import type { Encounter } from '@smc-bridge/contract';
import { phoneNumber, type Country } from './countries.js';
import type { Random } from './random.js';

export type Revision = 'correction' | 'entered-in-error';

/** More specific codes a diagnosis is often corrected to once the clinician has more information. */
const REFINED_DIAGNOSES: Record<string, readonly { code: string; text: string }[]> = {
  'J06.9': [
    { code: 'J02.9', text: 'Acute pharyngitis, unspecified' },
    { code: 'J01.9', text: 'Acute sinusitis, unspecified' },
  ],
  'L08.9': [
    { code: 'L01.0', text: 'Impetigo' },
    { code: 'L02.9', text: 'Cutaneous abscess, unspecified' },
  ],
  'K29.7': [{ code: 'K30', text: 'Functional dyspepsia' }],
  'R50.9': [{ code: 'J06.9', text: 'Acute upper respiratory infection' }],
  'R51': [{ code: 'G44.2', text: 'Tension-type headache' }],
  'M54.5': [{ code: 'M54.4', text: 'Lumbago with sciatica' }],
};

type Fix = (random: Random, encounter: Encounter) => void;

function applicableFixes(encounter: Encounter, country: Country): Fix[] {
  const fixes: Fix[] = [
    (random, revised) => {
      revised.patient.phone = phoneNumber(random, country);
    },
  ];
  const vitals = encounter.vitals;
  if (vitals?.weightKg !== undefined) {
    const weight = vitals.weightKg;
    fixes.push((random, revised) => {
      const corrected = Math.max(0.8, Math.round(weight * random.between(0.9, 1.1) * 10) / 10);
      const changed = corrected === weight ? Math.round((weight + 0.1) * 10) / 10 : corrected;
      (revised.vitals as NonNullable<Encounter['vitals']>).weightKg = changed;
    });
  }
  if (vitals?.temperatureC !== undefined) {
    const temperature = vitals.temperatureC;
    fixes.push((random, revised) => {
      // Re-read 0.1–0.6 °C away (a correction that changed nothing would not be sent).
      const shift = random.int(1, 6) / 10;
      const corrected = temperature + (temperature + shift > 41.5 || random.chance(0.5) ? -shift : shift);
      (revised.vitals as NonNullable<Encounter['vitals']>).temperatureC = Math.round(corrected * 10) / 10;
    });
  }
  if (encounter.diagnoses?.some((diagnosis) => diagnosis.code in REFINED_DIAGNOSES)) {
    fixes.push((random, revised) => {
      revised.diagnoses = (revised.diagnoses ?? []).map((diagnosis) => {
        const refinements = REFINED_DIAGNOSES[diagnosis.code];
        return refinements === undefined ? diagnosis : { ...random.pick(refinements) };
      });
    });
  }
  if (encounter.anc !== undefined && encounter.anc.hemoglobinGdl === undefined) {
    fixes.push((random, revised) => {
      (revised.anc as NonNullable<Encounter['anc']>).hemoglobinGdl = Math.round(random.clampedNormal(11, 1.4, 6, 15.5) * 10) / 10;
    });
  }
  if (encounter.delivery?.outcomes.some((baby) => baby.birthWeightGrams === undefined)) {
    fixes.push((random, revised) => {
      for (const baby of (revised.delivery as NonNullable<Encounter['delivery']>).outcomes) {
        baby.birthWeightGrams ??= Math.round(random.clampedNormal(3000, 450, 1000, 5000) / 10) * 10;
      }
    });
  }
  return fixes;
}

/**
 * The next version of `previous` (which is not modified): same id and occurrence, version + 1, recorded at
 * `recordedAt`.
 */
export function revise(random: Random, previous: Encounter, revision: Revision, country: Country, recordedAt: string): Encounter {
  const revised = structuredClone(previous);
  revised.version = previous.version + 1;
  revised.recordedAt = recordedAt;
  if (revision === 'entered-in-error') revised.status = 'entered-in-error';
  else random.pick(applicableFixes(previous, country))(random, revised);
  return revised;
}
