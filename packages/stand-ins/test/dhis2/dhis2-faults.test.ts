// Fault injection: queued and seeded-random faults, what each looks like to a client, and whether the
// request took effect (for retry and idempotency tests of the middleware).
import { startDhis2StandInServer, type Dhis2Fault, type Dhis2StandInServer } from '../../src/dhis2/index.js';
import { ANC_VISITS, BAMBUI, NOW, TOKEN_HEADERS, fixtureMetadata, monthly, newStandIn, post, summaryOf } from './fixture.js';

const payload = monthly([{ dataElement: ANC_VISITS, value: '5' }]);
const cell = { dataElement: ANC_VISITS, period: '202611', orgUnit: BAMBUI };
const dataValueSets = { method: 'POST', path: '/api/dataValueSets' };

test('queued faults are served in order to matching requests, then normal answers resume', () => {
  const standIn = newStandIn();
  standIn.faults.enqueue({ kind: 'status', status: 503, body: 'html' }, { times: 2, match: dataValueSets });
  standIn.faults.enqueue({ kind: 'status', status: 500, body: 'json', message: 'java.lang.NullPointerException' });

  const first = standIn.handle({ method: 'POST', path: '/api/dataValueSets', headers: TOKEN_HEADERS, body: JSON.stringify(payload) });
  expect(first.status).toBe(503);
  expect(first.headers['content-type']).toBe('text/html');
  expect(first.body).toContain('<title>503 Service Unavailable</title>');
  expect(post(standIn, payload).status).toBe(503);

  const third = post(standIn, payload);
  expect(third.status).toBe(500);
  expect(third.body).toEqual({
    httpStatus: 'Internal Server Error',
    httpStatusCode: 500,
    status: 'ERROR',
    message: 'java.lang.NullPointerException',
  });
  expect(standIn.valueOf(cell)).toBeUndefined();

  expect(post(standIn, payload).status).toBe(200);
  expect(standIn.valueOf(cell)).toBe('5');
  expect(standIn.requests.map((r) => [r.status, r.fault])).toEqual([
    [503, 'status'],
    [503, 'status'],
    [500, 'status'],
    [200, undefined],
  ]);
});

test('a fault limited to one path leaves other requests alone', () => {
  const standIn = newStandIn();
  standIn.faults.enqueue({ kind: 'status', status: 502 }, { match: { method: 'POST', path: /dataValueSets$/ } });
  expect(standIn.handle({ method: 'GET', path: '/api/me', headers: TOKEN_HEADERS }).status).toBe(200);
  expect(post(standIn, payload, {}, '/api/41/dataValueSets').status).toBe(502);
});

test('importAborted: 409, status ERROR, "The import process failed: …", nothing imported', () => {
  const standIn = newStandIn();
  standIn.faults.enqueue({ kind: 'importAborted', message: 'ERROR: could not serialize access due to concurrent update' });
  const answer = post(standIn, payload);
  expect(answer.status).toBe(409);
  expect(answer.body).toMatchObject({ httpStatus: 'Conflict', status: 'ERROR', message: 'An error occurred, please check import summary.' });
  expect(summaryOf(answer)).toEqual({
    responseType: 'ImportSummary',
    status: 'ERROR',
    description: 'The import process failed: ERROR: could not serialize access due to concurrent update',
    importCount: { imported: 0, updated: 0, ignored: 0, deleted: 0 },
    conflicts: [],
    rejectedIndexes: [],
  });
  expect(standIn.allValues()).toEqual([]);
});

test('applied: the proxy answers 504 after DHIS2 committed, so a retry finds the value unchanged', () => {
  const standIn = newStandIn();
  standIn.faults.enqueue({ kind: 'status', status: 504, applied: true });
  expect(post(standIn, payload).status).toBe(504);
  expect(standIn.valueOf(cell)).toBe('5');
  expect(summaryOf(post(standIn, payload)).importCount).toEqual({ imported: 0, updated: 0, ignored: 1, deleted: 0 });
});

test('random faults with the same seed fall on the same requests', () => {
  const faults: Dhis2Fault[] = [{ kind: 'status', status: 502 }, { kind: 'importAborted' }];
  const run = (seed: number) => {
    const standIn = newStandIn();
    standIn.faults.setRandom({ seed, probability: 0.3, faults });
    return Array.from({ length: 40 }, () => post(standIn, payload).status);
  };
  const first = run(7);
  expect(run(7)).toEqual(first);
  expect(run(8)).not.toEqual(first);
  const faulted = first.filter((status) => status !== 200).length;
  expect(faulted).toBeGreaterThan(3);
  expect(faulted).toBeLessThan(25);
});

describe('transport faults over HTTP', () => {
  let server: Dhis2StandInServer;
  beforeAll(async () => {
    server = await startDhis2StandInServer({ metadata: fixtureMetadata(), now: () => NOW });
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => server.standIn.reset());

  const send = (signal?: AbortSignal) =>
    fetch(`${server.url}/api/dataValueSets`, { method: 'POST', headers: TOKEN_HEADERS, body: JSON.stringify(payload), signal });

  test('reset: the connection drops without an answer; applied decides whether the value landed', async () => {
    server.standIn.faults.enqueue({ kind: 'reset' });
    await expect(send()).rejects.toThrow();
    expect(server.standIn.valueOf(cell)).toBeUndefined();

    server.standIn.faults.enqueue({ kind: 'reset', applied: true });
    await expect(send()).rejects.toThrow();
    expect(server.standIn.valueOf(cell)).toBe('5');
  });

  test('hang: no answer until the client times out', async () => {
    server.standIn.faults.enqueue({ kind: 'hang' });
    const started = Date.now();
    await expect(send(AbortSignal.timeout(150))).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect((await send()).status).toBe(200);
  });

  test('delay: the normal answer, late; the value is stored before the answer leaves', async () => {
    server.standIn.faults.enqueue({ kind: 'delay', ms: 120 });
    const started = Date.now();
    const pending = send();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(server.standIn.valueOf(cell)).toBe('5');
    const response = await pending;
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });
});
