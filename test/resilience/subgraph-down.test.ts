import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { RunningGateway } from '@pcmt/gateway';
import { randomUUID } from 'node:crypto';
import { startTestFederation, type TestFederation } from '../harness.js';
import { FaultProxy, gql, metric, metricsOf, TEST_METRICS_TOKEN } from './proxy.js';

// One agency's subgraph down: the others' data is served, and each missing field says which agency
// failed and why, at its own path. A refused or reset connection is retried once for a query.

let fed: TestFederation;
let police: FaultProxy;
let token: string;

beforeAll(async () => {
  police = await FaultProxy.start();
  fed = await startTestFederation({ seed: 61, scale: 0.03, env: { SUBGRAPH_URL_POLICE: `http://127.0.0.1:${police.port}/graphql`, SUBGRAPH_BREAKER_FAILURES: '50', METRICS_TOKEN: TEST_METRICS_TOKEN } });
  police.setTarget(fed.servers.get('police')!.port);
  token = await fed.token();
});

afterAll(async () => {
  await fed?.close();
  await police?.close();
});

const post = (url: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) => gql(url, token, query, variables, headers);

// Program's communes and provinces, police's case count per commune (entity fetch) and one case (root fetch), customs' seizures.
const MIXED = `query Mixed { provinces { name } communes(first: 3) { items { code name drugCaseCount(year: 2025) seizureCount(year: 2025) } } drugCase(id: "1") { id } }`;
const COUNTS = `query Counts { communes(first: 3) { items { code drugCaseCount(year: 2025) } } }`;
const INTERNALS = [/127\.0\.0\.1/, /:\d{4,5}\b/, /ECONNREFUSED|ECONNRESET|fetch failed/, /serviceName/, /stack/i];

describe('a subgraph down', () => {
  test('control: with police up, everything is answered', async () => {
    const r = await post(fed.gateway.url, MIXED);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.communes.items.every((c: any) => typeof c.drugCaseCount === 'number')).toBe(true);
  });

  test('police down: partial data; SUBGRAPH_UNAVAILABLE at the path of every police field, naming the agency', async () => {
    await police.refuse();
    try {
      const r = await post(fed.gateway.url, MIXED);
      const { data, errors = [] } = r.body;
      expect(data.provinces.length).toBe(1);
      expect(data.communes.items).toHaveLength(3);
      for (const c of data.communes.items) {
        expect(c.name).toEqual(expect.any(String));
        expect(c.seizureCount).toEqual(expect.any(Number));
        expect(c.drugCaseCount).toBeNull();
      }
      expect(data.drugCase).toBeNull();
      const paths = errors.map((e) => e.path.join('.')).sort();
      console.log(`police down: ${errors.length} errors at ${paths.join(', ')}; message "${errors[0].message}"`);
      expect(paths).toEqual(['communes.items.0.drugCaseCount', 'communes.items.1.drugCaseCount', 'communes.items.2.drugCaseCount', 'drugCase']);
      for (const e of errors) {
        expect(e.message).toBe('Không lấy được dữ liệu của Công an tỉnh (police): không kết nối được');
        expect(e.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', agency: 'police', reason: 'unreachable', requestId: expect.any(String) });
      }
      expect(INTERNALS.filter((re) => re.test(r.text)).map(String)).toEqual([]);

      const en = await post(fed.gateway.url, MIXED, {}, { 'accept-language': 'en-GB,en;q=0.9,vi;q=0.5' });
      expect(en.body.errors?.[0].message).toBe('Could not get data from the Provincial Police (police): could not connect');
    } finally {
      await police.restore();
    }
    const back = await post(fed.gateway.url, MIXED);
    expect(back.body.errors).toBeUndefined();
  });

  test('a reset connection: a query is retried once (SUBGRAPH_RETRIES=1) — off (0), the fields fail', async () => {
    const off = await fed.startReplica({ subgraphs: { defaults: { ...limitsOf(fed.gateway), retries: 0 }, overrides: {} } });
    await post(off.url, COUNTS); // both gateways hold a connection to police: the reset hits a live one
    await post(fed.gateway.url, COUNTS);

    const retried = async () => metric(await metricsOf(fed.gateway.url), 'pcmt_gateway_subgraph_retries_total', { subgraph: 'police' });
    const before = await retried();
    police.resetNext = 1;
    const on = await post(fed.gateway.url, COUNTS);
    expect(police.resets).toBe(1);
    const retries = (await retried()) - before;

    police.resetNext = 1;
    const failed = await post(off.url, COUNTS);
    expect(police.resets).toBe(2);
    const failedFields = (failed.body.errors ?? []).filter((e) => e.extensions.code === 'SUBGRAPH_UNAVAILABLE').length;
    console.log(`one reset connection: retry on → ${on.body.errors?.length ?? 0} failed fields (retries ${retries}); retry off → ${failedFields} failed fields`);
    expect(on.body.errors).toBeUndefined();
    expect(retries).toBe(1);
    expect(failedFields).toBe(3);
  });

  test('a mutation is never sent twice, unless its variables carry an idempotencyKey', async () => {
    const code = fed.province.communes[0].code;
    const CLASSIFY = `mutation Classify($input: ClassifyCommuneInput!) { classifyCommune(input: $input) { year classification } }`;
    const before = police.requests;
    police.resetNext = 1;
    const plain = await post(fed.gateway.url, CLASSIFY, { input: { communeCode: code, year: 2025, classification: 'DRUG_FREE' } });
    const plainCalls = police.requests - before;
    expect(plain.body.errors?.[0].extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', agency: 'police' });
    expect(plain.body.errors?.[0].message).toMatch(/^Không ghi được dữ liệu vào hệ thống của Công an tỉnh \(police\)/);
    expect(plain.body.errors?.[0].path).toEqual(['classifyCommune']);

    const mid = police.requests;
    police.resetNext = 1;
    const keyed = await post(fed.gateway.url, CLASSIFY, { input: { communeCode: code, year: 2025, classification: 'DRUG_FREE', idempotencyKey: `resilience-${randomUUID()}` } });
    const keyedCalls = police.requests - mid;
    console.log(`mutation through one reset: without idempotencyKey ${plainCalls} call(s) (failed), with one ${keyedCalls} calls (answered)`);
    expect(plainCalls).toBe(1);
    expect(keyedCalls).toBe(2);
    expect(keyed.body.errors).toBeUndefined();
    expect(keyed.body.data.classifyCommune).toMatchObject({ year: 2025, classification: 'DRUG_FREE' });
  });
});

/** The limits a gateway gives police (no override here: its defaults). */
function limitsOf(gw: RunningGateway) {
  return gw.traffic.of('police').limits;
}
