// Redis connections, all made here. Workers block on theirs and must wait through a Redis restart (BullMQ
// requires `maxRetriesPerRequest: null`); the HTTP side must fail fast instead, so a client gets a 503 and
// retries rather than a request that hangs while Redis is away.
//
// REDIS_URL names one Redis (redis://, rediss://) or a Redis Cluster (redis+cluster://, rediss+cluster://,
// with the host:port of one or more of its nodes, comma-separated; ioredis finds the others). On a Cluster
// every multi-key command stays in one slot (redis/keys.ts says which keys share one) and a batch of
// commands is sent as one pipeline per node (redis/batch.ts).
import { Cluster, Redis } from 'ioredis';

/** A connection to one Redis or to a Redis Cluster: every module takes either. */
export type RedisClient = Redis | Cluster;

export type RedisTarget =
  | { kind: 'single'; url: string }
  | { kind: 'cluster'; nodes: { host: string; port: number }[]; username?: string; password?: string; tls: boolean };

const CLUSTER_URL = /^(rediss?)\+cluster:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?#]+)\/?$/;

/** What REDIS_URL names; throws a plain message when a cluster URL lists no usable node. */
export function parseRedisUrl(url: string): RedisTarget {
  const cluster = CLUSTER_URL.exec(url);
  if (!cluster) {
    if (/^[a-z]+\+cluster:/i.test(url)) throw new Error('a cluster URL reads redis+cluster://[user:password@]host:port[,host:port…]');
    return { kind: 'single', url };
  }
  const [, scheme, username, password, hosts] = cluster as unknown as [string, string, string | undefined, string | undefined, string];
  const nodes = hosts.split(',').map((hostPort) => {
    const match = /^([^:,]+|\[[0-9a-f:]+\]):(\d{1,5})$/i.exec(hostPort.trim());
    if (!match || Number(match[2]) > 65535) throw new Error(`"${hostPort}" is not host:port`);
    return { host: match[1]!.replace(/^\[|\]$/g, ''), port: Number(match[2]) };
  });
  return {
    kind: 'cluster',
    nodes,
    ...(username ? { username: decodeURIComponent(username) } : {}),
    ...(password !== undefined && password !== '' ? { password: decodeURIComponent(password) } : {}),
    tls: scheme === 'rediss',
  };
}

export function isCluster(redis: RedisClient): redis is Cluster {
  return (redis as Cluster).isCluster === true;
}

export function createRedis(url: string, connectionName: string, mode: 'wait' | 'fail-fast' = 'wait'): RedisClient {
  const behaviour = mode === 'wait' ? { maxRetriesPerRequest: null } : { maxRetriesPerRequest: 1, enableOfflineQueue: false };
  const target = parseRedisUrl(url);
  if (target.kind === 'single') return new Redis(url, { ...behaviour, connectionName });
  return new Cluster(target.nodes, {
    enableOfflineQueue: mode === 'wait',
    redisOptions: {
      maxRetriesPerRequest: behaviour.maxRetriesPerRequest,
      connectionName,
      ...(target.username ? { username: target.username } : {}),
      ...(target.password ? { password: target.password } : {}),
      ...(target.tls ? { tls: {} } : {}),
    },
  });
}

/** The master nodes of a Cluster, or the one Redis: where per-node commands (SCAN, CONFIG, INFO) go. */
export function nodesOf(redis: RedisClient): Redis[] {
  return isCluster(redis) ? redis.nodes('master') : [redis];
}

/** Resolves when the connection is ready; rejects with a plain message when Redis does not answer. */
export async function waitUntilReady(redis: RedisClient, url: string, timeoutMs = 5000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis does not answer at ${redactUrl(url)}`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off('ready', onReady);
    };
    redis.on('ready', onReady);
  });
}

export function redactUrl(url: string): string {
  if (CLUSTER_URL.test(url)) return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/**
 * True when Redis answers PING within the timeout. A connection still being made is waited for (within the
 * same timeout): a fail-fast connection has no offline queue, so a PING sent before it is ready would fail.
 */
export async function redisAnswers(redis: RedisClient, timeoutMs = 1000): Promise<boolean> {
  try {
    const ready = redis.status === 'ready' ? Promise.resolve() : new Promise<void>((resolve) => redis.once('ready', () => resolve()));
    const answer = await Promise.race([
      ready.then(() => redis.ping()),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref()),
    ]);
    return answer === 'PONG';
  } catch {
    return false;
  }
}
