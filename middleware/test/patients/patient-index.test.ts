// The patient index over the real Redis: what the DHIS2 app's patient list holds after each kind of version.
import { Redis } from 'ioredis';
import type { Encounter } from '@smc-bridge/contract';
import { facilityKeyOf, PatientIndex, patientKeyOf } from '../../src/patients/patient-index.js';
import { RedisKeys } from '../../src/redis/keys.js';
import { ancEncounter } from '../support/fixtures.js';
import { deleteKeysOf, TEST_REDIS_URL, uniquePrefix } from '../support/redis.js';

const prefix = uniquePrefix('patients');
let redis: Redis;
let index: PatientIndex;
beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL);
  index = new PatientIndex(redis, new RedisKeys(prefix));
});
afterAll(async () => {
  redis.disconnect();
  await deleteKeysOf(prefix);
});

const FACILITY = 'CM_NW_BAM_CSI001';
const record = (...encounters: Encounter[]) => index.record(encounters.map((encounter) => ({ ref: { source: encounter.source, id: encounter.id, version: encounter.version }, encounter })));
const withPatient = (id: string, occurredAt: string, patient: Partial<Encounter['patient']>, overrides: Partial<Encounter> = {}) =>
  ancEncounter({ id, occurredAt, patient: { ...ancEncounter().patient, ...patient }, ...overrides });

test("a patient's entry follows the most recent encounter, whatever order they arrive in", async () => {
  const identifiers = [{ system: 'smc-patient', value: 'P-ORDER-1' }];
  await record(withPatient('order-june', '2026-06-10T10:00:00+01:00', { identifiers, phone: '+237 670 00 00 02' }));
  await record(withPatient('order-april', '2026-04-02T08:30:00+01:00', { identifiers, phone: '+237 670 00 00 03' }));
  const [patient] = (await index.patientsOf(FACILITY, false)).filter((p) => p.identifiers[0]?.value === 'P-ORDER-1');
  expect(patient).toMatchObject({ phone: '+237 670 00 00 02', lastEncounterAt: '2026-06-10T10:00:00+01:00' });
  expect(patient?.encounters.map((e) => e.id)).toEqual(['order-june', 'order-april']);
});

test('a withdrawn version updates its encounter, not the demographics; an older version changes nothing', async () => {
  const identifiers = [{ system: 'smc-patient', value: 'P-WITHDRAWN-1' }];
  await record(withPatient('w-1', '2026-07-01T10:00:00+01:00', { identifiers, village: 'Bambui' }));
  await record(withPatient('w-1', '2026-07-01T10:00:00+01:00', { identifiers, village: 'Wrong village' }, { version: 2, status: 'entered-in-error' }));
  await record(withPatient('w-1', '2026-07-01T10:00:00+01:00', { identifiers, village: 'Old' }, { version: 1 }));
  const [patient] = (await index.patientsOf(FACILITY, false)).filter((p) => p.identifiers[0]?.value === 'P-WITHDRAWN-1');
  expect(patient?.village).toBe('Bambui');
  expect(patient?.encounters).toEqual([expect.objectContaining({ id: 'w-1', version: 2, status: 'entered-in-error' })]);
});

test('practice patients are listed apart and never among the real ones', async () => {
  await record(withPatient('practice-1', '2026-08-01T10:00:00+01:00', { identifiers: [{ system: 'smc-clinic', value: 'PRACTICE-1' }] }, { training: true }));
  const real = await index.patientsOf(FACILITY, false);
  const practice = await index.patientsOf(FACILITY, true);
  expect(real.some((p) => p.identifiers[0]?.value === 'PRACTICE-1')).toBe(false);
  expect(practice.map((p) => p.identifiers[0]?.value)).toEqual(['PRACTICE-1']);
});

test('a correction that moves an encounter to another facility or patient takes it out of where it was', async () => {
  const first = withPatient('mover-1', '2026-09-01T10:00:00+01:00', { identifiers: [{ system: 'smc-patient', value: 'P-MOVE-A' }] });
  await record(first);
  await record({ ...first, version: 2, facility: { code: 'CM_NW_BAM_CSI002' }, patient: { ...first.patient, identifiers: [{ system: 'smc-patient', value: 'P-MOVE-B' }] } });
  const here = (await index.patientsOf(FACILITY, false)).find((p) => p.identifiers[0]?.value === 'P-MOVE-A');
  expect(here?.encounters ?? []).toEqual([]);
  const there = await index.patientsOf('CM_NW_BAM_CSI002', false);
  expect(there.map((p) => [p.identifiers[0]?.value, p.encounters.map((e) => `${e.id}@${e.version}`)])).toEqual([['P-MOVE-B', ['mover-1@2']]]);
});

test('a local register identifier is scoped by source; a URI identifier is the same patient everywhere', () => {
  const local = { patient: { ...ancEncounter().patient, identifiers: [{ system: 'smc-patient', value: 'P-1' }] } };
  expect(patientKeyOf({ source: 'smc-platform', ...local })).not.toBe(patientKeyOf({ source: 'dhis2-app', ...local }));
  const national = { patient: { ...ancEncounter().patient, identifiers: [{ system: 'https://id.example.cm/cni', value: '1234567' }] } };
  expect(patientKeyOf({ source: 'smc-platform', ...national })).toBe(patientKeyOf({ source: 'dhis2-app', ...national }));
  expect(facilityKeyOf({ uid: 'Ab3456789Cd' })).toBe('Ab3456789Cd');
});
