// encounterToBundle: for every encounter type the generator makes, every resource passes two independent
// validators (Medplum over the R4 definitions, FHIR.js for required bindings); identity is deterministic
// and follows the conditional-request rules; entered-in-error and training behave; and the validators are
// shown to catch broken output.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import type { Bundle, BundleEntry, Condition, Encounter as FhirEncounter, Observation, Resource } from '@medplum/fhirtypes';
import { ENCOUNTER_TYPES, type Encounter } from '@smc-bridge/contract';
import { encounterToBundle } from '../../src/fhir/encounter-bundle.js';
import { loadTerminology, type Terminology } from '../../src/fhir/terminology.js';
import { validateFhirBundle, validateFhirResource, describeIssues } from '../../src/fhir/validate-resources.js';
import { identifierCriteria } from '../../src/fhir/record-identity.js';
import { generateEncounters } from '@smc-bridge/generator';
import { criteriaOf, fullEncounter, ofType, resourcesOf } from '../support/fhir-fixtures.js';

const MAPPINGS = fileURLToPath(new URL('../../../mappings', import.meta.url));
let terminology: Terminology;

beforeAll(() => {
  terminology = loadTerminology(MAPPINGS);
});

function bundleOf(encounter: Encounter): Bundle {
  const result = encounterToBundle(encounter, terminology);
  if (result.bundle === null) throw new Error(`no bundle: ${result.reason}`);
  return result.bundle;
}

/** What each record resource says about being entered in error. */
function withdrawnMark(resource: Resource): string | undefined {
  switch (resource.resourceType) {
    case 'Condition':
      return resource.verificationStatus?.coding?.[0]?.code;
    case 'Patient':
    case 'Organization':
    case 'Practitioner':
    case 'Coverage':
      return undefined;
    default:
      return (resource as { status?: string }).status;
  }
}

