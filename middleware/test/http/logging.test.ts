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
