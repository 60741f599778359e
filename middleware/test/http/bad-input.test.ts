// Every kind of bad input gets the right 4xx and a message that names the field (or the header) at fault;
// none gets a 500, and nothing accepted before is lost.
import { deflateSync, gzipSync } from 'node:zlib';
import { ancEncounter, withField } from '../support/fixtures.js';
import { startTestService, type TestService } from '../support/service.js';

let api: TestService;
const kept = ancEncounter({ id: 'kept-before-bad-input' });

beforeAll(async () => {
  api = await startTestService('bad-input', { BODY_LIMIT: '64kb' });
  const response = await api.post(kept);
  expect(response.status).toBe(202);
});
afterAll(async () => api.stop());

const valid = ancEncounter({ id: 'bad-input-base' });
const at = (path: (string | number)[], value: unknown) => withField(valid, path, value);

interface BadCase {
  name: string;
  send: () => Promise<Response>;
  status: number;
  /** JSON Pointer the answer must name, in `errors[].path` (problem or per-encounter result). */
  path?: string;
  /** Text the answer's detail or error message must contain. */
  says?: RegExp;
}

const post = (body: unknown, init?: Parameters<TestService['post']>[1]) => () => api.post(body, init);
const raw = (text: string, contentType = 'application/json') => () => api.post(undefined, { raw: text, contentType });

