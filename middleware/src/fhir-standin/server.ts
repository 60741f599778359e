// The FHIR stand-in as an HTTP server (node:http) speaking application/fhir+json under `/fhir`, for
// fhir-kit-client, end-to-end tests and the demo. Acts out transport faults (reset, hang, delay).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { FhirStandIn, type FhirStandInOptions } from './stand-in.js';

export const FHIR_BASE_PATH = '/fhir';

export interface FhirStandInServerOptions extends FhirStandInOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  standIn?: FhirStandIn;
}

export interface FhirStandInServer {
  /** The FHIR base URL, e.g. http://127.0.0.1:41234/fhir */
  baseUrl: string;
  standIn: FhirStandIn;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return chunks.length === 0 ? undefined : Buffer.concat(chunks).toString('utf8');
}

export async function startFhirStandInServer(options: FhirStandInServerOptions = {}): Promise<FhirStandInServer> {
  const standIn = options.standIn ?? new FhirStandIn(options);
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://stand-in');
      if (url.pathname !== FHIR_BASE_PATH && !url.pathname.startsWith(`${FHIR_BASE_PATH}/`)) {
        response.writeHead(404, { 'content-type': 'text/plain' });
        response.end(`the FHIR API is under ${FHIR_BASE_PATH}`);
        return;
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      const answer = await standIn.handle({
        method: request.method ?? 'GET',
        path: url.pathname.slice(FHIR_BASE_PATH.length) || '/',
        search: url.search.replace(/^\?/, ''),
        headers,
        body: await readBody(request),
      });
      const transport = answer.transport;
      if (transport?.kind === 'reset') {
        request.socket.destroy();
        return;
      }
      if (transport?.kind === 'hang') return;
      const send = (): void => {
        response.writeHead(answer.status, answer.headers);
        response.end(answer.body);
      };
      if (transport?.kind === 'delay') {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!response.destroyed) send();
        }, transport.ms);
        timers.add(timer);
        return;
      }
      send();
    })().catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(String(error));
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    baseUrl: `http://${host}:${address.port}${FHIR_BASE_PATH}`,
    standIn,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
