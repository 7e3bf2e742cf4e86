import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { parse } from 'graphql';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { loadGatewayConfig, type SubgraphLimits } from './config.js';
import { createMetrics } from './metrics.js';
import { failureMessage, fetchFieldPaths, languageOf, ShapedDataSource, SubgraphTraffic } from './subgraph-client.js';

const log = pino({ level: 'silent' });
const LIMITS: SubgraphLimits = { timeoutMs: 300, maxConcurrency: 2, maxQueue: 1, retries: 1, breakerFailures: 3, breakerResetMs: 1000, shareInFlight: false, batchFetches: false };
const traffic = (limits: Partial<SubgraphLimits> = {}) => new SubgraphTraffic('police', { ...LIMITS, ...limits }, createMetrics(), log);

describe('configuration', () => {
  test('defaults, and per-subgraph overrides named SUBGRAPH_<SETTING>_<NAME>', () => {
    const c = loadGatewayConfig({ SUBGRAPH_TIMEOUT_MS: '2000', SUBGRAPH_TIMEOUT_MS_LEGAL_AID: '500', SUBGRAPH_RETRIES_POLICE: '0', SUBGRAPH_BREAKER_RESET_MS_POLICE: '3000' });
    expect(c.subgraphs.defaults).toEqual({ timeoutMs: 2000, maxConcurrency: 64, maxQueue: 256, retries: 1, breakerFailures: 5, breakerResetMs: 10_000, shareInFlight: true, batchFetches: true });
    expect(c.subgraphs.overrides).toEqual({ 'legal-aid': { timeoutMs: 500 }, police: { retries: 0, breakerResetMs: 3000 } });
    expect(c.shutdownGraceMs).toBe(10_000);
  });

  test('a bad value names its variable', () => {
    expect(() => loadGatewayConfig({ SUBGRAPH_MAX_CONCURRENCY_POLICE: '0' })).toThrow(/SUBGRAPH_MAX_CONCURRENCY_POLICE: must be an integer of at least 1/);
    expect(() => loadGatewayConfig({ SUBGRAPH_TIMEOUT_MS: 'soon' })).toThrow(/SUBGRAPH_TIMEOUT_MS/);
  });
});

describe('circuit breaker', () => {
  test('closed → open after N consecutive failures → half-open (one trial) → closed or open again', () => {
    const t = traffic();
    const now = 1_000_000;
    t.failed('timeout', false, now);
    t.failed('timeout', false, now);
    t.succeeded(false); // a success in between: the count starts again
    for (let i = 0; i < 3; i++) t.failed('unreachable', false, now);
    expect(t.breaker).toBe('open');
    expect(t.admit(now + 500)).toEqual({ ok: false, retryAfterMs: 500 });
    const trial = t.admit(now + 1000);
    expect(trial).toEqual({ ok: true, trial: true });
    expect(t.breaker).toBe('half-open');
    expect(t.admit(now + 1001).ok).toBe(false); // one trial at a time
    t.failed('timeout', true, now + 1100);
    expect(t.breaker).toBe('open');
    expect(t.admit(now + 2100)).toEqual({ ok: true, trial: true });
    t.succeeded(true);
    expect(t.breaker).toBe('closed');
    expect(t.admit(now + 2101)).toEqual({ ok: true, trial: false });
  });

  test('SUBGRAPH_BREAKER_FAILURES=0 never opens', () => {
    const t = traffic({ breakerFailures: 0 });
    for (let i = 0; i < 20; i++) t.failed('timeout', false);
    expect(t.breaker).toBe('closed');
  });
});

