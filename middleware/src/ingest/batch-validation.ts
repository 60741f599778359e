// The CPU-bound half of an ingest request, with no I/O: the body's bytes parsed as JSON, the envelope
// opened, every item validated against the contract and each valid encounter serialised and hashed. It
// runs in the request's thread or in a validation thread (validation-threads.ts), so its input and its
// answer are plain data that a thread can receive and send back.
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { jsonPointer, validateEncounter, type Encounter } from '@smc-bridge/contract';
import type { IngestResult } from '../http/api-schemas.js';
import { HttpProblem, type Problem, problem } from '../http/problem.js';
import { openEnvelope } from './envelope.js';
import { NOT_UTF8 } from '../http/utf8.js';

export interface BatchContext {
  /** The source the API key speaks for; an encounter may only be posted by its own source. */
  keySource: string;
  /** The server's clock at the request, in ms since the epoch. */
  nowMs: number;
  maxBatch: number;
}

/** A valid item, ready to store: its identity, its facility, the encounter as stored and its content hash. */
export interface ValidItem {
  index: number;
  source: string;
  id: string;
  version: number;
  facility: Encounter['facility'];
  body: string;
  contentHash: string;
}

export type BatchValidation =
  | { problem: Problem }
  | {
      /** One entry per item: the rejection of an invalid item, null for a valid one (its answer depends on the store). */
      rejected: (IngestResult | null)[];
      valid: ValidItem[];
      /** Where each item sits in the request body, for error paths: false for a single encounter. */
      batch: boolean;
    };

/** The facility's IANA time zone (mappings/facilities.yaml), for the contract's rules on local dates. */
export type TimeZoneOf = (facility: Encounter['facility']) => string;

// What body-parser's strict JSON mode accepts (an object or an array), checked the same way, so a bare
// string or number is "not valid JSON" whichever thread reads it.
const FIRST_CHARACTER = /^[\x20\x09\x0a\x0d]*([^\x20\x09\x0a\x0d])/;

/** The body as JSON: UTF-8, checked (a byte order mark is dropped, as body-parser does), an object or an array. */
export function parseJsonBody(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false; problem: Problem } {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!isUtf8(buffer)) return { ok: false, problem: problem('malformed-json', NOT_UTF8) };
  let text = buffer.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const first = FIRST_CHARACTER.exec(text)?.[1];
  if (first !== '{' && first !== '[') return { ok: false, problem: problem('malformed-json', 'the body is not valid JSON') };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, problem: problem('malformed-json', 'the body is not valid JSON') };
  }
}

/** The encounter as stored, and the hash of its content. */
function serialised(encounter: Encounter): { body: string; contentHash: string } {
  // The parsed encounter lists its fields in schema order, so equal content hashes equally whatever key
  // order the client used.
  const body = JSON.stringify(encounter);
  return { body, contentHash: createHash('sha256').update(body).digest('hex') };
}

/** The longest source or id a rejection repeats (the contract allows 64 characters for an id). */
const MAX_ECHOED_LENGTH = 200;

/** Whatever identification a rejected item offers, so the client can match the answer to its record. */
function identification(item: unknown): Pick<IngestResult, 'source' | 'id' | 'version'> {
  if (typeof item !== 'object' || item === null) return {};
  const { source, id, version } = item as Record<string, unknown>;
  // Echoed only when it can be an identification at all: a 10,000-character id or a version of 1e400 (null
  // in JSON) helps no client match its record.
  const echoable = (text: unknown): text is string => typeof text === 'string' && text.length <= MAX_ECHOED_LENGTH;
  return {
    ...(echoable(source) ? { source } : {}),
    ...(echoable(id) ? { id } : {}),
    ...(typeof version === 'number' && Number.isFinite(version) ? { version } : {}),
  };
}

export function itemPathOf(batch: boolean, index: number): PropertyKey[] {
  return batch ? ['encounters', index] : [];
}

/** Validates a parsed body: the envelope, then each item on its own (a bad item never costs the others). */
export function validateItems(body: unknown, context: BatchContext, timeZoneOf: TimeZoneOf): BatchValidation {
  let envelope;
  try {
    envelope = openEnvelope(body, context.maxBatch);
  } catch (error) {
    if (error instanceof HttpProblem) return { problem: error.problem };
    throw error;
  }
  const now = new Date(context.nowMs);
  const rejected: (IngestResult | null)[] = new Array(envelope.items.length).fill(null);
  const valid: ValidItem[] = [];
  envelope.items.forEach((item, index) => {
    const path = envelope.itemPath(index);
    const validation = validateEncounter(item, now, path, { timeZoneOf });
    if (!validation.ok) {
      rejected[index] = { index, ...identification(item), status: 'rejected', errors: validation.errors };
    } else if (validation.encounter.source !== context.keySource) {
      rejected[index] = {
        index,
        ...identification(item),
        status: 'rejected',
        errors: [{ path: jsonPointer([...path, 'source']), message: `must be "${context.keySource}", the source of this API key` }],
      };
    } else {
      const { source, id, version, facility } = validation.encounter;
      valid.push({ index, source, id, version, facility, ...serialised(validation.encounter) });
    }
  });
  return { rejected, valid, batch: envelope.itemPath(0).length > 0 };
}

/** Parses and validates a body's bytes. */
export function validateBatch(bytes: Uint8Array, context: BatchContext, timeZoneOf: TimeZoneOf): BatchValidation {
  const parsed = parseJsonBody(bytes);
  if (!parsed.ok) return { problem: parsed.problem };
  return validateItems(parsed.value, context, timeZoneOf);
}
