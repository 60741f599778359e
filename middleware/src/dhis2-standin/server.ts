// The stand-in as a real HTTP server (node:http), for end-to-end tests, the demo and benchmarks: it carries
// requests to the core and acts out transport faults (reset, hang, delay). Serves `/api/...` and the
// versioned `/api/41/...` form (reference/dhis2-web-api.md §0).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Dhis2StandIn, type Dhis2StandInOptions } from './stand-in.js';
import type { Dhis2Request } from './types.js';

export interface Dhis2StandInServerOptions extends Dhis2StandInOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Serve an existing core instead of building one from the other options. */
  standIn?: Dhis2StandIn;
}

export interface Dhis2StandInServer {
  /** Base URL without a trailing slash; the API is under `${url}/api`. */
  url: string;
  standIn: Dhis2StandIn;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return chunks.length === 0 ? undefined : Buffer.concat(chunks).toString('utf8');
}

export async function toDhis2Request(request: IncomingMessage): Promise<Dhis2Request> {
  const url = new URL(request.url ?? '/', 'http://stand-in');
  const query: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) (query[name] ??= []).push(value);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { method: request.method ?? 'GET', path: url.pathname, query, headers, body: await readBody(request) };
}

export async function startDhis2StandInServer(options: Dhis2StandInServerOptions = {}): Promise<Dhis2StandInServer> {
  const standIn = options.standIn ?? new Dhis2StandIn(options);
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      const answer = standIn.handle(await toDhis2Request(request));
      const transport = answer.transport;
      if (transport?.kind === 'reset') {
        request.socket.destroy();
        return;
      }
      if (transport?.kind === 'hang') return; // left open until the client gives up or the server closes
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
    url: `http://${host}:${address.port}`,
    standIn,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
