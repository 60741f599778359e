// The HTTP application: public health, metrics and OpenAPI; everything under /api/v1 behind an API key,
// checked from the headers before any body is read (so is a Content-Length over BODY_LIMIT). Which scope
// each endpoint needs is decided beside it (requireScope). Every failure answers as a problem document
// with a 4xx, or a 503 when Redis is away; a 500 means a bug.
import { createServer, STATUS_CODES, type IncomingHttpHeaders, type Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { RedisClient } from '../redis/connection.js';
import { pinoHttp } from 'pino-http';
import type { ApiKeyEntry } from '../config/api-keys.js';
import type { EncounterStore } from '../ingest/encounter-store.js';
import type { IngestDeps } from '../ingest/ingest-encounters.js';
import { ingestRouter } from './ingest-routes.js';
import type { BatchValidator } from '../ingest/validation-threads.js';
import type { Logger } from '../logging/logger.js';
import { redisAnswers } from '../redis/connection.js';
import { statusRouter } from './status-routes.js';
import { provenanceRouter } from './provenance-routes.js';
import { deadLetterRouter } from './dead-letter-routes.js';
import { dataQualityRouter } from './data-quality-routes.js';
import type { QualityFlags } from '../quality/flag-store.js';
import type { ScorecardStore } from '../quality/scorecard-store.js';
import { patientRouter } from './patient-routes.js';
import type { PatientIndex } from '../patients/patient-index.js';
import type { UserFacilities } from '../dhis2/user-facilities.js';
import { queueBoardRouter } from './queue-board.js';
import type { Queue } from 'bullmq';
import type { Ledger } from '../ledger/ledger.js';
import type { Mappings } from '../mapping/load-mappings.js';
import { identify, requireApiKey } from '../http/auth.js';
import type { ServiceMetrics } from '../metrics/service-metrics.js';
import { buildOpenApiDocument } from '../http/openapi.js';
import { HttpProblem, problem, sendProblem, type Problem } from '../http/problem.js';
import { NOT_UTF8 } from '../http/utf8.js';

export interface AppOptions {
  apiKeys: readonly ApiKeyEntry[];
  bodyLimitBytes: number;
  maxBatch: number;
  redis: RedisClient;
  store: EncounterStore;
  ledger: Ledger;
  /** The data-quality flags standing on DHIS2 cells (quality/). */
  flags: QualityFlags;
  /** The nightly district scorecards the workers store. */
  scorecards: ScorecardStore;
  mappings: Mappings;
  patients: PatientIndex;
  /** Which facilities a DHIS2 user may see (needs DHIS2); without it the app's patient list answers 503. */
  facilities?: UserFacilities;
  /** Every queue (the registry's): their failed jobs form the dead-letter list. */
  queues: () => readonly Queue[];
  ingest: IngestDeps;
  /** Where request bodies are parsed and validated (in place or in worker threads). */
  validator: BatchValidator;
  metrics: ServiceMetrics;
  logger: Logger;
  now?: () => Date;
}

/** body-parser reports its failures with a `type`; each maps to the 4xx a client can act on. */
const BODY_ERRORS: Record<string, (error: Error, bodyLimitBytes: number) => Problem> = {
  // The ingest routes' limit is BODY_LIMIT; the operators' forms and replays have small fixed limits of their own.
  'entity.too.large': (error, bodyLimitBytes) => {
    const limit = (error as Error & { limit?: number }).limit;
    if (limit === undefined || limit === bodyLimitBytes) return problem('payload-too-large', `the body is larger than the configured limit (BODY_LIMIT, ${bodyLimitBytes} bytes)`);
    return problem('payload-too-large', `the body is larger than this route accepts (${limit} bytes)`);
  },
  'entity.parse.failed': () => problem('malformed-json', 'the body is not valid JSON'),
  'entity.verify.failed': (error) => (error.message === NOT_UTF8 ? problem('malformed-json', NOT_UTF8) : problem('invalid-request', 'the body could not be verified')),
  'encoding.unsupported': () => problem('unsupported-media-type', 'Content-Encoding must be gzip, deflate, br or identity'),
  'charset.unsupported': () => problem('unsupported-media-type', 'the JSON body must be UTF-8'),
  'request.aborted': () => problem('invalid-request', 'the request was aborted before its body arrived'),
  'request.size.invalid': () => problem('invalid-request', 'the body is shorter or longer than its Content-Length'),
  'parameters.too.many': () => problem('invalid-request', 'too many parameters'),
};

/** Express's router marks a path it cannot percent-decode with status 400 and a URIError. */
function isBadPathEncoding(error: Error & { status?: number }): boolean {
  return error instanceof URIError && error.status === 400;
}

/** zlib's errors while inflating a gzip or deflate body (Z_DATA_ERROR, Z_BUF_ERROR, unexpected end…). */
function isBadCompression(error: Error & { code?: string }): boolean {
  return typeof error.code === 'string' && /^Z_/.test(error.code);
}

/** Which of a request's problems can be answered from its headers alone, before its body is read. */
export function refusalBeforeBody(
  options: Pick<AppOptions, 'apiKeys' | 'bodyLimitBytes'>,
  req: { url?: string | undefined; method?: string | undefined; headers: IncomingHttpHeaders },
): { problem: Problem; headers: Record<string, string> } | undefined {
  if (!(req.url ?? '').startsWith('/api/v1/') || (req.url ?? '').startsWith('/api/v1/openapi.json')) return undefined;
  const identification = identify(options.apiKeys, req.headers);
  if ('refusal' in identification) return { problem: identification.refusal, headers: identification.headers };
  const length = Number(req.headers['content-length'] ?? 0);
  if (length > options.bodyLimitBytes) {
    return { problem: problem('payload-too-large', `the body (${length} bytes) is larger than the configured limit (BODY_LIMIT, ${options.bodyLimitBytes} bytes)`), headers: {} };
  }
  return undefined;
}

function isRedisUnavailable(error: Error): boolean {
  return (
    error.name === 'MaxRetriesPerRequestError' ||
    /Connection is closed|enableOfflineQueue|ECONNREFUSED|ECONNRESET|ETIMEDOUT|Stream isn't writeable/i.test(error.message)
  );
}

export function createApp(options: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(options.metrics.timeRequests());
  app.use(
    pinoHttp({
      logger: options.logger,
      // Only the method, the path and the status: no headers (API keys), no bodies (patient data).
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
    }),
  );

  app.get('/health', async (_req, res) => {
    const up = await redisAnswers(options.redis);
    res.status(up ? 200 : 503).json({ status: up ? 'ok' : 'unavailable', redis: up ? 'up' : 'down' });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
  });
  const openApi = buildOpenApiDocument();
  app.get('/api/v1/openapi.json', (_req, res) => {
    res.json(openApi);
  });

  app.use(queueBoardRouter({ apiKeys: options.apiKeys, queues: options.queues }));

  const api = express.Router();
  api.use(requireApiKey(options.apiKeys));
  api.use((req, res, next) => {
    const refusal = refusalBeforeBody(options, { url: req.originalUrl, method: req.method, headers: req.headers });
    if (refusal) sendProblem(res, refusal.problem, refusal.headers);
    else next();
  });
  api.use(
    ingestRouter({
      deps: options.ingest,
      validator: options.validator,
      metrics: options.metrics,
      bodyLimitBytes: options.bodyLimitBytes,
      maxBatch: options.maxBatch,
      ...(options.now ? { now: options.now } : {}),
    }),
  );
  api.use(statusRouter(options.store));
  api.use(patientRouter({ index: options.patients, ...(options.facilities ? { facilities: options.facilities } : {}) }));
  api.use(provenanceRouter(options.ledger, options.mappings, options.flags));
  api.use(deadLetterRouter(options.queues));
  api.use(dataQualityRouter(options.flags, options.scorecards));
  // A route that exists answers any other method with 405 and the methods it takes, not with 404.
  const allowOnly = (paths: string[], methods: string) =>
    api.all(paths, (req, res) => sendProblem(res, problem('method-not-allowed', `${req.method} is not allowed here; use ${methods}`), { Allow: methods }));
  allowOnly(['/encounters', '/dead-letters/replay'], 'POST');
  allowOnly(['/app/encounters'], 'GET, HEAD, POST');
  allowOnly(['/encounters/:source/:id', '/app/encounters/:id', '/app/patients', '/provenance', '/data-quality', '/data-quality/scorecard', '/dead-letters'], 'GET, HEAD');
  app.use('/api/v1', api);

  app.use((req, res) => {
    sendProblem(res, problem('not-found', `no route ${req.method} ${req.path}`));
  });

  app.use((error: Error & { type?: string; status?: number; statusCode?: number; code?: string }, req: Request, res: Response, _next: NextFunction) => {
    const status = error.status ?? error.statusCode;
    if (error instanceof HttpProblem) {
      sendProblem(res, error.problem, error.headers);
    } else if (error.type !== undefined && BODY_ERRORS[error.type] !== undefined) {
      sendProblem(res, BODY_ERRORS[error.type]!(error, options.bodyLimitBytes));
    } else if (isBadCompression(error)) {
      const encoding = req.get('content-encoding') ?? 'compressed';
      sendProblem(res, problem('invalid-request', `the body is not valid ${encoding} data (Content-Encoding: ${encoding}); it may be corrupt or cut short`));
    } else if (isBadPathEncoding(error)) {
      sendProblem(res, problem('invalid-request', 'the path is not valid percent-encoding (a % must be followed by two hex digits)'));
    } else if (status !== undefined && status >= 400 && status < 500) {
      // body-parser and the router set a 4xx on what they refuse; a client error it stays.
      sendProblem(res, problem('invalid-request', `the request could not be read (${error.type ?? error.name})`, { status, title: STATUS_CODES[status] ?? 'Bad Request' }));
    } else if (isRedisUnavailable(error)) {
      req.log.warn({ err: error.message }, 'Redis unavailable');
      sendProblem(res, problem('service-unavailable', 'storage is unavailable; nothing was accepted, retry later'), { 'Retry-After': '5' });
    } else {
      // The message of an unexpected error can quote input (patient data): only its name and where it was thrown.
      req.log.error({ err: { name: error.name, stack: stackFrames(error) } }, 'unexpected error');
      sendProblem(res, problem('internal-error', 'an unexpected error occurred'));
    }
  });
  return app;
}

/** An error's stack without its first line, which repeats the message. */
function stackFrames(error: Error): string | undefined {
  return error.stack?.split('\n').slice(1).join('\n');
}

/**
 * The HTTP server of the app. A client that sends `Expect: 100-continue` hears "100 Continue" only when
 * its headers pass (a valid key, a Content-Length within BODY_LIMIT); otherwise it gets the refusal at once
 * and never sends the body.
 */
export function createHttpServer(app: express.Express, options: Pick<AppOptions, 'apiKeys' | 'bodyLimitBytes'>): Server {
  const server = createServer(app);
  server.on('checkContinue', (req, res) => {
    const refusal = refusalBeforeBody(options, req);
    if (refusal === undefined) {
      res.writeContinue();
      app(req, res);
      return;
    }
    res.writeHead(refusal.problem.status, { 'content-type': 'application/problem+json', connection: 'close', ...refusal.headers });
    res.end(JSON.stringify(refusal.problem));
  });
  return server;
}
