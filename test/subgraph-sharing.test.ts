import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startTestFederation, type TestFederation } from './harness.js';
import { FaultProxy, gql, metric, metricsOf, TEST_METRICS_TOKEN, until } from './resilience/proxy.js';

// An agency system polls with one service token: identical reads of one caller that arrive while
// the first is still at the subgraph share that call (subgraph-client.ts). The program subgraph sits
// behind a proxy the test holds, so every request is surely in flight together. On, and off.

let fed: TestFederation;
let program: FaultProxy;

beforeAll(async () => {
  program = await FaultProxy.start();
  fed = await startTestFederation({
    seed: 71,
    scale: 0.03,
    env: { SUBGRAPH_URL_PROGRAM: `http://127.0.0.1:${program.port}/graphql`, METRICS_TOKEN: TEST_METRICS_TOKEN, CALLER_MAX_CONCURRENCY: '32' },
  });
  program.setTarget(fed.servers.get('program')!.port);
});

afterAll(async () => {
  await fed?.close();
  await program?.close();
});

const COMMUNES = `query Communes { communes(first: 20) { items { code name } } }`;
const sharedCalls = async (url: string) => metric(await metricsOf(url), 'pcmt_gateway_subgraph_shared_calls_total', { subgraph: 'program' }) || 0;

/** `n` identical reads per token sent while the program subgraph holds every call; the answers once released. */
async function burst(url: string, tokens: string[], n: number, expectCalls: number) {
  program.stall();
  program.requests = 0;
  const pending = tokens.flatMap((token) => Array.from({ length: n }, () => gql(url, token, COMMUNES)));
  await until(() => program.requests >= expectCalls);
  // Time for any request that would still call to do so.
  await new Promise((r) => setTimeout(r, 300));
  const calls = program.requests;
  program.release();
  return { answers: await Promise.all(pending), calls };
}

describe('identical reads in flight share one subgraph call', () => {
  test("on: one caller's eight identical reads make one call; another caller's make their own", async () => {
    const analyst = await fed.roleToken('analyst');
    // Another analyst, of one commune: same words, another identity, another answer.
    const communeAnalyst = await fed.roleToken('analyst', { communes: [fed.province.communes[0].code] });
    const before = await sharedCalls(fed.gateway.url);
    const { answers, calls } = await burst(fed.gateway.url, [analyst, communeAnalyst], 8, 2);
    expect(calls).toBe(2);
    expect(answers.every((a) => a.status === 200 && a.body.errors === undefined)).toBe(true);
    expect(answers[0].body.data.communes.items.length).toBeGreaterThan(0);
    for (const a of answers.slice(0, 8)) expect(a.body).toEqual(answers[0].body);
    for (const a of answers.slice(8)) expect(a.body).toEqual(answers[8].body);
    expect(answers[8].body).not.toEqual(answers[0].body);
    expect((await sharedCalls(fed.gateway.url)) - before).toBe(14);
  });

  test('off (SUBGRAPH_SHARE_IN_FLIGHT=off): every read is a call of its own', async () => {
    const off = await fed.startReplica({ subgraphs: { defaults: { ...fed.gateway.traffic.of('program').limits, shareInFlight: false }, overrides: {} } });
    const analyst = await fed.roleToken('analyst');
    const { answers, calls } = await burst(off.url, [analyst], 8, 8);
    expect(calls).toBe(8);
    expect(answers.every((a) => a.status === 200 && a.body.errors === undefined)).toBe(true);
  });
});
