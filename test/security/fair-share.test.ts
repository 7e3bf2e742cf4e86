import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { RunningGateway } from '@pcmt/gateway';
import { sqliteReader, turns } from '@pcmt/kit';
import { startTestFederation, type TestFederation } from '../harness.js';

// One analyst must not slow everyone: expensive ad-hoc queries take turns (the gate), their work
// in the subgraphs takes turns of the event loop with everyone else's (kit turns.ts), and one
// caller's burst beyond its share is answered 429. Each control on and off. Latency figures come
// from `npm run bench:fair-share`, not from here.

let fed: TestFederation;
let analyst: string;

/** Every commune × five years × every indicator: accepted by the cost budget, but expensive. */
const HEAVY = `query Heavy($province: ID!) { communes(provinceCode: $province, first: 150) { items { code periods(from: "2021", to: "2025") { period indicators { value status } } } } }`;

beforeAll(async () => {
  fed = await startTestFederation({ seed: 23, scale: 0.05, env: { CALLER_MAX_CONCURRENCY: '6' } });
  analyst = await fed.roleToken('analyst');
});

afterAll(async () => {
  await fed?.close();
});

const post = (token: string, body: unknown, gw: RunningGateway = fed.gateway) =>
  fetch(gw.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

async function lightP50(gw: RunningGateway): Promise<number> {
  // Another caller's small ad-hoc question.
  const reader = await fed.token({ sub: 'light-reader' });
  const times: number[] = [];
  for (let i = 0; i < 8; i++) {
    const t = performance.now();
    const r = await fetch(gw.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${reader}` }, body: JSON.stringify({ query: '{ provinces { code name } }' }) });
    expect(((await r.json()) as any).data.provinces.length).toBeGreaterThan(0);
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[4];
}

describe('fair share', () => {
  test('expensive ad-hoc queries run one at a time and all are answered; a light query passes by', async () => {
    const idle = await lightP50(fed.gateway);
    const heavy = Array.from({ length: 5 }, () => post(analyst, { query: HEAVY, variables: { province: fed.province.province.code } }));
    const during = await lightP50(fed.gateway);
    const answers = await Promise.all(heavy);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.every((a) => a.body.data.communes.items.length === fed.province.communes.length)).toBe(true);
    expect(fed.gateway.heavyGate.peak).toBe(1);
    console.log(`fair share: light query p50 ${idle.toFixed(1)} ms idle, ${during.toFixed(1)} ms while 5 heavy analyst queries ran (one at a time)`);
  });

  test('work that takes turns of the event loop gives the same answer from the same SQL statements', async () => {
    const ask = async () => {
      for (const s of fed.services.values()) s.queries.reset();
      const before = turns.turns;
      const readsBefore = sqliteReader.reads;
      const answer = await post(analyst, { query: HEAVY, variables: { province: fed.province.province.code } });
      return { answer, statements: [...fed.services.values()].reduce((n, s) => n + s.queries.total, 0), turns: turns.turns - before, offLoop: sqliteReader.reads - readsBefore };
    };
    const slice = turns.sliceMs;
    try {
      // Control: work runs to its end, no turn is taken.
      turns.sliceMs = Infinity;
      const whole = await ask();
      // A tiny slice: the heavy query's fields are resolved over many turns of the loop.
      turns.sliceMs = 0.05;
      const sliced = await ask();
      expect(whole.turns).toBe(0);
      expect(sliced.turns).toBeGreaterThan(10);
      expect(whole.answer.status).toBe(200);
      expect(whole.answer.body.errors).toBeUndefined();
      expect(whole.answer.body.data.communes.items).toHaveLength(fed.province.communes.length);
      expect(sliced.answer.body).toEqual(whole.answer.body);
      // Loaders batch by rounds of the request, not by timing: the same statements.
      expect(sliced.statements).toBe(whole.statements);
      // On SQLite a heavy request's reads run in the worker thread with turns on; control off: none.
      const sqlite = fed.services.get('police')!.config.database.kind === 'sqlite';
      expect(whole.offLoop).toBe(0);
      if (sqlite) expect(sliced.offLoop).toBeGreaterThan(10);
    } finally {
      turns.sliceMs = slice;
    }
  });

  test("a light request's figure statements (whole-table aggregates) also run off the event loop; control off: on it", async () => {
    const variables = { province: fed.province.province.code, period: '2025', from: '2021', to: '2025' };
    const ask = async () => {
      const readsBefore = sqliteReader.reads;
      const answer = await fed.run('dashboard', 'DashboardProvince', variables);
      return { answer, offLoop: sqliteReader.reads - readsBefore };
    };
    const slice = turns.sliceMs;
    try {
      turns.sliceMs = Infinity;
      const onLoop = await ask();
      turns.sliceMs = 1;
      const offLoop = await ask();
      expect(onLoop.answer.errors).toBeUndefined();
      expect(offLoop.answer.data).toEqual(onLoop.answer.data);
      expect(onLoop.offLoop).toBe(0);
      if (fed.services.get('police')!.config.database.kind === 'sqlite') expect(offLoop.offLoop).toBeGreaterThanOrEqual(20);
    } finally {
      turns.sliceMs = slice;
    }
  });

  test('a light question is answered while a heavy one is still resolving over many turns', async () => {
    const slice = turns.sliceMs;
    try {
      turns.sliceMs = 0.05;
      const reader = await fed.token({ sub: 'light-reader-2' });
      const order: string[] = [];
      const heavy = post(analyst, { query: HEAVY, variables: { province: fed.province.province.code } }).then((r) => (order.push('heavy'), r));
      // Once the heavy one's fields are waiting for their turns.
      while (turns.queued === 0) await new Promise((r) => setImmediate(r));
      const light = await post(reader, { query: '{ provinces { code name } }' }).then((r) => (order.push('light'), r));
      expect(light.status).toBe(200);
      expect(light.body.data.provinces.length).toBeGreaterThan(0);
      expect((await heavy).status).toBe(200);
      expect(order).toEqual(['light', 'heavy']);
    } finally {
      turns.sliceMs = slice;
    }
  });

  test('control off: with the gate wide open, expensive queries run together', async () => {
    const open = await fed.startReplica({ fairShare: { heavyCost: 20_000, heavyConcurrency: 10, heavyQueue: 32, heavyMaxWaitMs: 60_000, callerConcurrency: 8 } } as any);
    const answers = await Promise.all(Array.from({ length: 3 }, () => post(analyst, { query: HEAVY, variables: { province: fed.province.province.code } }, open)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(open.heavyGate.peak).toBeGreaterThan(1);
  });

  test('one caller beyond its share of requests in flight gets 429; another caller is still served', async () => {
    // The gate is held while the burst arrives, so that no answer can come back (and free a
    // place) before the tenth request is in: six wait for their turn, four are refused at once.
    const gate = fed.gateway.heavyGate;
    let open!: () => void;
    const held = gate.run(() => new Promise<void>((r) => (open = r)));
    let settled = 0;
    const pending = Array.from({ length: 10 }, () => post(analyst, { query: HEAVY, variables: { province: fed.province.province.code } }).finally(() => settled++));
    while (gate.queued < 6 || settled < 4) await new Promise((r) => setTimeout(r, 5));
    open();
    await held;
    const burst = await Promise.all(pending);
    const refused = burst.filter((b) => b.status === 429);
    expect(refused.length).toBe(4);
    expect(refused[0].body.errors[0].extensions).toMatchObject({ code: 'TOO_MANY_REQUESTS', requestId: expect.any(String) });
    expect(burst.filter((b) => b.status === 200)).toHaveLength(6);
    const other = await post(await fed.token({ sub: 'someone-else' }), { query: '{ provinces { code } }' });
    expect(other.status).toBe(200);
    expect(other.body.data.provinces.length).toBeGreaterThan(0);
  });
});
