// The floor a pipeline on this machine cannot beat: an HTTP server that reads each batch, parses its JSON
// and writes every encounter to Redis in one pipelined round trip (one HSET each), nothing else. Throughput
// figures of the real pipeline are shown as a fraction of it. On a Redis Cluster: one pipeline per node.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Batch } from '../../middleware/src/redis/batch.js';
import { createRedis } from '../../middleware/src/redis/connection.js';

export async function startFloorServer(redisUrl: string, prefix: string): Promise<{ url: string; close: () => Promise<void> }> {
  const redis = createRedis(redisUrl, 'bench-floor');
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const { encounters } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { encounters: { source: string; id: string; version: number }[] };
      const batch = new Batch(redis);
      for (const encounter of encounters) {
        const key = `${prefix}:floor:${encounter.source}:${encounter.id}`;
        batch.add(key, (pipeline) => pipeline.hset(key, 'v', String(encounter.version), 'body', JSON.stringify(encounter)));
      }
      batch.exec().then(
        () => res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ counts: { accepted: encounters.length } })),
        () => res.writeHead(503).end('{}'),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      redis.disconnect();
    },
  };
}
