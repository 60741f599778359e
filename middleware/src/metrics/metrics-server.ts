// A worker process has no HTTP API, so its metrics get a port of their own (METRICS_PORT): GET /metrics and
// nothing else. When the port is taken (two workers on one machine), it falls back to a free port and says so.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logging/logger.js';
import type { ServiceMetrics } from './service-metrics.js';

export async function startMetricsServer(metrics: ServiceMetrics, port: number, host: string, logger: Logger): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/metrics') {
      metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics is served here\n');
  });
  const listen = (at: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(at, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  try {
    await listen(port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    await listen(0);
    logger.warn({ wanted: port, port: (server.address() as AddressInfo).port }, 'METRICS_PORT is taken; metrics are served on another port');
  }
  const address = server.address() as AddressInfo;
  const url = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${address.port}/metrics`;
  logger.info({ url }, 'worker metrics listening');
  return { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
