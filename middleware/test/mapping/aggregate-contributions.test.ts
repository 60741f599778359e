// What single encounters contribute, cell by cell, with the shipped mappings.
import { fileURLToPath } from 'node:url';
import type { Encounter } from '@smc-bridge/contract';
import { aggregateContributions } from '../../src/mapping/aggregate-contributions.js';
import { PRACTICE_REASON } from '../../src/domain/practice.js';
import { FacilityTable } from '../../src/mapping-files/facility-table.js';
import { loadMappings } from '../../src/mapping/load-mappings.js';
import { ancEncounter } from '../support/fixtures.js';

const mappings = loadMappings(fileURLToPath(new URL('../../../mappings', import.meta.url)));
const cells = (encounter: Encounter) =>
  aggregateContributions(encounter, mappings).contributions.map(
    (c) => `${c.dataSet} ${c.period} ${c.orgUnit} ${c.dataElement}/${c.categoryOptionCombo}/${c.attributeOptionCombo} +${c.value}`,
  );

const child = (overrides: Partial<Encounter>): Encounter => {
  const base = ancEncounter();
  return {
    ...base,
    anc: undefined,
    vitals: undefined,
    type: 'consultation',
    patient: { ...base.patient, sex: 'male', birthDate: '2023-05-01' },
    ...overrides,
  };
};

test('ANC 1st visit before 12 weeks, mother aged 27: age-disaggregated cells of the month, local calendar', () => {
  expect(cells(ancEncounter({ occurredAt: '2026-10-31T23:30:00+01:00' }))).toEqual([
    'SMC_MONTHLY 202610 CM_NW_BAM_CSI001 SMC_ENC/default/SRC_SMC_BRIDGE +1',
    'SMC_MONTHLY 202610 CM_NW_BAM_CSI001 RMNCAH_ANC1/RMN_20PLUS/SRC_SMC_BRIDGE +1',
    'SMC_MONTHLY 202610 CM_NW_BAM_CSI001 RMNCAH_ANC1B12W/RMN_20PLUS/SRC_SMC_BRIDGE +1',
  ]);
});

test('a facility delivery of twins by caesarean counts one delivery and two live births', () => {
  const base = ancEncounter();
  const delivery: Encounter = {
    ...base,
    type: 'delivery',
    anc: undefined,
    patient: { ...base.patient, birthDate: '2009-03-01' },
    delivery: { mode: 'caesarean', place: 'facility', outcomes: [{ outcome: 'live_birth' }, { outcome: 'live_birth' }] },
  };
  expect(cells(delivery)).toEqual([
    'SMC_MONTHLY 202610 CM_NW_BAM_CSI001 SMC_ENC/default/SRC_SMC_BRIDGE +1',
    'SMC_MONTHLY 202610 CM_NW_BAM_CSI001 RMNCAH_DLV_HF_AGE/RMN_15_19Y/SRC_SMC_BRIDGE +1',
    'SMC_MONTHLY 202610 CM_NW_BAM_CSI001 RMNCAH_DLV_HF_CS/RMN_15_19Y/SRC_SMC_BRIDGE +1',
    'SMC_MONTHLY 202610 CM_NW_BAM_CSI001 RMNCAH_LIVE_BIRTH_HF/default/SRC_SMC_BRIDGE +2',
  ]);
});

