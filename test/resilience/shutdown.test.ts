import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { ApolloServer } from '@apollo/server';
import type { RunningGateway } from '@pcmt/gateway';
import { performance } from 'node:perf_hooks';
import { startTestFederation, type TestFederation } from '../harness.js';
import { FaultProxy, gql, until } from './proxy.js';

// close() drains: no new connections, requests under way are answered (up to SHUTDOWN_GRACE_MS),
// then pools close. Apollo Server's own SIGTERM handler is off, so the process owner decides when.

const SLOW_MS = 1500;
let fed: TestFederation;
let police: FaultProxy;
let token: string;

beforeAll(async () => {
  police = await FaultProxy.start();
  fed = await startTestFederation({ seed: 66, scale: 0.03, env: { SUBGRAPH_URL_POLICE: `http://127.0.0.1:${police.port}/graphql` } });
  police.setTarget(fed.servers.get('police')!.port);
  token = await fed.token();
});

afterAll(async () => {
  await fed?.close();
  await police?.close();
});

const ONE_CASE = `query OneCase { drugCase(id: "1") { id } }`;

/** Eight slow requests in flight, then close(): how many were answered and how many cut. */
async function closeUnderLoad(gw: RunningGateway) {
  await gql(gw.url, token, ONE_CASE); // warm: plan cached, connection to police open
  police.delayMs = SLOW_MS;
  const seen = police.requests;
  // Eight different cases: identical reads of one caller would share one call (subgraph-sharing.test.ts).
  const inFlight = Array.from({ length: 8 }, (_, i) =>
    gql(gw.url, token, `query OneCase { drugCase(id: "${i + 1}") { id } }`).then(
      (r) => (r.status === 200 && !r.body.errors ? 'answered' : 'failed'),
      () => 'cut',
    ),
  );
  await until(() => police.requests - seen === 8, 5000, 10);
  const started = performance.now();
  const closing = gw.close();
  // A new connection while draining is refused.
  const late = await fetch(gw.url, { method: 'POST' }).then(
    () => 'accepted',
    () => 'refused',
  );
  await closing;
  const closeMs = Math.round(performance.now() - started);
  const outcomes = await Promise.all(inFlight);
  police.delayMs = 0;
  return { answered: outcomes.filter((o) => o === 'answered').length, cut: outcomes.filter((o) => o !== 'answered').length, late, closeMs };
}

describe('shutdown', () => {
  test('close() with 8 slow requests in flight: all answered, none cut; off (SHUTDOWN_GRACE_MS=0), they are cut', async () => {
    const on = await closeUnderLoad(await fed.startReplica({ shutdownGraceMs: 10_000 }));
    const off = await closeUnderLoad(await fed.startReplica({ shutdownGraceMs: 0 }));
    console.log(`close() with 8 requests in flight (subgraph answers in ${SLOW_MS} ms): drain on → ${on.answered} answered, ${on.cut} cut, close took ${on.closeMs} ms, new connection ${on.late}; off → ${off.answered} answered, ${off.cut} cut, close took ${off.closeMs} ms`);
    expect(on).toMatchObject({ answered: 8, cut: 0, late: 'refused' });
    expect(on.closeMs).toBeGreaterThanOrEqual(SLOW_MS - 500);
    expect(off.cut).toBe(8);
  });

  test("Apollo Server's termination-signal handler is off: the process owner decides (off: Apollo's default adds one)", async () => {
    const env = process.env.NODE_ENV;
    // Apollo installs its handler only outside tests: pretend not to be one for both starts.
    process.env.NODE_ENV = 'development';
    try {
      const before = process.listenerCount('SIGTERM');
      const gw = await fed.startReplica();
      const ours = process.listenerCount('SIGTERM') - before;
      await gw.close();
      const plain = new ApolloServer({ typeDefs: 'type Query { x: Int }' });
      await plain.start();
      const apollos = process.listenerCount('SIGTERM') - before;
      await plain.stop();
      console.log(`SIGTERM handlers added: the gateway ${ours}; Apollo Server with its defaults ${apollos}`);
      expect(ours).toBe(0);
      expect(apollos).toBe(1);
    } finally {
      process.env.NODE_ENV = env;
    }
  });
});
