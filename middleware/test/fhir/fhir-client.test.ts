// The FhirClient's transport against a bare node:http server: requests reuse one kept-alive socket, carry
// FHIR JSON and the bearer token, URL-encode search values; a refusal, an answer that is not JSON, a hang and
// a reset become FhirRequestErrors that say whether a retry can help. (Its FHIR semantics against the
// stand-in: fhir-standin.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FhirClient } from '../../src/fhir/fhir-client.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let baseUrl: string;
let connections = 0;
const seen: Seen[] = [];
let answer: (request: Seen, response: ServerResponse) => void;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const one = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(one);
      answer(one, response);
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const json = (response: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/fhir+json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
};

describe('FhirClient over node:http', () => {
  it('sends transactions and searches as FHIR JSON with the token, on one kept-alive socket', async () => {
    answer = (request, response) => json(response, 200, { resourceType: 'Bundle', type: request.method === 'GET' ? 'searchset' : 'transaction-response', entry: [] });
    const client = new FhirClient({ baseUrl, bearerToken: 'secret' });
    const before = { connections, seen: seen.length };
    for (let n = 0; n < 5; n++) await client.transaction({ resourceType: 'Bundle', type: 'transaction', entry: [{ request: { method: 'POST', url: 'Patient' }, resource: { resourceType: 'Patient', gender: 'female' } }] });
    const found = await client.search('Patient', { identifier: 'https://example.org/sid|A,https://example.org/sid|B', _count: 2 });
    client.close();
    expect(found.type).toBe('searchset');
    expect(connections - before.connections).toBe(1);
    const requests = seen.slice(before.seen);
    expect(requests.map((request) => `${request.method} ${request.url}`)).toEqual([...Array(5).fill('POST /fhir/'), 'GET /fhir/Patient?identifier=https%3A%2F%2Fexample.org%2Fsid%7CA%2Chttps%3A%2F%2Fexample.org%2Fsid%7CB&_count=2']);
    expect(requests[0]?.headers).toMatchObject({ 'content-type': 'application/fhir+json', accept: 'application/fhir+json', authorization: 'Bearer secret' });
    expect(JSON.parse(requests[0]!.body)).toEqual({ resourceType: 'Bundle', type: 'transaction', entry: [{ request: { method: 'POST', url: 'Patient' }, resource: { resourceType: 'Patient', gender: 'female' } }] });
  });

  it('a 4xx is final and carries the OperationOutcome; 429 and 5xx are retryable; an answer that is not JSON is an error', async () => {
    const client = new FhirClient({ baseUrl });
    const outcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'multiple-matches', diagnostics: 'matched 2' }] };
    answer = (_request, response) => json(response, 412, outcome);
    await expect(client.transaction({ resourceType: 'Bundle', type: 'transaction' })).rejects.toMatchObject({ kind: 'http', status: 412, retryable: false, outcome, message: 'FHIR transaction: HTTP 412 (multiple-matches)' });
    for (const status of [429, 503]) {
      answer = (_request, response) => json(response, status, {});
      await expect(client.search('Patient', {})).rejects.toMatchObject({ kind: 'http', status, retryable: true });
    }
    answer = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html>proxy error</html>');
    };
    await expect(client.search('Patient', {})).rejects.toMatchObject({ kind: 'http', status: 200 });
    client.close();
  });

  it('no answer in time is a retryable timeout; a reset connection a retryable network error', async () => {
    const client = new FhirClient({ baseUrl, timeoutMs: 150 });
    answer = () => undefined; // hangs
    await expect(client.transaction({ resourceType: 'Bundle', type: 'transaction' })).rejects.toMatchObject({ kind: 'timeout', retryable: true });
    answer = (_request, response) => response.socket?.destroy();
    await expect(client.transaction({ resourceType: 'Bundle', type: 'transaction' })).rejects.toMatchObject({ kind: 'network', retryable: true });
    answer = (_request, response) => json(response, 200, { resourceType: 'Bundle', type: 'transaction-response' });
    await expect(client.transaction({ resourceType: 'Bundle', type: 'transaction' })).resolves.toMatchObject({ type: 'transaction-response' });
    client.close();
  });
});
