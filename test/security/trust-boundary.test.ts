import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createSubgraphService, type SubgraphService } from '@pcmt/kit';
import { DEV_IDENTITY_SECRET, IDENTITY_HEADER, signIdentity, signSubgraphRequest, type SignedRequest } from '@pcmt/kit/identity';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadSubgraph } from '../../scripts/lib/subgraphs.js';
import { startTestFederation, type TestFederation } from '../harness.js';

// The gateway → subgraph trust boundary. Each call the gateway makes is signed for one subgraph,
// one body, once, for 30 s. An attacker on the network between them captures calls here (a proxy in
// front of health) and tries them again: replayed, redirected to another subgraph, with another body.

interface Captured {
  headers: Record<string, string>;
  body: Buffer;
}

/** In front of health: records each call the gateway makes; forwards it, or holds it (answers 503) so its nonce stays unused. */
class Wiretap {
  calls: Captured[] = [];
  hold = false;
  target = '';
  private server: Server;
  port = 0;

  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', async () => {
        const call = { headers: plain(req.headers), body: Buffer.concat(chunks) };
        this.calls.push(call);
        if (this.hold) {
          res.writeHead(503, { 'content-type': 'application/json' }).end('{"errors":[{"message":"held"}]}');
          return;
        }
        const answer = await send(this.target, call);
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.text);
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  last(): Captured {
    return this.calls[this.calls.length - 1];
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function plain(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (typeof v === 'string' && !['host', 'content-length', 'connection'].includes(k)) out[k] = v;
  return out;
}

/** One HTTP call to a subgraph with exactly these headers and body bytes. */
async function send(url: string, call: { headers: Record<string, string>; body: Buffer | string }): Promise<{ status: number; text: string; data: unknown }> {
  const res = await fetch(url, { method: 'POST', headers: call.headers, body: call.body });
  const text = await res.text();
  let data: unknown = null;
  try {
    data = JSON.parse(text).data ?? null;
  } catch {
    // not JSON
  }
  return { status: res.status, text, data };
}

const QUERY = '{ facilities(first: 3) { totalCount items { id name } } }';
const OTHER_QUERY = '{ methadoneEnrollments(first: 50) { totalCount items { id person { citizenId } status } } }';

let fed: TestFederation;
let tap: Wiretap;

beforeAll(async () => {
  tap = await new Wiretap().start();
  fed = await startTestFederation({
    seed: 83,
    scale: 0.03,
    // Health is reached through the tap; held calls must not open its breaker.
    env: { SUBGRAPH_URL_HEALTH: `http://127.0.0.1:${tap.port}/graphql`, SUBGRAPH_BREAKER_FAILURES_HEALTH: '0' },
  });
  tap.target = fed.servers.get('health')!.url;
});

afterAll(async () => {
  await fed?.close();
  await tap?.close();
});

const urlOf = (name: string) => fed.servers.get(name)!.url;
const OTHERS = ['police', 'education', 'customs', 'legal-aid', 'program'];

/** A header the gateway signed for health, with its body, captured on the way. */
async function capture(hold: boolean): Promise<Captured> {
  tap.hold = hold;
  const before = tap.calls.length;
  const res = await fed.query(QUERY);
  if (!hold) expect(res.data?.facilities.items.length).toBeGreaterThan(0);
  expect(tap.calls.length).toBe(before + 1);
  return tap.last();
}

describe('a header captured between the gateway and a subgraph', () => {
  let attempts = 0;
  let accepted = 0;
  const attempt = async (url: string, call: Captured | { headers: Record<string, string>; body: string }) => {
    const r = await send(url, call);
    attempts++;
    if (r.status !== 401 || r.data) accepted++;
    expect([r.status, JSON.parse(r.text).errors?.[0]?.extensions?.code]).toEqual([401, 'UNAUTHENTICATED']);
  };

  test('control off: the call as captured, before anyone used it, is answered at its own subgraph, once', async () => {
    const held = await capture(true);
    const first = await send(urlOf('health'), held);
    expect(first.status).toBe(200);
    expect((first.data as any).facilities.items.length).toBeGreaterThan(0);
    console.log('control off: a signed call delivered to its own subgraph with its own body, unused: accepted 1 of 1');
    // ...and not a second time.
    await attempt(urlOf('health'), held);
  });

  test('replayed (same body), redirected to every other subgraph, with another body, or outlived: refused, and no subgraph did any work', async () => {
    // Answered through the gateway: its nonce is used.
    const used = await capture(false);
    // Held: its nonce is still fresh, so only the audience or the body refuses these.
    const fresh = await capture(true);
    fed.resetStatements();
    await attempt(urlOf('health'), used);
    for (const name of OTHERS) {
      await attempt(urlOf(name), used);
      await attempt(urlOf(name), fresh);
    }
    await attempt(urlOf('health'), { headers: fresh.headers, body: JSON.stringify({ query: OTHER_QUERY }) });
    const sent = JSON.parse(fresh.body.toString('utf8'));
    expect(sent.query).toMatch(/facilities/);
    await attempt(urlOf('health'), { headers: fresh.headers, body: JSON.stringify({ ...sent, query: sent.query.replace(/facilities/, 'methadoneEnrollments') }) });
    // Byte for byte: the same request with one space more is another body.
    await attempt(urlOf('health'), { headers: fresh.headers, body: `${fresh.body.toString('utf8')} ` });
    // The identity inside, re-signed the old way (identity alone) with the real secret: not enough any more.
    const { aud: _aud, bodySha256: _hash, nonce: _nonce, exp: _exp, ...identity } = JSON.parse(Buffer.from(fresh.headers[IDENTITY_HEADER], 'base64url').toString('utf8')) as SignedRequest;
    await attempt(urlOf('health'), { headers: { 'content-type': 'application/json', ...signIdentity(identity, DEV_IDENTITY_SECRET) }, body: fresh.body.toString('utf8') });
    // Signed right but expired, or claiming a life longer than 30 s.
    const body = fresh.body.toString('utf8');
    for (const exp of [Date.now() - 1, Date.now() + 10 * 60_000]) {
      await attempt(urlOf('health'), { headers: { 'content-type': 'application/json', ...signSubgraphRequest({ ...identity, exp }, { audience: 'health', body }, DEV_IDENTITY_SECRET) }, body });
    }
    console.log(`replayed or redirected headers accepted: ${accepted} of ${attempts}`);
    expect(accepted).toBe(0);
    expect(fed.statements()).toBe(0);
    // The held call was never used: at health, with its own body, it is still good (the refusals above used nothing up).
    expect((await send(urlOf('health'), fresh)).status).toBe(200);
  });

  test('the identity the gateway signs names the subgraph, the body hash and a nonce: nothing else of the caller changes', () => {
    const identity = JSON.parse(Buffer.from(tap.last().headers[IDENTITY_HEADER], 'base64url').toString('utf8'));
    expect(identity).toMatchObject({ aud: 'health', sub: 'e2e-all-agencies', bodySha256: expect.any(String), nonce: expect.any(String) });
    expect(identity.exp - Date.now()).toBeLessThanOrEqual(30_000);
    expect(tap.last().headers).not.toHaveProperty('x-pcmt-unsigned-identity');
  });
});

describe('replicas', () => {
  const replicas: SubgraphService[] = [];

  /** Another health replica on the same database: with Redis (shared nonces) or memory only. */
  async function replica(redisUrl: string | null): Promise<string> {
    const def = await loadSubgraph('health');
    const health = fed.services.get('health')!;
    const service = await createSubgraphService(def, { database: health.config.database, logLevel: 'silent', redisUrl });
    replicas.push(service);
    return (await service.listen(0)).url;
  }

  afterAll(async () => {
    for (const s of replicas) await s.close();
  });

  test('a call replayed to another replica: accepted with memory only (control off), refused when the replicas share Redis', async () => {
    const off = await replica(null);
    const used = await capture(false);
    const alone = await send(off, used);
    expect(alone.status).toBe(200);
    const redis = process.env.PCMT_TEST_REDIS_URL;
    if (!redis) {
      console.log('replayed to another replica: memory only, accepted 1 of 1 (set PCMT_TEST_REDIS_URL for the shared-nonce run)');
      return;
    }
    // The federation's health already keeps its nonces in Redis (the harness gives it REDIS_URL).
    const on = await replica(redis);
    const again = await capture(false);
    const shared = await send(on, again);
    console.log(`replayed to another replica: memory only accepted 1 of 1; with Redis accepted ${shared.status === 200 ? 1 : 0} of 1`);
    expect(shared.status).toBe(401);
  });
});

describe('production settings', () => {
  test('a subgraph refuses to start with a development secret; with a secret of its own it starts, on any interface', async () => {
    const def = await loadSubgraph('program');
    const production = { NODE_ENV: 'production', HOST: '0.0.0.0', METRICS_TOKEN: 'c3'.repeat(32), PCMT_DATA_DIR: fed.auditDir };
    for (const secret of [undefined, DEV_IDENTITY_SECRET, 'replace-with-openssl-rand-hex-32']) {
      await expect(createSubgraphService(def, { logLevel: 'silent' }, { ...production, ...(secret ? { PCMT_IDENTITY_SECRET: secret } : {}) })).rejects.toThrow(/PCMT_IDENTITY_SECRET/);
    }
    const service = await createSubgraphService(def, { logLevel: 'silent', database: fed.services.get('program')!.config.database }, { ...production, PCMT_IDENTITY_SECRET: 'd4'.repeat(32) });
    expect(service.config).toMatchObject({ production: true, host: '0.0.0.0' });
    await service.close();
  });
});
