// Zero values, empty values, DELETE and the other import strategies, unchanged values and dryRun
// (reference/dhis2-web-api.md §1.1, §1.7).
import { ANC_VISITS, BAMBUI, MALARIA_CASES, UNDER_5, monthly, newStandIn, post, summaryOf } from './fixture.js';

const cases = (value: string | undefined) => ({ dataElement: MALARIA_CASES, categoryOptionCombo: UNDER_5, value });
const anc = (value: string | undefined) => ({ dataElement: ANC_VISITS, value });
const casesCell = { dataElement: MALARIA_CASES, period: '202611', orgUnit: BAMBUI, categoryOptionCombo: UNDER_5 };
const ancCell = { dataElement: ANC_VISITS, period: '202611', orgUnit: BAMBUI };

function importOf(standIn: ReturnType<typeof newStandIn>, values: Parameters<typeof monthly>[0], query: Record<string, string> = {}) {
  return summaryOf(post(standIn, monthly(values), query));
}

describe('zeros (zeroIsSignificant)', () => {
  test('an insignificant zero with nothing stored is dropped and counted nowhere', () => {
    const standIn = newStandIn();
    const summary = importOf(standIn, [cases('0')]);
    expect(summary.status).toBe('SUCCESS');
    expect(summary.importCount).toEqual({ imported: 0, updated: 0, ignored: 0, deleted: 0 });
    expect(summary.rejectedIndexes).toEqual([]);
    expect(standIn.rowOf(casesCell)).toBeUndefined();
  });

  test('an insignificant zero onto a stored value deletes it (deleted++)', () => {
    const standIn = newStandIn();
    importOf(standIn, [cases('5')]);
    const summary = importOf(standIn, [cases('0')]);
    expect(summary.importCount).toEqual({ imported: 0, updated: 0, ignored: 0, deleted: 1 });
    expect(standIn.valueOf(casesCell)).toBeUndefined();
    expect(standIn.rowOf(casesCell)?.deleted).toBe(true);
  });

  test('a JSON number 0 is a zero too; a significant zero is stored like any value', () => {
    const standIn = newStandIn();
    importOf(standIn, [cases('5')]);
    expect(importOf(standIn, [{ dataElement: MALARIA_CASES, categoryOptionCombo: UNDER_5, value: 0 }]).importCount.deleted).toBe(1);
    const summary = importOf(standIn, [anc('0')]);
    expect(summary.importCount).toEqual({ imported: 1, updated: 0, ignored: 0, deleted: 0 });
    expect(standIn.valueOf(ancCell)).toBe('0');
  });

  test('an insignificant zero under CREATE is dropped even when a value is stored', () => {
    const standIn = newStandIn();
    importOf(standIn, [cases('5')]);
    const summary = importOf(standIn, [cases('0')], { importStrategy: 'CREATE' });
    expect(summary.importCount).toEqual({ imported: 0, updated: 0, ignored: 0, deleted: 0 });
    expect(standIn.valueOf(casesCell)).toBe('5');
  });
});