const cases: BadCase[] = [
  // Transport, auth and envelope
  { name: 'no Authorization header', send: post(valid, { key: null }), status: 401, says: /Authorization: Bearer/ },
  { name: 'unknown API key', send: post(valid, { key: 'smc_not-a-key' }), status: 401, says: /not valid/ },
  {
    name: 'Basic instead of Bearer',
    send: () => fetch(`${api.url}/api/v1/encounters`, { method: 'POST', headers: { authorization: 'Basic dTpw', 'content-type': 'application/json' }, body: '{}' }),
    status: 401,
    says: /Bearer/,
  },
  { name: 'text/plain body', send: raw(JSON.stringify(valid), 'text/plain'), status: 415, says: /application\/json/ },
  { name: 'XML body', send: raw('<encounter/>', 'application/xml'), status: 415, says: /application\/xml/ },
  { name: 'no Content-Type', send: post(valid, { contentType: null }), status: 415, says: /application\/json/ },
  { name: 'JSON in Latin-1', send: raw(JSON.stringify(valid), 'application/json; charset=latin1'), status: 415, says: /UTF-8/ },
  {
    name: 'unsupported Content-Encoding',
    send: () =>
      fetch(`${api.url}/api/v1/encounters`, {
        method: 'POST',
        headers: { authorization: `Bearer ${api.key}`, 'content-type': 'application/json', 'content-encoding': 'compress' },
        body: 'xx',
      }),
    status: 415,
    says: /Content-Encoding/,
  },
  { name: 'malformed JSON', send: raw('{"id": "x",'), status: 400, says: /not valid JSON/ },
  { name: 'a bare JSON string', send: raw('"an encounter"'), status: 400, says: /not valid JSON/ },
  { name: 'empty body', send: raw(''), status: 400, says: /empty/ },
  { name: 'a top-level array', send: post([valid]), status: 400, path: '' },
  { name: 'body over BODY_LIMIT', send: post({ encounters: Array.from({ length: 200 }, (_, i) => ({ ...valid, id: `big-${i}` })) }), status: 413, says: /BODY_LIMIT/ },
  { name: 'gzip bomb over BODY_LIMIT', send: () => fetch(`${api.url}/api/v1/encounters`, { method: 'POST', headers: { authorization: `Bearer ${api.key}`, 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(JSON.stringify({ pad: 'x'.repeat(200_000) })) }), status: 413, says: /BODY_LIMIT/ },
  { name: 'batch of 1,001', send: post({ encounters: Array.from({ length: 1001 }, () => ({})) }), status: 413, path: '/encounters' },
  { name: 'encounters not an array', send: post({ encounters: { id: 'x' } }), status: 400, path: '/encounters' },
  { name: 'empty batch', send: post({ encounters: [] }), status: 400, path: '/encounters' },
  { name: 'batch with an extra field', send: post({ encounters: [valid], sentBy: 'tablet-3' }), status: 400, path: '/sentBy' },
  { name: 'GET on the ingest route', send: () => api.get('/api/v1/encounters'), status: 405, says: /POST/ },
  { name: 'status of an unknown encounter', send: () => api.get('/api/v1/encounters/smc-platform/never-posted'), status: 404, says: /never-posted/ },
  { name: 'status without a key', send: () => api.get('/api/v1/encounters/smc-platform/x', null), status: 401, says: /Bearer/ },
  { name: 'unknown route', send: () => api.get('/api/v2/encounters'), status: 404, says: /no route/ },

  // The encounter contract (single encounter: 422 with per-field errors)
  { name: 'schemaVersion missing', send: post(at(['schemaVersion'], undefined)), status: 422, path: '/schemaVersion', says: /required/ },
  { name: 'schemaVersion unsupported', send: post(at(['schemaVersion'], '2.0')), status: 422, path: '/schemaVersion', says: /1\.0/ },
  { name: 'id missing', send: post(at(['id'], undefined)), status: 422, path: '/id', says: /required/ },
  { name: 'id with spaces', send: post(at(['id'], 'enc 1')), status: 422, path: '/id' },
  { name: 'id too long', send: post(at(['id'], 'e'.repeat(65))), status: 422, path: '/id' },
  { name: 'version 0', send: post(at(['version'], 0)), status: 422, path: '/version', says: /1 or more/ },
  { name: 'version 1.5', send: post(at(['version'], 1.5)), status: 422, path: '/version', says: /whole/ },
  { name: 'version as text', send: post(at(['version'], '2')), status: 422, path: '/version', says: /number/ },
  { name: 'source of another system', send: post(at(['source'], 'other-emr')), status: 422, path: '/source', says: /API key/ },
  { name: 'source in capitals', send: post(at(['source'], 'SMC')), status: 422, path: '/source' },
  { name: 'facility missing', send: post(at(['facility'], undefined)), status: 422, path: '/facility', says: /required/ },
  { name: 'facility without code or uid', send: post(at(['facility'], { name: 'CSI Bambui' })), status: 422, path: '/facility', says: /code or uid/ },
  { name: 'facility uid malformed', send: post(at(['facility'], { uid: '123' })), status: 422, path: '/facility/uid', says: /uid/ },
  { name: 'occurredAt without offset', send: post(at(['occurredAt'], '2026-10-02T09:30:00')), status: 422, path: '/occurredAt', says: /offset/ },
  { name: 'occurredAt not a date', send: post(at(['occurredAt'], 'yesterday')), status: 422, path: '/occurredAt' },
  { name: 'occurredAt impossible date', send: post(at(['occurredAt'], '2026-02-30T09:30:00+01:00')), status: 422, path: '/occurredAt' },
  { name: 'occurredAt in the future', send: post(at(['occurredAt'], '2099-01-01T09:30:00+01:00')), status: 422, path: '/occurredAt', says: /future/ },
  { name: 'occurredAt before 2000', send: post(at(['occurredAt'], '1999-12-31T09:30:00+01:00')), status: 422, path: '/occurredAt', says: /2000/ },
  { name: 'recordedAt before occurredAt', send: post(at(['recordedAt'], '2026-10-01T09:30:00+01:00')), status: 422, path: '/recordedAt', says: /before/ },
  { name: 'unknown type', send: post(at(['type'], 'surgery')), status: 422, path: '/type' },
  { name: 'unknown status', send: post(at(['status'], 'deleted')), status: 422, path: '/status' },
  { name: 'misspelt field', send: post(at(['trainig'], true)), status: 422, path: '/trainig', says: /not a field/ },
  { name: 'training not a boolean', send: post(at(['training'], 'yes')), status: 422, path: '/training' },
  { name: 'patient missing', send: post(at(['patient'], undefined)), status: 422, path: '/patient', says: /required/ },
  { name: 'no patient identifier', send: post(at(['patient', 'identifiers'], [])), status: 422, path: '/patient/identifiers' },
  { name: 'identifier without value', send: post(at(['patient', 'identifiers', 0, 'value'], '')), status: 422, path: '/patient/identifiers/0/value' },
  { name: 'unknown sex', send: post(at(['patient', 'sex'], 'F')), status: 422, path: '/patient/sex' },
  { name: 'birth date not a date', send: post(at(['patient', 'birthDate'], '11/04/1999')), status: 422, path: '/patient/birthDate', says: /YYYY-MM-DD/ },
  { name: 'birth date after the encounter', send: post(at(['patient', 'birthDate'], '2026-10-03')), status: 422, path: '/patient/birthDate', says: /after the encounter/ },
  { name: 'birth date and estimated age both', send: post(at(['patient', 'estimatedAge'], { value: 27, unit: 'years' })), status: 422, path: '/patient/estimatedAge', says: /not both/ },
  { name: 'no birth date nor estimated age', send: post(at(['patient', 'birthDate'], undefined)), status: 422, path: '/patient/birthDate', says: /required/ },
  { name: 'age over 120', send: post({ ...at(['patient', 'birthDate'], '1890-01-01'), type: 'consultation', anc: undefined }), status: 422, path: '/patient/birthDate', says: /120/ },
  { name: 'maternal age 8', send: post(at(['patient', 'birthDate'], '2018-01-01')), status: 422, path: '/patient/birthDate', says: /maternal age/ },
  { name: 'ANC for a male patient', send: post(at(['patient', 'sex'], 'male')), status: 422, path: '/patient/sex', says: /female/ },
  { name: 'phone with letters', send: post(at(['patient', 'phone'], 'call me')), status: 422, path: '/patient/phone' },
  { name: 'unknown patient field', send: post(at(['patient', 'nickname'], 'Mimi')), status: 422, path: '/patient/nickname', says: /not a field/ },
  { name: 'ANC section missing', send: post(at(['anc'], undefined)), status: 422, path: '/anc', says: /required for an encounter of type "anc"/ },
  { name: 'gestational age 3 weeks', send: post(at(['anc', 'gestationalAgeWeeks'], 3)), status: 422, path: '/anc/gestationalAgeWeeks', says: /4–45/ },
  { name: 'gestational age 46 weeks', send: post(at(['anc', 'gestationalAgeWeeks'], 46)), status: 422, path: '/anc/gestationalAgeWeeks', says: /4–45/ },
  { name: 'temperature 50 °C', send: post(at(['vitals', 'temperatureC'], 50)), status: 422, path: '/vitals/temperatureC', says: /°C/ },
  { name: 'diastolic above systolic', send: post(at(['vitals', 'diastolicMmHg'], 130)), status: 422, path: '/vitals/diastolicMmHg', says: /systolic/ },
  { name: 'haemoglobin 40 g/dL', send: post(at(['anc', 'hemoglobinGdl'], 40)), status: 422, path: '/anc/hemoglobinGdl' },
  { name: 'ICD-10 code malformed', send: post(at(['diagnoses'], [{ code: 'malaria' }])), status: 422, path: '/diagnoses/0/code', says: /ICD-10/ },
  { name: 'delivery without outcomes', send: post({ ...valid, type: 'delivery', anc: undefined, delivery: { mode: 'normal', place: 'facility', outcomes: [] } }), status: 422, path: '/delivery/outcomes' },
  { name: 'unknown vaccine', send: post({ ...valid, type: 'immunization', anc: undefined, immunization: { doses: [{ vaccine: 'polio-x', doseNumber: 1 }] } }), status: 422, path: '/immunization/doses/0/vaccine' },
  { name: 'malaria test not suspected', send: post({ ...valid, type: 'malaria', anc: undefined, malaria: { suspected: false, test: { method: 'rdt', result: 'positive' } } }), status: 422, path: '/malaria/suspected' },
  { name: 'unknown FP method', send: post({ ...valid, type: 'family_planning', anc: undefined, familyPlanning: { method: 'magic', newUser: true } }), status: 422, path: '/familyPlanning/method' },
  { name: 'referral without urgency', send: post({ ...valid, type: 'referral', anc: undefined, referral: { target: 'CM_NW_BAM_HD001' } }), status: 422, path: '/referral/urgency', says: /required/ },
  // Found by outside fuzzing: each was accepted and could never be delivered, or answered 500.
  { name: 'occurredAt with 31 fractional digits', send: post(at(['occurredAt'], `2026-10-02T09:30:00.${'1'.repeat(31)}+01:00`)), status: 422, path: '/occurredAt', says: /9 fractional digits/ },
  { name: 'occurredAt with 10 fractional digits', send: post(at(['occurredAt'], '2026-10-02T09:30:00.1234567890+01:00')), status: 422, path: '/occurredAt', says: /9 fractional digits/ },
  { name: 'occurredAt with a +15:00 offset', send: post(at(['occurredAt'], '2026-10-02T09:30:00+15:00')), status: 422, path: '/occurredAt', says: /14:00/ },
  { name: 'occurredAt with a -14:30 offset', send: post(at(['occurredAt'], '2026-10-02T09:30:00-14:30')), status: 422, path: '/occurredAt', says: /14:00/ },
  { name: 'occurredAt without seconds', send: post(at(['occurredAt'], '2026-10-02T09:30+01:00')), status: 422, path: '/occurredAt', says: /seconds/ },
  { name: 'NUL in a name', send: post(at(['patient', 'name', 'family'], 'Tra\u0000oré')), status: 422, path: '/patient/name/family', says: /control characters/ },
  { name: 'escape character in a village', send: post(at(['patient', 'village'], 'Bambui\u001b[31m')), status: 422, path: '/patient/village', says: /control characters/ },
  { name: 'lone surrogate in a diagnosis text', send: post(at(['diagnoses'], [{ code: 'B54', text: 'paludisme \ud800' }])), status: 422, path: '/diagnoses/0/text', says: /invalid Unicode/ },
  { name: 'coverage valid until year 0000', send: post(at(['patient', 'coverage'], { scheme: 'MUTUELLE-BAM', memberId: 'M-1', validUntil: '0000-01-01' })), status: 422, path: '/patient/coverage/validUntil', says: /1800 and 2999/ },
  {
    name: 'corrupt gzip body',
    send: () => fetch(`${api.url}/api/v1/encounters`, { method: 'POST', headers: { authorization: `Bearer ${api.key}`, 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: Buffer.from('1f8b0800000000000003abcabb', 'hex') }),
    status: 400,
    says: /gzip/,
  },
  {
    name: 'truncated deflate body',
    send: () => fetch(`${api.url}/api/v1/encounters`, { method: 'POST', headers: { authorization: `Bearer ${api.key}`, 'content-type': 'application/json', 'content-encoding': 'deflate' }, body: deflateSync(JSON.stringify(valid)).subarray(0, 40) }),
    status: 400,
    says: /deflate/,
  },
  { name: 'bad percent-encoding in a path', send: () => api.get('/api/v1/encounters/smc-platform/%ZZ'), status: 400, says: /percent-encoding/ },
  { name: 'bad item inside a batch, its path', send: post({ encounters: [{ ...valid, id: 'batch-bad-1', patient: { ...valid.patient, sex: 'X' } }] }), status: 422, path: '/encounters/0/patient/sex' },
  // Found by outside probing: the first was stored with the bad bytes turned into U+FFFD, the others answered 404 or 415.
  {
    name: 'bytes that are not UTF-8 in a name',
    send: () => {
      const [before, after] = JSON.stringify(at(['patient', 'name', 'given'], 'JoXXhn')).split('XX') as [string, string];
      const body = Buffer.concat([Buffer.from(before), Buffer.from([0xff, 0xfe]), Buffer.from(after)]);
      return fetch(`${api.url}/api/v1/encounters`, { method: 'POST', headers: { authorization: `Bearer ${api.key}`, 'content-type': 'application/json' }, body });
    },
    status: 400,
    says: /not valid UTF-8/,
  },
  { name: 'DELETE on an encounter status', send: () => fetch(`${api.url}/api/v1/encounters/smc-platform/x`, { method: 'DELETE', headers: { authorization: `Bearer ${api.key}` } }), status: 405, says: /GET/ },
  { name: 'PUT on the provenance route', send: () => fetch(`${api.url}/api/v1/provenance`, { method: 'PUT', headers: { authorization: `Bearer ${api.key}` } }), status: 405, says: /GET/ },
];

describe('bad input', () => {
  test('covers at least 50 kinds', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
  });

  test.each(cases)('$name → $status', async ({ send, status, path, says }) => {
    const response = await send();
    const body = (await response.json()) as {
      detail?: string;
      errors?: { path: string; message: string }[];
      results?: { errors?: { path: string; message: string }[] }[];
    };
    expect(response.status).toBe(status);
    const errors = body.errors ?? body.results?.flatMap((result) => result.errors ?? []) ?? [];
    if (path !== undefined) expect(errors.map((error) => error.path)).toContain(path);
    if (says !== undefined) {
      const texts = [body.detail ?? '', ...errors.filter((e) => path === undefined || e.path === path).map((e) => e.message)];
      expect(texts.some((text) => says.test(text))).toBe(true);
    }
    if (status >= 400 && response.headers.get('content-type')?.includes('problem+json')) {
      expect(body.detail).toEqual(expect.any(String));
    }
  });

  test('a quoted charset parameter is the same UTF-8 (RFC 9110 §5.6.6)', async () => {
    const encounter = ancEncounter({ id: 'quoted-charset' });
    const response = await api.post(encounter, { contentType: 'application/json; charset="utf-8"' });
    expect(response.status).toBe(202);
  });

  test('an item with thousands of problems lists 50 of them and says how many more there are', async () => {
    const unknown = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`k${i}`, 1]));
    const response = await api.post({ ...valid, id: 'many-problems', ...unknown });
    expect(response.status).toBe(422);
    const { results } = (await response.json()) as { results: { errors: { path: string; message: string }[] }[] };
    const errors = results[0]!.errors;
    expect(errors).toHaveLength(51);
    expect(errors[0]).toEqual({ path: '/k0', message: 'is not a field of the contract' });
    expect(errors[50]).toEqual({ path: '', message: expect.stringMatching(/^and 2950 more problems/) });
  });

  test('a rejection repeats only the identification a client can match: no null version, no overlong id', async () => {
    const response = await api.post(undefined, { raw: `{"encounters": [${JSON.stringify({ ...valid, id: 'x'.repeat(5000) })}, ${JSON.stringify({ ...valid, id: 'big-version' }).replace('"version":1', '"version":1e400')}]}` });
    expect(response.status).toBe(422);
    const { results } = (await response.json()) as { results: Record<string, unknown>[] };
    expect(results[0]).not.toHaveProperty('id');
    expect(results[1]).toMatchObject({ id: 'big-version' });
    expect(results[1]).not.toHaveProperty('version');
  });

  test('nothing accepted before the bad input is lost, and no request caused a 500', async () => {
    const response = await api.get(`/api/v1/encounters/${kept.source}/${kept.id}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: kept.id, version: 1 });
    expect(api.logs.join('\n')).not.toMatch(/"statusCode":5\d\d/);
  });
});