test('a 3-year-old boy positive by RDT and treated with ACT, monthly and weekly', () => {
  const malaria = child({ type: 'malaria', malaria: { suspected: true, test: { method: 'rdt', result: 'positive' }, treatment: 'act' } });
  expect(cells(malaria)).toEqual([
    'SMC_MONTHLY 202610 CM_NW_BAM_CSI001 SMC_ENC/default/SRC_SMC_BRIDGE +1',
    'SMC_MONTHLY 202610 CM_NW_BAM_CSI001 MAL_SUSP_MAL_CASES/MAL_0_4Y/SRC_SMC_BRIDGE +1',
    'SMC_MONTHLY 202610 CM_NW_BAM_CSI001 MAL_CASES_PRES_CONF/MAL_0_4Y/SRC_SMC_BRIDGE +1',
    'SMC_MONTHLY 202610 CM_NW_BAM_CSI001 MAL_CASES_TEST_RDT/MAL_0_4Y_M/SRC_SMC_BRIDGE +1',
    'SMC_MONTHLY 202610 CM_NW_BAM_CSI001 MAL_CASES_POS_RDT/MAL_0_4Y_M/SRC_SMC_BRIDGE +1',
    'SMC_MONTHLY 202610 CM_NW_BAM_CSI001 MAL_CONFIRMED_TREATED_ACT/default/SRC_SMC_BRIDGE +1',
    'SMC_MONTHLY 202610 CM_NW_BAM_CSI001 MAL_ACTS_COURS_RECV_BY_PATIENTS/default/SRC_SMC_BRIDGE +1',
    'SMC_MONTHLY 202610 CM_NW_BAM_CSI001 MAL_CASES_TREAT_ANY_ANTIMAL/default/SRC_SMC_BRIDGE +1',
    'SMC_MONTHLY 202610 CM_NW_BAM_CSI001 GEN_ALL-CAUSE_OPD_CASES/MAL_0_4Y/SRC_SMC_BRIDGE +1',
    'SMC_WEEKLY 2026W40 CM_NW_BAM_CSI001 SMC_MAL_TESTED_W/default/SRC_SMC_BRIDGE +1',
    'SMC_WEEKLY 2026W40 CM_NW_BAM_CSI001 SMC_MAL_CONFIRMED_W/default/SRC_SMC_BRIDGE +1',
  ]);
});

test('child pneumonia treated with amoxicillin counts; the same diagnosis in an adult does not', () => {
  const pneumonia = { diagnoses: [{ code: 'J18.9' }], treatments: ['amoxicillin' as const] };
  expect(cells(child(pneumonia))).toEqual(
    expect.arrayContaining([
      'SMC_MONTHLY 202610 CM_NW_BAM_CSI001 RMNCAH_CWPNE/CH_0_4Y/SRC_SMC_BRIDGE +1',
      'SMC_MONTHLY 202610 CM_NW_BAM_CSI001 RMNCAH_CRTPN_AMOX_TAB/CH_0_4Y/SRC_SMC_BRIDGE +1',
    ]),
  );
  const adult = child({ ...pneumonia, patient: { ...child({}).patient, birthDate: '1980-01-01' } });
  expect(cells(adult).filter((cell) => cell.includes('RMNCAH_C'))).toEqual([]);
});

test('immunization: doses by age, Td by pregnancy', () => {
  const base = child({ type: 'immunization', immunization: { doses: [{ vaccine: 'penta', doseNumber: 3 }, { vaccine: 'mr', doseNumber: 1 }] } });
  expect(cells({ ...base, patient: { ...base.patient, birthDate: '2026-01-15' } })).toEqual([
    'SMC_MONTHLY 202610 CM_NW_BAM_CSI001 SMC_ENC/default/SRC_SMC_BRIDGE +1',
    'SMC_MONTHLY 202610 CM_NW_BAM_CSI001 EPI_DPT-HEPB-HIB3_GIVEN/EPI_LT1Y/SRC_SMC_BRIDGE +1',
    'SMC_MONTHLY 202610 CM_NW_BAM_CSI001 EPI_MR1_GIVEN/EPI_LT1Y/SRC_SMC_BRIDGE +1',
  ]);
  const td: Encounter = { ...ancEncounter(), type: 'immunization', anc: undefined, immunization: { doses: [{ vaccine: 'td', doseNumber: 2 }], pregnant: true } };
  expect(cells(td)).toEqual([
    'SMC_MONTHLY 202610 CM_NW_BAM_CSI001 SMC_ENC/default/SRC_SMC_BRIDGE +1',
    'SMC_MONTHLY 202610 CM_NW_BAM_CSI001 EPI_TT2_GIVEN/EPI_PREG/SRC_SMC_BRIDGE +1',
  ]);
});

test('family planning first-time user by age and sex, and by method', () => {
  const fp: Encounter = { ...ancEncounter(), type: 'family_planning', anc: undefined, familyPlanning: { method: 'female_condom', newUser: true } };
  expect(cells(fp)).toEqual([
    'SMC_MONTHLY 202610 CM_NW_BAM_CSI001 SMC_ENC/default/SRC_SMC_BRIDGE +1',
    'SMC_MONTHLY 202610 CM_NW_BAM_CSI001 RMNCAH_C1U/RMN_20PLUS_F/SRC_SMC_BRIDGE +1',
    'SMC_MONTHLY 202610 CM_NW_BAM_CSI001 RMNCAH_C1U_Method/FP_C/SRC_SMC_BRIDGE +1',
  ]);
  expect(cells({ ...fp, familyPlanning: { method: 'pill', newUser: false } }).filter((cell) => cell.includes('RMNCAH_C'))).toEqual([]);
});

