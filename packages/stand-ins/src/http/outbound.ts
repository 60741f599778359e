// Outbound requests a stand-in core asks its transport to make (DHIS2's route run: /api/routes/{id}/run).
// The core stays synchronous and pure: it decides the target, method, headers, body and timeout, and how
// the upstream's outcome becomes the answer (`ProxyPlan.respond`); the transport (node:http server, msw)
// performs the request with node:http and hands the outcome back. Bodies are bytes both ways.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';

export interface OutboundRequest {
  method: string;
  /** Absolute http(s) URL, query included. */
  url: string;
  /** Header lines in order; a name may repeat. */
  headers: [string, string][];
  body?: Uint8Array;
  /** Socket inactivity allowed while waiting for (and reading) the answer. */
  timeoutMs: number;
  /**
   * Decode a gzip / x-gzip / deflate answer and drop its content-encoding, content-length and content-md5,
   * as Apache HttpClient 4's ResponseContentEncoding does (DHIS2 2.40–2.41 route runs); otherwise the bytes
   * and headers stay as the upstream sent them.
   */
  decompress: boolean;
}

export type UpstreamOutcome =
  | { kind: 'response'; status: number; headers: [string, string][]; body: Uint8Array }
  /** No byte for `timeoutMs`. */
  | { kind: 'timeout' }
  /** The connection could not be made or broke (refused, reset, DNS …). */
  | { kind: 'failure'; code?: string; message: string };

/** What a core returns in place of an answer when the answer depends on an outbound request. */
export interface ProxyPlan {
  request: OutboundRequest;
  /** Builds the answer from the outcome; pure, so the core decides every status and header. */
  respond(outcome: UpstreamOutcome): import('./fault-acting-server.js').CoreAnswer;
}

function headerPairs(raw: string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i] as string, raw[i + 1] as string]);
  return pairs;
}

function decode(encoding: string, body: Buffer): Buffer | null {
  try {
    if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(body);
    if (encoding === 'deflate') {
      // DeflateInputStream accepts zlib-wrapped and raw deflate alike.
      try {
        return inflateSync(body);
      } catch {
        return inflateRawSync(body);
      }
    }
  } catch {
    return null;
  }
  return null;
}

function decompressed(outcome: Extract<UpstreamOutcome, { kind: 'response' }>): UpstreamOutcome {
  const encoding = outcome.headers.find(([name]) => name.toLowerCase() === 'content-encoding')?.[1].trim().toLowerCase();
  if (!encoding || outcome.body.length === 0) return outcome;
  const body = decode(encoding, Buffer.from(outcome.body));
  if (!body) return outcome;
  const dropped = new Set(['content-encoding', 'content-length', 'content-md5']);
  return { ...outcome, headers: outcome.headers.filter(([name]) => !dropped.has(name.toLowerCase())), body };
}

/** Performs the request; never rejects. */
export function performOutbound(outbound: OutboundRequest): Promise<UpstreamOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: UpstreamOutcome): void => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    let url: URL;
    try {
      url = new URL(outbound.url);
    } catch (error) {
      settle({ kind: 'failure', message: error instanceof Error ? error.message : String(error) });
      return;
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    // An object (a repeated name becomes one line per value); node adds Host and Content-Length itself.
    const headers: Record<string, string | string[]> = {};
    const spelling = new Map<string, string>();
    for (const [name, value] of outbound.headers) {
      const key = spelling.get(name.toLowerCase()) ?? name;
      spelling.set(name.toLowerCase(), key);
      const existing = headers[key];
      headers[key] = existing === undefined ? value : [...[existing].flat(), value];
    }
    // Framing is the client's business (HttpClient, Reactor Netty): the length of the body it sends. node
    // would frame a DELETE body by closing the connection, which no server reads as a body.
    const body = outbound.body && outbound.body.length > 0 ? Buffer.from(outbound.body) : undefined;
    if (body && !spelling.has('content-length')) headers['Content-Length'] = String(body.length);
    const request = send(url, { method: outbound.method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const outcome: Extract<UpstreamOutcome, { kind: 'response' }> = {
          kind: 'response',
          status: response.statusCode ?? 502,
          headers: headerPairs(response.rawHeaders),
          body: Buffer.concat(chunks),
        };
        settle(outbound.decompress ? decompressed(outcome) : outcome);
      });
      response.on('error', (error: NodeJS.ErrnoException) => settle({ kind: 'failure', code: error.code, message: error.message }));
    });
    request.setTimeout(outbound.timeoutMs, () => {
      settle({ kind: 'timeout' });
      request.destroy();
    });
    request.on('error', (error: NodeJS.ErrnoException) => settle({ kind: 'failure', code: error.code, message: error.message }));
    request.end(body);
  });
}

/**
 * The answer to send: a core answer as it is, or, when it carries a proxy plan, the plan's answer to the
 * outcome of its outbound request (a transport fault the core asked for is kept).
 */
export async function resolveProxy(
  answer: import('./fault-acting-server.js').CoreAnswer,
): Promise<import('./fault-acting-server.js').CoreAnswer> {
  if (!answer.proxy) return answer;
  const outcome = await performOutbound(answer.proxy.request);
  const resolved = answer.proxy.respond(outcome);
  return answer.transport ? { ...resolved, transport: answer.transport } : resolved;
}
