// Setup waits minutes for a starting DHIS2, but not for credentials DHIS2 refuses: those fail at once.
import { waitForDhis2 } from '../../src/cli/deploy.js';
import { jest } from '@jest/globals';

const answering = (statuses: number[]) => {
  let calls = 0;
  return { client: { systemInfoStatus: async () => statuses[Math.min(calls++, statuses.length - 1)]! }, calls: () => calls };
};

test.each([400, 401, 403])('HTTP %i (refused credentials, a malformed token) fails at once, naming the status', async (status) => {
  const { client, calls } = answering([status]);
  const started = Date.now();
  await expect(waitForDhis2(client, 'http://dhis2:8080', 60_000)).rejects.toThrow(`DHIS2 at http://dhis2:8080 is not ready: HTTP ${status}`);
  expect(calls()).toBe(1);
  expect(Date.now() - started).toBeLessThan(1000);
});

test('a DHIS2 still starting (404, then 502) is waited for until it answers 200', async () => {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
  try {
    const { client, calls } = answering([404, 502, 200]);
    const waiting = waitForDhis2(client, 'http://dhis2:8080', 60_000);
    await jest.advanceTimersByTimeAsync(10_000);
    await expect(waiting).resolves.toBeUndefined();
    expect(calls()).toBe(3);
  } finally {
    jest.useRealTimers();
  }
});
