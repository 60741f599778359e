// `?async=true` imports (reference/dhis2-web-api.md §1.5): the answer names a job; the job's notifications
// and its bare ImportSummary are polled under /api/system/tasks and /api/system/taskSummaries. The
// stand-in runs the import at once, so the first poll already sees it done.
import type { ImportSummaryJson } from './data-value-import.js';
import type { Dhis2Response } from './types.js';
import { jsonResponse, webMessageResponse } from './web-message.js';

interface Job {
  id: string;
  created: string;
  summary: ImportSummaryJson;
}

export class ImportJobs {
  private readonly jobs = new Map<string, Job>();
  private sequence = 0;

  start(summary: ImportSummaryJson, jobParameters: Record<string, unknown>, now: Date): Dhis2Response {
    this.sequence++;
    const id = `J${String(this.sequence).padStart(10, '0')}`;
    const created = now.toISOString().replace('Z', '');
    this.jobs.set(id, { id, created, summary });
    return webMessageResponse(
      {
        httpStatusCode: 200,
        status: 'OK',
        message: 'Initiated DATAVALUE_IMPORT',
        response: {
          name: 'DATAVALUE_IMPORT',
          id,
          created,
          jobType: 'DATAVALUE_IMPORT',
          jobStatus: 'SCHEDULED',
          jobParameters,
          relativeNotifierEndpoint: `/api/system/tasks/DATAVALUE_IMPORT/${id}`,
        },
      },
      { location: '/system/tasks/DATAVALUE_IMPORT' },
    );
  }

  /** Notifications, newest first. */
  tasks(id: string): Dhis2Response {
    const job = this.jobs.get(id);
    if (!job) return jsonResponse(200, []);
    return jsonResponse(200, [
      { uid: `${id}n2`, level: 'INFO', category: 'DATAVALUE_IMPORT', time: job.created, message: 'Import done', completed: true },
      { uid: `${id}n1`, level: 'INFO', category: 'DATAVALUE_IMPORT', time: job.created, message: 'Process started', completed: false },
    ]);
  }

  /** The bare ImportSummary, without the envelope. */
  taskSummary(id: string): Dhis2Response {
    const job = this.jobs.get(id);
    return job ? jsonResponse(200, job.summary) : jsonResponse(200, {});
  }
}
