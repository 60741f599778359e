// Patient data (names, phones, birth dates, identifiers) never reaches a log line, a metric or an API answer
// that is not the patient's own record, not even when an upstream system quotes it back: a FHIR server's
// 412 naming the identifier it matched and the patient it found is scrubbed before it is stored or shown.
import { jest } from '@jest/globals';
import type { Encounter } from '@smc-bridge/contract';
import { startFhirStandInServer, type FhirStandInServer } from '@smc-bridge/stand-ins';
import { ancEncounter } from '../support/fixtures.js';
import { startTestService, type TestService } from '../support/service.js';

jest.setTimeout(60_000);

const SEEDED = {
  identifier: 'P-SEED-7731',
  given: 'Mireille',
  family: 'Ngo Bassa',
  phone: '+237 699 11 22 33',
  birthDate: '1994-02-17',
  village: 'Nkolbisson',
  memberId: 'MUT-88231',
};
const FORBIDDEN = [...Object.values(SEEDED), '237699112233', '699 11 22 33', 'Ngo Bassa'.toUpperCase()];

const seeded: Encounter = ancEncounter({
  id: 'privacy-1',
  patient: {
    identifiers: [{ system: 'smc-patient', value: SEEDED.identifier }],
    name: { given: SEEDED.given, family: SEEDED.family },
    sex: 'female',
    birthDate: SEEDED.birthDate,
    phone: SEEDED.phone,
    village: SEEDED.village,
    coverage: { scheme: 'MUTUELLE-BAM', memberId: SEEDED.memberId },
  },
});

let fhir: FhirStandInServer;
let api: TestService;
beforeAll(async () => {
  fhir = await startFhirStandInServer();
  api = await startTestService('privacy', { FHIR_URL: fhir.baseUrl, FHIR_TIMEOUT_SECONDS: '5' });
});
afterAll(async () => {
  await api.stop();
  await fhir.close();
});

test('a FHIR refusal quoting the patient is stored and shown without any of it, and no log or metric holds it', async () => {
  // As HAPI words a 412, plus what a server might add about the record it matched.
  fhir.standIn.faults.enqueue(
    {
      kind: 'preconditionFailed',
      diagnostics: `HAPI-0958: Failed to UPDATE resource with match URL "Patient?identifier=https://smc-bridge.org/fhir/id/smc-platform/smc-patient|${SEEDED.identifier}" because this search matched 2 resources; candidate ${SEEDED.given} ${SEEDED.family.toUpperCase()}, born ${SEEDED.birthDate}, telecom ${SEEDED.phone}, identifier=${SEEDED.memberId}`,
    },
    { match: { body: /privacy-1/ } },
  );
  expect((await api.post(seeded)).status).toBe(202);

  const statusOf = async (key: string) => (await api.get('/api/v1/encounters/smc-platform/privacy-1', key)).text();
  const deadline = Date.now() + 30_000;
  while (!/"fhir":\{"state":"failed"/.test(await statusOf(api.key)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));

  const answers = {
    'status (clinic)': await statusOf(api.key),
    'status (operator)': await statusOf(api.operatorKey),
    'dead letters': await (await api.get('/api/v1/dead-letters', api.operatorKey)).text(),
    provenance: await (await api.get('/api/v1/provenance?dataElement=RMNCAH_ANC1&period=202610&orgUnit=CM_NW_BAM_CSI001&categoryOptionCombo=RMN_20PLUS', api.operatorKey)).text(),
    metrics: await (await fetch(`${api.url}/metrics`)).text(),
    logs: api.logs.join(''),
  };
  // The refusal itself is there, and still says what went wrong.
  expect(answers['status (clinic)']).toMatch(/"state":"failed".*matched 2 resources/);
  expect(answers['dead letters']).toMatch(/matched 2 resources/);
  for (const [where, text] of Object.entries(answers)) {
    for (const value of FORBIDDEN) expect([where, text.toLowerCase().includes(value.toLowerCase()) ? value : 'absent']).toEqual([where, 'absent']);
  }
});