describe('empty values', () => {
  test('a JSON "" is read as null: E7618, ignored and rejected, and the stored value stays', () => {
    // JacksonObjectMapperConfig registers EmptyStringToNullStdDeserializer for String on every mapper.
    const standIn = newStandIn();
    importOf(standIn, [anc('4')]);
    const answer = post(standIn, monthly([anc('')]));
    expect(answer.status).toBe(409);
    const summary = summaryOf(answer);
    expect(summary.status).toBe('WARNING');
    expect(summary.importCount).toEqual({ imported: 0, updated: 0, ignored: 1, deleted: 0 });
    expect(summary.rejectedIndexes).toEqual([0]);
    expect(summary.conflicts).toEqual([
      {
        object: ANC_VISITS,
        objects: { dataElement: ANC_VISITS },
        value: `Data value or comment not specified for data element: \`${ANC_VISITS}\``,
        errorCode: 'E7618',
        property: 'value',
        indexes: [0],
      },
    ]);
    expect(standIn.valueOf(ancCell)).toBe('4');
  });

  test('"" with a comment is a comment-only value; "" under DELETE deletes', () => {
    const standIn = newStandIn();
    importOf(standIn, [anc('4')]);
    expect(importOf(standIn, [{ ...anc(''), comment: 'no register' }]).importCount.updated).toBe(1);
    expect(standIn.rowOf(ancCell)).toMatchObject({ value: null, comment: 'no register', deleted: false });
    expect(importOf(standIn, [anc('')], { importStrategy: 'DELETE' }).importCount.deleted).toBe(1);
  });

  test('a whitespace value deletes a stored one (trimToNull makes it a null value)', () => {
    const standIn = newStandIn();
    importOf(standIn, [anc('4')]);
    const summary = importOf(standIn, [anc('  ')]);
    expect(summary.importCount).toEqual({ imported: 0, updated: 0, ignored: 0, deleted: 1 });
    expect(summary.conflicts).toEqual([]);
    expect(standIn.valueOf(ancCell)).toBeUndefined();
  });

  test('a whitespace value with nothing stored is ignored without a conflict or a rejected index', () => {
    const summary = importOf(newStandIn(), [anc(' ')]);
    expect(summary.status).toBe('SUCCESS');
    expect(summary.importCount).toEqual({ imported: 0, updated: 0, ignored: 1, deleted: 0 });
    expect(summary.rejectedIndexes).toEqual([]);
  });

  test('a missing value (and no comment) is E7618, even when something is stored', () => {
    const standIn = newStandIn();
    importOf(standIn, [anc('4')]);
    const summary = importOf(standIn, [anc(undefined)]);
    expect(summary.conflicts.map((conflict) => conflict.errorCode)).toEqual(['E7618']);
    expect(standIn.valueOf(ancCell)).toBe('4');
  });

  test('"deleted": true deletes a stored value', () => {
    const standIn = newStandIn();
    importOf(standIn, [anc('4')]);
    const summary = summaryOf(post(standIn, monthly([{ dataElement: ANC_VISITS, deleted: true }])));
    expect(summary.importCount.deleted).toBe(1);
    expect(standIn.valueOf(ancCell)).toBeUndefined();
  });
});

