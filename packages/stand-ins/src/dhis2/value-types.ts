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

function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * `DateUtils.dateIsValid`: DEFAULT_DATE_REGEX `\b(?<year>\d{4})-(?<month>0[1-9]|1[0-2])-(?<day>0[1-9]|[1-2][0-9]|3[0-2])(?<time>.*)\b`
 * matched in full, then the ISO calendar's day check. Anything may follow the date as long as the text ends
 * on a word character (`2026-11-05T10:00` is a valid DATE; `2026-11-05 ` is not).
 */
function isDate(value: string): boolean {
  const match = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[0-2])(.*)$/u.exec(value);
  if (!match || !/[\p{L}\p{Nd}_]$/u.test(value)) return false;
  return isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

const TIME_ZONE = '(?:Z|[+-]\\d{2}:?\\d{2})';
const DATE_TIME_PATTERNS = [
  new RegExp(`^(\\d{4})-(\\d{1,2})-(\\d{1,2})T(\\d{1,2})(?::(\\d{1,2})(?::(\\d{1,2})(?:\\.\\d{1,9})?)?)?${TIME_ZONE}?$`),
  new RegExp(`^(\\d{4})-(\\d{1,2})-(\\d{1,2}) (\\d{1,2}):(\\d{1,2}):(\\d{1,2})${TIME_ZONE}$`),
];

/**
 * `DateUtils.dateTimeIsValid`: one of the Joda parsers of SUPPORTED_DATE_TIME_FORMAT_PARSERS
 * (`yyyy-MM-dd'T'HH[:mm[:ss[.S…]]][Z]`, `yyyy-MM-dd HH:mm:ssZ`) takes the whole text and the fields are in
 * range. A date alone is not a datetime. (An approximation of Joda's lenient digit counts.)
 */
function isDateTime(value: string): boolean {
  for (const pattern of DATE_TIME_PATTERNS) {
    const match = pattern.exec(value);
    if (!match) continue;
    const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = match.slice(1).map((part) => Number(part ?? 0));
    return isCalendarDate(year, month, day) && hour < 24 && minute < 60 && second < 60;
  }
  return false;
}

/**
 * `ValidationUtils.valueIsValid`: null when valid, else the i18n key DHIS2 puts in E7619 (translated there
 * through i18n.ts). Empty values are valid here; whether they are allowed at all is decided elsewhere (E7618,
 * and delete semantics). Value types the stand-in does not check (TIME, EMAIL, URL, …) always pass.
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
    case 'DATETIME':
      return isDateTime(value) ? null : 'value_not_valid_datetime';
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
