// Cross-field and clock rules of the encounter contract.
import { CLOCK_SKEW_MS, validateEncounter, type Encounter } from '../src/index.js';
import { ancEncounter } from './fixtures.js';

const now = new Date('2026-11-23T12:00:00Z');
const pathsOf = (input: unknown, at = now) => {
  const result = validateEncounter(input, at);
  return result.ok ? [] : result.errors.map((error) => `${error.path} ${error.message}`);
};

function newbornCheck(overrides: Partial<Encounter> = {}): Encounter {
  const base = ancEncounter();
  return {
    ...base,
    type: 'postnatal',
    anc: undefined,
    vitals: { weightKg: 3.2 },
    patient: { ...base.patient, name: { given: 'Samuel' }, sex: 'male', birthDate: '2026-10-30' },
    postnatal: { daysAfterDelivery: 3, subject: 'newborn' },
    occurredAt: '2026-11-02T10:00:00+01:00',
    ...overrides,
  };
}

test('a baby born and vaccinated just after midnight in Cameroon is not "born in the future"', () => {
  const base = ancEncounter();
  const birthDose: Encounter = {
    ...base,
    type: 'immunization',
    anc: undefined,
    vitals: undefined,
    patient: { ...base.patient, sex: 'male', birthDate: '2026-10-03' },
    occurredAt: '2026-10-03T00:30:00+01:00',
    immunization: { doses: [{ vaccine: 'opv', doseNumber: 0 }] },
  };
  // 23:45 UTC on 2 October is 00:45 on 3 October in Cameroon.
  expect(pathsOf(birthDose, new Date('2026-10-02T23:45:00Z'))).toEqual([]);
});

test('clock skew: up to five minutes ahead is tolerated, more is "in the future"', () => {
  const occurredAt = new Date(now.getTime() + CLOCK_SKEW_MS).toISOString();
  expect(pathsOf(ancEncounter({ occurredAt }))).toEqual([]);
  const later = new Date(now.getTime() + CLOCK_SKEW_MS + 60_000).toISOString();
  expect(pathsOf(ancEncounter({ occurredAt: later }))).toEqual(['/occurredAt is in the future; check the device clock']);
});

test('postnatal checks of newborns are for babies of either sex, within 60 days of birth', () => {
  expect(pathsOf(newbornCheck())).toEqual([]);
  expect(pathsOf(newbornCheck({ patient: { ...newbornCheck().patient, birthDate: '2026-06-01' } }))).toEqual([
    '/patient/birthDate implies a newborn older than 60 days',
  ]);
  expect(pathsOf(newbornCheck({ postnatal: { daysAfterDelivery: 3 } }))).toEqual(
    expect.arrayContaining(['/patient/sex must be female for pregnancy, delivery or postnatal care']),
  );
});

test('the postnatal check of a mother keeps the maternal age rule', () => {
  const mother = newbornCheck({
    patient: { ...ancEncounter().patient, birthDate: '2019-01-01' },
    postnatal: { daysAfterDelivery: 3, subject: 'mother' },
  });
  expect(pathsOf(mother)).toEqual([expect.stringMatching(/^\/patient\/birthDate implies a maternal age of 7 years/)]);
});

test('a family planning client is 10 or older: an 18-month-old is a slip of the birth date', () => {
  const familyPlanning = (birthDate: string): Encounter => ({
    ...ancEncounter(),
    type: 'family_planning',
    anc: undefined,
    patient: { ...ancEncounter().patient, birthDate },
    familyPlanning: { method: 'implant', newUser: true },
  });
  expect(pathsOf(familyPlanning('2025-04-01'))).toEqual(['/patient/birthDate implies a family planning client of 1 years, under 10']);
  expect(pathsOf(familyPlanning('2016-09-01'))).toEqual([]);
});

test('an estimated age stands in for the birth date, and is blamed by its own path', () => {
  const { birthDate: _unused, ...patient } = ancEncounter().patient;
  expect(pathsOf(ancEncounter({ patient: { ...patient, estimatedAge: { value: 24, unit: 'years' } } }))).toEqual([]);
  expect(pathsOf(ancEncounter({ patient: { ...patient, estimatedAge: { value: 130, unit: 'years' } } }))).toEqual([
    '/patient/estimatedAge implies an age over 120 years',
  ]);
});

test('a referral names its target by code or by name', () => {
  const base = ancEncounter();
  const referral = (target: { code?: string; name?: string }) => ({
    ...base,
    type: 'referral',
    anc: undefined,
    referral: { target, urgency: 'urgent', reason: 'Severe malaria' },
  });
  expect(pathsOf(referral({ code: 'CM_NW_BAM_HD001' }))).toEqual([]);
  expect(pathsOf(referral({ name: 'Hôpital de district de Bamenda' }))).toEqual([]);
  expect(pathsOf(referral({}))).toEqual(['/referral/target needs the code or the name of the facility referred to']);
});

test('all errors of one encounter are reported together', () => {
  const errors = pathsOf(ancEncounter({ patient: { ...ancEncounter().patient, sex: 'male' }, vitals: { systolicMmHg: 90, diastolicMmHg: 95 } }));
  expect(errors).toEqual([
    '/patient/sex must be female for pregnancy, delivery or postnatal care',
    '/vitals/diastolicMmHg must be lower than systolicMmHg',
  ]);
});
