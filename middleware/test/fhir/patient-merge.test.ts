// What this source owns on a shared Patient, slot by slot (fhir/patient-merge.ts): it adds what it sends,
// replaces or removes only the values it put there itself, and never touches anything another source set.
import { describe, expect, it } from '@jest/globals';
import type { Patient } from '@medplum/fhirtypes';
import { mergePatient, slotsOf } from '../../src/fhir/patient-merge.js';

const SMC = 'https://smc-bridge.org/fhir/sid/patient/smc-platform/smc-patient';
const CNI = 'https://id.example.cm/cni';

const ours = (extra: Partial<Patient> = {}): Patient => ({
  resourceType: 'Patient',
  identifier: [{ use: 'usual', system: SMC, value: 'P-1' }, { use: 'usual', system: CNI, value: '123' }],
  active: true,
  name: [{ use: 'official', family: 'Ngo', given: ['Mireille'], text: 'Mireille Ngo' }],
  gender: 'female',
  birthDate: '2000-03-14',
  telecom: [{ system: 'phone', use: 'mobile', value: '+237 600' }],
  address: [{ use: 'home', city: 'Dschang' }],
  ...extra,
});

const registry: Patient = {
  resourceType: 'Patient',
  id: 'p1',
  meta: { versionId: '4' },
  identifier: [{ system: CNI, value: '123' }, { system: 'https://mpi', value: 'M-9' }],
  name: [{ use: 'official', family: 'NGO', given: ['Mireille'] }],
  telecom: [{ system: 'email', value: 'm@example.cm' }],
  address: [{ use: 'work', city: 'Bafoussam' }],
  link: [{ other: { reference: 'Patient/p0' }, type: 'replaces' }],
  birthDate: '2000-03-15',
};

describe('merging into a copy another source made', () => {
  it('adds what it sends beside what is there, keeps every value it did not put there, and owns only what it added', () => {
    const { patient, owned, changed } = mergePatient(registry, ours());
    expect(changed).toBe(true);
    expect(patient.identifier?.map((i) => `${i.system}|${i.value}`)).toEqual([`${CNI}|123`, 'https://mpi|M-9', `${SMC}|P-1`]);
    expect(patient.telecom).toEqual([{ system: 'email', value: 'm@example.cm' }, { system: 'phone', use: 'mobile', value: '+237 600' }]);
    expect(patient.address).toEqual([{ use: 'work', city: 'Bafoussam' }, { use: 'home', city: 'Dschang' }]);
    // The registry's official name and birth date stand; gender was unset, so ours is taken.
    expect(patient.name).toEqual(registry.name);
    expect([patient.birthDate, patient.gender, patient.link, patient.meta]).toEqual(['2000-03-15', 'female', registry.link, undefined]);
    // The national identifier was the registry's: never owned, so never removable by this source.
    expect(owned.identifiers).toEqual([`${SMC}|P-1`]);
    expect(Object.keys(owned.names)).toEqual([]);
  });

  it('replaces a value it put there, removes one it put there and no longer sends, and leaves the registry alone', () => {
    const first = mergePatient(registry, ours());
    const server: Patient = { ...first.patient, id: 'p1', meta: { versionId: '5' } };
    const { patient } = mergePatient(server, ours({ telecom: [{ system: 'phone', use: 'mobile', value: '+237 699' }], identifier: [{ use: 'usual', system: CNI, value: '123' }], address: undefined }), first.owned);
    expect(patient.telecom).toEqual([{ system: 'email', value: 'm@example.cm' }, { system: 'phone', use: 'mobile', value: '+237 699' }]);
    // The smc identifier this source added and no longer sends goes; the CNI it still sends was never its.
    expect(patient.identifier?.map((i) => i.system)).toEqual([CNI, 'https://mpi']);
    expect(patient.address).toEqual([{ use: 'work', city: 'Bafoussam' }]);
  });

  it('a value another source changed after this source wrote it is theirs from then on', () => {
    const first = mergePatient(registry, ours());
    const edited: Patient = { ...first.patient, telecom: [{ system: 'email', value: 'm@example.cm' }, { system: 'phone', use: 'mobile', value: '+237 611 (registry)' }] };
    const { patient } = mergePatient(edited, ours({ telecom: [{ system: 'phone', use: 'mobile', value: '+237 699' }] }), first.owned);
    expect(patient.telecom).toEqual(edited.telecom);
  });

  it('changes nothing when the server already says what this source says', () => {
    const created: Patient = { ...ours(), id: 'p2', meta: { versionId: '1' } };
    expect(mergePatient(created, ours(), slotsOf(ours())).changed).toBe(false);
  });

  it('on a Patient this source created, it owns and may correct everything it sent', () => {
    const created: Patient = { ...ours(), id: 'p2' };
    const { patient } = mergePatient(created, ours({ name: [{ use: 'official', family: 'Ngo Bassa', given: ['Mireille'] }], birthDate: '2000-03-16' }), slotsOf(ours()));
    expect([patient.name?.[0]?.family, patient.birthDate]).toEqual(['Ngo Bassa', '2000-03-16']);
  });
});
