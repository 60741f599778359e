// DHIS2's English translations of the i18n keys the stand-in's conflicts carry (E7619 value type,
// E7620 comment, E7637 storedBy), copied from dhis2-core
// dhis-services/dhis-service-core/src/main/resources/i18n_global.properties (identical on 2.39–2.42).
// `I18n.getString(key)` answers the key itself when the bundle has no entry, and several keys the
// validators return have none (value_not_zero_or_positive_integer, value_not_valid_datetime, …): those
// reach the conflict message untranslated, as on a real server.

const I18N_GLOBAL: Readonly<Record<string, string>> = {
  data_element_or_type_null_or_empty: 'Data element or type is null or empty',
  data_element_lacks_option_set: 'Data elements with value type MULTI_TEXT must have an option set',
  value_length_greater_than_max_length: 'Data value is greater than max length',
  value_not_numeric: 'Data value is not numeric',
  value_not_unit_interval: 'Data value is not a unit interval',
  value_not_percentage: 'Data value is not a percentage',
  value_not_integer: 'Data value is not an integer',
  value_not_positive_integer: 'Data value is not a positive integer',
  value_not_negative_integer: 'Data value is not a negative integer',
  value_not_bool: 'Data value is not a boolean',
  value_not_true_only: 'Data value is not true',
  value_not_valid_date: 'Data value is not a valid date',
  value_not_valid_letter: 'Data value is not a valid letter',
  stored_by_length_greater_than_max_length: 'Stored by is greater than max length',
  comment_length_greater_than_max_length: 'Comment is greater than max length',
};

/** `I18n.getString(key)` for the English bundle: the translation, or the key when there is none. */
export function translate(key: string): string {
  return Object.hasOwn(I18N_GLOBAL, key) ? (I18N_GLOBAL[key] as string) : key;
}
