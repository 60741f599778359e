// Waits until the service has nothing left to do: no accepted encounter unprocessed, no cell group waiting
// for its DHIS2 push, no FHIR upload waiting or running.
import type { RunningService } from '../../src/service.js';

export async function settled(service: RunningService, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const inbox = await service.store.inboxSize();
    const pushes = await service.pendingPushes();
    const uploads = await service.pendingFhirUploads();
    if (inbox === 0 && pushes === 0 && uploads === 0) return;
    if (Date.now() > deadline) throw new Error(`not settled: inbox ${inbox}, pending pushes ${pushes}, FHIR uploads ${uploads}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
