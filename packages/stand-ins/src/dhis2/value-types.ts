// Value checks of the data value import, as DHIS2's ValidationUtils and MathUtils make them
// (reference/dhis2-web-api.md §1.1, §1.4 E7619/E7620/E7637, §1.7): the i18n key of the first failed
// check, boolean normalisation, and the "zero and insignificant" rule.

const VALUE_MAX_LENGTH = 50_000;
const NUMBER_MAX_LENGTH = 250;
const INT_MIN = -2_147_483_648;
const INT_MAX = 2_147_483_647;

const NUMERIC_PATTERN = /^(-?0|-?[1-9]\d*)(\.\d+)?$/;
const INT_PATTERN = /^(0|-?[1-9]\d*)$/;
const POSITIVE_INT_PATTERN = /^[1-9]\d*$/;
const POSITIVE_OR_ZERO_INT_PATTERN = /(^0$)|(^[1-9]\d*$)/;
const NEGATIVE_INT_PATTERN = /^-[1-9]\d*$/;
const ZERO_PATTERN = /^0(\.0*)?$/;

const NUMERIC_TYPES = new Set([
  'INTEGER',
  'INTEGER_POSITIVE',
  'INTEGER_NEGATIVE',
  'INTEGER_ZERO_OR_POSITIVE',
  'NUMBER',
  'UNIT_INTERVAL',
  'PERCENTAGE',
]);

const BOOL_TRUE_VARIANTS = new Set(['true', 'True', 'TRUE', '1', 't']);
const BOOL_FALSE_VARIANTS = new Set(['false', 'False', 'FALSE', '0', 'f']);

export function isNumericType(valueType: string): boolean {
  return NUMERIC_TYPES.has(valueType);
}

/** Integer checks also require the value to fit a Java int (commons-validator's IntegerValidator). */
function fitsInt(value: string): boolean {
  const n = Number(value);
  return Number.isInteger(n) && n >= INT_MIN && n <= INT_MAX;
}

function isNumeric(value: string): boolean {
  return NUMERIC_PATTERN.test(value) && Number.isFinite(Number(value)) && value.length < NUMBER_MAX_LENGTH;
}

function isInteger(value: string): boolean {
  return INT_PATTERN.test(value) && fitsInt(value);
}

function isDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.getUTCMonth() === Number(match[2]) - 1 && date.getUTCDate() === Number(match[3]);
}

/**
 * `ValidationUtils.valueIsValid`: null when valid, else the i18n key DHIS2 puts in E7619. Empty values are
 * valid here; whether they are allowed at all is decided elsewhere (E7618, and delete semantics).
 */
export function valueTypeError(value: string | null, valueType: string): string | null {
  if (value === null || value.trim() === '') return null;
  if (value.length > VALUE_MAX_LENGTH) return 'value_length_greater_than_max_length';
  switch (valueType) {
    case 'LETTER':
      return value.length === 1 && /\p{L}/u.test(value) ? null : 'value_not_valid_letter';
    case 'NUMBER':
      return isNumeric(value) ? null : 'value_not_numeric';
    case 'UNIT_INTERVAL':
      return isNumeric(value) && Number(value) >= 0 && Number(value) <= 1 ? null : 'value_not_unit_interval';
    case 'PERCENTAGE':
      return isInteger(value) && Number(value) >= 0 && Number(value) <= 100 ? null : 'value_not_percentage';
    case 'INTEGER':
      return isInteger(value) ? null : 'value_not_integer';
    case 'INTEGER_POSITIVE':
      return POSITIVE_INT_PATTERN.test(value) && fitsInt(value) ? null : 'value_not_positive_integer';
    case 'INTEGER_NEGATIVE':
      return NEGATIVE_INT_PATTERN.test(value) && fitsInt(value) ? null : 'value_not_negative_integer';
    case 'INTEGER_ZERO_OR_POSITIVE':
      return POSITIVE_OR_ZERO_INT_PATTERN.test(value) && fitsInt(value) ? null : 'value_not_zero_or_positive_integer';
    case 'BOOLEAN':
      return ['true', 'false'].includes(value.toLowerCase()) ? null : 'value_not_bool';
    case 'TRUE_ONLY':
      return value.toLowerCase() === 'true' ? null : 'value_not_true_only';
    case 'DATE':
      return isDate(value) ? null : 'value_not_valid_date';
    default:
      return null;
  }
}

/** `ValidationUtils.normalizeBoolean`: the accepted spellings of true/false become `true`/`false`. */
export function normalizeBoolean(value: string | null, valueType: string): string | null {
  if (value === null || (valueType !== 'BOOLEAN' && valueType !== 'TRUE_ONLY')) return value;
  if (BOOL_FALSE_VARIANTS.has(value) && valueType !== 'TRUE_ONLY') return 'false';
  if (BOOL_TRUE_VARIANTS.has(value)) return 'true';
  return value;
}

/**
 * `ValidationUtils.dataValueIsZeroAndInsignificant`: a numeric zero for a data element that does not keep
 * zeros, unless its aggregation averages (an average needs its zeros).
 */
export function isZeroAndInsignificant(
  value: string | null,
  dataElement: { valueType: string; zeroIsSignificant: boolean; aggregationType: string },
): boolean {
  return (
    isNumericType(dataElement.valueType) &&
    value !== null &&
    ZERO_PATTERN.test(value) &&
    !dataElement.zeroIsSignificant &&
    dataElement.aggregationType !== 'AVERAGE' &&
    dataElement.aggregationType !== 'AVERAGE_SUM_ORG_UNIT'
  );
}

/** `ValidationUtils.commentIsValid`. */
export function commentError(comment: string | null): string | null {
  return comment !== null && comment.trim() !== '' && comment.length > VALUE_MAX_LENGTH
    ? 'comment_length_greater_than_max_length'
    : null;
}

/** `ValidationUtils.storedByIsValid`. */
export function storedByError(storedBy: string | null): string | null {
  return storedBy !== null && storedBy.trim() !== '' && storedBy.length > 255
    ? 'stored_by_length_greater_than_max_length'
    : null;
}