describe('every generated encounter', () => {
  const encounters = generateEncounters({ seed: 20260930, facilityCount: 8, encounterCount: 3000, endDate: '2026-09-30' });
  const bundles: { encounter: Encounter; bundle: Bundle }[] = [];
  const skipped: { encounter: Encounter; reason: string }[] = [];

  beforeAll(() => {
    for (const encounter of encounters) {
      const result = encounterToBundle(encounter, terminology);
      if (result.bundle === null) skipped.push({ encounter, reason: result.reason });
      else bundles.push({ encounter, bundle: result.bundle });
    }
  });

  it('covers every encounter type and every optional section the mapping reads', () => {
    const seen = new Set<string>();
    for (const { encounter: e } of bundles) {
      seen.add(`type:${e.type}`);
      if (e.status === 'entered-in-error') seen.add('entered-in-error');
      if (e.patient.coverage) seen.add('coverage');
      if (e.patient.estimatedAge) seen.add('estimatedAge');
      if (e.patient.birthDateEstimated) seen.add('birthDateEstimated');
      if (e.malaria?.test) seen.add(`malaria:${e.malaria.test.method}:${e.malaria.test.result}`);
      if (e.malaria?.treatment) seen.add(`malaria-treatment:${e.malaria.treatment}`);
      if (e.anc?.iptpDose) seen.add('iptp');
      if (e.anc?.hemoglobinGdl) seen.add('hemoglobin');
      if (e.delivery?.outcomes.some((baby) => baby.birthWeightGrams !== undefined)) seen.add('birthWeight');
      if (e.delivery?.gestationalAgeWeeks) seen.add('delivery-gestationalAge');
      for (const dose of e.immunization?.doses ?? []) seen.add(dose.doseNumber === 0 ? 'dose0' : 'dose');
      for (const [key, value] of Object.entries(e.vitals ?? {})) if (value !== undefined) seen.add(`vitals:${key}`);
      if (e.practitioner?.id) seen.add('practitioner');
    }
    const expected = [
      ...ENCOUNTER_TYPES.map((type) => `type:${type}`),
      'entered-in-error', 'coverage', 'estimatedAge', 'birthDateEstimated', 'iptp', 'hemoglobin', 'birthWeight', 'dose0', 'dose', 'practitioner',
      'malaria:rdt:positive', 'malaria:rdt:negative', 'malaria:microscopy:positive', 'malaria:microscopy:negative',
      'malaria-treatment:act', 'malaria-treatment:artesunate_injectable',
      ...['temperatureC', 'weightKg', 'heightCm', 'systolicMmHg', 'diastolicMmHg', 'pulseBpm', 'respiratoryRate', 'spo2Percent', 'muacMm'].map((k) => `vitals:${k}`),
    ];
    expect(expected.filter((key) => !seen.has(key))).toEqual([]);
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped.every(({ encounter, reason }) => encounter.training === true && /training/.test(reason))).toBe(true);
    expect(bundles.every(({ encounter }) => encounter.training !== true)).toBe(true);
  });

  it('gives resources that pass both validators with no error', () => {
    const failures: string[] = [];
    let resources = 0;
    for (const { encounter, bundle } of bundles) {
      resources += bundle.entry?.length ?? 0;
      const issues = validateFhirBundle(bundle);
      if (issues.length > 0 && failures.length < 5) failures.push(`${encounter.type} ${encounter.id}: ${describeIssues(issues)}`);
    }
    expect(failures).toEqual([]);
    expect(resources).toBeGreaterThan(bundles.length * 4);
  });

  it('emits each kind of resource the mapping knows', () => {
    const types = new Set(bundles.flatMap(({ bundle }) => resourcesOf(bundle).map((resource) => resource.resourceType)));
    expect([...types].sort()).toEqual(
      ['Condition', 'Coverage', 'Encounter', 'Immunization', 'MedicationAdministration', 'MedicationRequest', 'Observation', 'Organization', 'Patient', 'Practitioner', 'Procedure', 'ServiceRequest'].sort(),
    );
  });

  it('never puts two entries with the same criteria in one Bundle, and each body carries the identifier its criteria name', () => {
    for (const { bundle } of bundles) {
      const criteria = (bundle.entry ?? []).map(criteriaOf);
      expect(new Set(criteria).size).toBe(criteria.length);
      const fullUrls = (bundle.entry ?? []).map((entry) => entry.fullUrl);
      expect(new Set(fullUrls).size).toBe(fullUrls.length);
      for (const entry of bundle.entry ?? []) {
        const request = entry.request as NonNullable<BundleEntry['request']>;
        expect(entry.fullUrl).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        const identifiers = (entry.resource as { identifier?: { system: string; value: string }[] }).identifier ?? [];
        const named = request.method === 'POST' ? request.ifNoneExist : request.url.slice(request.url.indexOf('?') + 1);
        expect(request.method === 'POST' ? request.ifNoneExist?.startsWith('identifier=') : request.url.startsWith(`${entry.resource?.resourceType}?identifier=`)).toBe(true);
        expect(identifiers.some((identifier) => identifierCriteria(identifier) === named)).toBe(true);
      }
    }
  });

  it('references only entries of the same Bundle (by urn:uuid) or logical identifiers', () => {
    for (const { bundle } of bundles) {
      const fullUrls = new Set((bundle.entry ?? []).map((entry) => entry.fullUrl));
      const references = JSON.stringify(bundle).match(/"reference":"[^"]*"/g) ?? [];
      for (const reference of references) expect(fullUrls.has(reference.slice(13, -1))).toBe(true);
    }
  });

  it('is deterministic: the same encounter gives the same Bundle', () => {
    for (const { encounter, bundle } of bundles.slice(0, 200)) expect(bundleOf(structuredClone(encounter))).toEqual(bundle);
  });
});

