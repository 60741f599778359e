// What can be refused from the headers is refused before the body is read: an upload without a valid key,
// one announcing more than BODY_LIMIT, and a client waiting on "Expect: 100-continue". The refusal comes at
// once and the connection is closed, so a 100 MB upload is not read to its end.
import { connect, type Socket } from 'node:net';
import { ancEncounter } from '../support/fixtures.js';
import { startTestService, type TestService } from '../support/service.js';

let api: TestService;
beforeAll(async () => {
  api = await startTestService('before-body', { BODY_LIMIT: '64kb' }, { workers: false });
});
afterAll(async () => api.stop());

interface RawExchange {
  /** Everything the server wrote, as text. */
  answer: string;
  /** Body bytes the client managed to write before the server closed the connection or answered. */
  bodyBytesSent: number;
  closedByServer: boolean;
}

/**
 * Sends request headers, then body chunks of 64 KiB up to `bodyBytes` (or until told to stop), reading
 * what the server says. Resolves when the server closes the connection, or after `settleMs` of quiet.
 */
function rawUpload(headers: string[], bodyBytes: number, options: { waitForContinue?: boolean; settleMs?: number } = {}): Promise<RawExchange> {
  const url = new URL(api.url);
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(Number(url.port), url.hostname);
    let answer = '';
    let sent = 0;
    let closedByServer = false;
    let stopped = false;
    let quiet: NodeJS.Timeout | undefined;
    const finish = () => {
      if (stopped) return;
      stopped = true;
      clearTimeout(quiet);
      socket.destroy();
      resolve({ answer, bodyBytesSent: sent, closedByServer });
    };
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (!stopped && sent < bodyBytes && answer === '') {
        sent += chunk.length;
        if (!socket.write(chunk)) {
          socket.once('drain', pump);
          return;
        }
      }
    };
    socket.on('data', (data) => {
      answer += data.toString('latin1');
      clearTimeout(quiet);
      quiet = setTimeout(finish, options.settleMs ?? 500);
    });
    socket.on('end', () => {
      closedByServer = true;
      finish();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') {
        closedByServer = true;
        finish();
      } else reject(error);
    });
    socket.on('connect', () => {
      socket.write([...headers, '', ''].join('\r\n'));
      if (!options.waitForContinue) pump();
      else quiet = setTimeout(finish, options.settleMs ?? 1000);
    });
  });
}

const HUNDRED_MB = 100 * 1024 * 1024;

test('an unauthenticated 100 MB upload gets its 401 at once and its connection is closed, its body unread', async () => {
  const exchange = await rawUpload(
    ['POST /api/v1/encounters HTTP/1.1', `Host: 127.0.0.1`, 'Content-Type: application/json', `Content-Length: ${HUNDRED_MB}`],
    HUNDRED_MB,
  );
  expect(exchange.answer).toMatch(/^HTTP\/1\.1 401 /);
  expect(exchange.answer).toMatch(/connection: close/i);
  expect(exchange.closedByServer).toBe(true);
  // Far less than the announced size crossed before the refusal stopped the client.
  expect(exchange.bodyBytesSent).toBeLessThan(HUNDRED_MB / 10);
});

test('"Expect: 100-continue" without a valid key gets 401, never "100 Continue"', async () => {
  for (const authorization of [[], ['Authorization: Bearer smc_not-a-key']]) {
    const exchange = await rawUpload(
      ['POST /api/v1/encounters HTTP/1.1', 'Host: 127.0.0.1', 'Content-Type: application/json', 'Content-Length: 1000000', 'Expect: 100-continue', ...authorization],
      0,
      { waitForContinue: true },
    );
    expect(exchange.answer).not.toMatch(/100 Continue/);
    expect(exchange.answer).toMatch(/^HTTP\/1\.1 401 /);
  }
});

test('"Expect: 100-continue" with a valid key and a body within BODY_LIMIT gets "100 Continue"', async () => {
  const exchange = await rawUpload(
    ['POST /api/v1/encounters HTTP/1.1', 'Host: 127.0.0.1', 'Content-Type: application/json', 'Content-Length: 1000', 'Expect: 100-continue', `Authorization: Bearer ${api.key}`],
    0,
    { waitForContinue: true },
  );
  expect(exchange.answer).toMatch(/^HTTP\/1\.1 100 Continue/);
});

test('a Content-Length over BODY_LIMIT gets 413 at once, compressed or not, with "Expect: 100-continue" or not', async () => {
  for (const extra of [[], ['Content-Encoding: gzip'], ['Expect: 100-continue']]) {
    const exchange = await rawUpload(
      ['POST /api/v1/encounters HTTP/1.1', 'Host: 127.0.0.1', 'Content-Type: application/json', `Content-Length: ${HUNDRED_MB}`, `Authorization: Bearer ${api.key}`, ...extra],
      extra.includes('Expect: 100-continue') ? 0 : HUNDRED_MB,
      { waitForContinue: extra.includes('Expect: 100-continue') },
    );
    expect(exchange.answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(exchange.answer).toMatch(/BODY_LIMIT/);
    expect(exchange.bodyBytesSent).toBeLessThan(HUNDRED_MB / 10);
  }
});

test('after a refusal, an ordinary request on a new connection is served', async () => {
  expect((await api.post(ancEncounter({ id: 'after-refusals' }))).status).toBe(202);
});
