// Configuration from the environment, validated once at start. A bad value stops the process with a message
// naming the variable; secrets (tokens, passwords) are kept out of anything that describes the config.
import bytes from 'bytes';
import { isTimeZone } from '@smc-bridge/contract';
import { z } from 'zod';
import { parseApiKeys, type ApiKeyEntry } from './api-keys.js';
import { parseRedisUrl, redactUrl } from '../redis/connection.js';

export const MAX_BATCH_SIZE = 1000;

/** The Web API version the DHIS2 client pins in its paths: the compose stack runs DHIS2 2.41. */
export const DEFAULT_DHIS2_API_VERSION = 41;

const url = (protocols: string[]) =>
  // zod runs the refinement even when the URL check failed, hence the canParse guard.
  z.url({ error: 'must be a URL' }).refine((value) => !URL.canParse(value) || protocols.includes(new URL(value).protocol), {
    message: `must start with ${protocols.map((p) => p + '//').join(' or ')}`,
  });

const integer = (min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

const EnvSchema = z
  .object({
    PORT: integer(0, 65535).default(8080),
    HOST: z.string().min(1).default('0.0.0.0'),
    REDIS_URL: z
      .string()
      .default('redis://127.0.0.1:6379')
      .superRefine((value, ctx) => {
        try {
          if (parseRedisUrl(value).kind === 'cluster') return;
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
          return;
        }
        if (!URL.canParse(value)) ctx.addIssue({ code: 'custom', message: 'must be a URL' });
        else if (!['redis:', 'rediss:'].includes(new URL(value).protocol)) {
          ctx.addIssue({ code: 'custom', message: 'must start with redis:// or rediss:// (one Redis) or redis+cluster:// or rediss+cluster:// (a Redis Cluster)' });
        }
      }),
    REDIS_PREFIX: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,30}$/, 'must be lowercase letters, digits and "-"')
      .default('smc'),
    API_KEYS: z
      .string()
      .default('')
      .transform((value, ctx) => {
        try {
          return parseApiKeys(value);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
          return z.NEVER;
        }
      }),
    BODY_LIMIT: z
      .string()
      .default('5mb')
      .transform((value, ctx) => {
        const parsed = bytes.parse(value);
        if (parsed === null || !Number.isFinite(parsed) || parsed < 1024) {
          ctx.addIssue({ code: 'custom', message: 'must be a size of at least 1kb, such as 512kb or 5mb' });
          return z.NEVER;
        }
        return parsed;
      }),
    MAX_BATCH: integer(1, MAX_BATCH_SIZE).default(MAX_BATCH_SIZE),
    INGEST_THREADS: integer(0, 16).default(0),
    WORKER_CONCURRENCY: integer(1, 256).default(4),
    INBOX_SWEEP_AFTER_SECONDS: integer(10, 86_400).default(900),
    JOB_LOCK_SECONDS: integer(1, 600).default(30),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DHIS2_URL: url(['http:', 'https:']).optional(),
    DHIS2_API_VERSION: integer(38, 99).default(DEFAULT_DHIS2_API_VERSION),
    DHIS2_TIMEOUT_SECONDS: integer(1, 600).default(30),
    METRICS_PORT: integer(0, 65535).default(9464),
    DHIS2_TOKEN: z.string().min(1).optional(),
    DHIS2_USERNAME: z.string().min(1).optional(),
    DHIS2_PASSWORD: z.string().min(1).optional(),
    FHIR_URL: url(['http:', 'https:']).optional(),
    FHIR_TOKEN: z.string().min(1).optional(),
    FHIR_CONCURRENCY: integer(1, 64).default(16),
    FHIR_COMBINE_UPLOADS: integer(1, 100).default(20),
    FHIR_JOB_ENCOUNTERS: integer(1, 100).default(16),
    FHIR_TIMEOUT_SECONDS: integer(1, 300).default(30),
    MADX_ENABLED: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
    MAPPINGS_DIR: z.string().min(1).optional(),
    DHIS2_PUSH_DELAY_MS: integer(0, 600_000).default(2000),
    DHIS2_PUSH_CONCURRENCY: integer(1, 64).default(8),
    DHIS2_PUSH_RIDERS: integer(0, 200).default(24),
    DATA_QUALITY_SCREENING: z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'),
    DATA_QUALITY_FOLLOWUP_DATASETS: z
      .string()
      .default('')
      .transform((value) => value.split(',').map((code) => code.trim()).filter((code) => code !== '')),
    DATA_QUALITY_SCORECARD_CRON: z
      .string()
      .default('0 2 * * *')
      .refine((value) => value === 'off' || /^[\d*,/\-A-Za-z?LW#]+(\s+[\d*,/\-A-Za-z?LW#]+){4,5}$/.test(value.trim()), 'must be a cron pattern of 5 or 6 fields (such as 0 2 * * *) or off'),
    DATA_QUALITY_SCORECARD_TZ: z
      .string()
      .refine(isTimeZone, 'is not an IANA time zone (such as Africa/Douala or Africa/Bamako)')
      .optional(),
    DATA_QUALITY_DISTRICT_LEVEL: z
      .string()
      .default('parent')
      .refine((value) => value === 'parent' || /^[1-9]\d?$/.test(value), 'must be parent (the parent of each facility) or a DHIS2 org unit level number such as 3')
      .transform((value): 'parent' | number => (value === 'parent' ? 'parent' : Number(value))),
    ROUTE_API_KEY: z.string().regex(/^smc_[A-Za-z0-9_-]{20,}$/, 'must be a key made by `smc-bridge keys new`').optional(),
    ROUTE_MIDDLEWARE_URL: url(['http:', 'https:']).default('http://middleware:8080'),
    ROUTE_AUTHORITIES: z
      .string()
      .default('M_smcclinic')
      .transform((value) => value.split(',').map((a) => a.trim()).filter((a) => a !== '')),
  })
  .superRefine((env, ctx) => {
    if (env.DHIS2_USERNAME !== undefined && env.DHIS2_PASSWORD === undefined) {
      ctx.addIssue({ code: 'custom', path: ['DHIS2_PASSWORD'], message: 'is required when DHIS2_USERNAME is set' });
    }
    if (env.DHIS2_PASSWORD !== undefined && env.DHIS2_USERNAME === undefined) {
      ctx.addIssue({ code: 'custom', path: ['DHIS2_USERNAME'], message: 'is required when DHIS2_PASSWORD is set' });
    }
    if (env.DHIS2_TOKEN !== undefined && env.DHIS2_USERNAME !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['DHIS2_TOKEN'], message: 'set either DHIS2_TOKEN or DHIS2_USERNAME/DHIS2_PASSWORD, not both' });
    }
    const needsAuth = env.DHIS2_TOKEN === undefined && env.DHIS2_USERNAME === undefined;
    if (env.DHIS2_URL !== undefined && needsAuth) {
      ctx.addIssue({ code: 'custom', path: ['DHIS2_TOKEN'], message: 'or DHIS2_USERNAME/DHIS2_PASSWORD is required when DHIS2_URL is set' });
    }
  });

