// Encounters for the FHIR tests: one that carries every section the FHIR mapping reads, checked against
// the contract so it stays a legal encounter, and helpers over Bundles.
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import type { Encounter } from '@smc-bridge/contract';
import { validateEncounter } from '@smc-bridge/contract';

export const FHIR_TEST_NOW = new Date('2026-09-30T23:59:59Z');

/** An ANC contact carrying every section the FHIR mapping can turn into a resource. */
export function fullEncounter(overrides: Partial<Encounter> = {}): Encounter {
  const encounter: Encounter = {
    schemaVersion: '1.0',
    id: 'enc-fhir-1',
    version: 1,
    source: 'smc-platform',
    facility: { code: 'CM_LT_EDE_CSI001', uid: 'Ab3456789Cd', name: 'CSI Dschang' },
    occurredAt: '2026-05-27T09:15:00+01:00',
    recordedAt: '2026-05-27T09:40:00+01:00',
    type: 'anc',
    status: 'completed',
    patient: {
      identifiers: [
        { system: 'smc-patient', value: 'CM_LT_EDE_CSI001-000042' },
        { system: 'https://id.example.cm/cni', value: '1234567' },
      ],
      name: { given: 'Mireille', family: 'Ngo Bassa' },
      sex: 'female',
      birthDate: '2000-03-14',
      birthDateEstimated: true,
      phone: '+237 670 11 22 33',
      village: 'Dschang',
      coverage: { scheme: 'Mutuelle de Dschang', memberId: 'MD-0042', validUntil: '2026-12-31' },
    },
    practitioner: { id: 'CM_LT_EDE_CSI001-S2', name: 'Gladys Ndzana', role: 'midwife' },
    vitals: {
      temperatureC: 38.4,
      weightKg: 61.5,
      heightCm: 158,
      systolicMmHg: 118,
      diastolicMmHg: 76,
      pulseBpm: 92,
      respiratoryRate: 20,
      spo2Percent: 98,
      muacMm: 245,
    },
    diagnoses: [
      { code: 'Z34.9', text: 'Supervision of normal pregnancy' },
      { code: 'B50.9', text: 'Plasmodium falciparum malaria' },
    ],
    treatments: ['paracetamol', 'iron_folic_acid', 'other'],
    anc: { visitNumber: 2, gestationalAgeWeeks: 20, iptpDose: 1, hemoglobinGdl: 10.4, llinGiven: true },
    malaria: { suspected: true, test: { method: 'rdt', result: 'positive' }, severe: false, treatment: 'act' },
    immunization: { doses: [{ vaccine: 'td', doseNumber: 2 }], pregnant: true },
    referral: { target: { code: 'CM_LT_EDE_HD', name: 'Hôpital de District de Dschang' }, urgency: 'urgent', reason: 'Anaemia in pregnancy' },
    ...overrides,
  };
  const validation = validateEncounter(encounter, FHIR_TEST_NOW);
  if (!validation.ok) throw new Error(`test encounter breaks the contract: ${JSON.stringify(validation.errors)}`);
  return encounter;
}

/** The conditional criteria of an entry: `POST Type ifNoneExist …` or `PUT Type?…`. */
export function criteriaOf(entry: BundleEntry): string {
  const request = entry.request;
  if (!request) throw new Error('entry without request');
  return request.method === 'POST' ? `${request.url}?${request.ifNoneExist ?? ''}` : request.url;
}

export function resourcesOf(bundle: Bundle): Resource[] {
  return (bundle.entry ?? []).flatMap((entry) => (entry.resource ? [entry.resource] : []));
}

export function ofType<K extends Resource['resourceType']>(bundle: Bundle, resourceType: K): Extract<Resource, { resourceType: K }>[] {
  return resourcesOf(bundle).filter((resource): resource is Extract<Resource, { resourceType: K }> => resource.resourceType === resourceType);
}
