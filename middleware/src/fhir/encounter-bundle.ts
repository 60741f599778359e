// One encounter version → one FHIR R4 transaction Bundle (DESIGN.md §1.2 and §1.5). Pure: the same
// encounter and terminology always give the same Bundle, byte for byte.
//
// Shape (reference/fhir.md "Practical recommendations"):
// - Patient, the facility (Organization) and the practitioner by conditional create
//   (`request.ifNoneExist: identifier=sys|val`, no `Type?` prefix): they exist apart from this encounter, so a
//   resend or a new version finds them and changes nothing. The Patient is matched on every identifier the
//   encounter carries (`identifier=a|1,b|2`, FHIR's OR), so a patient a client registry holds under a national
//   identifier is found, not duplicated. Updating a Patient that exists is the delivery's business
//   (delivery/fhir/patient-sync.ts): it merges what this source owns into the server's copy.
// - Every record of the encounter (Encounter, Observations, Conditions, Immunizations, medicines, referral,
//   delivery, Coverage) by conditional PUT `Type?identifier=sys|val`, with the same identifier in the body,
//   so a new version updates each record in place and a resend is a no-op.
// - fullUrls are urn:uuids derived from the identifiers; entries reference each other by them.
// - Each record is identified by what it is (a diagnosis by its ICD-10 code, a dose by vaccine and dose number,
//   an observation by what it measures, a baby by birth order), never by its position in a list.
// - `status: entered-in-error` marks each record entered-in-error (Condition: verificationStatus).
// Modelling follows WHO SMART ANC and IPS where they fit: multi-coded observation codes (the SMART ANC data
// element added in ANC encounters), lab results with category laboratory and a performer, the ANC reason
// (first or scheduled contact) and contact number on the Encounter, IPTp-SP as SMART ANC's dose-specific
// Immunization, a delivery's babies each with an outcome and sex (and birth weight) focused on the baby, R4
// vital-sign profiles (a blood-pressure panel only with both values). A diagnosis a test confirms (malaria)
// is confirmed only by a positive test, linked as evidence. `meta.profile` names the profile each resource is
// built to meet (none on a record entered in error). Every code comes from the terminology tables.
import type {
  Bundle,
  BundleEntry,
  CodeableConcept,
  Coding,
  Condition,
  Coverage,
  Encounter as FhirEncounter,
  Extension,
  Identifier,
  Immunization,
  ImmunizationProtocolApplied,
  MedicationAdministration,
  MedicationRequest,
  Observation,
  ObservationComponent,
  Organization,
  Patient as FhirPatient,
  Practitioner,
  Procedure,
  Quantity,
  Reference,
  Resource,
  ServiceRequest,
} from '@medplum/fhirtypes';
import { effectiveBirthDate, type Encounter } from '@smc-bridge/contract';
import { isPractice, PRACTICE_REASON } from '../domain/practice.js';
import { anyIdentifierCriteria, fullUrlOf, identifierCriteria, isAbsoluteUri, recordIdentifier, systemUnder } from './record-identity.js';
import type { ConceptEntry, MedicationKey, ObservationKey, Terminology } from './terminology.js';

export type EncounterBundle = { bundle: Bundle; reason?: undefined } | { bundle: null; reason: string };

type SystemValue = Identifier & { system: string; value: string };

/** Entries of one transaction, each with its criteria; refuses a second entry with the same criteria. */
class TransactionEntries {
  readonly entries: BundleEntry[] = [];
  private readonly criteria = new Map<string, string>();

  private add<T extends Resource>(resource: T, identifier: SystemValue, element: string, request: BundleEntry['request']): Reference<T> {
    const key = `${resource.resourceType}?${request?.ifNoneExist ?? identifierCriteria(identifier)}`;
    const earlier = this.criteria.get(key);
    if (earlier !== undefined) {
      throw new Error(`two entries of this Bundle (${earlier} and ${element}) would have the same conditional criteria`);
    }
    this.criteria.set(key, element);
    const fullUrl = fullUrlOf(resource.resourceType, identifier);
    this.entries.push({ fullUrl, resource, request });
    return { reference: fullUrl };
  }

