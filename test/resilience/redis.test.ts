import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createRedisClient } from '@pcmt/gateway';
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createHash, randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { createClient } from 'redis';
import { startTestFederation, type TestFederation } from '../harness.js';
import { FaultProxy, metric, metricsOf, sleep, TEST_METRICS_TOKEN, until, within } from './proxy.js';

// Redis is optional: the gateway starts without it, serves through an outage from memory and uses
// Redis again when it returns. Redis is reached through a proxy this test owns; the real server is
// never stopped. The off run shows what the gateway did before: a Redis client without an error
// listener dies with the connection, and a start that awaits Redis waits as long as it is down.

/** The Redis of this machine or CI; without one, only the parts that need none run. */
async function findRedis(): Promise<string | null> {
  const url = process.env.PCMT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const { hostname, port } = new URL(url);
  const up = await new Promise<boolean>((resolve) => {
    const s = connect(Number(port || 6379), hostname, () => resolve(true)).on('error', () => resolve(false));
    s.setTimeout(1000, () => resolve(false));
    setTimeout(() => s.destroy(), 1000);
  });
  if (!up) console.warn(`no Redis at ${url}: the recovery checks of redis.test.ts are skipped`);
  return up ? url : null;
}

let realRedis: string | null;
let proxy: FaultProxy;
let fed: TestFederation;
let token: string;
let redisUrl: string;
let patient: string;
/** A sample of the gateway's metrics; a counter never incremented has no sample yet: 0. */
const gatewayMetric = async (name: string, labels: Record<string, string>) => metric(await metricsOf(fed.gateway.url), name, labels) || 0;

beforeAll(async () => {
  realRedis = await findRedis();
  proxy = realRedis ? await FaultProxy.forUrl(realRedis) : await FaultProxy.start();
  redisUrl = `redis://127.0.0.1:${proxy.port}`;
  // Redis is down when the gateway starts.
  await proxy.refuse();
  fed = await startTestFederation({ seed: 63, scale: 0.03, env: { REDIS_URL: redisUrl, METRICS_TOKEN: TEST_METRICS_TOKEN } });
  token = await fed.token();
  patient = (await fed.sql<{ citizen_id: string }>('health', 'select citizen_id from methadone_enrollment order by citizen_id limit 1'))[0].citizen_id;
});

const SENSITIVE = `query($p: ID!) { person(citizenId: $p) { fullName methadoneEnrollments { status } } }`;

afterAll(async () => {
  await fed?.close();
  await proxy?.close();
});

const apq = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } });

async function post(body: unknown) {
  const res = await fetch(fed.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-pcmt-purpose': 'resilience' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: any[] } };
}

/** APQ round: unknown hash, register, then by hash alone; true when all three behave. */
async function apqRound(): Promise<boolean> {
  const query = `{ provinces { code name } } # ${randomUUID()}`;
  const unknown = await post({ extensions: apq(query) });
  const registered = await post({ query, extensions: apq(query) });
  const byHash = await post({ extensions: apq(query) });
  return unknown.body.errors?.[0].extensions.code === 'PERSISTED_QUERY_NOT_FOUND' && registered.body.errors === undefined && byHash.body.data?.provinces?.length === 1;
}

/** A registry notification published on Redis reaches the gateway (its subscriber is connected). */
async function notified(direct: { publish(channel: string, message: string): Promise<unknown> }): Promise<void> {
  const before = await gatewayMetric('pcmt_gateway_registry_notifications_total', {});
  await until(async () => {
    await direct.publish('pcmt:registry', 'resilience-test');
    return (await gatewayMetric('pcmt_gateway_registry_notifications_total', {})) > before;
  }, 10_000, 200);
}

describe('Redis down, optional means optional', () => {
  test('the gateway starts and serves without Redis (memory fallback, metric 0, ready); off, a start that awaits Redis never finishes', async () => {
    expect(await apqRound()).toBe(true);
    expect(await gatewayMetric('pcmt_gateway_dependency_up', { dependency: 'redis' })).toBe(0);
    expect(await gatewayMetric('pcmt_gateway_dependency_fallbacks_total', { dependency: 'redis', use: 'apq-cache' })).toBeGreaterThanOrEqual(3);
    const ready = await fetch(fed.gateway.url.replace('/graphql', '/ready'));
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as any).redis).toBe('down');

    // Off: what the gateway did at start (await the connection) waits as long as Redis is down.
    const client = createRedisClient(redisUrl);
    client.on('error', () => {});
    const waited = await within(client.connect().then(() => 'connected'), 2000, 'still waiting');
    client.destroy();
    console.log(`gateway start with Redis down: on → started, APQ from memory; off (await connect) → ${waited} after 2000 ms`);
    expect(waited).toBe('still waiting');
  });

  test('Redis comes back: used again for APQ and the bulk-access count', async () => {
    if (!realRedis) return;
    await proxy.restore();
    const started = Date.now();
    await until(async () => (await gatewayMetric('pcmt_gateway_dependency_up', { dependency: 'redis' })) === 1, 10_000, 100);
    console.log(`Redis back: in use again after ${Date.now() - started} ms`);
    const query = `{ provinces { code } } # ${randomUUID()}`;
    expect((await post({ query, extensions: apq(query) })).body.errors).toBeUndefined();
    const direct = createClient({ url: realRedis });
    await direct.connect();
    try {
      expect(await direct.get(`pcmt:apq:${apq(query).persistedQuery.sha256Hash}`)).toBe(query);
      // The bulk-access count is kept in Redis again (the lab token's subject, scored by read time).
      const readAt = Date.now();
      expect((await post({ query: SENSITIVE, variables: { p: patient } })).body.errors).toBeUndefined();
      expect(await direct.zScore('pcmt:bulk:reads:e2e-all-agencies', patient)).toBeGreaterThanOrEqual(readAt);
      // The registry notifications' subscriber is back too.
      await notified(direct);
    } finally {
      await direct.close();
    }
  });

  test('Redis killed under load: no request fails, the gateway stays up; off, a client without an error listener dies', async () => {
    if (!realRedis) return;
    const fallbacksBefore = await gatewayMetric('pcmt_gateway_dependency_fallbacks_total', { dependency: 'redis', use: 'bulk-watch' });

    // Off: the gateway's old Redis use, a client with no error listener, in a process of its own.
    const child = spawn(process.execPath, ['--input-type=module', '-e', `import { createClient } from 'redis'; const c = createClient({ url: '${redisUrl}' }); await c.connect(); console.log('connected'); setInterval(() => {}, 1000);`], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    await new Promise<void>((resolve) => child.stdout.on('data', (d) => String(d).includes('connected') && resolve()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    let requests = 0;
    let failed = 0;
    let running = true;
    const load = async () => {
      while (running) {
        const query = `{ provinces { name } } # ${randomUUID()}`;
        const r = await post({ query, extensions: apq(query) });
        const read = await post({ query: SENSITIVE, variables: { p: patient } });
        requests += 2;
        if (r.status !== 200 || r.body.errors || read.status !== 200 || read.body.errors) failed++;
      }
    };
    const workers = Array.from({ length: 4 }, load);
    let childExit: number | null | 'alive' = 'alive';
    let whileDown = { requests: 0, failed: 0 };
    try {
      await sleep(500);
      await proxy.refuse();
      childExit = await within(exited, 5000, 'alive' as const);
      await sleep(1500);
      whileDown = { requests, failed };
      await proxy.restore();
      await until(async () => (await gatewayMetric('pcmt_gateway_dependency_up', { dependency: 'redis' })) === 1, 10_000, 100);
      await sleep(300);
    } finally {
      running = false;
      await Promise.all(workers);
      if (childExit === 'alive') child.kill();
    }

    const fallbacks = (await gatewayMetric('pcmt_gateway_dependency_fallbacks_total', { dependency: 'redis', use: 'bulk-watch' })) - fallbacksBefore;
    const direct = createClient({ url: realRedis });
    await direct.connect();
    try {
      await notified(direct);
    } finally {
      await direct.close();
    }
    console.log(
      `Redis killed under load: on → ${failed} of ${requests} requests failed (${whileDown.requests} by the time Redis was back), ${fallbacks} bulk-access counts kept in memory, registry subscription restored; off → client process exit code ${childExit} (${/Unhandled 'error' event/.test(stderr) ? "Unhandled 'error' event" : stderr.split('\n')[0]})`,
    );
    expect(failed).toBe(0);
    expect(fallbacks).toBeGreaterThan(0);
    expect(childExit).not.toBe('alive');
    expect(childExit).not.toBe(0);
    expect(stderr).toMatch(/Unhandled 'error' event/);
  });

  test('Redis stalls (connected, no answers): each request waits at most the command timeout once, then memory until it answers again', async () => {
    if (!realRedis) return;
    const slowest: number[] = [];
    let failed = 0;
    proxy.freeze();
    try {
      // Sensitive reads: each one counts its persons in Redis (the bulk-access watch) before answering.
      for (let i = 0; i < 6; i++) {
        const started = performance.now();
        const r = await post({ query: SENSITIVE, variables: { p: patient } });
        slowest.push(Math.round(performance.now() - started));
        if (r.body.errors) failed++;
      }
    } finally {
      proxy.release();
    }
    await until(async () => (await gatewayMetric('pcmt_gateway_dependency_up', { dependency: 'redis' })) === 1, 10_000, 100);
    console.log(`Redis stalled: ${failed} of ${slowest.length} sensitive reads failed; answer times ${slowest.join(', ')} ms (command timeout 500 ms, then memory for 5 s)`);
    expect(failed).toBe(0);
    expect(slowest[0]).toBeGreaterThanOrEqual(450);
    expect(slowest[0]).toBeLessThan(1500);
    // Later reads do not wait the command timeout again.
    expect(slowest.slice(1).every((ms) => ms < 480)).toBe(true);
  });
});