export type Dhis2Auth = { kind: 'token'; token: string } | { kind: 'basic'; username: string; password: string };

/** How to reach DHIS2: base URL, credentials, the API version pinned in every path, and the request timeout. */
export interface Dhis2Connection {
  url: string;
  auth: Dhis2Auth;
  apiVersion: number;
  timeoutMs: number;
}

export interface Config {
  port: number;
  host: string;
  redisUrl: string;
  redisPrefix: string;
  apiKeys: ApiKeyEntry[];
  bodyLimitBytes: number;
  maxBatch: number;
  /** Worker threads of the API process that parse and validate large request bodies (0: in the request's thread). */
  ingestThreads: number;
  workerConcurrency: number;
  inboxSweepAfterMs: number;
  /** How long a job stays locked to a worker that stopped answering (crashed, killed) before another takes it. */
  jobLockMs: number;
  logLevel: string;
  dhis2?: Dhis2Connection;
  /** Where a worker process serves its /metrics (a `serve` process serves them on the API port). */
  metricsPort: number;
  fhir?: { url: string; token?: string; concurrency: number; timeoutMs: number; madx: boolean; /** Uploads (of different patients) one transaction may carry; 1 sends each alone. */ combineUploads: number; /** Uploads one queued job carries at most. */ jobEncounters: number };
  /** Folder of the mapping files; the repository's mappings/ when unset. */
  mappingsDir: string;
  /** How long a changed cell group waits before its push, so that changes coalesce. */
  dhis2PushDelayMs: number;
  /** Cell groups one worker process pushes to DHIS2 at once. */
  dhis2PushConcurrency: number;
  /** Other waiting cell groups of the same facility one post may carry along (DHIS2_PUSH_RIDERS). */
  dhis2PushRiders: number;
  /**
   * Data-quality screening of each pushed cell group (quality/): whether it runs, and the data sets whose
   * flagged values are sent to DHIS2 marked for follow-up.
   */
  dataQuality: {
    screening: boolean;
    followupDataSets: string[];
    /** When the worker computes the district scorecard (a cron pattern), or undefined for never. */
    scorecardCron?: string;
    /** The zone of that pattern; the facility table's default zone when unset. */
    scorecardTimeZone?: string;
    /** Which org unit is a facility's district in DHIS2's hierarchy: its parent, or its ancestor at this level. */
    districtLevel: 'parent' | number;
  };
  /** The DHIS2 Route to the middleware (`smc-bridge setup`); the key is set only where the route is made. */
  route: { apiKey?: string; middlewareUrl: string; authorities: string[] };
}

