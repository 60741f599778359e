// Runs a Redis pipeline and gives its replies in order; the first command that failed fails the whole call,
// so no caller mistakes a failed write for a reply.
import type { Redis } from 'ioredis';

export async function repliesOf(pipeline: ReturnType<Redis['pipeline']>): Promise<unknown[]> {
  return ((await pipeline.exec()) ?? []).map(([error, reply]) => {
    if (error) throw error;
    return reply;
  });
}