describe('concurrency cap', () => {
  test('beyond the cap calls queue; beyond the queue they are refused at once; a queued call times out', async () => {
    const t = traffic();
    const signal = new AbortController().signal;
    await t.acquire(signal);
    await t.acquire(signal);
    let third = false;
    const queued = t.acquire(signal).then(() => (third = true));
    await expect(t.acquire(signal)).rejects.toMatchObject({ kind: 'overloaded' });
    t.release();
    await queued;
    expect(third).toBe(true);
    const deadline = new AbortController();
    const waiting = t.acquire(deadline.signal);
    deadline.abort();
    await expect(waiting).rejects.toMatchObject({ kind: 'timeout' });
    expect(t.snapshot()).toMatchObject({ inFlight: 2, queued: 0 });
  });

  test('a light call waits ahead of the calls of expensive ad-hoc queries, which keep their own order', async () => {
    const t = traffic({ maxConcurrency: 1, maxQueue: 10 });
    const signal = new AbortController().signal;
    await t.acquire(signal, true);
    const order: string[] = [];
    const calls = [
      t.acquire(signal, true).then(() => order.push('heavy 1')),
      t.acquire(signal, true).then(() => order.push('heavy 2')),
      t.acquire(signal).then(() => order.push('light 1')),
      t.acquire(signal, true).then(() => order.push('heavy 3')),
      t.acquire(signal).then(() => order.push('light 2')),
    ];
    for (let i = 0; i < calls.length; i++) {
      t.release();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(calls);
    expect(order).toEqual(['light 1', 'light 2', 'heavy 1', 'heavy 2', 'heavy 3']);
  });

  test('control: without the heavy mark every call waits its turn first in first out', async () => {
    const t = traffic({ maxConcurrency: 1, maxQueue: 10 });
    const signal = new AbortController().signal;
    await t.acquire(signal);
    const order: string[] = [];
    const calls = ['a', 'b', 'c'].map((name) => t.acquire(signal).then(() => order.push(name)));
    for (let i = 0; i < calls.length; i++) {
      t.release();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(calls);
    expect(order).toEqual(['a', 'b', 'c']);
  });
});

describe('messages', () => {
  test('the agency in the caller language, no internals', () => {
    expect(failureMessage('police', 'timeout', 'vi')).toBe('Không lấy được dữ liệu của Công an tỉnh (police): hết thời gian chờ');
    expect(failureMessage('health', 'unreachable', 'en')).toBe('Could not get data from the Department of Health (health): could not connect');
    expect(failureMessage('customs', 'breaker_open', 'en', { retryAfterSeconds: 7 })).toBe('Could not get data from Customs (customs): calls paused after repeated failures, try again in 7 s');
    expect(failureMessage('police', 'timeout', 'vi', { mutation: true })).toMatch(/^Không ghi được dữ liệu vào hệ thống của Công an tỉnh \(police\): hết thời gian chờ; có thể đã ghi/);
    expect(languageOf('en-US,en;q=0.9')).toBe('en');
    expect(languageOf('vi-VN,en;q=0.5')).toBe('vi');
    expect(languageOf(undefined)).toBe('vi');
  });
});

describe('paths of the fields a failed fetch would have filled', () => {
  test('root fetch: its root fields (aliases as the caller named them)', () => {
    const paths = fetchFieldPaths({ kind: 'incoming operation', request: { query: 'query Q__police__0 { one: drugCase(id: "1") { id } drugCases { totalCount } }' }, context: {}, incomingRequestContext: {} as any } as any);
    expect(paths).toEqual([['one'], ['drugCases']]);
  });

  test('entity fetch: each representation × each field the caller selected (keys for a later fetch are not)', () => {
    const caller = parse('query { communes { items { code name drugCaseCount(year: 2025) ...F } } } fragment F on Commune { hotspotCount }');
    const paths = fetchFieldPaths({
      kind: 'incoming operation',
      request: {
        query: 'query Q__police__1($representations: [_Any!]!) { _entities(representations: $representations) { ... on Commune { __typename drugCaseCount(year: 2025) hotspotCount internalKey } } }',
        variables: { representations: [{ __typename: 'Commune', code: '1' }, { __typename: 'Commune', code: '2' }] },
      },
      context: {},
      incomingRequestContext: { document: caller, operation: caller.definitions[0] } as any,
      pathInIncomingRequest: ['communes', 'items', '@'],
    } as any);
    expect(paths).toEqual([
      ['_entities', 0, 'drugCaseCount'],
      ['_entities', 0, 'hotspotCount'],
      ['_entities', 1, 'drugCaseCount'],
      ['_entities', 1, 'hotspotCount'],
    ]);
  });
});

describe('the data source against a subgraph', () => {
  let server: Server;
  let url: string;
  let behaviour: (body: any) => { status: number; body?: unknown; delayMs?: number } = () => ({ status: 200, body: { data: { drugCase: null } } });
  let calls = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (d) => (raw += d));
      req.on('end', () => {
        calls++;
        const { status, body, delayMs = 0 } = behaviour(JSON.parse(raw));
        const timer = setTimeout(() => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? {})), delayMs);
        res.on('close', () => clearTimeout(timer));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  // A generous timeout unless the test is about timeouts: a loaded CI machine took over 300 ms for a
  // first call (a 400 answered at once came back as SUBGRAPH_TIMEOUT).
  const source = (limits: Partial<SubgraphLimits> = {}, at = url) => new ShapedDataSource({ name: 'police', url: at, identitySecret: 'x'.repeat(32), traffic: traffic({ timeoutMs: 5_000, ...limits }), metrics: createMetrics(), log });
  const call = (ds: ShapedDataSource, query = 'query Q { drugCase(id: "1") { id } }', variables: Record<string, unknown> = {}, language: 'vi' | 'en' = 'en') =>
    ds.process({ kind: 'incoming operation', request: { query, variables }, context: { language }, incomingRequestContext: {} as any } as any);

  test("a 400 with GraphQL errors is the caller's input: its errors pass through", async () => {
    behaviour = () => ({ status: 400, body: { errors: [{ message: 'Invalid input — from: must be a date YYYY-MM-DD', extensions: { code: 'BAD_USER_INPUT' } }] } });
    const r = await call(source());
    expect(r.errors).toEqual([{ message: 'Invalid input — from: must be a date YYYY-MM-DD', extensions: { code: 'BAD_USER_INPUT' } }]);
  });

  test('a 500 is the agency failing: SUBGRAPH_UNAVAILABLE at each root field', async () => {
    behaviour = () => ({ status: 500, body: { errors: [{ message: 'boom at db.ts:12' }] } });
    const r = await call(source());
    expect(r.errors).toEqual([{ message: "Could not get data from the Provincial Police (police): the agency's system reported an error", path: ['drugCase'], extensions: { code: 'SUBGRAPH_UNAVAILABLE', agency: 'police', reason: 'server_error' } }]);
  });

  test('a slow answer is cut at the timeout: SUBGRAPH_TIMEOUT', async () => {
    behaviour = () => ({ status: 200, body: { data: { drugCase: null } }, delayMs: 2000 });
    const started = Date.now();
    const r = await call(source({ timeoutMs: 200 }));
    expect(Date.now() - started).toBeLessThan(400);
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'SUBGRAPH_TIMEOUT', reason: 'timeout' });
  });

  test('a refused connection: a query is tried again, a mutation without idempotencyKey is not', async () => {
    // A port that was just free: nothing listens there.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const ds = source({ retries: 1 }, `http://127.0.0.1:${port}/graphql`);
    const metrics = (ds as any).opts.metrics;
    const r = await call(ds);
    expect(r.errors?.[0].extensions.reason).toBe('unreachable');
    expect((await metrics.subgraphRetries.get()).values[0]?.value).toBe(1);
    await call(ds, 'mutation M($input: X!) { classifyCommune(input: $input) { id } }', { input: { year: 2025 } });
    expect((await metrics.subgraphRetries.get()).values[0]?.value).toBe(1);
    await call(ds, 'mutation M($input: X!) { classifyCommune(input: $input) { id } }', { input: { year: 2025, idempotencyKey: 'key-12345678' } });
    expect((await metrics.subgraphRetries.get()).values[0]?.value).toBe(2);
  });

  describe('identical reads in flight', () => {
    const callerOf = (sub: string) => ({ sub, agency: 'police', roles: ['analyst'], scopes: ['police:read'], communes: [], province: '04', project: null });
    const ask = (ds: ShapedDataSource, sub: string, query = 'query Q { drugCase(id: "1") { id } }', variables: Record<string, unknown> = {}) =>
      ds.process({ kind: 'incoming operation', request: { query, variables }, context: { language: 'en', caller: callerOf(sub), requestId: `req-${Math.random()}` }, incomingRequestContext: {} } as any);
    const shared = async (ds: ShapedDataSource) => (await (ds as any).opts.metrics.subgraphSharedCalls.get()).values[0]?.value ?? 0;

    test('the same caller asking the same thing while a call is in flight shares that call; each gets its own copy', async () => {
      behaviour = () => ({ status: 200, body: { data: { drugCase: { id: '1' } } }, delayMs: 100 });
      calls = 0;
      const ds = source({ shareInFlight: true, maxConcurrency: 8, maxQueue: 8 });
      const answers = await Promise.all(Array.from({ length: 5 }, () => ask(ds, 'analyst-1')));
      expect(calls).toBe(1);
      expect(await shared(ds)).toBe(4);
      expect(answers.every((a) => a.data.drugCase.id === '1')).toBe(true);
      answers[0].data.drugCase.id = 'changed';
      expect(answers[1].data.drugCase.id).toBe('1');
      // Only while in flight: the next read is a call of its own (this is no cache).
      await ask(ds, 'analyst-1');
      expect(calls).toBe(2);
    });

    test('never shared: other callers, other variables, writes; control off: every read calls', async () => {
      behaviour = () => ({ status: 200, body: { data: { drugCase: { id: '1' } } }, delayMs: 100 });
      calls = 0;
      const ds = source({ shareInFlight: true, maxConcurrency: 8, maxQueue: 8 });
      await Promise.all([ask(ds, 'analyst-1'), ask(ds, 'analyst-2')]);
      expect(calls).toBe(2);
      const byId = 'query Q($id: ID!) { drugCase(id: $id) { id } }';
      await Promise.all([ask(ds, 'analyst-1', byId, { id: '1' }), ask(ds, 'analyst-1', byId, { id: '2' })]);
      expect(calls).toBe(4);
      const write = 'mutation M($input: X!) { classifyCommune(input: $input) { id } }';
      await Promise.all([ask(ds, 'analyst-1', write, { input: { year: 2025 } }), ask(ds, 'analyst-1', write, { input: { year: 2025 } })]);
      expect(calls).toBe(6);
      expect(await shared(ds)).toBe(0);
      const off = source({ shareInFlight: false, maxConcurrency: 8, maxQueue: 8 });
      await Promise.all(Array.from({ length: 5 }, () => ask(off, 'analyst-1')));
      expect(calls).toBe(11);
    });

    test('a failed call fails each request that shared it, each with its own error', async () => {
      behaviour = () => ({ status: 500, body: { errors: [{ message: 'down' }] }, delayMs: 50 });
      calls = 0;
      const ds = source({ shareInFlight: true, maxConcurrency: 8, maxQueue: 8 });
      const answers = await Promise.all(Array.from({ length: 3 }, () => ask(ds, 'analyst-1')));
      expect(calls).toBe(1);
      expect(answers.map((a) => a.errors?.[0].extensions.reason)).toEqual(['server_error', 'server_error', 'server_error']);
    });
  });

  test('calls answered: the breaker stays closed, 200s are returned as they are', async () => {
    behaviour = () => ({ status: 200, body: { data: { drugCase: { id: '1' } } } });
    calls = 0;
    const ds = source();
    const r = await call(ds);
    expect(r.data).toEqual({ drugCase: { id: '1' } });
    expect(calls).toBe(1);
  });
});
