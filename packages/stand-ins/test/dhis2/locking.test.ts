// When a period locks: expiryDays (DataSet.isLocked) and data input periods (DataInputPeriod), on the day
// boundaries dhis2-core uses (reference/dhis2-web-api.md §1.7 "Locking with expiryDays").
import { ANC_VISITS, BAMBUI, DATA_SET, fixtureMetadata, monthly, newStandIn, summaryOf, type Answer } from './fixture.js';

const CLERK_TOKEN = 'd2pat_clerkclerkclerkclerkclerkclerk011982374295';

/** A stand-in at `now` whose data set has `dataSet` overrides, and a clerk (no ALL, no F_EDIT_EXPIRED). */
function standInAt(now: string, dataSet: Record<string, unknown>, version?: string) {
  const metadata = fixtureMetadata();
  metadata.dataSets = metadata.dataSets?.map((ds) => (ds.id === DATA_SET ? { ...ds, ...dataSet } : ds));
  const standIn = newStandIn({ metadata, now: () => new Date(now), ...(version ? { version } : {}) });
  standIn.addUser({ username: 'clerk', password: 'pw', authorities: ['F_DATAVALUE_ADD'], organisationUnits: [BAMBUI], personalAccessTokens: [CLERK_TOKEN] });
  return standIn;
}

function postAsClerk(standIn: ReturnType<typeof newStandIn>, period: string): ReturnType<typeof summaryOf> {
  const raw = standIn.handle({
    method: 'POST',
    path: '/api/dataValueSets',
    headers: { authorization: `ApiToken ${CLERK_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(monthly([{ dataElement: ANC_VISITS, value: '3' }], { period })),
  });
  return summaryOf({ status: raw.status, body: JSON.parse(raw.body), keys: [], raw } as Answer);
}

const codes = (summary: ReturnType<typeof summaryOf>) => summary.conflicts.map((conflict) => conflict.errorCode);

describe.each(['2.39', '2.41', '2.42'])('expiryDays on %s: 202611 ends 2026-11-30, expiryDays 10', (version) => {
  test('the last allowed day (2026-12-10) still accepts, late in the day too', () => {
    for (const now of ['2026-12-10T00:00:01.000Z', '2026-12-10T23:59:59.000Z']) {
      const summary = postAsClerk(standInAt(now, { expiryDays: 10, openFuturePeriods: 1 }, version), '202611');
      expect({ now, conflicts: codes(summary) }).toEqual({ now, conflicts: [] });
      expect(summary.importCount.imported).toBe(1);
    }
  });

  test('the day after (2026-12-11) is locked (E7640)', () => {
    const summary = postAsClerk(standInAt('2026-12-11T00:30:00.000Z', { expiryDays: 10, openFuturePeriods: 1 }, version), '202611');
    expect(codes(summary)).toEqual(['E7640']);
  });
});

test('2.42 counts a fractional expiryDays from the midnight after the end (DataSetTest.isLockedAtCertainTime)', () => {
  // 202611 ends 2026-11-30 00:00; + 1 day + 1.5 days = 2026-12-02 12:00:00.
  expect(codes(postAsClerk(standInAt('2026-12-02T12:00:00.000Z', { expiryDays: 1.5, openFuturePeriods: 1 }, '2.42'), '202611'))).toEqual([]);
  expect(codes(postAsClerk(standInAt('2026-12-02T12:00:01.000Z', { expiryDays: 1.5, openFuturePeriods: 1 }, '2.42'), '202611'))).toEqual([
    'E7640',
  ]);
});

test('a data input period is open on the whole of its closing day, and closed the day after (E7643)', () => {
  const dataInputPeriods = [{ period: { id: '202611' }, openingDate: '2026-12-01', closingDate: '2026-12-15' }];
  expect(codes(postAsClerk(standInAt('2026-12-15T18:00:00.000Z', { dataInputPeriods }), '202611'))).toEqual([]);
  expect(codes(postAsClerk(standInAt('2026-12-16T00:10:00.000Z', { dataInputPeriods }), '202611'))).toEqual(['E7643']);
  expect(codes(postAsClerk(standInAt('2026-11-30T23:00:00.000Z', { dataInputPeriods }), '202610'))).toEqual(['E7643']);
});
