// The HTTP application: public health, metrics and OpenAPI; everything under /api/v1 behind an API key.
// Every failure answers as a problem document with a 4xx, or a 503 when Redis is away; a 500 means a bug.
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Redis } from 'ioredis';
import { pinoHttp } from 'pino-http';
import type { ApiKeyEntry } from '../config/api-keys.js';
import type { EncounterStore } from '../ingest/encounter-store.js';
import type { IngestDeps } from '../ingest/ingest-encounters.js';
import { ingestRouter } from '../ingest/routes.js';
import type { Logger } from '../logging/logger.js';
import { redisAnswers } from '../redis/connection.js';
import { statusRouter } from '../status/routes.js';
import { provenanceRouter } from '../status/provenance-routes.js';
import { deadLetterRouter } from '../delivery/dead-letter-routes.js';
import type { Queue } from 'bullmq';
import type { Ledger } from '../ledger/ledger.js';
import type { Mappings } from '../mapping/load-mappings.js';
import { requireApiKey } from './auth.js';
import type { ServiceMetrics } from './metrics.js';
import { buildOpenApiDocument } from './openapi.js';
import { HttpProblem, problem, sendProblem, type Problem } from './problem.js';

export interface AppOptions {
  apiKeys: readonly ApiKeyEntry[];
  bodyLimitBytes: number;
  maxBatch: number;
  redis: Redis;
  store: EncounterStore;
  ledger: Ledger;
  mappings: Mappings;
  /** Queues whose failed jobs form the dead-letter list. */
  deadLetterQueues: readonly Queue[];
  ingest: IngestDeps;
  metrics: ServiceMetrics;
  logger: Logger;
  now?: () => Date;
}

/** body-parser reports its failures with a `type`; each maps to the 4xx a client can act on. */
const BODY_ERRORS: Record<string, (error: Error) => Problem> = {
  'entity.too.large': () => problem('payload-too-large', 'the body is larger than the configured limit (BODY_LIMIT)'),
  'entity.parse.failed': () => problem('malformed-json', 'the body is not valid JSON'),
  'entity.verify.failed': () => problem('invalid-request', 'the body could not be verified'),
  'encoding.unsupported': () => problem('unsupported-media-type', 'Content-Encoding must be gzip, deflate, br or identity'),
  'charset.unsupported': () => problem('unsupported-media-type', 'the JSON body must be UTF-8'),
  'request.aborted': () => problem('invalid-request', 'the request was aborted before its body arrived'),
  'request.size.invalid': () => problem('invalid-request', 'the body is shorter or longer than its Content-Length'),
  'parameters.too.many': () => problem('invalid-request', 'too many parameters'),
};

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

  const api = express.Router();
  api.use(requireApiKey(options.apiKeys));
  api.use(
    ingestRouter({
      deps: options.ingest,
      metrics: options.metrics,
      bodyLimitBytes: options.bodyLimitBytes,
      maxBatch: options.maxBatch,
      ...(options.now ? { now: options.now } : {}),
    }),
  );
  api.use(statusRouter(options.store));
  api.use(provenanceRouter(options.ledger, options.mappings));
  api.use(deadLetterRouter(options.deadLetterQueues));
  api.all('/encounters', (req, res) => {
    sendProblem(res, problem('method-not-allowed', `${req.method} is not allowed here; use POST`), { Allow: 'POST' });
  });
  app.use('/api/v1', api);

  app.use((req, res) => {
    sendProblem(res, problem('not-found', `no route ${req.method} ${req.path}`));
  });

  app.use((error: Error & { type?: string }, req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof HttpProblem) {
      sendProblem(res, error.problem, error.headers);
    } else if (error.type !== undefined && BODY_ERRORS[error.type] !== undefined) {
      sendProblem(res, BODY_ERRORS[error.type]!(error));
    } else if (isRedisUnavailable(error)) {
      req.log.warn({ err: error.message }, 'Redis unavailable');
      sendProblem(res, problem('service-unavailable', 'storage is unavailable; nothing was accepted, retry later'), { 'Retry-After': '5' });
    } else {
      req.log.error({ err: { name: error.name, message: error.message, stack: error.stack } }, 'unexpected error');
      sendProblem(res, problem('internal-error', 'an unexpected error occurred'));
    }
  });
  return app;
}
