// Errors as RFC 9457 problem details: a stable `type` per kind of problem, a human `detail`, and for
// validation problems the list of fields (JSON Pointers) with the reason for each.
import type { IncomingMessage } from 'node:http';
import type { Response } from 'express';
import type { FieldError } from '@smc-bridge/contract';

export type ProblemKind =
  | 'unauthorized'
  | 'forbidden'
  | 'unsupported-media-type'
  | 'malformed-json'
  | 'payload-too-large'
  | 'invalid-request'
  | 'validation-failed'
  | 'not-found'
  | 'method-not-allowed'
  | 'service-unavailable'
  | 'internal-error';

const TITLES: Record<ProblemKind, [number, string]> = {
  unauthorized: [401, 'Unauthorized'],
  forbidden: [403, 'Forbidden'],
  'unsupported-media-type': [415, 'Unsupported Media Type'],
  'malformed-json': [400, 'Malformed JSON'],
  'payload-too-large': [413, 'Payload Too Large'],
  'invalid-request': [400, 'Invalid request'],
  'validation-failed': [422, 'Validation failed'],
  'not-found': [404, 'Not Found'],
  'method-not-allowed': [405, 'Method Not Allowed'],
  'service-unavailable': [503, 'Service Unavailable'],
  'internal-error': [500, 'Internal Server Error'],
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export function problem(kind: ProblemKind, detail: string, extra: Record<string, unknown> = {}): Problem {
  const [status, title] = TITLES[kind];
  return { type: `https://smc-bridge.org/problems/${kind}`, title, status, detail, ...extra };
}

/** Thrown inside handlers; the error middleware turns it into its problem response. */
export class HttpProblem extends Error {
  constructor(readonly problem: Problem, readonly headers: Record<string, string> = {}) {
    super(problem.detail);
  }
}

function hasUnreadBody(req: IncomingMessage): boolean {
  const announced = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  return announced && !req.complete;
}

/**
 * Answers with a problem document. When the request body has not been read (a 401 or 413 decided from the
 * headers), the connection is closed after the answer, so an unwanted upload is not read to its end.
 */
export function sendProblem(res: Response, body: Problem, headers: Record<string, string> = {}): void {
  if (res.req && hasUnreadBody(res.req)) res.set('Connection', 'close');
  res.status(body.status).set(headers).type('application/problem+json').send(JSON.stringify(body));
}
