import { describe, expect, test } from '@jest/globals';
import { loadSubgraphConfig } from './config.js';
import {
  COMMITTED_DEV_SECRETS,
  DEV_IDENTITY_SECRET,
  IDENTITY_HEADER,
  MemoryReplayGuard,
  RedisReplayGuard,
  REQUEST_TTL_MS,
  signIdentity,
  signSubgraphRequest,
  verifySubgraphRequest,
  type RedisSetNx,
} from './identity.js';

const SECRET = 'k'.repeat(40);
const identity = { sub: 'u1', agency: 'health', roles: ['health-officer'], scopes: ['health:read'], communes: ['01003'], province: null, project: null, purpose: 'p', requestId: 'r1' };
const BODY = JSON.stringify({ query: '{ methadoneEnrollments { totalCount } }' });
const bytes = (s: string) => Buffer.from(s);

const verify = (headers: Record<string, string>, body = BODY, opts: { audience?: string; replay?: MemoryReplayGuard; now?: number } = {}) =>
  verifySubgraphRequest(headers, bytes(body), { audience: opts.audience ?? 'health', secret: SECRET, replay: opts.replay ?? new MemoryReplayGuard(), now: opts.now });

describe('signed subgraph calls', () => {
  test('control: a call signed for this subgraph and this body is accepted once, with its identity', async () => {
    const replay = new MemoryReplayGuard();
    const headers = signSubgraphRequest(identity, { audience: 'health', body: BODY }, SECRET);
    const first = await verify(headers, BODY, { replay });
    expect(first).toEqual({ ok: true, identity: expect.objectContaining({ sub: 'u1', communes: ['01003'], purpose: 'p' }) });
    expect(first.ok && 'nonce' in first.identity).toBe(false);
    expect(await verify(headers, BODY, { replay })).toEqual({ ok: false, reason: 'replayed' });
  });

  test('another subgraph, another body, expired, too long-lived, forged or identity-only: refused', async () => {
    const signed = signSubgraphRequest(identity, { audience: 'health', body: BODY }, SECRET);
    expect((await verify(signed, BODY, { audience: 'police' })).ok).toBe(false);
    expect((await verify(signed, BODY.replace('totalCount', 'items { citizenId }'))).ok).toBe(false);
    expect((await verify(signed, BODY, { now: Date.now() + REQUEST_TTL_MS + 1 })).ok).toBe(false);
    const longLived = signSubgraphRequest({ ...identity, exp: Date.now() + 3_600_000 }, { audience: 'health', body: BODY }, SECRET);
    expect(await verify(longLived)).toEqual({ ok: false, reason: 'expiry too far ahead' });
    const forged = signSubgraphRequest(identity, { audience: 'health', body: BODY }, 'f'.repeat(40));
    expect(await verify(forged)).toEqual({ ok: false, reason: 'bad signature' });
    const tampered = { ...signed, [IDENTITY_HEADER]: Buffer.from(JSON.stringify({ ...identity, scopes: ['*'] })).toString('base64url') };
    expect(await verify(tampered)).toEqual({ ok: false, reason: 'bad signature' });
    // The old scheme: the identity alone, good for any subgraph and body.
    expect((await verify(signIdentity(identity, SECRET))).ok).toBe(false);
    expect(await verify({})).toEqual({ ok: false, reason: 'unsigned call' });
    expect((await verifySubgraphRequest(signed, null, { audience: 'health', secret: SECRET, replay: new MemoryReplayGuard() })).ok).toBe(false);
  });

  test('a refused call does not use up its nonce', async () => {
    const replay = new MemoryReplayGuard();
    const headers = signSubgraphRequest(identity, { audience: 'health', body: BODY }, SECRET);
    expect((await verify(headers, BODY, { audience: 'police', replay })).ok).toBe(false);
    expect((await verify(headers, BODY, { replay })).ok).toBe(true);
  });

  test('the memory guard forgets nonces once they expired', async () => {
    const replay = new MemoryReplayGuard();
    const now = Date.now();
    expect(await replay.claim('n'.repeat(20), now + 1000, now)).toBe(true);
    expect(await replay.claim('n'.repeat(20), now + 1000, now + 500)).toBe(false);
    expect(await replay.claim('m'.repeat(20), now + 5000, now + 2000)).toBe(true);
    expect(replay.size).toBe(1);
  });

  test('with Redis, SET NX PX decides; while Redis is away, this process still refuses what it saw', async () => {
    const keys = new Map<string, number>();
    const calls: unknown[] = [];
    const redis: RedisSetNx = {
      isReady: true,
      async set(key, _value, options) {
        calls.push([key, options]);
        if (keys.has(key)) return null;
        keys.set(key, options.expiration.value);
        return 'OK';
      },
    };
    const now = Date.now();
    const replicaA = new RedisReplayGuard(redis, 'pcmt:nonce:health:');
    const replicaB = new RedisReplayGuard(redis, 'pcmt:nonce:health:');
    expect(await replicaA.claim('a'.repeat(20), now + 30_000, now)).toBe(true);
    // Replayed to the other replica: Redis has it.
    expect(await replicaB.claim('a'.repeat(20), now + 30_000, now)).toBe(false);
    expect(calls[0]).toEqual(['pcmt:nonce:health:' + 'a'.repeat(20), { condition: 'NX', expiration: { type: 'PX', value: 30_000 } }]);
    let reported = 0;
    const down = new RedisReplayGuard({ isReady: false, set: async () => 'OK' }, 'p:', { onUnavailable: () => reported++ });
    expect(await down.claim('b'.repeat(20), now + 30_000, now)).toBe(true);
    expect(await down.claim('b'.repeat(20), now + 30_000, now)).toBe(false);
    expect(reported).toBe(1);
  });

  test('a stalled Redis costs one timeout, then is skipped for a while', async () => {
    let asked = 0;
    const stalled = new RedisReplayGuard({ isReady: true, set: () => (asked++, new Promise(() => {})) }, 'p:', { timeoutMs: 50, pauseMs: 60_000 });
    const started = Date.now();
    expect(await stalled.claim('c'.repeat(20), started + 30_000)).toBe(true);
    expect(await stalled.claim('d'.repeat(20), started + 30_000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(asked).toBe(1);
  });
});

describe('production configuration', () => {
  const production = { NODE_ENV: 'production', PCMT_IDENTITY_SECRET: 'a1'.repeat(32), METRICS_TOKEN: 'b2'.repeat(32) };

  test('control: a real secret starts, on any interface, with Redis optional', () => {
    expect(loadSubgraphConfig('health', { ...production, HOST: '0.0.0.0' }).production).toBe(true);
    expect(loadSubgraphConfig('health', { ...production, REDIS_URL: 'redis://cache:6379' }).redisUrl).toBe('redis://cache:6379');
    expect(loadSubgraphConfig('health', {}).redisUrl).toBeNull();
  });

  test('refuses no secret, the development secret and every committed placeholder', () => {
    expect(() => loadSubgraphConfig('health', { NODE_ENV: 'production', METRICS_TOKEN: production.METRICS_TOKEN })).toThrow(/PCMT_IDENTITY_SECRET: required in production/);
    for (const secret of [DEV_IDENTITY_SECRET, ...COMMITTED_DEV_SECRETS.filter((s) => s.length >= 32), 'replace-with-openssl-rand-hex-32-and-some-more']) {
      expect(() => loadSubgraphConfig('health', { ...production, PCMT_IDENTITY_SECRET: secret })).toThrow(/development secret committed/);
    }
    // Outside production the development secret is the default.
    expect(loadSubgraphConfig('health', { NODE_ENV: 'test' }).identitySecret).toBe(DEV_IDENTITY_SECRET);
  });
});
