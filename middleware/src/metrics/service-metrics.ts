// Prometheus metrics (prom-client), one registry per process, served at /metrics by the API and on its own
// port by a worker process (metrics/metrics-server.ts). Labels never carry patient data or encounter ids:
// routes are reported by their pattern, deliveries by target, outcome and error code.
import type { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { IngestStatus } from '../http/api-schemas.js';

export type DeliveryTarget = 'dhis2' | 'fhir' | 'madx';
export type DeliveryOutcome = 'delivered' | 'retried' | 'refused' | 'skipped';

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

  private readonly jobDuration = new Histogram({
    name: 'smc_job_duration_seconds',
    help: 'How long jobs ran in this process, by queue and outcome (completed, retried, failed)',
    labelNames: ['queue', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  private readonly deliveries = new Counter({
    name: 'smc_deliveries_total',
    help: 'Deliveries attempted by this process, by target, outcome and error code (DHIS2 conflict code or HTTP status)',
    labelNames: ['target', 'outcome', 'code'] as const,
    registers: [this.registry],
  });

  private readonly screenings = new Histogram({
    name: 'smc_data_quality_screening_seconds',
    help: "How long the data-quality screening of one facility's cell groups in a DHIS2 post took before the post, by outcome (screened, failed)",
    labelNames: ['outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });

  private readonly flagsRaised = new Counter({
    name: 'smc_data_quality_flags_raised_total',
    help: 'Data-quality flags this process raised on cells pushed to DHIS2, by rule and kind (error, signal)',
    labelNames: ['rule', 'kind'] as const,
    registers: [this.registry],
  });

  /**
   * `queues` is read at each scrape; `inboxSize` only where the process holds the store; `standingFlags`
   * (the data-quality flags standing now, by rule id) wherever the process reaches Redis.
   */
  constructor(queues: () => readonly Queue[], inboxSize?: () => Promise<number>, standingFlags?: () => Promise<Record<string, number>>) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'smc_queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        for (const queue of queues()) {
          const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized');
          for (const [state, count] of Object.entries(counts)) this.set({ queue: queue.name, state }, count);
        }
      },
    });
    if (standingFlags) {
      new Gauge({
        name: 'smc_data_quality_flags',
        help: 'Data-quality flags standing on DHIS2 cells, by rule and kind (error, signal)',
        labelNames: ['rule', 'kind'] as const,
        registers: [this.registry],
        async collect() {
          this.reset();
          for (const [rule, count] of Object.entries(await standingFlags())) this.set({ rule, kind: kindOfRule(rule) }, count);
        },
      });
    }
    if (inboxSize) {
      new Gauge({
        name: 'smc_inbox_encounters',
        help: 'Accepted encounter versions that no worker has finished yet',
        registers: [this.registry],
        async collect() {
          this.set(await inboxSize());
        },
      });
    }
  }

  countIngest(outcome: IngestStatus, source: string, count = 1): void {
    this.encounters.inc({ outcome, source }, count);
  }

  observeJob(queue: string, outcome: 'completed' | 'retried' | 'failed', seconds: number): void {
    this.jobDuration.observe({ queue, outcome }, seconds);
  }

  countDelivery(target: DeliveryTarget, outcome: DeliveryOutcome, code = ''): void {
    this.deliveries.inc({ target, outcome, code });
  }

  observeScreening(outcome: 'screened' | 'failed', seconds: number): void {
    this.screenings.observe({ outcome }, seconds);
  }

  countFlagsRaised(flags: readonly { ruleId: string; kind: string }[]): void {
    for (const flag of flags) this.flagsRaised.inc({ rule: flag.ruleId, kind: flag.kind });
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

/** A rule id's kind: signals are `signal:…`, every other rule flags an error. */
function kindOfRule(rule: string): 'error' | 'signal' {
  return rule.startsWith('signal:') ? 'signal' : 'error';
}
