// CPU seconds a process has used so far (user + system), read from /proc, so a benchmark can say where the
// time of a run went: the API, each worker process and Redis itself (which shares the same cores).
import { readFileSync } from 'node:fs';
import { nodesOf, type RedisClient } from '../../middleware/src/redis/connection.js';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export function cpuSecondsOf(pid: number): number {
  // Fields after the command name (which may hold spaces, hence the last ')'): utime is the 12th, stime the 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').at(-1)!.trim().split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** The pid of the Redis server behind a connection (a Cluster's first master), when it runs on this machine (else undefined). */
export async function redisPid(redis: RedisClient): Promise<number | undefined> {
  return (await redisPids(redis))[0];
}

/** The pids of the Redis servers behind a connection (every master of a Cluster) that run on this machine. */
export async function redisPids(redis: RedisClient): Promise<number[]> {
  const pids: number[] = [];
  for (const node of nodesOf(redis)) {
    const pid = Number(/process_id:(\d+)/.exec(await node.info('server'))?.[1]);
    try {
      cpuSecondsOf(pid);
      pids.push(pid);
    } catch {
      // not on this machine
    }
  }
  return pids;
}

/** Resident memory of a process now, in MB. */
export function rssMbOf(pid: number): number {
  const pages = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
  return (pages * 4096) / 1024 / 1024;
}
