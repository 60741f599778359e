// Validation of untrusted input against the encounter contract, with errors a person can act on: each names
// the field as a JSON Pointer (RFC 6901) into the request body and says what is wrong with it.
import { z } from 'zod';
import type { TimeZone } from './age.js';
import { checkEncounterRules, EncounterSchema, type Encounter, type RuleIssue } from './encounter.js';

/** One problem of an encounter: the field, as a JSON Pointer into the request body, and what is wrong. */
export const FieldErrorSchema = z.object({
  path: z.string().describe('JSON Pointer to the field in the request body, e.g. "/encounters/3/patient/birthDate"'),
  message: z.string(),
});

export type FieldError = z.infer<typeof FieldErrorSchema>;

export type Validation = { ok: true; encounter: Encounter } | { ok: false; errors: FieldError[] };

/** How far ahead of the server clock a device clock may run before an encounter counts as "in the future". */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

export function jsonPointer(path: readonly PropertyKey[]): string {
  return path.map((segment) => '/' + String(segment).replaceAll('~', '~0').replaceAll('/', '~1')).join('');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.input === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_value')) return 'is required';
  return issue.message;
}

/**
 * At most this many errors are listed for one encounter: an item with thousands of unknown keys would
 * otherwise get an answer several times the size of the request. The last entry says how many more there are.
 */
export const MAX_FIELD_ERRORS = 50;

function toFieldErrors(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[]): FieldError[] {
  const errors: FieldError[] = [];
  let total = 0;
  const push = (path: readonly PropertyKey[], message: string) => {
    if (total++ < MAX_FIELD_ERRORS) errors.push({ path: jsonPointer(path), message });
  };
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) push([...prefix, ...issue.path, key], 'is not a field of the contract');
    } else {
      push([...prefix, ...issue.path], describeIssue(issue));
    }
  }
  return capped(errors, total, prefix);
}

/** The errors as listed, with a last entry for those left out. */
function capped(errors: FieldError[], total: number, prefix: readonly PropertyKey[]): FieldError[] {
  if (total <= MAX_FIELD_ERRORS) return errors;
  return [...errors, { path: jsonPointer(prefix), message: `and ${total - MAX_FIELD_ERRORS} more problems not listed; correct these and send it again` }];
}

/**
 * Rules that depend on the clock: nothing may lie in the future of `now` (beyond a small clock skew). The
 * birth date needs no check of its own: it may not follow the encounter's local date, which is not future.
 */
function checkAgainstClock(encounter: Encounter, now: Date): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const latest = now.getTime() + CLOCK_SKEW_MS;
  if (Date.parse(encounter.occurredAt) > latest) {
    issues.push({ path: ['occurredAt'], message: 'is in the future; check the device clock' });
  }
  if (encounter.recordedAt !== undefined && Date.parse(encounter.recordedAt) > latest) {
    issues.push({ path: ['recordedAt'], message: 'is in the future; check the device clock' });
  }
  return issues;
}

export interface ValidateOptions {
  /** The facility's IANA time zone, for the rules on local dates; default: the offset of `occurredAt`. */
  timeZoneOf?: (facility: Encounter['facility']) => TimeZone;
}

/**
 * Validates one encounter. `pathPrefix` places the errors inside the request body (for a batch item,
 * `['encounters', 3]`). It never throws, whatever the input: a failure to check is a rejection of this
 * encounter alone, with no part of the input in the message.
 */
export function validateEncounter(input: unknown, now: Date, pathPrefix: readonly PropertyKey[] = [], options: ValidateOptions = {}): Validation {
  try {
    const parsed = EncounterSchema.safeParse(input, { reportInput: true });
    if (!parsed.success) return { ok: false, errors: toFieldErrors(parsed.error.issues, pathPrefix) };
    const timeZone = options.timeZoneOf?.(parsed.data.facility);
    const ruleIssues = [...checkAgainstClock(parsed.data, now), ...checkEncounterRules(parsed.data, timeZone)];
    if (ruleIssues.length > 0) {
      return {
        ok: false,
        errors: capped(
          ruleIssues.slice(0, MAX_FIELD_ERRORS).map((issue) => ({ path: jsonPointer([...pathPrefix, ...issue.path]), message: issue.message })),
          ruleIssues.length,
          pathPrefix,
        ),
      };
    }
    return { ok: true, encounter: parsed.data };
  } catch (error) {
    return {
      ok: false,
      errors: [{ path: jsonPointer(pathPrefix), message: `could not be checked (${(error as Error).name}); correct the values and send it again` }],
    };
  }
}