/** Every environment variable the middleware reads (docker/compose.yml may set no other). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(EnvSchema.shape);

export const DEFAULT_MAPPINGS_DIR = new URL('../../../mappings', import.meta.url).pathname;

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(problems.map((p) => `${p.variable} ${p.message}`).join('; '));
    this.name = 'ConfigError';
  }
}

/** Reads and validates the configuration; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? 'environment'), message: issue.message })),
    );
  }
  const e = parsed.data;
  const dhis2Auth: Dhis2Auth | undefined =
    e.DHIS2_TOKEN !== undefined
      ? { kind: 'token', token: e.DHIS2_TOKEN }
      : e.DHIS2_USERNAME !== undefined && e.DHIS2_PASSWORD !== undefined
        ? { kind: 'basic', username: e.DHIS2_USERNAME, password: e.DHIS2_PASSWORD }
        : undefined;
  return {
    port: e.PORT,
    host: e.HOST,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    apiKeys: e.API_KEYS,
    bodyLimitBytes: e.BODY_LIMIT,
    maxBatch: e.MAX_BATCH,
    ingestThreads: e.INGEST_THREADS,
    workerConcurrency: e.WORKER_CONCURRENCY,
    inboxSweepAfterMs: e.INBOX_SWEEP_AFTER_SECONDS * 1000,
    jobLockMs: e.JOB_LOCK_SECONDS * 1000,
    logLevel: e.LOG_LEVEL,
    mappingsDir: e.MAPPINGS_DIR ?? DEFAULT_MAPPINGS_DIR,
    dhis2PushDelayMs: e.DHIS2_PUSH_DELAY_MS,
    dhis2PushConcurrency: e.DHIS2_PUSH_CONCURRENCY,
    dhis2PushRiders: e.DHIS2_PUSH_RIDERS,
    dataQuality: {
      screening: e.DATA_QUALITY_SCREENING === 'on',
      followupDataSets: e.DATA_QUALITY_FOLLOWUP_DATASETS,
      ...(e.DATA_QUALITY_SCORECARD_CRON !== 'off' ? { scorecardCron: e.DATA_QUALITY_SCORECARD_CRON.trim() } : {}),
      ...(e.DATA_QUALITY_SCORECARD_TZ !== undefined ? { scorecardTimeZone: e.DATA_QUALITY_SCORECARD_TZ } : {}),
      districtLevel: e.DATA_QUALITY_DISTRICT_LEVEL,
    },
    route: { middlewareUrl: e.ROUTE_MIDDLEWARE_URL, authorities: e.ROUTE_AUTHORITIES, ...(e.ROUTE_API_KEY !== undefined ? { apiKey: e.ROUTE_API_KEY } : {}) },
    metricsPort: e.METRICS_PORT,
    ...(e.DHIS2_URL !== undefined && dhis2Auth !== undefined
      ? { dhis2: { url: e.DHIS2_URL, auth: dhis2Auth, apiVersion: e.DHIS2_API_VERSION, timeoutMs: e.DHIS2_TIMEOUT_SECONDS * 1000 } }
      : {}),
    ...(e.FHIR_URL !== undefined
      ? { fhir: { url: e.FHIR_URL, concurrency: e.FHIR_CONCURRENCY, combineUploads: e.FHIR_COMBINE_UPLOADS, jobEncounters: e.FHIR_JOB_ENCOUNTERS, timeoutMs: e.FHIR_TIMEOUT_SECONDS * 1000, madx: e.MADX_ENABLED === 'true', ...(e.FHIR_TOKEN !== undefined ? { token: e.FHIR_TOKEN } : {}) } }
      : {}),
  };
}

/** The configuration without secrets and without the Redis password, fit for a start-up log line. */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    port: config.port,
    host: config.host,
    redisUrl: redactUrl(config.redisUrl),
    redisPrefix: config.redisPrefix,
    apiKeySources: config.apiKeys.map((k) => k.source),
    bodyLimitBytes: config.bodyLimitBytes,
    maxBatch: config.maxBatch,
    workerConcurrency: config.workerConcurrency,
    dhis2: config.dhis2 ? { url: config.dhis2.url, auth: config.dhis2.auth.kind, apiVersion: config.dhis2.apiVersion } : 'not configured',
    fhir: config.fhir ? { url: config.fhir.url, auth: config.fhir.token ? 'bearer' : 'none', madx: config.fhir.madx } : 'not configured',
    mappingsDir: config.mappingsDir,
    dataQuality: config.dataQuality,
  };
}