describe('one encounter in detail', () => {
  it('models patient, facility, practitioner, encounter and every record', () => {
    const bundle = bundleOf(fullEncounter());
    const entries = bundle.entry ?? [];
    expect(bundle.type).toBe('transaction');
    expect(validateFhirBundle(bundle)).toEqual([]);

    const [patientEntry] = entries;
    expect(patientEntry?.request).toEqual({
      method: 'POST',
      url: 'Patient',
      // Matched on every identifier the encounter carries (FHIR's comma OR), so a patient a registry holds
      // under the national identifier alone is found, not duplicated.
      ifNoneExist: 'identifier=https://smc-bridge.org/fhir/sid/patient/smc-platform/smc-patient|CM_LT_EDE_CSI001-000042,https://id.example.cm/cni|1234567',
    });
    const patient = ofType(bundle, 'Patient')[0];
    expect(patient?.identifier?.map((identifier) => identifier.system)).toEqual([
      'https://smc-bridge.org/fhir/sid/patient/smc-platform/smc-patient',
      'https://id.example.cm/cni',
    ]);
    expect(patient?.birthDate).toBe('2000-03-14');
    expect((patient as { _birthDate?: { extension?: unknown[] } } | undefined)?._birthDate?.extension?.[0]).toEqual({ url: terminology.extensions.birthDateEstimated, valueBoolean: true });
    expect(patient?.telecom?.[0]?.value).toBe('+237 670 11 22 33');

    const encounter = ofType(bundle, 'Encounter')[0] as FhirEncounter;
    const byFullUrl = new Map(entries.map((entry) => [entry.fullUrl, entry.resource]));
    expect(byFullUrl.get(encounter.subject?.reference)?.resourceType).toBe('Patient');
    expect(byFullUrl.get(encounter.serviceProvider?.reference)).toMatchObject({
      resourceType: 'Organization',
      identifier: [{ system: terminology.identifierSystems.orgUnitCode, value: 'CM_LT_EDE_CSI001' }, { value: 'Ab3456789Cd' }],
    });
    expect(byFullUrl.get(encounter.participant?.[0]?.individual?.reference)?.resourceType).toBe('Practitioner');
    expect(encounter.class.code).toBe('AMB');
    expect(encounter.extension?.[0]).toEqual({ url: terminology.extensions.ancContactNumber, valueQuantity: { value: 2 } });
    expect(encounter.diagnosis).toHaveLength(2);

    const observations = ofType(bundle, 'Observation');
    const loinc = (observation: Observation) => observation.code.coding?.find((coding) => coding.system === 'http://loinc.org')?.code;
    expect(observations.map(loinc).sort()).toEqual(
      ['8310-5', '29463-7', '8302-2', '85354-9', '8867-4', '9279-1', '2708-6', '18185-9', '718-7', '76772-3'].sort(),
    );
    const bp = observations.find((observation) => loinc(observation) === '85354-9');
    expect(bp?.component?.map((component) => [component.code.coding?.[0]?.code, component.valueQuantity?.value, component.valueQuantity?.code])).toEqual([
      ['8480-6', 118, 'mm[Hg]'],
      ['8462-4', 76, 'mm[Hg]'],
    ]);
    const rdt = observations.find((observation) => loinc(observation) === '76772-3');
    expect(rdt?.valueCodeableConcept?.coding?.[0]?.code).toBe('10828004');
    expect(rdt?.category?.[0]?.coding?.[0]?.code).toBe('laboratory');

    expect(ofType(bundle, 'Condition').map((condition) => condition.code?.coding?.[0])).toEqual([
      { system: 'http://hl7.org/fhir/sid/icd-10', code: 'Z34.9', display: 'Supervision of normal pregnancy, unspecified' },
      { system: 'http://hl7.org/fhir/sid/icd-10', code: 'B50.9', display: 'Plasmodium falciparum malaria, unspecified' },
    ]);
    const immunization = ofType(bundle, 'Immunization')[0];
    expect(immunization?.vaccineCode.coding?.map((coding) => coding.code)).toEqual(['td', 'J07AM51']);
    expect(ofType(bundle, 'Immunization')[1]?.vaccineCode.coding?.map((coding) => coding.code)).toEqual(['P01BD51', '777371007', 'ANC.B10.DE245']);
    expect(immunization?.protocolApplied?.[0]?.doseNumberPositiveInt).toBe(2);
    const atc = (resource: { medicationCodeableConcept?: { coding?: { code?: string }[] } }) => resource.medicationCodeableConcept?.coding?.[0]?.code;
    expect(ofType(bundle, 'MedicationAdministration').map(atc)).toEqual([]);
    expect(ofType(bundle, 'MedicationRequest').map(atc).sort()).toEqual(['B03AD', 'N02BE01', 'P01BF'].sort());
    expect(ofType(bundle, 'MedicationRequest').map((request) => request.status)).toEqual(['completed', 'completed', 'completed']);
    expect(ofType(bundle, 'ServiceRequest')[0]).toMatchObject({ priority: 'urgent', performer: [{ identifier: { value: 'CM_LT_EDE_HD' } }] });
    expect(ofType(bundle, 'Coverage')[0]).toMatchObject({ status: 'active', subscriberId: 'MD-0042', period: { end: '2026-12-31' } });
  });

  it('dates an estimated age at the precision it was told', () => {
    const told = (estimatedAge: NonNullable<Encounter['patient']['estimatedAge']>) => {
      const base = fullEncounter();
      const { birthDate: _birthDate, birthDateEstimated: _estimated, ...patient } = base.patient;
      return ofType(bundleOf({ ...base, patient: { ...patient, estimatedAge } }), 'Patient')[0];
    };
    expect(told({ value: 30, unit: 'years' })).toMatchObject({ birthDate: '1996', _birthDate: { extension: [{ valueBoolean: true }] } });
    const infant = fullEncounter({ type: 'consultation', anc: undefined, immunization: undefined, patient: { ...fullEncounter().patient, sex: 'male', birthDate: undefined, birthDateEstimated: undefined, estimatedAge: { value: 5, unit: 'months' } } });
    expect(ofType(bundleOf(infant), 'Patient')[0]?.birthDate).toBe('2025-12');
  });

  it('gives a new version the same identifiers, fullUrls and criteria, with the new values', () => {
    const first = bundleOf(fullEncounter());
    const second = bundleOf(fullEncounter({ version: 2, vitals: { ...fullEncounter().vitals, weightKg: 62.5 }, diagnoses: [{ code: 'Z34.9' }, { code: 'B50.9', text: 'Pf malaria, corrected text' }] }));
    const identity = (bundle: Bundle) => (bundle.entry ?? []).map((entry) => [entry.fullUrl, criteriaOf(entry), JSON.stringify((entry.resource as { identifier?: unknown }).identifier)]);
    expect(identity(second)).toEqual(identity(first));
    const weight = (bundle: Bundle) => ofType(bundle, 'Observation').find((o) => o.code.coding?.[0]?.code === '29463-7')?.valueQuantity?.value;
    expect([weight(first), weight(second)]).toEqual([61.5, 62.5]);
  });

  it('marks every record of an entered-in-error version, and leaves patient, facility and practitioner alone', () => {
    const bundle = bundleOf(fullEncounter({ version: 3, status: 'entered-in-error' }));
    expect(validateFhirBundle(bundle)).toEqual([]);
    const marks = resourcesOf(bundle).map((resource) => [resource.resourceType, withdrawnMark(resource)]);
    for (const [resourceType, mark] of marks) {
      if (['Patient', 'Organization', 'Practitioner'].includes(resourceType as string)) expect(mark).toBeUndefined();
      else expect([resourceType, mark]).toEqual([resourceType, 'entered-in-error']);
    }
    expect(ofType(bundle, 'Condition').every((condition) => condition.clinicalStatus === undefined)).toBe(true);
    expect(marks.length).toBeGreaterThan(20);
    // The shared Coverage is not in it: other encounters may still assert the membership.
    const active = bundleOf(fullEncounter());
    expect((bundle.entry ?? []).map(criteriaOf)).toEqual((active.entry ?? []).map(criteriaOf).filter((criteria) => !criteria?.startsWith('Coverage?')));
  });

  it('says what the caller decided of the shared Coverage: active, withdrawn (entered-in-error) or nothing', () => {
    const statusOf = (options: Parameters<typeof encounterToBundle>[2]) => ofType(encounterToBundle(fullEncounter(), terminology, options).bundle as Bundle, 'Coverage').map((c) => c.status);
    expect(statusOf({})).toEqual(['active']);
    expect(statusOf({ coverage: 'withdrawn' })).toEqual(['entered-in-error']);
    expect(statusOf({ coverage: 'omit' })).toEqual([]);
    expect(validateFhirBundle(encounterToBundle(fullEncounter({ status: 'entered-in-error' }), terminology, { coverage: 'withdrawn' }).bundle as Bundle)).toEqual([]);
  });

  it('gives no Bundle for a training encounter, with the reason', () => {
    expect(encounterToBundle(fullEncounter({ training: true }), terminology)).toEqual({ bundle: null, reason: expect.stringMatching(/training/) });
  });

  it('keeps two doses of the same vaccine and dose number apart', () => {
    const bundle = bundleOf(fullEncounter({ immunization: { doses: [{ vaccine: 'td', doseNumber: 2 }, { vaccine: 'td', doseNumber: 2 }] } }));
    const criteria = (bundle.entry ?? []).map(criteriaOf);
    expect(new Set(criteria).size).toBe(criteria.length);
    expect(ofType(bundle, 'Immunization').filter((immunization) => immunization.vaccineCode.coding?.[0]?.code === 'td')).toHaveLength(2);
  });

  it('encodes criteria so identifiers with spaces, "&" or "," stay one value', () => {
    const encounter = fullEncounter({ patient: { ...fullEncounter().patient, identifiers: [{ system: 'carnet de santé', value: 'A&B, 12' }] } });
    const request = bundleOf(encounter).entry?.[0]?.request;
    // The register name is percent-encoded inside the system URI, and the criteria encode that URI again.
    expect(request?.ifNoneExist).toBe('identifier=https://smc-bridge.org/fhir/sid/patient/smc-platform/carnet%2520de%2520sant%25C3%25A9|A%26B%5C%2C%2012');
    expect(new URLSearchParams(request?.ifNoneExist).get('identifier')).toBe('https://smc-bridge.org/fhir/sid/patient/smc-platform/carnet%20de%20sant%C3%A9|A&B\\, 12');
  });
});

