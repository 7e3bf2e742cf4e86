import { afterAll, describe, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { connectRedis, type RedisClient } from './cache.js';
import { MemoryBulkAccessWatch, RedisBulkAccessWatch, type BulkAccessWatch } from './bulk-watch.js';

const HOUR = 3600_000;
const persons = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `0040850${String(from + i).padStart(5, '0')}`);

/** The same behaviour whichever store counts. */
function behaves(make: () => Promise<[BulkAccessWatch, BulkAccessWatch]>) {
  test('alerts once when a caller passes the threshold of distinct persons in an hour', async () => {
    const [watch] = await make();
    const t0 = 1_800_000_000_000;
    expect(await watch.record('u1', persons(0, 3), 4, t0)).toBeNull();
    // Reading the same persons again does not count them twice.
    expect(await watch.record('u1', persons(0, 3), 4, t0 + 1000)).toBeNull();
    expect(await watch.record('u1', persons(3, 5), 4, t0 + 2000)).toBe(5);
    // One alert an hour, however much more is read.
    expect(await watch.record('u1', persons(5, 9), 4, t0 + 3000)).toBeNull();
    // Another caller has a count of their own.
    expect(await watch.record('u2', persons(0, 2), 4, t0 + 3000)).toBeNull();
  });

  test('reads older than an hour drop out of the count', async () => {
    const [watch] = await make();
    const t0 = 1_800_000_000_000;
    expect(await watch.record('u3', persons(0, 4), 4, t0)).toBeNull();
    expect(await watch.record('u3', persons(4, 6), 4, t0 + HOUR + 1)).toBeNull();
  });

  test('one read naming 1,500 persons (three pages of enrolments) counts them all at once', async () => {
    const [watch] = await make();
    const t0 = 1_800_000_000_000;
    expect(await watch.record('u5', persons(0, 150), 200, t0)).toBeNull();
    expect(await watch.record('u5', persons(0, 1500), 200, t0 + 1000)).toBe(1500);
  });

  return make;
}

describe('in memory (one gateway)', () => {
  behaves(async () => {
    const w = new MemoryBulkAccessWatch();
    return [w, w];
  });
});

const redisUrl = process.env.PCMT_TEST_REDIS_URL;
const clients: RedisClient[] = [];
afterAll(async () => {
  for (const c of clients) await c.quit();
});

(redisUrl ? describe : describe.skip)('in Redis (replicas share the count)', () => {
  const prefix = `pcmt-test:${randomUUID()}:`;
  const make = behaves(async () => {
    const a = await connectRedis(redisUrl!);
    const b = await connectRedis(redisUrl!);
    clients.push(a, b);
    return [new RedisBulkAccessWatch(a, prefix), new RedisBulkAccessWatch(b, prefix)];
  });

  test('two gateways reading for one caller raise one alert between them', async () => {
    const [one, two] = await make();
    const t0 = 1_800_000_000_000;
    expect(await one.record('u4', persons(0, 3), 4, t0)).toBeNull();
    expect(await two.record('u4', persons(3, 5), 4, t0 + 10)).toBe(5);
    expect(await one.record('u4', persons(5, 7), 4, t0 + 20)).toBeNull();
  });
});