describe('import strategies', () => {
  test('DELETE soft-deletes a stored value (deleted++) and ignores + rejects a missing one; no value needed', () => {
    const standIn = newStandIn();
    importOf(standIn, [anc('4')]);
    const summary = importOf(standIn, [anc(undefined), cases(undefined)], { importStrategy: 'DELETE' });
    expect(summary.importCount).toEqual({ imported: 0, updated: 0, ignored: 1, deleted: 1 });
    expect(summary.rejectedIndexes).toEqual([1]);
    expect(summary.conflicts).toEqual([]);
    expect(standIn.valueOf(ancCell)).toBeUndefined();
    expect(standIn.rowOf(ancCell)?.deleted).toBe(true);
  });

  test('CREATE onto a stored value and UPDATE of a missing one are ignored and rejected', () => {
    const standIn = newStandIn();
    importOf(standIn, [anc('4')]);
    const create = importOf(standIn, [anc('9')], { importStrategy: 'CREATE' });
    expect(create.importCount).toEqual({ imported: 0, updated: 0, ignored: 1, deleted: 0 });
    expect(create.rejectedIndexes).toEqual([0]);
    expect(standIn.valueOf(ancCell)).toBe('4');

    const update = importOf(standIn, [cases('3')], { strategy: 'UPDATE' });
    expect(update.importCount).toEqual({ imported: 0, updated: 0, ignored: 1, deleted: 0 });
    expect(update.rejectedIndexes).toEqual([0]);
  });

  test('a changed value is updated; the same value, comment and followup again is ignored, not rejected', () => {
    const standIn = newStandIn();
    importOf(standIn, [anc('4')]);
    expect(importOf(standIn, [anc('5')]).importCount).toEqual({ imported: 0, updated: 1, ignored: 0, deleted: 0 });
    const again = importOf(standIn, [anc('5')]);
    expect(again.importCount).toEqual({ imported: 0, updated: 0, ignored: 1, deleted: 0 });
    expect(again.rejectedIndexes).toEqual([]);
    expect(again.status).toBe('SUCCESS');
    expect(importOf(standIn, [{ ...anc('5'), comment: 'checked' }]).importCount.updated).toBe(1);
  });

  // DefaultDataValueSetService: the payload's followup is stored (Boolean, absent read as false by
  // DataValue.isFollowup), takes part in the unchanged check, and an update writes it, so a value sent
  // again without it loses its follow-up mark.
  test('followup is stored, marks a change of its own, and a value sent again without it is unmarked', () => {
    const standIn = newStandIn();
    expect(importOf(standIn, [{ ...anc('40'), followup: true }]).importCount.imported).toBe(1);
    expect(standIn.rowOf(ancCell)?.followup).toBe(true);
    expect(importOf(standIn, [{ ...anc('40'), followup: true }]).importCount).toEqual({ imported: 0, updated: 0, ignored: 1, deleted: 0 });
    expect(importOf(standIn, [anc('40')]).importCount).toEqual({ imported: 0, updated: 1, ignored: 0, deleted: 0 });
    expect(standIn.rowOf(ancCell)?.followup).toBe(false);
    expect(importOf(standIn, [{ ...anc('40'), followup: 'true' } as never]).importCount.updated).toBe(1);
    expect(standIn.rowOf(ancCell)?.followup).toBe(true);
  });

  test('a value onto a soft-deleted row revives it and counts as imported', () => {
    const standIn = newStandIn();
    importOf(standIn, [anc('4')]);
    importOf(standIn, [anc(' ')]);
    const summary = importOf(standIn, [anc('6')]);
    expect(summary.importCount).toEqual({ imported: 1, updated: 0, ignored: 0, deleted: 0 });
    expect(standIn.valueOf(ancCell)).toBe('6');
  });

  test('the payload strategy and dryRun override the query', () => {
    const standIn = newStandIn();
    importOf(standIn, [anc('4')]);
    const summary = summaryOf(post(standIn, { ...monthly([anc(undefined)]), strategy: 'DELETE', dryRun: true }, { importStrategy: 'CREATE' }));
    expect(summary.importCount.deleted).toBe(1);
    expect(standIn.valueOf(ancCell)).toBe('4');
  });

  test("the payload's field is strategy: a body importStrategy is an unknown property, ignored (dxf2 DataValueSet)", () => {
    const standIn = newStandIn();
    importOf(standIn, [anc('4')]);
    const summary = summaryOf(post(standIn, { ...monthly([anc('5')]), importStrategy: 'DELETE' }));
    expect(summary.importCount).toEqual({ imported: 0, updated: 1, ignored: 0, deleted: 0 });
    expect(standIn.valueOf(ancCell)).toBe('5');
  });
});

describe('dryRun', () => {
  test('counts are computed as usual and nothing is stored, changed or deleted', () => {
    const standIn = newStandIn();
    importOf(standIn, [anc('4')]);
    const summary = importOf(standIn, [anc('8'), cases('3'), { dataElement: 'XXXXXXXXXXX', value: '1' }], { dryRun: 'true' });
    expect(summary.importCount).toEqual({ imported: 1, updated: 1, ignored: 1, deleted: 0 });
    expect(summary.importOptions?.dryRun).toBe(true);
    expect(standIn.allValues()).toHaveLength(1);
    expect(standIn.valueOf(ancCell)).toBe('4');

    expect(importOf(standIn, [anc(' ')], { dryRun: 'true' }).importCount.deleted).toBe(1);
    expect(standIn.valueOf(ancCell)).toBe('4');
  });
});
