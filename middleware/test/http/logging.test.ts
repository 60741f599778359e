// Neither secrets nor patient data reach the logs, whatever the request: accepted, rejected or malformed.
import { ancEncounter, withField } from '../support/fixtures.js';
import { startTestService } from '../support/service.js';

test('logs hold no API key and no patient data', async () => {
  const api = await startTestService('logging');
  try {
    const encounter = ancEncounter({ id: 'log-1' });
    await api.post(encounter);
    await api.post(withField(encounter, ['patient', 'birthDate'], '2030-01-01'));
    await api.post(undefined, { raw: JSON.stringify(encounter).slice(0, 200) });
    await api.post(encounter, { key: 'smc_wrong-key-value' });
    await api.get('/api/v1/encounters/smc-platform/log-1');
    const logs = api.logs.join('\n');
    expect(logs).toMatch(/request completed/);
    for (const secret of [api.key, 'smc_wrong-key-value', 'Aminata', 'Traoré', 'P-000123', '1999-04-11', '2030-01-01', '677 12 34 56', 'Bambui"']) {
      expect(logs).not.toContain(secret);
    }
  } finally {
    await api.stop();
  }
});

test('input a fuzzer sent (odd date-times, control characters) is not echoed into the logs', async () => {
  const api = await startTestService('logging-fuzz', {}, { workers: false });
  try {
    const encounter = ancEncounter({ id: 'log-fuzz' });
    const oddTime = `2026-10-02T09:30:00.${'7'.repeat(31)}+01:00`;
    const good = [1, 2, 3].map((n) => ancEncounter({ id: `log-fuzz-good-${n}` }));
    const answer = await api.post({ encounters: [good[0], withField(encounter, ['occurredAt'], oddTime), good[1], withField(encounter, ['patient', 'village'], 'Xq\u0000Zw-village'), good[2]] });
    // One bad item never costs the good ones beside it.
    expect(answer.status).toBe(202);
    expect(((await answer.json()) as { counts: Record<string, number> }).counts).toMatchObject({ accepted: 3, rejected: 2 });
    const logs = api.logs.join('\n');
    for (const raw of ['7'.repeat(20), 'Xq', 'Zw-village']) expect(logs).not.toContain(raw);
    expect(logs).not.toMatch(/"statusCode":5\d\d/);
  } finally {
    await api.stop();
  }
});

