// The request body of POST /encounters is either one encounter or `{"encounters": [...]}`. This tells
// them apart and checks the batch itself (not its items: those are validated one by one).
import { HttpProblem, problem } from '../http/problem.js';

export interface Envelope {
  items: unknown[];
  itemPath: (index: number) => PropertyKey[];
}

export function openEnvelope(body: unknown, maxBatch: number): Envelope {
  if (body === undefined) {
    throw new HttpProblem(problem('invalid-request', 'the body is empty; send an encounter or {"encounters": [...]}'));
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpProblem(
      problem('invalid-request', 'the body must be an encounter object or {"encounters": [...]}', {
        errors: [{ path: '', message: 'must be a JSON object' }],
      }),
    );
  }
  if (!('encounters' in body)) return { items: [body], itemPath: () => [] };

  const { encounters, ...others } = body as { encounters: unknown };
  const unknownFields = Object.keys(others);
  if (unknownFields.length > 0) {
    throw new HttpProblem(
      problem('invalid-request', 'a batch holds only "encounters"', {
        errors: unknownFields.map((field) => ({ path: `/${field}`, message: 'is not a field of a batch' })),
      }),
    );
  }
  if (!Array.isArray(encounters)) {
    throw new HttpProblem(
      problem('invalid-request', 'encounters must be an array', { errors: [{ path: '/encounters', message: 'must be an array of encounters' }] }),
    );
  }
  if (encounters.length === 0) {
    throw new HttpProblem(
      problem('invalid-request', 'the batch is empty', { errors: [{ path: '/encounters', message: 'must hold at least one encounter' }] }),
    );
  }
  if (encounters.length > maxBatch) {
    throw new HttpProblem(
      problem('payload-too-large', `a batch holds at most ${maxBatch} encounters; this one has ${encounters.length}`, {
        errors: [{ path: '/encounters', message: `must hold at most ${maxBatch} encounters` }],
      }),
    );
  }
  return { items: encounters, itemPath: (index) => ['encounters', index] };
}
