import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { RemoteGraphQLDataSource } from '@apollo/gateway';
import { maskGatewayError } from '@pcmt/gateway';
import { DEV_IDENTITY_SECRET, signSubgraphRequest } from '@pcmt/kit/identity';
import { TEST_IDENTITY } from '@pcmt/kit/testing';
import { pino } from 'pino';
import { startTestFederation, type TestFederation } from '../harness.js';
import { gql } from './proxy.js';

// A subgraph refusing the caller's input (a malformed date, a NUL byte) answers BAD_USER_INPUT,
// often as HTTP 400. The gateway passes it on as BAD_USER_INPUT with the subgraph's message; before,
// Apollo's data source turned the 400 into "400: Bad Request", which the masking made "Internal error".

let fed: TestFederation;
let token: string;
let commune: string;

beforeAll(async () => {
  fed = await startTestFederation({ seed: 65, scale: 0.03 });
  token = await fed.token();
  commune = fed.province.communes[0].code;
});

afterAll(async () => {
  await fed?.close();
});

const RECORD = `mutation Record($input: RecordHotspotInput!) { recordHotspot(input: $input) { id place } }`;
const hotspot = (change: Record<string, unknown>) => ({ input: { kind: 'USE_POINT', place: 'Quán karaoke Hoa Hồng, thôn 3', communeCode: commune, detectedOn: '2025-03-02', ...change } });

describe("the caller's bad input refused by a subgraph", () => {
  test('control: good input is written', async () => {
    const r = await gql(fed.gateway.url, token, RECORD, hotspot({}));
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.recordHotspot.place).toBe('Quán karaoke Hoa Hồng, thôn 3');
  });

  test('a malformed date (HTTP 400 from the subgraph) reaches the caller as BAD_USER_INPUT with its message', async () => {
    const r = await gql(fed.gateway.url, token, RECORD, hotspot({ detectedOn: '2025-13-45' }));
    const e = r.body.errors?.[0];
    console.log(`malformed date → ${e?.extensions.code}: "${e?.message}"`);
    expect(e?.extensions.code).toBe('BAD_USER_INPUT');
    expect(e?.message).not.toBe('Internal error');
    expect(e?.message).toMatch(/detectedOn/);
    expect(r.text).not.toMatch(/127\.0\.0\.1|serviceName|"response"/);
  });

  test('a malformed date in a query argument: BAD_USER_INPUT, and the other agencies still answer', async () => {
    const r = await gql(fed.gateway.url, token, `query($from: LocalDate) { communes(first: 2) { items { name drugCaseCount(from: $from) } } }`, { from: '2025-02-30' });
    expect(r.body.data.communes.items.map((c: any) => typeof c.name)).toEqual(['string', 'string']);
    expect(r.body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(r.body.errors?.[0].message).toMatch(/from|LocalDate|date/);
  });

  test('a NUL byte in a text input: BAD_USER_INPUT with the subgraph message, nothing written', async () => {
    const before = await fed.sql<{ n: number }>('police', 'select count(*) as n from hotspot');
    const r = await gql(fed.gateway.url, token, RECORD, hotspot({ place: 'Quán\u0000karaoke' }));
    const e = r.body.errors?.[0];
    console.log(`NUL byte → ${e?.extensions.code}: "${e?.message}"`);
    expect(e?.extensions.code).toBe('BAD_USER_INPUT');
    expect(e?.message).not.toBe('Internal error');
    expect(await fed.sql<{ n: number }>('police', 'select count(*) as n from hotspot')).toEqual(before);
  });

  test("off: Apollo's stock data source makes the same 400 an \"Internal error\"", async () => {
    const stock = new RemoteGraphQLDataSource({
      url: fed.servers.get('police')!.url,
      // Signed as the gateway signs each call: for police, over the body sent.
      fetcher: ((url: string, init: any) =>
        fetch(url, { ...init, headers: { ...init.headers, ...signSubgraphRequest(TEST_IDENTITY, { audience: 'police', body: init.body }, DEV_IDENTITY_SECRET) } })) as any,
    });
    let thrown: any;
    try {
      await stock.process({ kind: 'incoming operation', request: { query: RECORD, variables: hotspot({ detectedOn: '2025-13-45' }) }, context: {}, incomingRequestContext: {} as any } as any);
    } catch (err) {
      thrown = err;
    }
    const masked = maskGatewayError(pino({ level: 'silent' }))({ message: thrown.message, extensions: thrown.extensions });
    console.log(`off: the subgraph's 400 thrown as "${thrown.message}" → the caller reads "${masked.message}" (${masked.extensions?.code})`);
    expect(thrown.extensions.response.status).toBe(400);
    expect(masked.message).toBe('Internal error');
  });
});
