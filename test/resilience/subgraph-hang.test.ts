import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { RunningGateway, SubgraphLimits } from '@pcmt/gateway';
import { startTestFederation, type TestFederation } from '../harness.js';
import { FaultProxy, gql, metric, metricsOf, sleep, TEST_METRICS_TOKEN, until } from './proxy.js';

// One agency's subgraph hangs. Controls: a deadline per call, a circuit breaker that stops calling
// a subgraph that keeps failing, and a cap on concurrent calls with a bounded queue. Each is shown
// on (the test gateway) and off (a replica with the control switched off).

const TIMEOUT_MS = 1500;
let fed: TestFederation;
let police: FaultProxy;
let token: string;

beforeAll(async () => {
  police = await FaultProxy.start();
  fed = await startTestFederation({
    seed: 62,
    scale: 0.03,
    env: {
      SUBGRAPH_URL_POLICE: `http://127.0.0.1:${police.port}/graphql`,
      // Only police's limits are tight: the per-subgraph overrides.
      SUBGRAPH_TIMEOUT_MS_POLICE: String(TIMEOUT_MS),
      SUBGRAPH_BREAKER_FAILURES_POLICE: '3',
      SUBGRAPH_BREAKER_RESET_MS_POLICE: '3000',
      SUBGRAPH_MAX_CONCURRENCY_POLICE: '4',
      SUBGRAPH_MAX_QUEUE_POLICE: '4',
      // The burst below comes from one caller: the per-caller cap (fair share) must not answer it first.
      CALLER_MAX_CONCURRENCY: '64',
      METRICS_TOKEN: TEST_METRICS_TOKEN,
    },
  });
  police.setTarget(fed.servers.get('police')!.port);
  token = await fed.token();
});

afterAll(async () => {
  await fed?.close();
  await police?.close();
});

const ONE_CASE = `query OneCase { drugCase(id: "1") { id } }`;
const MIXED = `query Mixed { provinces { name } communes(first: 3) { items { code name drugCaseCount(year: 2025) seizureCount(year: 2025) } } drugCase(id: "1") { id } }`;

/** A replica whose police limits are the test gateway's with `change` applied (a control switched off). */
function replica(change: Partial<SubgraphLimits>): Promise<RunningGateway> {
  const limits = { ...fed.gateway.traffic.of('police').limits, ...change };
  return fed.startReplica({ subgraphs: { defaults: limits, overrides: {} } });
}