  /** POST with `ifNoneExist`: created once, then found (by any of `matchOn`, FHIR's comma OR, when given). */
  createIfNoneExist<T extends Resource>(resource: T, identifier: SystemValue, element: string, matchOn: readonly SystemValue[] = [identifier]): Reference<T> {
    return this.add(resource, identifier, element, { method: 'POST', url: resource.resourceType, ifNoneExist: anyIdentifierCriteria(matchOn) });
  }

  /** Conditional PUT: created once, then updated in place. */
  upsert<T extends Resource>(resource: T, identifier: SystemValue, element: string): Reference<T> {
    return this.add(resource, identifier, element, { method: 'PUT', url: `${resource.resourceType}?${identifierCriteria(identifier)}` });
  }
}

function concept(entry: ConceptEntry, text?: string): CodeableConcept {
  const coding: Coding[] = entry.coding.map((c) => ({ system: c.system, code: c.code, ...(c.display ? { display: c.display } : {}) }));
  const label = text ?? entry.text;
  return { coding, ...(label ? { text: label } : {}) };
}

function coding(entry: { system: string; code: string; display?: string | undefined }): Coding {
  return { system: entry.system, code: entry.code, ...(entry.display ? { display: entry.display } : {}) };
}

/** A concept with extra codings of the same meaning (the SMART ANC data element, a dose-specific code). */
function withCodings(base: CodeableConcept, extra: readonly { system: string; code: string; display?: string | undefined }[] | undefined): CodeableConcept {
  return extra && extra.length > 0 ? { ...base, coding: [...(base.coding ?? []), ...extra.map(coding)] } : base;
}

/** True when an ICD-10 code is one of `codes` or a subcode of one (B50 covers B50.9). */
export function icdCodeIn(code: string, codes: readonly string[]): boolean {
  return codes.some((listed) => code === listed || code.startsWith(`${listed}.`));
}

/** The birth date a Patient carries, at the precision the data supports, and whether it is an estimate. */
function birthDateOf(patient: Encounter['patient'], occurredAt: string, timeZone: string): { birthDate?: string; estimated: boolean } {
  if (patient.birthDate !== undefined) return { birthDate: patient.birthDate, estimated: patient.birthDateEstimated === true };
  const implied = effectiveBirthDate(patient, occurredAt, timeZone);
  if (implied === undefined || patient.estimatedAge === undefined) return { estimated: false };
  // An age told in years dates the birth to a year; in months or weeks to a month (FHIR date allows YYYY and YYYY-MM).
  const precision = { years: 4, months: 7, weeks: 7, days: 10 }[patient.estimatedAge.unit];
  return { birthDate: implied.slice(0, precision), estimated: true };
}

export interface BundleOptions {
  /**
   * The patient's mutual-insurance Coverage is one per membership, shared by the patient's encounters; the
   * caller, who knows which encounters still assert it, decides what this Bundle says of it: `active` (the
   * default for a live encounter), `withdrawn` (marked entered-in-error: no live encounter asserts it any
   * more) or `omit` (the default for an encounter entered in error: others may still assert it).
   */
  coverage?: 'active' | 'withdrawn' | 'omit';
}

