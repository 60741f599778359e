// The HTTP side both stand-ins (DHIS2, FHIR) share: a node:http server that hands each request to a core and
// acts out the transport fault the core asks for (a reset connection, an answer that never comes, a late
// one), so clients meet these faults the way they would on a real network. When the core's answer is a
// proxy plan (DHIS2 route runs), the server makes the outbound request and sends the plan's answer.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { resolveProxy, type ProxyPlan } from './outbound.js';

export type TransportFault = { kind: 'reset' } | { kind: 'hang' } | { kind: 'delay'; ms: number };

export interface CoreAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** When set, sent instead of `body`, byte for byte (proxied answers). */
  rawBody?: Uint8Array;
  transport?: TransportFault;
  /** The answer depends on an outbound request the transport must make (see outbound.ts). */
  proxy?: ProxyPlan;
}

/** A request as the cores read it: method, URL, headers (one string each), body text and bytes. */
export interface PlainRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string | undefined;
  /** The body as received, for cores that pass bytes on (undefined when there is none). */
  rawBody?: Buffer;
}

export interface RunningHttpServer {
  /** `http://host:port`, no trailing slash. */
  origin: string;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return chunks.length === 0 ? undefined : Buffer.concat(chunks);
}

export async function readPlainRequest(request: IncomingMessage): Promise<PlainRequest> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const rawBody = await readBody(request);
  return { method: request.method ?? 'GET', url: new URL(request.url ?? '/', 'http://stand-in'), headers, body: rawBody?.toString('utf8'), rawBody };
}

export async function startFaultActingServer(
  answer: (request: PlainRequest) => CoreAnswer | Promise<CoreAnswer>,
  options: { port?: number; host?: string } = {},
): Promise<RunningHttpServer> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      const reply = await resolveProxy(await answer(await readPlainRequest(request)));
      const transport = reply.transport;
      if (transport?.kind === 'reset') {
        request.socket.destroy();
        return;
      }
      if (transport?.kind === 'hang') return; // left open until the client gives up or the server closes
      const send = (): void => {
        response.writeHead(reply.status, reply.headers);
        response.end(reply.rawBody ?? reply.body);
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
    origin: `http://${host}:${address.port}`,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
