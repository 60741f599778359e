// The Redis set of valid shapes the FHIR worker processes share (delivery/fhir/shared-shapes.ts): what one
// adds another knows, per validator generation, and the set expires.
import { afterAll, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { RedisSharedShapes } from '../../src/delivery/fhir/shared-shapes.js';
import { RedisKeys } from '../../src/redis/keys.js';
import { deleteKeysOf, TEST_REDIS_URL, uniquePrefix } from '../support/redis.js';

const prefix = uniquePrefix('shared-shapes');
const redis = new Redis(TEST_REDIS_URL);
afterAll(async () => {
  await deleteKeysOf(prefix);
  redis.disconnect();
});

it('what one process adds another knows, under the same validator generation only', async () => {
  const keys = new RedisKeys(prefix);
  const one = new RedisSharedShapes(redis, keys, 'gen-a');
  const other = new RedisSharedShapes(redis, keys, 'gen-a');
  const upgraded = new RedisSharedShapes(redis, keys, 'gen-b');
  expect(await other.known(['d1', 'd2'])).toEqual([false, false]);
  await one.add(['d1', 'd3']);
  expect(await other.known(['d1', 'd2', 'd3'])).toEqual([true, false, true]);
  expect(await upgraded.known(['d1', 'd3'])).toEqual([false, false]);
  expect(await other.known([])).toEqual([]);
  const ttl = await redis.pttl(keys.fhirValidShapes('gen-a'));
  expect(ttl).toBeGreaterThan(29 * 24 * 3600 * 1000);
});
