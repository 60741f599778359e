// Confirmed and presumed malaria cases, written from the WHO definitions rather than from the rules:
// - confirmed: a parasitological test (RDT or microscopy) found malaria parasites, whatever the treatment;
// - presumed: a suspected case without a parasitological test result (not tested, or an invalid result,
//   which counts as not tested) that the health worker nevertheless took for malaria: treated with an
//   antimalarial or diagnosed as malaria (ICD-10 B50–B54);
// - a negative test rules malaria out: such a patient is neither, even when an ACT was given.
// MAL_CASES_PRES_CONF counts a person once per encounter, by the Age (malaria) bands (0-4, 5-14, 15+ years);
// MAL_PRESUMED_TREATED_ACT counts presumed cases given an ACT (default combo).
import type { Encounter } from '@smc-bridge/contract';
import { generateEncounters } from '@smc-bridge/generator';
import { aggregateContributions } from '../../src/mapping/aggregate-contributions.js';
import { loadMappings } from '../../src/mapping/load-mappings.js';
import { ancEncounter } from '../support/fixtures.js';
import { SHIPPED_MAPPINGS } from '../support/mappings-copy.js';

const mappings = loadMappings(SHIPPED_MAPPINGS);

type Malaria = NonNullable<Encounter['malaria']>;

/** A 3-year-old boy seen for fever on 2 October 2026. */
function feverVisit(malaria: Malaria | undefined, overrides: Partial<Encounter> = {}): Encounter {
  const base = ancEncounter();
  return {
    ...base,
    type: malaria ? 'malaria' : 'consultation',
    anc: undefined,
    vitals: { temperatureC: 38.9 },
    patient: { ...base.patient, sex: 'male', birthDate: '2023-05-01' },
    ...(malaria ? { malaria } : {}),
    ...overrides,
  };
}

/** The cells of the given data elements the encounter adds to, as `element/combo +value`. */
function cellsOf(encounter: Encounter, ...elements: string[]): string[] {
  return aggregateContributions(encounter, mappings)
    .contributions.filter((c) => elements.includes(c.dataElement))
    .map((c) => `${c.dataElement}/${c.categoryOptionCombo} +${c.value}`);
}

const CASES = ['MAL_CASES_PRES_CONF', 'MAL_PRESUMED_TREATED_ACT', 'MAL_CONFIRMED_TREATED_ACT'];
const rdt = (result: 'positive' | 'negative' | 'invalid') => ({ method: 'rdt' as const, result });

test('RDT positive, treated with ACT: a confirmed case, not a presumed one', () => {
  expect(cellsOf(feverVisit({ suspected: true, test: rdt('positive'), treatment: 'act' }), ...CASES)).toEqual([
    'MAL_CASES_PRES_CONF/MAL_0_4Y +1',
    'MAL_CONFIRMED_TREATED_ACT/default +1',
  ]);
});

test('microscopy positive but no antimalarial given (stock-out): still a confirmed case', () => {
  const encounter = feverVisit({ suspected: true, test: { method: 'microscopy', result: 'positive' }, treatment: 'none' });
  expect(cellsOf(encounter, ...CASES)).toEqual(['MAL_CASES_PRES_CONF/MAL_0_4Y +1']);
});

test('suspected, not tested, treated with ACT: a presumed case, counted in both', () => {
  expect(cellsOf(feverVisit({ suspected: true, treatment: 'act' }), ...CASES)).toEqual([
    'MAL_CASES_PRES_CONF/MAL_0_4Y +1',
    'MAL_PRESUMED_TREATED_ACT/default +1',
  ]);
});

test('suspected, RDT negative, given an ACT all the same: neither confirmed nor presumed', () => {
  expect(cellsOf(feverVisit({ suspected: true, test: rdt('negative'), treatment: 'act' }), ...CASES)).toEqual([]);
});

test('a negative test rules malaria out even when the health worker writes a malaria diagnosis', () => {
  const encounter = feverVisit({ suspected: true, test: rdt('negative'), treatment: 'none' }, { diagnoses: [{ code: 'B54' }] });
  expect(cellsOf(encounter, ...CASES)).toEqual([]);
});

test('an invalid RDT result counts as not tested: with an ACT it is a presumed case', () => {
  expect(cellsOf(feverVisit({ suspected: true, test: rdt('invalid'), treatment: 'act' }), ...CASES)).toEqual([
    'MAL_CASES_PRES_CONF/MAL_0_4Y +1',
    'MAL_PRESUMED_TREATED_ACT/default +1',
  ]);
});

test('an invalid result and no antimalarial, no malaria diagnosis: suspected only', () => {
  const encounter = feverVisit({ suspected: true, test: rdt('invalid'), treatment: 'none' });
  expect(cellsOf(encounter, ...CASES, 'MAL_SUSP_MAL_CASES')).toEqual(['MAL_SUSP_MAL_CASES/MAL_0_4Y +1']);
});

test('a consultation diagnosed B54 (clinical malaria) without a test: a presumed case, and a suspected one', () => {
  const encounter = feverVisit(undefined, { diagnoses: [{ code: 'B54', text: 'Malaria, clinical' }] });
  expect(cellsOf(encounter, ...CASES, 'MAL_SUSP_MAL_CASES')).toEqual(['MAL_SUSP_MAL_CASES/MAL_0_4Y +1', 'MAL_CASES_PRES_CONF/MAL_0_4Y +1']);
});

