// Which requests meet an injected fault, for both stand-ins: faults queued for the next matching requests
// (served in order, each for a number of times), else faults drawn at random with a seeded generator, so a
// failing run can be replayed. Every fault handed out is kept for assertions.
import { seededRandom, type SeededRandom } from './seeded-random.js';

export interface RandomFaultSettings<Fault, Match> {
  seed: number;
  /** Chance in [0, 1] that a matching request gets a fault. */
  probability: number;
  /** Drawn uniformly. */
  faults: readonly Fault[];
  match?: Match;
}

export interface HandedOutFault<Fault> {
  fault: Fault;
  method: string;
  path: string;
}

export class FaultSchedule<Fault, Request extends { method: string; path: string }, Match> {
  private readonly queue: { fault: Fault; remaining: number; match: Match | undefined }[] = [];
  private random?: { options: RandomFaultSettings<Fault, Match>; generator: SeededRandom };
  /** Every fault handed out, in order, for assertions. */
  readonly injected: HandedOutFault<Fault>[] = [];

  constructor(private readonly matches: (match: Match | undefined, request: Request) => boolean) {}

  /** The next `times` matching requests (default 1) get this fault; queued faults are served in order. */
  enqueue(fault: Fault, options: { times?: number; match?: Match } = {}): void {
    this.queue.push({ fault, remaining: options.times ?? 1, match: options.match });
  }

  /** Random faults for requests the queue does not serve; `null` turns them off. */
  setRandom(options: RandomFaultSettings<Fault, Match> | null): void {
    this.random = options ? { options, generator: seededRandom(options.seed) } : undefined;
  }

  clear(): void {
    this.queue.length = 0;
    this.random = undefined;
  }

  /** Takes the fault for this request, if any. */
  take(request: Request): Fault | undefined {
    const position = this.queue.findIndex((queued) => this.matches(queued.match, request));
    let fault: Fault | undefined;
    if (position >= 0) {
      const queued = this.queue[position]!;
      fault = queued.fault;
      if (--queued.remaining <= 0) this.queue.splice(position, 1);
    } else if (this.random && this.matches(this.random.options.match, request)) {
      const { options, generator } = this.random;
      if (options.faults.length > 0 && generator.chance(options.probability)) fault = generator.pick(options.faults);
    }
    if (fault) this.injected.push({ fault, method: request.method, path: request.path });
    return fault;
  }
}