test('training and entered-in-error encounters contribute nothing, and say why', () => {
  expect(aggregateContributions(ancEncounter({ training: true }), mappings)).toEqual({ contributions: [], unplaced: [], excluded: PRACTICE_REASON });
  expect(aggregateContributions(ancEncounter({ status: 'entered-in-error' }), mappings).excluded).toBe('entered in error');
});

test('a patient of unknown sex is reported as unplaced for sex-disaggregated cells, and still counted elsewhere', () => {
  const malaria = child({ type: 'malaria', patient: { ...child({}).patient, sex: 'unknown' }, malaria: { suspected: true, test: { method: 'rdt', result: 'negative' } } });
  const result = aggregateContributions(malaria, mappings);
  expect(result.unplaced).toEqual([{ rule: 'malaria-tested-rdt', reason: 'sex "unknown" fits no option of category SEX' }]);
  expect(result.contributions.map((c) => c.dataElement)).toContain('MAL_SUSP_MAL_CASES');
});

test('the facility table translates facility codes to org unit codes', () => {
  const facilities = new FacilityTable({ defaultTimeZone: 'Africa/Douala', timeZonesByCodePrefix: {}, facilities: { CM_NW_BAM_CSI001: { orgUnit: 'OU_CM_1234' } } });
  expect(aggregateContributions(ancEncounter(), { ...mappings, facilities }).contributions[0]?.orgUnit).toBe('OU_CM_1234');
});

describe("periods and ages follow the facility's time zone, not the offset the timestamp carries", () => {
  // 23:30 UTC on 31 October is 00:30 on 1 November in Douala (UTC+1), and still 23:30 on 31 October in Bamako (UTC+0).
  const douala = (overrides: Partial<Encounter> = {}) => ancEncounter({ occurredAt: '2026-10-31T23:30:00Z', ...overrides });
  const periodsOf = (encounter: Encounter) => [...new Set(aggregateContributions(encounter, mappings).contributions.map((c) => c.period))].sort();

  test('a Douala encounter sent in UTC late on 31 October counts in November and in its local ISO week', () => {
    expect(periodsOf(douala())).toEqual(['202611']);
  });

  test('ISO weeks too: 23:30 UTC on Sunday 1 November is Monday in Douala (week 45) and still Sunday in Bamako (week 44)', () => {
    const malaria = (code: string) =>
      douala({ occurredAt: '2026-11-01T23:30:00Z', facility: { code }, type: 'malaria', anc: undefined, patient: { ...ancEncounter().patient, birthDate: '1990-01-01' }, malaria: { suspected: true, test: { method: 'rdt', result: 'positive' }, treatment: 'act' } });
    expect(periodsOf(malaria('CM_NW_BAM_CSI001'))).toEqual(['202611', '2026W45']);
    expect(periodsOf(malaria('ML_SIK_KAD_CSCOM01'))).toEqual(['202611', '2026W44']);
  });

  test('the same instant sent with another offset counts the same', () => {
    expect(periodsOf(douala({ occurredAt: '2026-11-01T00:30:00+01:00' }))).toEqual(['202611']);
    expect(periodsOf(douala({ occurredAt: '2026-10-31T18:30:00-05:00' }))).toEqual(['202611']);
  });

  test('a Mali facility counts the same instant in October', () => {
    expect(periodsOf(douala({ facility: { code: 'ML_SIK_KAD_CSCOM01' } }))).toEqual(['202610']);
  });

  test('a woman whose 15th birthday is the local day is counted 15-19, not 10-14', () => {
    const birthday = douala({ patient: { ...ancEncounter().patient, birthDate: '2011-11-01' } });
    const anc1 = aggregateContributions(birthday, mappings).contributions.find((c) => c.dataElement === 'RMNCAH_ANC1');
    expect(anc1?.categoryOptionCombo).toBe('RMN_15_19Y');
  });
});

test('every encounter counts once toward SMC_ENC; those of mutual-insurance members also toward SMC_ENC_MUTUAL', () => {
  const base = ancEncounter();
  const insured: Encounter = { ...base, patient: { ...base.patient, coverage: { scheme: 'MUTUELLE-BAM', memberId: 'M-1234' } } };
  const encounterCells = (encounter: Encounter) => cells(encounter).filter((cell) => cell.includes(' SMC_ENC'));
  expect(encounterCells(base)).toEqual(['SMC_MONTHLY 202610 CM_NW_BAM_CSI001 SMC_ENC/default/SRC_SMC_BRIDGE +1']);
  expect(encounterCells(insured)).toEqual([
    'SMC_MONTHLY 202610 CM_NW_BAM_CSI001 SMC_ENC/default/SRC_SMC_BRIDGE +1',
    'SMC_MONTHLY 202610 CM_NW_BAM_CSI001 SMC_ENC_MUTUAL/default/SRC_SMC_BRIDGE +1',
  ]);
});

