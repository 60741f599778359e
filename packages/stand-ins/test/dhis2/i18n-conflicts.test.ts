// Conflicts whose argument is an i18n key (E7619 value type, E7620 comment, E7637 storedBy), built as
// dhis2-core's ImportConflict.createConflict builds them: the message carries the English translation from
// i18n_global.properties (or the bare key where the file has none) and `objects` carries the key under the
// conflict's property (reference/dhis2-web-api.md §1.4 E7619).
import { BAMBUI, newStandIn, post, summaryOf } from './fixture.js';

const TYPES = [
  'NUMBER',
  'INTEGER',
  'INTEGER_POSITIVE',
  'INTEGER_NEGATIVE',
  'INTEGER_ZERO_OR_POSITIVE',
  'UNIT_INTERVAL',
  'PERCENTAGE',
  'BOOLEAN',
  'TRUE_ONLY',
  'DATE',
  'DATETIME',
  'LETTER',
  'TEXT',
] as const;

/** One data element per value type, `De` + the type's initials, in no data set (so no input-period checks). */
function typedStandIn() {
  const standIn = newStandIn();
  standIn.loadMetadata({
    dataElements: TYPES.map((valueType, i) => ({
      id: `DeType${String(i).padStart(5, '0')}`,
      name: `Typed ${valueType}`,
      shortName: `Typed ${valueType}`,
      valueType,
      aggregationType: 'SUM',
      domainType: 'AGGREGATE',
      zeroIsSignificant: true,
    })),
  });
  return standIn;
}

const idOf = (valueType: (typeof TYPES)[number]) => `DeType${String(TYPES.indexOf(valueType)).padStart(5, '0')}`;

function conflictsOf(values: { dataElement: string; value?: string; comment?: string; storedBy?: string }[]) {
  return summaryOf(post(typedStandIn(), { period: '202611', orgUnit: BAMBUI, dataValues: values })).conflicts;
}

test.each([
  ['NUMBER', '1,5', 'value_not_numeric', 'Data value is not numeric'],
  ['INTEGER', '2.5', 'value_not_integer', 'Data value is not an integer'],
  ['INTEGER_POSITIVE', '0', 'value_not_positive_integer', 'Data value is not a positive integer'],
  ['INTEGER_NEGATIVE', '3', 'value_not_negative_integer', 'Data value is not a negative integer'],
  ['INTEGER_ZERO_OR_POSITIVE', '-1', 'value_not_zero_or_positive_integer', 'value_not_zero_or_positive_integer'],
  ['UNIT_INTERVAL', '1.5', 'value_not_unit_interval', 'Data value is not a unit interval'],
  ['PERCENTAGE', '101', 'value_not_percentage', 'Data value is not a percentage'],
  ['BOOLEAN', 'yes', 'value_not_bool', 'Data value is not a boolean'],
  ['TRUE_ONLY', 'false', 'value_not_true_only', 'Data value is not true'],
  ['DATE', '2026-02-30', 'value_not_valid_date', 'Data value is not a valid date'],
  ['DATETIME', '2026-11-05', 'value_not_valid_datetime', 'value_not_valid_datetime'],
  ['LETTER', 'ab', 'value_not_valid_letter', 'Data value is not a valid letter'],
  ['TEXT', 'x'.repeat(50_001), 'value_length_greater_than_max_length', 'Data value is greater than max length'],
] as const)('%s %j → E7619 with the key in objects.value and "%s" translated in the message', (valueType, value, key, text) => {
  const dataElement = idOf(valueType);
  expect(conflictsOf([{ dataElement, value }])).toEqual([
    {
      object: dataElement,
      objects: { dataElement, value: key },
      value: `Value must match value type of data element \`${dataElement}\`: \`${text}\``,
      errorCode: 'E7619',
      property: 'value',
      indexes: [0],
    },
  ]);
});

test.each([
  ['DATE', '2026-11-05T10:00'],
  ['DATETIME', '2026-11-05T10:00'],
  ['DATETIME', '2026-11-05T10:00:00.000+0100'],
  ['DATETIME', '2026-11-05 10:00:00Z'],
  ['BOOLEAN', 'TRUE'],
] as const)('%s %j is valid (DateUtils.dateIsValid / dateTimeIsValid, normalizeBoolean)', (valueType, value) => {
  expect(conflictsOf([{ dataElement: idOf(valueType), value }])).toEqual([]);
});

test('E7619 conflicts group by data element and key: two keys for one element are two conflicts', () => {
  const dataElement = idOf('INTEGER_POSITIVE');
  const conflicts = conflictsOf([
    { dataElement, value: '-2' },
    { dataElement, value: 'x'.repeat(50_001) },
    { dataElement, value: '0' },
  ]);
  expect(conflicts.map((conflict) => [conflict.objects, conflict.indexes])).toEqual([
    [{ dataElement, value: 'value_not_positive_integer' }, [0, 2]],
    [{ dataElement, value: 'value_length_greater_than_max_length' }, [1]],
  ]);
});

test('E7620: a comment over 50 000 characters; the key goes into objects.comment, there is no identifiable object', () => {
  expect(conflictsOf([{ dataElement: idOf('TEXT'), value: 'a', comment: 'c'.repeat(50_001) }])).toEqual([
    {
      object: 'comment_length_greater_than_max_length',
      objects: { comment: 'comment_length_greater_than_max_length' },
      value: 'Invalid comment: Comment is greater than max length',
      errorCode: 'E7620',
      property: 'comment',
      indexes: [0],
    },
  ]);
});

test('E7637: a storedBy over 255 characters; the key goes into objects.storedBy', () => {
  expect(conflictsOf([{ dataElement: idOf('TEXT'), value: 'a', storedBy: 's'.repeat(256) }])).toEqual([
    {
      object: 'stored_by_length_greater_than_max_length',
      objects: { storedBy: 'stored_by_length_greater_than_max_length' },
      value: 'Invalid storedBy: Stored by is greater than max length',
      errorCode: 'E7637',
      property: 'storedBy',
      indexes: [0],
    },
  ]);
});