export function encounterToBundle(encounter: Encounter, terminology: Terminology, options: BundleOptions = {}): EncounterBundle {
  if (isPractice(encounter)) return { bundle: null, reason: PRACTICE_REASON };

  const t = terminology;
  const systems = t.identifierSystems;
  const withdrawn = encounter.status === 'entered-in-error';
  const { source, id: encounterId, occurredAt, patient } = encounter;
  const recordedAt = encounter.recordedAt ?? occurredAt;
  const entries = new TransactionEntries();
  const record = (element: string) => recordIdentifier(systems.record, source, encounterId, element);

  // Patient: identified by the register's own identifiers; conditional create matching any of them. (The
  // delivery turns it into a merge when the patient exists and this is their most recent encounter.)
  const patientIdentifiers: SystemValue[] = patient.identifiers.map((identifier) => ({
    use: 'usual',
    system: isAbsoluteUri(identifier.system) ? identifier.system : systemUnder(systems.patient, source, identifier.system),
    value: identifier.value,
  }));
  const { birthDate, estimated } = birthDateOf(patient, occurredAt, t.facilities.timeZoneOf(encounter.facility));
  const name = patient.name;
  const fhirPatient: FhirPatient = {
    resourceType: 'Patient',
    identifier: patientIdentifiers,
    active: true,
    ...(name && (name.given || name.family)
      ? {
          name: [
            {
              use: 'official',
              ...(name.family ? { family: name.family } : {}),
              ...(name.given ? { given: [name.given] } : {}),
              text: [name.given, name.family].filter(Boolean).join(' '),
            },
          ],
        }
      : {}),
    gender: patient.sex,
    ...(birthDate !== undefined ? { birthDate } : {}),
    ...(birthDate !== undefined && estimated ? { _birthDate: { extension: [{ url: t.extensions.birthDateEstimated, valueBoolean: true }] } } : {}),
    ...(patient.phone ? { telecom: [{ system: 'phone', value: patient.phone, use: 'mobile' }] } : {}),
    ...(patient.village ? { address: [{ use: 'home', city: patient.village }] } : {}),
  } as FhirPatient;
  const subject = entries.createIfNoneExist(fhirPatient, patientIdentifiers[0] as SystemValue, 'patient', patientIdentifiers);

  // The facility, by its DHIS2 org unit code (through the facility table, as the aggregates do) or uid.
  const facility = encounter.facility;
  const orgUnitCode = facility.code === undefined ? undefined : t.facilities.orgUnitOf(facility.code);
  const facilityIdentifiers: SystemValue[] = [
    ...(orgUnitCode !== undefined ? [{ use: 'official' as const, system: systems.orgUnitCode, value: orgUnitCode }] : []),
    ...(facility.uid !== undefined ? [{ use: 'secondary' as const, system: systems.orgUnitUid, value: facility.uid }] : []),
  ];
  const organization: Organization = {
    resourceType: 'Organization',
    identifier: facilityIdentifiers,
    active: true,
    ...(facility.name ? { name: facility.name } : {}),
  };
  const serviceProvider = entries.createIfNoneExist(organization, facilityIdentifiers[0] as SystemValue, 'facility');

  // The practitioner: a Practitioner when the source gives an id, otherwise the name alone.
  const practitioner = encounter.practitioner;
  let practitionerReference: Reference<Practitioner> | undefined;
  if (practitioner?.id !== undefined) {
    const identifier: SystemValue = { use: 'official', system: systemUnder(systems.practitioner, source), value: practitioner.id };
    practitionerReference = entries.createIfNoneExist(
      { resourceType: 'Practitioner', identifier: [identifier], active: true, ...(practitioner.name ? { name: [{ text: practitioner.name }] } : {}) } as Practitioner,
      identifier,
      'practitioner',
    );
    if (practitioner.name) practitionerReference = { ...practitionerReference, display: practitioner.name };
  } else if (practitioner?.name !== undefined) {
    practitionerReference = { display: practitioner.name };
  }
  const performers: Reference<Practitioner | Organization>[] = [...(practitionerReference ? [practitionerReference] : []), serviceProvider];

  // Records of the encounter. The Encounter's own reference is known before its body: conditions are added later.
  const encounterIdentifier = record('encounter');
  const encounterReference: Reference<FhirEncounter> = { reference: fullUrlOf('Encounter', encounterIdentifier) };
  const conditionReferences: Reference<Condition>[] = [];
  const ancContact: Extension[] = encounter.anc
    ? [{ url: t.extensions.ancContactNumber, valueQuantity: { value: encounter.anc.visitNumber } }]
    : [];
  const antenatal = encounter.type === 'anc' || encounter.anc !== undefined;
  // A record entered in error claims no profile any more (IPS lab results, for one, exclude that status).
  const profiled = (profile: string | undefined): { meta?: { profile: string[] } } => (profile !== undefined && !withdrawn ? { meta: { profile: [profile] } } : {});

  const observationStatus = withdrawn ? 'entered-in-error' : 'final';
  const codeOf = (key: ObservationKey): CodeableConcept => withCodings(concept(t.observations[key].code), antenatal ? t.observations[key].ancCoding : undefined);
  const observation = (key: ObservationKey, element: string, value: Partial<Observation>): Reference<Observation> => {
    const entry = t.observations[key];
    const identifier = record(element);
    return entries.upsert(
      {
        resourceType: 'Observation',
        ...profiled(entry.profile),
        identifier: [identifier],
        status: observationStatus,
        ...(entry.category ? { category: [concept(entry.category)] } : {}),
        code: codeOf(key),
        subject,
        encounter: encounterReference,
        effectiveDateTime: occurredAt,
        performer: performers,
        ...(entry.bodySite ? { bodySite: concept(entry.bodySite) } : {}),
        ...value,
      } as Observation,
      identifier,
      element,
    );
  };
  const quantity = (key: ObservationKey, value: number): Quantity => {
    const unit = t.observations[key].unit;
    return { value, ...(unit ? { unit: unit.unit, system: unit.system, code: unit.code } : {}) };
  };
  const measured = (key: ObservationKey, value: number | undefined): void => {
    if (value !== undefined) observation(key, `observation/${key}`, { valueQuantity: quantity(key, value) });
  };

  const vitals = encounter.vitals ?? {};
  measured('bodyTemperature', vitals.temperatureC);
  measured('bodyWeight', vitals.weightKg);
  measured('bodyHeight', vitals.heightCm);
  // The R4 bp profile makes both components 1..1: the panel only with both values, a single one on its own.
  if (vitals.systolicMmHg !== undefined && vitals.diastolicMmHg !== undefined) {
    const part = (key: 'systolicBloodPressure' | 'diastolicBloodPressure', value: number): ObservationComponent => ({ code: codeOf(key), valueQuantity: quantity(key, value) });
    observation('bloodPressure', 'observation/bloodPressure', {
      component: [part('systolicBloodPressure', vitals.systolicMmHg), part('diastolicBloodPressure', vitals.diastolicMmHg)],
    });
  } else {
    measured('systolicBloodPressure', vitals.systolicMmHg);
    measured('diastolicBloodPressure', vitals.diastolicMmHg);
  }
  measured('heartRate', vitals.pulseBpm);
  measured('respiratoryRate', vitals.respiratoryRate);
  measured('oxygenSaturation', vitals.spo2Percent);
  measured('midUpperArmCircumference', vitals.muacMm);
  measured('gestationalAge', encounter.anc?.gestationalAgeWeeks ?? encounter.delivery?.gestationalAgeWeeks);
  measured('hemoglobin', encounter.anc?.hemoglobinGdl);

  const test = encounter.malaria?.test;
  let testReference: Reference<Observation> | undefined;
  if (test) {
    const result = t.malariaResults[test.result];
    testReference = observation(test.method === 'rdt' ? 'malariaRdt' : 'malariaMicroscopy', 'observation/malariaTest', {
      ...(result.value ? { valueCodeableConcept: concept(result.value) } : {}),
      ...(result.dataAbsentReason ? { dataAbsentReason: concept(result.dataAbsentReason) } : {}),
    });
  }

  // Each baby, by birth order: the outcome (live birth, fresh or macerated stillbirth) with the baby's sex, and
  // the birth weight. Both are SMART ANC observations of the mother (its subject) whose focus is the baby,
  // named by a logical identifier: a newborn Patient is not made here, as the clinic registers the child
  // under its own identifiers at its first visit. The outcome has the weight as a member.
  encounter.delivery?.outcomes.forEach((baby, index) => {
    const babyNumber = index + 1;
    const newborn: Reference = { identifier: record(`newborn/${babyNumber}`), display: `Newborn ${babyNumber} of ${encounter.delivery!.outcomes.length}` };
    const weight =
      baby.birthWeightGrams !== undefined
        ? observation('birthWeight', `observation/birthWeight/${babyNumber}`, { focus: [newborn], valueQuantity: quantity('birthWeight', baby.birthWeightGrams) })
        : undefined;
    observation('birthOutcome', `observation/birthOutcome/${babyNumber}`, {
      focus: [newborn],
      valueCodeableConcept: concept(t.birthOutcomes[baby.outcome]),
      ...(baby.sex ? { component: [{ code: concept(t.observations.newbornSex.code), valueCodeableConcept: { coding: [{ system: t.madx.sex, code: baby.sex }] } }] } : {}),
      ...(weight ? { hasMember: [weight] } : {}),
    });
  });

  const familyPlanning = encounter.familyPlanning;
  if (familyPlanning) {
    observation('contraceptiveMethod', 'observation/contraceptiveMethod', {
      valueCodeableConcept: concept(t.familyPlanningMethods[familyPlanning.method]),
      component: [{ code: concept(t.observations.contraceptiveNewUser.code), valueBoolean: familyPlanning.newUser }],
    });
  }

  // Diagnoses (ICD-10), each identified by its code: dropping or adding another diagnosis leaves it as it is.
  // A diagnosis a parasitological test confirms (malaria) is confirmed only by a positive test and refuted by a
  // negative one, the test linked as evidence; with no test (or an invalid one) it is presumed: provisional.
  const conditions = t.conditions;
  const seenCodes = new Map<string, number>();
  encounter.diagnoses?.forEach((diagnosis) => {
    const seen = (seenCodes.get(diagnosis.code) ?? 0) + 1;
    seenCodes.set(diagnosis.code, seen);
    const element = seen === 1 ? `condition/${diagnosis.code}` : `condition/${diagnosis.code}/${seen}`;
    const identifier = record(element);
    const display = conditions.displays[diagnosis.code];
    const needsTest = icdCodeIn(diagnosis.code, conditions.testConfirmed);
    const tested = needsTest && test !== undefined && test.result !== 'invalid' && testReference !== undefined;
    const verification = withdrawn
      ? conditions.enteredInError
      : !needsTest
        ? conditions.verificationStatus
        : !tested
          ? conditions.provisional
          : test.result === 'positive'
            ? conditions.verificationStatus
            : conditions.refuted;
    const condition: Condition = {
      resourceType: 'Condition',
      identifier: [identifier],
      // con-5: no clinicalStatus when the condition is entered in error; none either once a test refuted it.
      ...(withdrawn || verification === conditions.refuted ? {} : { clinicalStatus: concept(conditions.clinicalStatus) }),
      verificationStatus: concept(verification),
      category: [concept(conditions.category)],
      code: {
        coding: [{ system: conditions.system, code: diagnosis.code, ...(display ? { display } : {}) }],
        ...(diagnosis.text ? { text: diagnosis.text } : {}),
      },
      subject,
      encounter: encounterReference,
      recordedDate: recordedAt,
      ...(practitionerReference?.reference ? { recorder: practitionerReference } : {}),
      ...(tested ? { evidence: [{ detail: [testReference as Reference<Observation>] }] } : {}),
    };
    conditionReferences.push(entries.upsert(condition, identifier, element));
  });

  /** A dose given at this visit, by this facility's practitioner: a vaccine, or SMART ANC's IPTp-SP. */
  const givenImmunization = (identifier: Identifier, vaccineCode: CodeableConcept, protocol: ImmunizationProtocolApplied, profile?: string): Immunization => ({
    resourceType: 'Immunization',
    ...profiled(profile),
    identifier: [identifier],
    status: withdrawn ? 'entered-in-error' : 'completed',
    vaccineCode,
    patient: subject,
    encounter: encounterReference,
    occurrenceDateTime: occurredAt,
    recorded: recordedAt,
    primarySource: true,
    ...(practitionerReference?.reference ? { performer: [{ actor: practitionerReference }] } : {}),
    protocolApplied: [protocol],
  });

  // Vaccines given, one Immunization per dose.
  const seenDoses = new Map<string, number>();
  for (const dose of encounter.immunization?.doses ?? []) {
    const base = `immunization/${dose.vaccine}/${dose.doseNumber}`;
    const seen = (seenDoses.get(base) ?? 0) + 1;
    seenDoses.set(base, seen);
    const element = seen === 1 ? base : `${base}/${seen}`;
    const identifier = record(element);
    const vaccine = t.vaccines[dose.vaccine];
    const immunization = givenImmunization(identifier, concept(vaccine.code), {
      targetDisease: vaccine.targetDisease.map((disease) => concept(disease)),
      // doseNumber is positiveInt or string: the birth dose of OPV (OPV0) is "0".
      ...(dose.doseNumber > 0 ? { doseNumberPositiveInt: dose.doseNumber } : { doseNumberString: String(dose.doseNumber) }),
    });
    entries.upsert(immunization, identifier, element);
  }

  // Medicines: the contract's treatments, the malaria treatment and IPTp-SP, each as its table says. What the
  // contract records was given at the visit: nothing stays "active" (see mappings/fhir/medications.yaml).
  const medicine = (key: MedicationKey, dose?: number): void => {
    const entry = t.medications[key];
    if (entry.resource === 'none' || entry.code === undefined) return;
    const element = entry.resource === 'Immunization' && dose !== undefined ? `immunization/${key}/${dose}` : `medication/${key}`;
    const identifier = record(element);
    const doseKey = dose === undefined ? undefined : String(dose);
    if (entry.resource === 'Immunization') {
      // SMART ANC's IPTp-SP doses: an Immunization whose vaccineCode carries the dose-specific ANC code.
      const immunization = givenImmunization(
        identifier,
        withCodings(concept(entry.code), doseKey === undefined ? undefined : entry.doseCoding?.[doseKey]),
        { targetDisease: (entry.targetDisease ?? []).map((disease) => concept(disease)), ...(dose !== undefined ? { doseNumberPositiveInt: dose } : {}) },
        doseKey === undefined ? undefined : entry.doseProfile?.[doseKey],
      );
      entries.upsert(immunization, identifier, element);
    } else if (entry.resource === 'MedicationAdministration') {
      const administration: MedicationAdministration = {
        resourceType: 'MedicationAdministration',
        identifier: [identifier],
        status: withdrawn ? 'entered-in-error' : 'completed',
        medicationCodeableConcept: concept(entry.code),
        subject,
        context: encounterReference,
        effectiveDateTime: occurredAt,
        ...(practitionerReference?.reference ? { performer: [{ actor: practitionerReference }] } : {}),
      };
      entries.upsert(administration, identifier, element);
    } else {
      // Handed over at the visit: the order was filled there and then, so it is completed, not active.
      const request: MedicationRequest = {
        resourceType: 'MedicationRequest',
        identifier: [identifier],
        status: withdrawn ? 'entered-in-error' : 'completed',
        intent: 'order',
        medicationCodeableConcept: concept(entry.code),
        subject,
        encounter: encounterReference,
        authoredOn: occurredAt,
        ...(practitionerReference?.reference ? { requester: practitionerReference } : {}),
      };
      entries.upsert(request, identifier, element);
    }
  };
  for (const treatment of new Set(encounter.treatments ?? [])) medicine(treatment);
  const malariaTreatment = encounter.malaria?.treatment;
  if (malariaTreatment !== undefined && malariaTreatment !== 'none') medicine(malariaTreatment);
  if (encounter.anc?.iptpDose !== undefined) medicine('iptp_sp', encounter.anc.iptpDose);

  // Delivery mode.
  if (encounter.delivery) {
    const identifier = record('procedure/delivery');
    const procedure: Procedure = {
      resourceType: 'Procedure',
      identifier: [identifier],
      status: withdrawn ? 'entered-in-error' : 'completed',
      code: concept(t.deliveryModes[encounter.delivery.mode]),
      subject,
      encounter: encounterReference,
      performedDateTime: occurredAt,
      ...(practitionerReference?.reference ? { performer: [{ actor: practitionerReference }] } : {}),
    };
    entries.upsert(procedure, identifier, 'procedure/delivery');
  }

  // Referral.
  const referral = encounter.referral;
  if (referral) {
    const identifier = record('service-request/referral');
    const targetCode = referral.target.code === undefined ? undefined : t.facilities.orgUnitOf(referral.target.code);
    const target: Reference<Organization> = {
      ...(targetCode !== undefined ? { identifier: { system: systems.orgUnitCode, value: targetCode } } : {}),
      ...(referral.target.name ? { display: referral.target.name } : {}),
    };
    const serviceRequest: ServiceRequest = {
      resourceType: 'ServiceRequest',
      identifier: [identifier],
      status: withdrawn ? 'entered-in-error' : 'active',
      intent: 'order',
      priority: t.referral.priority[referral.urgency],
      code: concept(t.referral.code),
      subject,
      encounter: encounterReference,
      authoredOn: occurredAt,
      ...(practitionerReference?.reference ? { requester: practitionerReference } : {}),
      performer: [target],
      ...(referral.reason ? { reasonCode: [{ text: referral.reason }] } : {}),
    };
    entries.upsert(serviceRequest, identifier, 'service-request/referral');
  }

  // Mutual-insurance membership: one Coverage per membership (not per encounter), shared by the patient's
  // encounters, so withdrawn only when the caller says no live encounter asserts it any more.
  const membership = patient.coverage;
  const coverageSays = options.coverage ?? (withdrawn ? 'omit' : 'active');
  if (membership && coverageSays !== 'omit') {
    const identifier: SystemValue = { use: 'official', system: systemUnder(systems.insuranceMember, membership.scheme), value: membership.memberId };
    const coverage: Coverage = {
      resourceType: 'Coverage',
      identifier: [identifier],
      status: coverageSays === 'withdrawn' ? 'entered-in-error' : 'active',
      subscriberId: membership.memberId,
      beneficiary: subject,
      payor: [{ identifier: { system: systems.insuranceScheme, value: membership.scheme }, display: membership.scheme }],
      ...(membership.validUntil ? { period: { end: membership.validUntil } } : {}),
    };
    entries.upsert(coverage, identifier, 'coverage');
  }

  const type = t.encounterTypes[encounter.type];
  const newbornCheck = encounter.type === 'postnatal' && encounter.postnatal?.subject === 'newborn';
  const place = encounter.delivery?.place;
  const reason = type.reasonCode && encounter.anc ? (encounter.anc.visitNumber === 1 ? type.reasonCode.first : type.reasonCode.followUp) : undefined;
  const fhirEncounter: FhirEncounter = {
    resourceType: 'Encounter',
    ...profiled(encounter.anc ? type.profile : undefined),
    identifier: [encounterIdentifier],
    ...(ancContact.length > 0 ? { extension: ancContact } : {}),
    status: withdrawn ? 'entered-in-error' : 'finished',
    class: coding((place !== undefined ? type.classByPlace?.[place] : undefined) ?? type.class),
    type: [concept(newbornCheck && type.newbornType ? type.newbornType : type.type)],
    subject,
    ...(practitionerReference
      ? { participant: [{ type: [concept(t.participantType)], individual: practitionerReference }] }
      : {}),
    period: { start: occurredAt },
    ...(reason ? { reasonCode: [concept(reason)] } : {}),
    ...(conditionReferences.length > 0 ? { diagnosis: conditionReferences.map((condition, index) => ({ condition, rank: index + 1 })) } : {}),
    serviceProvider,
  };
  entries.upsert(fhirEncounter, encounterIdentifier, 'encounter');

  // Order for readers: the Encounter right after Patient, facility and practitioner (the server orders by method anyway).
  const all = entries.entries;
  const encounterEntry = all.pop() as BundleEntry;
  const firstRecord = all.findIndex((entry) => entry.request?.method === 'PUT');
  all.splice(firstRecord === -1 ? all.length : firstRecord, 0, encounterEntry);
  return { bundle: { resourceType: 'Bundle', type: 'transaction', entry: all } };
}

/**
 * A record marked entered-in-error, from the copy the server holds: what a newer version no longer carries,
 * or a shared record no live encounter asserts any more. It is never deleted: a reader sees it was withdrawn.
 */
export function withdrawnRecord<T extends Resource>(resource: T, terminology: Terminology): T {
  const { meta: _meta, ...rest } = resource as T & { meta?: unknown };
  const copy = structuredClone(rest) as Record<string, unknown>;
  if (resource.resourceType === 'Condition') {
    // con-5: a condition entered in error has no clinicalStatus.
    delete copy['clinicalStatus'];
    copy['verificationStatus'] = concept(terminology.conditions.enteredInError);
  } else {
    copy['status'] = 'entered-in-error';
  }
  return copy as unknown as T;
}