test('a Td dose given at an antenatal visit counts under Pregnant, without the pregnant flag', () => {
  const td = { doses: [{ vaccine: 'td' as const, doseNumber: 1 }] };
  const tdCells = (encounter: Encounter) => cells(encounter).filter((cell) => cell.includes('EPI_TT'));
  // An ANC visit that also records the Td dose: the ANC section says she is pregnant.
  expect(tdCells(ancEncounter({ immunization: td }))).toEqual(['SMC_MONTHLY 202610 CM_NW_BAM_CSI001 EPI_TT1_GIVEN/EPI_PREG/SRC_SMC_BRIDGE +1']);
  // An immunization encounter that carries the ANC section of the same visit.
  expect(tdCells(ancEncounter({ type: 'immunization', immunization: td }))).toEqual(['SMC_MONTHLY 202610 CM_NW_BAM_CSI001 EPI_TT1_GIVEN/EPI_PREG/SRC_SMC_BRIDGE +1']);
  // An ANC section outweighs a pregnant flag set to false: an antenatal client is pregnant.
  expect(tdCells(ancEncounter({ immunization: { ...td, pregnant: false } }))).toEqual(['SMC_MONTHLY 202610 CM_NW_BAM_CSI001 EPI_TT1_GIVEN/EPI_PREG/SRC_SMC_BRIDGE +1']);
  // Without an ANC section or the flag, a woman's Td dose counts under Other.
  const other: Encounter = { ...ancEncounter(), type: 'immunization', anc: undefined, immunization: td };
  expect(tdCells(other)).toEqual(['SMC_MONTHLY 202610 CM_NW_BAM_CSI001 EPI_TT1_GIVEN/EPI_OTHER/SRC_SMC_BRIDGE +1']);
  expect(aggregateContributions(other, mappings).unplaced).toEqual([]);
});

