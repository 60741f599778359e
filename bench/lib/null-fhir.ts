// A FHIR server that does nothing and answers at once, so a benchmark measures the sender's cost and not the
// server's: a transaction or batch gets a valid `transaction-response` / `batch-response` (201 Created with a
// location for a POST, 200 OK for anything else; a GET entry gets an empty searchset), and a search (GET
// [type]?…, e.g. the delivery's Patient search) an empty searchset Bundle. It counts what it was sent.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bundle, BundleEntry } from '@medplum/fhirtypes';

export interface NullFhirServer {
  baseUrl: string;
  counts: { transactions: number; batches: number; entries: number; searches: number };
  close(): Promise<void>;
}

const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const EMPTY_SEARCHSET = JSON.stringify({ resourceType: 'Bundle', type: 'searchset', total: 0, entry: [] } satisfies Bundle);

function answerEntry(entry: BundleEntry, serial: number): BundleEntry {
  const method = entry.request?.method ?? 'POST';
  if (method === 'GET') return { resource: { resourceType: 'Bundle', type: 'searchset', total: 0, entry: [] }, response: { status: '200 OK' } };
  const type = (entry.resource?.resourceType ?? entry.request?.url.split(/[/?]/)[0]) || 'Resource';
  return { response: { status: method === 'POST' ? '201 Created' : '200 OK', location: `${type}/null-${serial}/_history/1`, etag: 'W/"1"' } };
}

export async function startNullFhirServer(): Promise<NullFhirServer> {
  const counts = { transactions: 0, batches: 0, entries: 0, searches: 0 };
  let serial = 0;
  const send = (response: ServerResponse, status: number, body: string) => {
    response.writeHead(status, { 'content-type': FHIR_JSON, 'content-length': Buffer.byteLength(body) });
    response.end(body);
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method === 'GET') {
        counts.searches++;
        return send(response, 200, EMPTY_SEARCHSET);
      }
      const bundle = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Bundle;
      if (request.method !== 'POST' || bundle.resourceType !== 'Bundle' || (bundle.type !== 'transaction' && bundle.type !== 'batch')) {
        return send(response, 400, JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-supported' }] }));
      }
      if (bundle.type === 'transaction') counts.transactions++;
      else counts.batches++;
      const entries = bundle.entry ?? [];
      counts.entries += entries.length;
      const answer: Bundle = { resourceType: 'Bundle', type: bundle.type === 'transaction' ? 'transaction-response' : 'batch-response', entry: entries.map((entry) => answerEntry(entry, ++serial)) };
      send(response, 200, JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/fhir`,
    counts,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