describe('the validators can fail', () => {
  const valid = () => structuredClone(bundleOf(fullEncounter()));

  it('catches a code outside a required binding (FHIR.js)', () => {
    const encounter = ofType(valid(), 'Encounter')[0] as FhirEncounter;
    const issues = validateFhirResource({ ...encounter, status: 'done' as FhirEncounter['status'] });
    expect(issues).toEqual([expect.objectContaining({ validator: 'fhir.js', path: 'Encounter.status' })]);
  });

  it('catches a wrong type and a malformed date (Medplum)', () => {
    const observation = ofType(valid(), 'Observation')[0] as Observation;
    const issues = validateFhirResource({ ...observation, effectiveDateTime: '27/05/2026', valueQuantity: { value: '61.5' as unknown as number } });
    expect(issues.filter((issue) => issue.validator === 'medplum').map((issue) => issue.path).sort()).toEqual(
      ['Observation.effective[x]', 'Observation.value[x].value'].sort(),
    );
  });

  it('catches a wrong code in the terminology tables', () => {
    const { facilities, ...tables } = terminology;
    const broken: Terminology = { ...structuredClone(tables), facilities };
    (broken.conditions.verificationStatus.coding[0] as { code: string }).code = 'confirmd';
    const result = encounterToBundle(fullEncounter(), broken);
    const issues = validateFhirBundle(result.bundle as Bundle);
    expect(issues.map((issue) => `${issue.validator} ${issue.path}`)).toEqual(['fhir.js Condition.verificationStatus', 'fhir.js Condition.verificationStatus']);
  });

  it('catches a missing required element and an unknown one (both)', () => {
    const { status: _status, ...noStatus } = ofType(valid(), 'Encounter')[0] as FhirEncounter;
    const issues = validateFhirResource({ ...noStatus, statut: 'finished' } as unknown as Resource);
    expect(new Set(issues.map((issue) => issue.validator))).toEqual(new Set(['medplum', 'fhir.js']));
    expect(issues.some((issue) => /status/.test(issue.path) && issue.validator === 'medplum')).toBe(true);
  });

  it('keeps values out of the description used for logs', () => {
    const observation = ofType(valid(), 'Observation')[0] as Observation;
    const text = describeIssues(validateFhirResource({ ...observation, status: 'finalised' as Observation['status'] }));
    expect(text).toMatch(/Observation.status/);
    expect(text).not.toMatch(/finalised/);
  });
});
