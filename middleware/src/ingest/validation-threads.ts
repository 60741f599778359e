// Where a request body is validated. Parsing and validating a batch of 1,000 encounters costs the API
// process most of its time per request, and in one thread it would hold every other request back while it
// runs; so large bodies go to a small pool of worker threads (piscina) and the request's thread keeps the
// HTTP and the Redis work. A small body (one encounter, an app's batch of a few) is validated in place: the
// hop to a thread would cost more than it saves. INGEST_THREADS=0 (the default) validates everything in place.
import { Piscina } from 'piscina';
import type { FacilityTable } from '../mapping-files/facility-table.js';
import { HttpProblem, problem } from '../http/problem.js';
import { validateBatch, type BatchContext, type BatchValidation } from './batch-validation.js';
import type { ValidationTask, ValidationThreadData } from './validation-task.js';

/** Below this size a body is validated in the request's thread. */
export const IN_PLACE_BELOW_BYTES = 64 * 1024;

export interface BatchValidator {
  validate(bytes: Uint8Array, context: BatchContext): Promise<BatchValidation>;
  /** How many bodies the threads have validated so far. */
  tasksInThreads(): number;
  close(): Promise<void>;
}

export function createBatchValidator(options: { threads: number; facilities: FacilityTable }): BatchValidator {
  const timeZoneOf = (facility: Parameters<FacilityTable['timeZoneOf']>[0]) => options.facilities.timeZoneOf(facility);
  const inPlace = (bytes: Uint8Array, context: BatchContext) => validateBatch(bytes, context, timeZoneOf);
  if (options.threads <= 0) {
    return { validate: async (bytes, context) => inPlace(bytes, context), tasksInThreads: () => 0, close: async () => undefined };
  }
  const pool = new Piscina<ValidationTask, BatchValidation>({
    filename: new URL('./validation-thread.js', import.meta.url).href,
    // Threads start with the first large body, so a process that never receives one never pays for them.
    minThreads: 0,
    maxThreads: options.threads,
    idleTimeout: 60_000,
    workerData: { facilities: options.facilities.file } satisfies ValidationThreadData,
    // A thread holds one body at a time (at most BODY_LIMIT, parsed); a small young generation keeps its
    // memory near what it holds.
    resourceLimits: { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 8 },
  });
  return {
    async validate(bytes, context) {
      if (bytes.byteLength < IN_PLACE_BELOW_BYTES) return inPlace(bytes, context);
      try {
        return await pool.run({ bytes, context });
      } catch {
        // A thread that died (out of memory, say) costs this request only: the client may send it again.
        throw new HttpProblem(problem('service-unavailable', 'the encounters could not be validated just now; send them again'), { 'Retry-After': '1' });
      }
    },
    tasksInThreads: () => pool.completed,
    close: () => pool.destroy(),
  };
}