describe('a subgraph that hangs', () => {
  test('deadline: the answer comes within the timeout (+10 %) with SUBGRAPH_TIMEOUT; off, it waits for the hang', async () => {
    const off = await replica({ timeoutMs: 60_000, breakerFailures: 0 });
    // Warm both (plans cached, connections open): the figure is the wait, not a first planning.
    await gql(off.url, token, ONE_CASE);
    await gql(fed.gateway.url, token, ONE_CASE);
    const hangMs = 3500;
    police.stall();
    setTimeout(() => police.release(), hangMs);
    const [on, waited] = await Promise.all([gql(fed.gateway.url, token, ONE_CASE), gql(off.url, token, ONE_CASE)]);
    console.log(`time to the answer while police hangs ${hangMs} ms: timeout ${TIMEOUT_MS} ms on → ${on.ms} ms; off (60 s) → ${waited.ms} ms`);
    expect(on.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    // Answered on the timeout, not when police finally answers (load on a CI machine adds some slack).
    expect(on.ms).toBeLessThan(hangMs - 500);
    expect(on.body.data).toEqual({ drugCase: null });
    expect(on.body.errors).toEqual([expect.objectContaining({ path: ['drugCase'], message: 'Không lấy được dữ liệu của Công an tỉnh (police): hết thời gian chờ', extensions: expect.objectContaining({ code: 'SUBGRAPH_TIMEOUT', agency: 'police' }) })]);
    expect(waited.ms).toBeGreaterThanOrEqual(hangMs - 100);
    expect(waited.body.errors).toBeUndefined();
  });

  test('partial data: other agencies answer while police times out', async () => {
    police.stall();
    try {
      const r = await gql(fed.gateway.url, token, MIXED);
      expect(r.body.data.provinces).toHaveLength(1);
      expect(r.body.data.communes.items.map((c: any) => c.seizureCount)).toEqual([expect.any(Number), expect.any(Number), expect.any(Number)]);
      expect(r.body.errors?.map((e) => e.path.join('.')).sort()).toEqual(['communes.items.0.drugCaseCount', 'communes.items.1.drugCaseCount', 'communes.items.2.drugCaseCount', 'drugCase']);
      expect(r.body.errors?.every((e) => e.extensions.code === 'SUBGRAPH_TIMEOUT')).toBe(true);
    } finally {
      police.release();
    }
  });

  test('circuit breaker: after 3 failures calls are refused at once, then one trial call closes it; off, every call waits the timeout', async () => {
    const gatewayMetrics = async () => metricsOf(fed.gateway.url);
    // The two tests above failed police three times in a row: the circuit is open.
    expect(metric(await gatewayMetrics(), 'pcmt_gateway_subgraph_breaker_state', { subgraph: 'police' })).toBe(2);
    police.stall();
    const callsBefore = police.requests;
    let onMs = 0;
    for (let i = 0; i < 4; i++) {
      const r = await gql(fed.gateway.url, token, ONE_CASE);
      onMs += r.ms;
      expect(r.body.errors?.[0].extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', reason: 'breaker_open', agency: 'police' });
    }
    const callsWhileOpen = police.requests - callsBefore;
    const ready = await fetch(fed.gateway.url.replace('/graphql', '/ready'));
    const readiness = (await ready.json()) as any;

    const off = await replica({ breakerFailures: 0 });
    const offBefore = police.requests;
    let offMs = 0;
    for (let i = 0; i < 3; i++) offMs += (await gql(off.url, token, ONE_CASE)).ms;
    const offCalls = police.requests - offBefore;
    console.log(`queries while police hangs: breaker on → 4 in ${onMs} ms, ${callsWhileOpen} calls to police; off → 3 in ${offMs} ms, ${offCalls} calls`);
    expect(callsWhileOpen).toBe(0);
    // Refused by the open circuit: all four together take less than one timeout.
    expect(onMs).toBeLessThan(TIMEOUT_MS);
    expect(offCalls).toBe(3);
    expect(offMs).toBeGreaterThanOrEqual(3 * TIMEOUT_MS - 100);
    // One subgraph down does not make the gateway unready: partial data is served.
    expect(ready.status).toBe(200);
    expect(readiness.subgraphs.police).toMatchObject({ state: 'breaker-open', breaker: 'open' });
    expect(readiness.subgraphs.program).toMatchObject({ state: 'reachable', breaker: 'closed' });

    police.release();
    // After the reset time one trial call goes through; it succeeds and the circuit closes.
    await until(async () => {
      const r = await gql(fed.gateway.url, token, ONE_CASE);
      return r.body.errors === undefined;
    }, 5000, 200);
    expect(metric(await gatewayMetrics(), 'pcmt_gateway_subgraph_breaker_state', { subgraph: 'police' })).toBe(0);
  });

  test('concurrency cap: 4 calls in flight, 4 queued, the rest refused at once; off, all reach the hung subgraph', async () => {
    // Both gateways with the cap and queue under test but a timeout no burst outlasts: on a loaded CI
    // machine twelve requests can take longer than police's 1.5 s to arrive, and calls timing out
    // would free places for the late ones.
    const capped = await replica({ timeoutMs: 60_000 });
    const off = await replica({ timeoutMs: 60_000, maxConcurrency: 1000, breakerFailures: 0 });
    police.stall();
    try {
      const n = 12;
      police.peakBusy = 0;
      // Different cases: identical reads of one caller would share one call (subgraph-sharing.test.ts).
      const someCase = (i: number) => `query OneCase { drugCase(id: "${i + 1}") { id } }`;
      const early: Array<Awaited<ReturnType<typeof gql>>> = [];
      const all = Array.from({ length: n }, (_, i) => gql(capped.url, token, someCase(i)).then((a) => (early.push(a), a)));
      // Police answers nothing until released: what comes back before was refused without waiting.
      await until(() => early.length >= 4, 30_000, 20);
      await sleep(300);
      const refused = [...early];
      const peak = police.peakBusy;
      police.release();
      const answers = await Promise.all(all);
      const overloaded = (a: { body: { errors?: any[] } }) => a.body.errors?.[0].extensions.reason === 'overloaded';

      police.stall();
      police.peakBusy = 0;
      const offAll = Promise.all(Array.from({ length: n }, (_, i) => gql(off.url, token, someCase(i))));
      await until(() => police.peakBusy >= n, 30_000, 20).catch(() => {});
      const offPeak = police.peakBusy;
      police.release();
      await offAll;
      console.log(`${n} concurrent queries to hung police: cap 4 + queue 4 → at most ${peak} calls at once at police, ${refused.length} refused before it answered anything (≤ ${Math.max(...refused.map((a) => a.ms))} ms); off → ${offPeak} at once`);
      expect(peak).toBe(4);
      expect(refused).toHaveLength(4);
      expect(refused.every(overloaded)).toBe(true);
      expect(refused[0].body.errors?.[0].message).toBe('Không lấy được dữ liệu của Công an tỉnh (police): quá tải, quá nhiều yêu cầu đang chờ');
      // The four in flight and the four queued are answered once police recovers.
      expect(answers.filter(overloaded)).toHaveLength(4);
      expect(answers.filter((a) => !a.body.errors && a.body.data?.drugCase !== undefined)).toHaveLength(8);
      expect(offPeak).toBe(n);
    } finally {
      police.release();
    }
    await sleep(0);
  });
});
