// Prometheus metrics (prom-client), one registry per service instance so several can live in one process
// (tests). Labels never carry patient data or encounter ids: routes are reported by their pattern.
import type { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { IngestStatus } from '../ingest/ingest-encounters.js';

export class ServiceMetrics {
  readonly registry = new Registry();

  private readonly encounters = new Counter({
    name: 'smc_encounters_ingested_total',
    help: 'Encounters posted to the ingest API, by outcome',
    labelNames: ['outcome', 'source'] as const,
    registers: [this.registry],
  });

  private readonly requestDuration = new Histogram({
    name: 'smc_http_request_duration_seconds',
    help: 'HTTP request durations',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor(queues: readonly Queue[], inboxSize: () => Promise<number>) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'smc_queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        for (const queue of queues) {
          const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized');
          for (const [state, count] of Object.entries(counts)) this.set({ queue: queue.name, state }, count);
        }
      },
    });
    new Gauge({
      name: 'smc_inbox_encounters',
      help: 'Accepted encounter versions that no worker has finished yet',
      registers: [this.registry],
      async collect() {
        this.set(await inboxSize());
      },
    });
  }

  countIngest(outcome: IngestStatus, source: string): void {
    this.encounters.inc({ outcome, source });
  }

  /** Express middleware timing every request. */
  timeRequests() {
    return (req: Request, res: Response, next: NextFunction): void => {
      const stop = this.requestDuration.startTimer({ method: req.method });
      res.on('finish', () => {
        const route = req.route ? String(req.route.path) : 'unmatched';
        stop({ route, status: String(res.statusCode) });
      });
      next();
    };
  }
}
