import { callerForKey, createApiKey, parseApiKeys } from '../../src/config/api-keys.js';
import { ConfigError, describeConfig, loadConfig } from '../../src/config/config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((p) => `${p.variable}: ${p.message}`);
  }
  throw new Error('expected a configuration error');
}

test('embedded defaults need no variable at all', () => {
  const config = loadConfig({});
  expect(config).toMatchObject({ port: 8080, redisUrl: 'redis://127.0.0.1:6379', redisPrefix: 'smc', bodyLimitBytes: 5 * 1024 * 1024, maxBatch: 1000, apiKeys: [] });
  expect(config.dhis2).toBeUndefined();
});

test.each([
  [{ PORT: 'eighty' }, /^PORT: must be a number/],
  [{ PORT: '70000' }, /^PORT: must be at most 65535/],
  [{ REDIS_URL: 'http://localhost:6379' }, /^REDIS_URL: must start with redis:\/\/ or rediss:\/\//],
  [{ REDIS_URL: 'not a url' }, /^REDIS_URL: must be a URL/],
  [{ REDIS_PREFIX: 'SMC:prod' }, /^REDIS_PREFIX: /],
  [{ API_KEYS: 'smc-platform' }, /^API_KEYS: entry 1 must be "\[scope:\]name:sha256-of-key"/],
  [{ API_KEYS: 'smc-platform:abc' }, /^API_KEYS: entry 1: the hash must be 64 lowercase hex digits/],
  [{ BODY_LIMIT: 'huge' }, /^BODY_LIMIT: /],
  [{ MAX_BATCH: '5000' }, /^MAX_BATCH: must be at most 1000/],
  [{ LOG_LEVEL: 'verbose' }, /^LOG_LEVEL: /],
  [{ DHIS2_URL: 'https://dhis2.example.org' }, /^DHIS2_TOKEN: or DHIS2_USERNAME\/DHIS2_PASSWORD is required/],
  [{ DHIS2_USERNAME: 'admin' }, /^DHIS2_PASSWORD: is required when DHIS2_USERNAME is set/],
  [{ DHIS2_TOKEN: 'd2pat_x', DHIS2_USERNAME: 'admin', DHIS2_PASSWORD: 'district' }, /^DHIS2_TOKEN: set either/],
  [{ FHIR_URL: 'ftp://fhir' }, /^FHIR_URL: must start with http:\/\/ or https:\/\//],
])('%j is refused, naming the variable', (env, expected) => {
  expect(problemsOf(env as Record<string, string>)).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
});

test('the config description holds no secret', () => {
  const key = createApiKey('smc-platform');
  const config = loadConfig({
    API_KEYS: key.entry,
    REDIS_URL: 'redis://:redis-secret@127.0.0.1:6379',
    DHIS2_URL: 'https://dhis2.example.org',
    DHIS2_USERNAME: 'admin',
    DHIS2_PASSWORD: 'district-secret',
  });
  expect(config.dhis2?.auth).toEqual({ kind: 'basic', username: 'admin', password: 'district-secret' });
  const text = JSON.stringify(describeConfig(config));
  for (const secret of ['redis-secret', 'district-secret', key.key, key.entry.split(':')[1]]) expect(text).not.toContain(secret);
  expect(callerForKey(config.apiKeys, key.key)).toMatchObject({ scope: 'clinic', source: 'smc-platform' });
  expect(callerForKey(config.apiKeys, key.key + 'x')).toBeUndefined();
});

test('API_KEYS entries carry their scope: none means a clinic system, or clinic:, app:, operator:', () => {
  const clinic = createApiKey('smc-platform');
  const app = createApiKey('dhis2-app', 'app');
  const operator = createApiKey('ops-team', 'operator');
  expect(app.entry).toMatch(/^app:dhis2-app:[0-9a-f]{64}$/);
  const entries = parseApiKeys([clinic.entry, app.entry, operator.entry, `clinic:${clinic.entry}`].join(','));
  expect(entries.map((entry) => `${entry.scope}/${entry.source}`)).toEqual(['clinic/smc-platform', 'app/dhis2-app', 'operator/ops-team', 'clinic/smc-platform']);
  expect(callerForKey(entries, operator.key)).toMatchObject({ scope: 'operator', source: 'ops-team' });
  expect(() => parseApiKeys(`admin:root:${'a'.repeat(64)}`)).toThrow(/scope must be one of clinic, app, operator/);
  expect(() => parseApiKeys(`operator:ops:team:${'a'.repeat(64)}`)).toThrow(/entry 1/);
});