describe('toolkit elements the contract carries directly', () => {
  const only = (encounter: Encounter, element: string) => cells(encounter).filter((cell) => cell.includes(` ${element}/`));
  const at = (element: string, combo: string, value: number) => `SMC_MONTHLY 202610 CM_NW_BAM_CSI001 ${element}/${combo}/SRC_SMC_BRIDGE +${value}`;
  const delivery = (section: NonNullable<Encounter['delivery']>): Encounter => ({ ...ancEncounter(), type: 'delivery', anc: undefined, delivery: section });

  test('ANC 8th visit: the eighth visit only', () => {
    expect(only(ancEncounter({ anc: { visitNumber: 8, gestationalAgeWeeks: 38 } }), 'RMNCAH_ANC8')).toEqual([at('RMNCAH_ANC8', 'default', 1)]);
    for (const visitNumber of [4, 7, 9]) expect(only(ancEncounter({ anc: { visitNumber, gestationalAgeWeeks: 38 } }), 'RMNCAH_ANC8')).toEqual([]);
  });

  test('an LLIN given at an ANC visit is a net distributed to a pregnant woman', () => {
    expect(only(ancEncounter({ anc: { visitNumber: 1, gestationalAgeWeeks: 14, llinGiven: true } }), 'MAL_LLIN_DISTR_PW')).toEqual([at('MAL_LLIN_DISTR_PW', 'default', 1)]);
    expect(only(ancEncounter({ anc: { visitNumber: 1, gestationalAgeWeeks: 14, llinGiven: false } }), 'MAL_LLIN_DISTR_PW')).toEqual([]);
    expect(only(ancEncounter(), 'MAL_LLIN_DISTR_PW')).toEqual([]);
  });

  test('live births in facility with a documented birth weight: each weighed live-born baby, in facility only', () => {
    const twins = delivery({
      mode: 'normal',
      place: 'facility',
      outcomes: [{ outcome: 'live_birth', birthWeightGrams: 2400 }, { outcome: 'live_birth' }, { outcome: 'fresh_stillbirth', birthWeightGrams: 1900 }],
    });
    expect(only(twins, 'RMNCAH_LIVE_HF_DBW')).toEqual([at('RMNCAH_LIVE_HF_DBW', 'default', 1)]);
    expect(only({ ...twins, delivery: { ...twins.delivery!, place: 'home' } }, 'RMNCAH_LIVE_HF_DBW')).toEqual([]);
  });

  test('pre-term births: babies born alive in facility before 37 completed weeks', () => {
    const born = (gestationalAgeWeeks: number | undefined, outcomes: NonNullable<Encounter['delivery']>['outcomes']) =>
      only(delivery({ mode: 'normal', place: 'facility', ...(gestationalAgeWeeks !== undefined ? { gestationalAgeWeeks } : {}), outcomes }), 'RMNCAH_BIRTH_PreTERM');
    expect(born(34, [{ outcome: 'live_birth' }, { outcome: 'live_birth' }])).toEqual([at('RMNCAH_BIRTH_PreTERM', 'default', 2)]);
    expect(born(36, [{ outcome: 'live_birth' }, { outcome: 'macerated_stillbirth' }])).toEqual([at('RMNCAH_BIRTH_PreTERM', 'default', 1)]);
    expect(born(37, [{ outcome: 'live_birth' }])).toEqual([]);
    expect(born(33, [{ outcome: 'fresh_stillbirth' }])).toEqual([]);
    expect(born(undefined, [{ outcome: 'live_birth' }])).toEqual([]);
  });

  test("births count past the toolkit's threshold of viability: 28 weeks or more, or 1,000 g or more", () => {
    const birthCells = (weeks: number | undefined, outcomes: NonNullable<Encounter['delivery']>['outcomes'], place: 'facility' | 'home' = 'facility') => {
      const encounter = delivery({ mode: 'normal', place, ...(weeks !== undefined ? { gestationalAgeWeeks: weeks } : {}), outcomes });
      return ['RMNCAH_LIVE_BIRTH_HF', 'RMNCAH_LIVE_HF_DBW', 'RMNCAH_BIRTH_PreTERM', 'RMNCAH_SBF', 'RMNCAH_SBM'].flatMap((element) => only(encounter, element));
    };
    // A loss at 22 weeks and 450 g is no birth, live or still; nor a macerated one at 20 weeks and 300 g.
    expect(birthCells(22, [{ outcome: 'live_birth', birthWeightGrams: 450 }])).toEqual([]);
    expect(birthCells(20, [{ outcome: 'macerated_stillbirth', birthWeightGrams: 300 }])).toEqual([]);
    expect(birthCells(22, [{ outcome: 'fresh_stillbirth' }])).toEqual([]);
    expect(birthCells(undefined, [{ outcome: 'live_birth', birthWeightGrams: 800 }])).toEqual([]);
    // Either criterion is enough; with neither recorded the birth counts.
    expect(birthCells(26, [{ outcome: 'live_birth', birthWeightGrams: 1100 }])).toEqual([at('RMNCAH_LIVE_BIRTH_HF', 'default', 1), at('RMNCAH_LIVE_HF_DBW', 'default', 1), at('RMNCAH_BIRTH_PreTERM', 'default', 1)]);
    expect(birthCells(28, [{ outcome: 'live_birth', birthWeightGrams: 900 }])).toEqual([at('RMNCAH_LIVE_BIRTH_HF', 'default', 1), at('RMNCAH_LIVE_HF_DBW', 'default', 1), at('RMNCAH_BIRTH_PreTERM', 'default', 1)]);
    expect(birthCells(undefined, [{ outcome: 'live_birth' }, { outcome: 'fresh_stillbirth' }])).toEqual([at('RMNCAH_LIVE_BIRTH_HF', 'default', 1), at('RMNCAH_SBF', 'default', 1)]);
    expect(birthCells(undefined, [{ outcome: 'macerated_stillbirth', birthWeightGrams: 1200 }])).toEqual([at('RMNCAH_SBM', 'default', 1)]);
    // Twins at 27 weeks: the one of 1,050 g counts, the one of 950 g does not.
    expect(birthCells(27, [{ outcome: 'live_birth', birthWeightGrams: 1050 }, { outcome: 'live_birth', birthWeightGrams: 950 }])).toEqual([
      at('RMNCAH_LIVE_BIRTH_HF', 'default', 1),
      at('RMNCAH_LIVE_HF_DBW', 'default', 1),
      at('RMNCAH_BIRTH_PreTERM', 'default', 1),
    ]);
    // Stillbirths count in facility, as live births do (the toolkit's stillbirth rate is "in facility").
    expect(birthCells(38, [{ outcome: 'macerated_stillbirth' }], 'home')).toEqual([]);
    expect(birthCells(38, [{ outcome: 'macerated_stillbirth' }])).toEqual([at('RMNCAH_SBM', 'default', 1)]);
  });

  test("first-time family planning users by method add up to those by age and sex (the toolkit's check): a client of unknown sex is in neither", () => {
    const client = (sex: Encounter['patient']['sex']): Encounter => ({
      ...ancEncounter(),
      type: 'family_planning',
      anc: undefined,
      patient: { ...ancEncounter().patient, sex },
      familyPlanning: { method: 'pill', newUser: true },
    });
    const firstTime = (encounter: Encounter) => [...only(encounter, 'RMNCAH_C1U'), ...only(encounter, 'RMNCAH_C1U_Method')].length;
    expect(firstTime(client('female'))).toBe(2);
    expect(firstTime(client('unknown'))).toBe(0);
    expect(aggregateContributions(client('unknown'), mappings).unplaced).toEqual([expect.objectContaining({ rule: 'fp-first-time-user' })]);
  });

  test('all-cause outpatient cases: consultations and malaria visits, and any other visit (not ANC) that records a health condition', () => {
    const positive = { suspected: true, test: { method: 'rdt', result: 'positive' }, treatment: 'artesunate_injectable' } as NonNullable<Encounter['malaria']>;
    const opd = (encounter: Encounter) => only(encounter, 'GEN_ALL-CAUSE_OPD_CASES');
    const one = [at('GEN_ALL-CAUSE_OPD_CASES', 'MAL_0_4Y', 1)];
    expect(opd(child({}))).toEqual(one);
    expect(opd(child({ type: 'referral', referral: { target: { code: 'CM_NW_BAM_HD001' }, urgency: 'urgent' }, malaria: positive }))).toEqual(one);
    expect(opd(child({ type: 'immunization', immunization: { doses: [{ vaccine: 'penta', doseNumber: 3 }] }, diagnoses: [{ code: 'J06.9' }] }))).toEqual(one);
    // A visit for a vaccine or a referral alone is no consultation for a health condition.
    expect(opd(child({ type: 'immunization', immunization: { doses: [{ vaccine: 'penta', doseNumber: 3 }] } }))).toEqual([]);
    expect(opd(child({ type: 'referral', referral: { target: { code: 'CM_NW_BAM_HD001' }, urgency: 'urgent' } }))).toEqual([]);
    expect(opd(ancEncounter({ diagnoses: [{ code: 'B54' }] }))).toEqual([]);
  });

  test('acute respiratory illness in children: J00–J22, pneumonia included; not in adults, not other chapters', () => {
    for (const code of ['J00', 'J06.9', 'J09', 'J11.1', 'J18.9', 'J21.0', 'J22']) {
      expect(only(child({ diagnoses: [{ code }] }), 'RMNCAH_CWARI')).toEqual([at('RMNCAH_CWARI', 'CH_0_4Y', 1)]);
    }
    for (const code of ['J23', 'J30.4', 'J45.9', 'A09.9']) expect(only(child({ diagnoses: [{ code }] }), 'RMNCAH_CWARI')).toEqual([]);
    expect(only(child({ diagnoses: [{ code: 'J06.9' }], patient: { ...child({}).patient, birthDate: '1980-01-01' } }), 'RMNCAH_CWARI')).toEqual([]);
    // One child with two respiratory diagnoses counts once.
    expect(only(child({ diagnoses: [{ code: 'J06.9' }, { code: 'J18.9' }] }), 'RMNCAH_CWARI')).toEqual([at('RMNCAH_CWARI', 'CH_0_4Y', 1)]);
  });

  test('child diarrhoea: the WHO leaf codes A09.0 and A09.9 (what SMART ANC maps diarrhoea to), the category A09 of older records, and K52.9', () => {
    for (const code of ['A09.9', 'A09.0', 'A09', 'K52.9']) {
      expect(only(child({ diagnoses: [{ code }] }), 'RMNCAH_CWDIA')).toEqual([at('RMNCAH_CWDIA', 'CH_0_4Y', 1)]);
    }
    for (const code of ['A08.4', 'K52.8', 'A00.9']) expect(only(child({ diagnoses: [{ code }] }), 'RMNCAH_CWDIA')).toEqual([]);
  });
});