test('any of B50–B54 is a malaria diagnosis; B55 (leishmaniasis) and R50.9 (fever) are not', () => {
  for (const code of ['B50.9', 'B51.9', 'B52.9', 'B53.8', 'B54']) {
    expect(cellsOf(feverVisit(undefined, { diagnoses: [{ code }] }), 'MAL_CASES_PRES_CONF')).toEqual(['MAL_CASES_PRES_CONF/MAL_0_4Y +1']);
  }
  for (const code of ['B55.0', 'R50.9', 'A01.0']) {
    expect(cellsOf(feverVisit(undefined, { diagnoses: [{ code }] }), 'MAL_CASES_PRES_CONF')).toEqual([]);
  }
});

test('suspected, not tested, sent home without an antimalarial or a malaria diagnosis: not a malaria case', () => {
  const encounter = feverVisit({ suspected: true, treatment: 'none' }, { diagnoses: [{ code: 'R50.9' }] });
  expect(cellsOf(encounter, ...CASES)).toEqual([]);
  expect(cellsOf(feverVisit({ suspected: true }), ...CASES)).toEqual([]);
});

test('severe, not tested, injectable artesunate: a presumed case, but not one treated with ACT', () => {
  const encounter = feverVisit({ suspected: true, severe: true, treatment: 'artesunate_injectable' });
  expect(cellsOf(encounter, ...CASES)).toEqual(['MAL_CASES_PRES_CONF/MAL_0_4Y +1']);
});

test('a person counts once per encounter, however many signs of malaria it carries', () => {
  const encounter = feverVisit(
    { suspected: true, test: { method: 'microscopy', result: 'positive' }, treatment: 'act' },
    { diagnoses: [{ code: 'B50.9' }, { code: 'B54' }] },
  );
  expect(cellsOf(encounter, 'MAL_CASES_PRES_CONF')).toEqual(['MAL_CASES_PRES_CONF/MAL_0_4Y +1']);
});

test.each([
  { birthDate: '2021-10-03', band: 'MAL_0_4Y', age: 'the day before the 5th birthday' },
  { birthDate: '2021-10-02', band: 'MAL_5_14Y', age: 'on the 5th birthday' },
  { birthDate: '2011-10-03', band: 'MAL_5_14Y', age: 'the day before the 15th birthday' },
  { birthDate: '2011-10-02', band: 'MAL_15PLUS', age: 'on the 15th birthday' },
  { birthDate: '1950-01-01', band: 'MAL_15PLUS', age: 'at 76' },
])('total malaria cases by the Age (malaria) bands: $band $age', ({ birthDate, band }) => {
  const encounter = feverVisit({ suspected: true, treatment: 'act' });
  const aged = { ...encounter, patient: { ...encounter.patient, birthDate } };
  expect(cellsOf(aged, 'MAL_CASES_PRES_CONF')).toEqual([`MAL_CASES_PRES_CONF/${band} +1`]);
});

test('on generated encounters the WHO toolkit validation rules and identities hold, encounter by encounter', () => {
  const encounters = generateEncounters({ seed: 11, facilityCount: 2, encounterCount: 1500, endDate: '2026-10-31', days: 120 });
  let cases = 0;
  let presumedTreated = 0;
  for (const encounter of encounters) {
    const { contributions } = aggregateContributions(encounter, mappings);
    const count = (element: string) => contributions.filter((c) => c.dataElement === element).reduce((sum, c) => sum + c.value, 0);
    const total = count('MAL_CASES_PRES_CONF');
    cases += total;
    presumedTreated += count('MAL_PRESUMED_TREATED_ACT');
    expect(total).toBeLessThanOrEqual(1);
    // "Outpatient malaria cases (confirmed + presumed) <= Suspected malaria cases" (MAL-BR validation rule).
    expect(total).toBeLessThanOrEqual(count('MAL_SUSP_MAL_CASES'));
    // "Cases treated <= Suspected malaria cases" (MAL-BR validation rule).
    expect(count('MAL_CASES_TREAT_ANY_ANTIMAL')).toBeLessThanOrEqual(count('MAL_SUSP_MAL_CASES'));
    // Confirmed cases are a subset of the total, and ACT-treated cases (confirmed or presumed) of the ACT courses.
    expect(count('MAL_CASES_POS_RDT') + count('MAL_CASES_POS_MICR')).toBeLessThanOrEqual(total);
    expect(count('MAL_CONFIRMED_TREATED_ACT') + count('MAL_PRESUMED_TREATED_ACT')).toBeLessThanOrEqual(count('MAL_ACTS_COURS_RECV_BY_PATIENTS'));
    expect(count('MAL_CASES_TREAT_ANY_ANTIMAL')).toBeLessThanOrEqual(total);
  }
  expect(cases).toBeGreaterThan(100);
  expect(presumedTreated).toBeGreaterThan(0);
});

test('ACT courses received by patients count every ACT given, a case or not; cases treated with any antimalarial count cases only', () => {
  const treated = ['MAL_ACTS_COURS_RECV_BY_PATIENTS', 'MAL_CASES_TREAT_ANY_ANTIMAL'];
  expect(cellsOf(feverVisit({ suspected: true, test: rdt('negative'), treatment: 'act' }), ...treated)).toEqual(['MAL_ACTS_COURS_RECV_BY_PATIENTS/default +1']);
  expect(cellsOf(feverVisit({ suspected: true, test: rdt('positive'), treatment: 'act' }), ...treated)).toEqual([
    'MAL_ACTS_COURS_RECV_BY_PATIENTS/default +1',
    'MAL_CASES_TREAT_ANY_ANTIMAL/default +1',
  ]);
  expect(cellsOf(feverVisit({ suspected: true, severe: true, treatment: 'quinine' }), ...treated)).toEqual(['MAL_CASES_TREAT_ANY_ANTIMAL/default +1']);
  expect(cellsOf(feverVisit({ suspected: true, test: rdt('positive'), treatment: 'none' }), ...treated)).toEqual([]);
});
