// A large body validated in a worker thread is answered exactly as one validated in the request's thread:
// the same rejections with the same paths, the same stored bodies and hashes, the facility's time zone
// honoured, malformed JSON and an oversized batch refused the same way.
import { FacilityTable } from '../../src/mapping-files/facility-table.js';
import { IN_PLACE_BELOW_BYTES, createBatchValidator, type BatchValidator } from '../../src/ingest/validation-threads.js';
import type { BatchContext } from '../../src/ingest/batch-validation.js';
import { ancEncounter, withField, SOURCE } from '../support/fixtures.js';

// Douala keeps UTC+1 all year: 23:30Z on 31 October is 00:30 on 1 November there.
const facilities = new FacilityTable({ defaultTimeZone: 'UTC', timeZonesByCodePrefix: { CM_: 'Africa/Douala' }, facilities: {} });
const context: BatchContext = { keySource: SOURCE, nowMs: Date.parse('2026-11-02T00:00:00Z'), maxBatch: 1000 };

let inThreads: BatchValidator;
let inPlace: BatchValidator;

beforeAll(() => {
  inThreads = createBatchValidator({ threads: 1, facilities });
  inPlace = createBatchValidator({ threads: 0, facilities });
});

afterAll(async () => {
  await inThreads.close();
  await inPlace.close();
});

/** A batch of `size` encounters with bad ones among them, and one whose validity depends on the facility's zone. */
function mixedBatch(size: number): unknown[] {
  const items: unknown[] = [];
  for (let i = 0; i < size; i++) {
    const encounter = ancEncounter({ id: `thread-${i}`, version: 1 + (i % 3) });
    if (i % 7 === 3) items.push(withField(encounter, ['patient', 'sex'], 'male'));
    else if (i % 11 === 5) items.push(withField(encounter, ['occurredAt'], '2026-10-02T09:30:00.1234567891Z'));
    else if (i % 13 === 6) items.push({ ...encounter, source: 'another-source' });
    else if (i % 17 === 8) items.push('not an encounter');
    else items.push({ ...encounter, patient: { ...encounter.patient, name: { given: '  Aminata  ', family: 'Traoré' } } });
  }
  // Born on the local date of the encounter: valid only on Douala's date, not on UTC's.
  items.push(
    ancEncounter({
      id: 'thread-zone',
      type: 'consultation',
      anc: undefined,
      occurredAt: '2026-10-31T23:30:00Z',
      patient: { identifiers: [{ system: 'smc-patient', value: 'P-9' }], sex: 'female', birthDate: '2026-11-01' },
    }),
  );
  return items;
}

const bytesOf = (body: unknown) => Buffer.from(JSON.stringify(body));

test('a large batch validated in a thread is answered exactly as in place, the facility zone included', async () => {
  const body = bytesOf({ encounters: mixedBatch(400) });
  expect(body.byteLength).toBeGreaterThan(IN_PLACE_BELOW_BYTES);
  const before = inThreads.tasksInThreads();

  const threaded = await inThreads.validate(body, context);
  const local = await inPlace.validate(body, context);

  expect(inThreads.tasksInThreads()).toBe(before + 1);
  expect(threaded).toEqual(local);
  if ('problem' in threaded) throw new Error('the batch was refused as a whole');
  const rejectedCount = threaded.rejected.filter((r) => r !== null).length;
  expect(rejectedCount).toBeGreaterThan(50);
  expect(threaded.valid.length + rejectedCount).toBe(401);
  const zoneDependent = threaded.valid.find((item) => item.id === 'thread-zone');
  expect(zoneDependent).toBeDefined();
  // The stored body is the parsed encounter: trimmed, in schema order.
  expect(JSON.parse(threaded.valid[0]!.body).patient.name.given).toBe('Aminata');
  expect(threaded.rejected.find((r) => r?.id === 'thread-3')?.errors?.[0]?.path).toBe('/encounters/3/patient/sex');
});

test('a large body that is not JSON, or holds too many encounters, is refused from the thread as in place', async () => {
  const cut = bytesOf({ encounters: mixedBatch(300) }).subarray(0, 90_000);
  const tooMany = bytesOf({ encounters: mixedBatch(1000) });
  for (const body of [cut, tooMany]) {
    const threaded = await inThreads.validate(body, context);
    expect(threaded).toEqual(await inPlace.validate(body, context));
    expect('problem' in threaded).toBe(true);
  }
  expect(await inThreads.validate(cut, context)).toMatchObject({ problem: { status: 400, detail: 'the body is not valid JSON' } });
  expect(await inThreads.validate(tooMany, context)).toMatchObject({ problem: { status: 413 } });
});

test('a small body stays in the request thread', async () => {
  const before = inThreads.tasksInThreads();
  const answer = await inThreads.validate(bytesOf(ancEncounter()), context);
  expect(answer).toMatchObject({ valid: [{ id: 'enc-0001' }], batch: false });
  expect(inThreads.tasksInThreads()).toBe(before);
});
