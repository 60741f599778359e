// What a validation thread runs (validation-threads.ts): one request body's validation. The facility table
// comes with the thread's start, as plain data, since a function cannot cross into a thread.
import { workerData } from 'node:worker_threads';
import { FacilityTable, type FacilitiesFile } from '../mapping-files/facility-table.js';
import { validateBatch, type BatchContext, type BatchValidation } from './batch-validation.js';

export interface ValidationThreadData {
  facilities: FacilitiesFile;
}

export interface ValidationTask {
  bytes: Uint8Array;
  context: BatchContext;
}

const facilities = new FacilityTable((workerData as ValidationThreadData).facilities);
const timeZoneOf = (facility: Parameters<FacilityTable['timeZoneOf']>[0]) => facilities.timeZoneOf(facility);

export function validateInThread(task: ValidationTask): BatchValidation {
  return validateBatch(task.bytes, task.context, timeZoneOf);
}
