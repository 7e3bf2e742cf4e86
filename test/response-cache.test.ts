import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { markDataChanged } from '@pcmt/gateway';
import { testDatabase } from '@pcmt/kit/testing';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createClient } from 'redis';
import { startTestFederation, type TestFederation } from './harness.js';
import { FaultProxy } from './resilience/proxy.js';

// The gateway's response cache (gateway/src/response-cache.ts), on: entries are never shared across
// permission classes, every write through the gateway and every `npm run import` makes the next
// read fresh, sensitive reads and errors are never cached, and a Redis outage (through a proxy this
// test owns: the real server is never stopped) changes nothing in the answers.

/** The Redis of the PG+Redis run, else this machine's if one answers (the outage test needs one). */
async function findRedis(): Promise<string | null> {
  const url = process.env.PCMT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const probe = createClient({ url, socket: { connectTimeout: 1000, reconnectStrategy: false } });
  probe.on('error', () => {});
  const up = await probe.connect().then(() => true, () => false);
  if (up) await probe.close();
  else console.warn(`no Redis at ${url}: the Redis outage test is skipped`);
  return up ? url : null;
}
let redisTarget: string | null = null;
const dataDir = mkdtempSync(join(tmpdir(), 'pcmt-rc-'));
let proxy: FaultProxy | null = null;
let fed: TestFederation;
let lab: string;
let dropAudit: (() => Promise<void>) | null = null;
let auditUrl: string | undefined;
let commune: string;
let gate: { code: string; commune_code: string };

beforeAll(async () => {
  redisTarget = await findRedis();
  proxy = redisTarget ? await FaultProxy.forUrl(redisTarget) : null;
  // Our own gateway database (registry, audit), so that `npm run import` below can be pointed at it.
  if (process.env.PCMT_TEST_POSTGRES_URL) {
    const db = await testDatabase('rcaudit');
    dropAudit = db.drop;
    auditUrl = (db.target as { url: string }).url;
  }
  fed = await startTestFederation({
    seed: 41,
    scale: 0.05,
    env: {
      RESPONSE_CACHE_TTL_SECONDS: '600',
      PCMT_DATA_DIR: dataDir,
      ...(auditUrl ? { AUDIT_DATABASE_URL: auditUrl } : {}),
      // The PG+Redis run: this gateway on Redis (through the proxy); otherwise on memory.
      ...(proxy && process.env.PCMT_TEST_REDIS_URL ? { REDIS_URL: `redis://127.0.0.1:${proxy.port}` } : {}),
    },
  });
  lab = await fed.token();
  gate = (await fed.sql<{ code: string; commune_code: string }>('customs', "select code, commune_code from border_gate where kind in ('LAND_GATE', 'TRAIL') order by code limit 1"))[0];
  commune = gate.commune_code;
}, 120_000);

afterAll(async () => {
  await fed?.close();
  await proxy?.close();
  await dropAudit?.();
  rmSync(dataDir, { recursive: true, force: true });
});

async function post(query: string, variables: Record<string, unknown> = {}, token = lab, headers: Record<string, string> = {}, url = fed.gateway.url) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, cache: res.headers.get('x-pcmt-cache'), body: (await res.json()) as { data?: any; errors?: any[]; extensions?: any } };
}

const FIGURES = `query($c: ID!) { commune(code: $c) { period(period: "2025") { hotspotsDetected schools healthStations borderSeizures legalAidRequests } } }`;
const figures = async (url = fed.gateway.url) => {
  const r = await post(FIGURES, { c: commune }, lab, {}, url);
  expect(r.body.errors).toBeUndefined();
  return { cache: r.cache, values: r.body.data.commune.period as Record<string, number> };
};
const PURPOSE = { 'x-pcmt-purpose': 'kiem-tra-bo-nho-dem' };

describe('response cache', () => {
  test('a repeated read is answered from the cache without any subgraph work', async () => {
    const first = await figures();
    expect(first.cache).toBe('miss');
    fed.resetStatements();
    const again = await figures();
    expect(again).toEqual({ cache: 'hit', values: first.values });
    expect(fed.statements()).toBe(0);
  });

  test('permission classes never share an entry: an analyst never receives a steering-committee answer', async () => {
    const DASHBOARD = `query($p: ID!) { province(code: $p) { code period(period: "2025") { indicators { indicator { id } value suppressed } } } }`;
    const steering = await fed.token({ sub: 'ban-chi-dao-1', roles: ['steering-committee'], scopes: ['operations:adhoc'], agency: 'program' });
    const steering2 = await fed.token({ sub: 'ban-chi-dao-2', roles: ['steering-committee'], scopes: ['operations:adhoc'], agency: 'program' });
    const analyst = await fed.roleToken('analyst');
    const vars = { p: fed.province.province.code };
    const s1 = await post(DASHBOARD, vars, steering);
    expect(s1.body.errors).toBeUndefined();
    expect(s1.cache).toBe('miss');
    // Another member of the same committee, same area: the same class, the same entry.
    const s2 = await post(DASHBOARD, vars, steering2);
    expect(s2.cache).toBe('hit');
    expect(s2.body.data).toEqual(s1.body.data);
    // The analyst's first request is computed for the analyst, by the subgraphs.
    fed.resetStatements();
    const a1 = await post(DASHBOARD, vars, analyst);
    expect(a1.body.errors).toBeUndefined();
    expect(a1.cache).toBe('miss');
    expect(fed.statements()).toBeGreaterThan(0);
    expect((await post(DASHBOARD, vars, analyst)).cache).toBe('hit');
    // A caller who sees small cells (lab identity) is another class again: its small counts never reach the analyst.
    const PERSONS = `query($p: ID!) { communes(provinceCode: $p, first: 500) { items { code period(period: "2025") { managedUsers legalAidRequests } } } }`;
    const cells = (r: Awaited<ReturnType<typeof post>>) => r.body.data.communes.items.flatMap((c: any) => [c.period.managedUsers, c.period.legalAidRequests]);
    const l1 = await post(PERSONS, vars, lab);
    expect(cells(l1).some((v: unknown) => typeof v === 'number' && v > 0 && v < 5)).toBe(true);
    const a2 = await post(PERSONS, vars, analyst);
    expect(a2.cache).toBe('miss');
    for (const v of cells(a2)) if (typeof v === 'number') expect(v === 0 || v >= 5).toBe(true);
  });

  // One write per agency, each through the gateway as that agency's app would send it; the figure it changes.
  const writes: Array<{ agency: string; figure: string; mutation: string; input: () => Record<string, unknown>; headers?: Record<string, string> }> = [
    {
      agency: 'police',
      figure: 'hotspotsDetected',
      mutation: 'mutation($input: RecordHotspotInput!) { recordHotspot(input: $input) { id } }',
      input: () => ({ kind: 'HARBOURING_VENUE', venueType: 'KARAOKE', place: 'Quán karaoke tổ 9', communeCode: commune, detectedOn: '2025-03-01' }),
    },
    {
      agency: 'education',
      figure: 'schools',
      mutation: 'mutation($input: RegisterSchoolInput!) { registerSchool(input: $input) { id } }',
      input: () => ({ name: 'Trường Tiểu học Bản Mới', level: 'PRIMARY', communeCode: commune, students: 120 }),
    },
    {
      agency: 'health',
      figure: 'healthStations',
      mutation: 'mutation($input: RegisterFacilityInput!) { registerFacility(input: $input) { id } }',
      input: () => ({ name: 'Trạm Y tế xã (điểm mới)', kind: 'COMMUNE_HEALTH_STATION', communeCode: commune, openedOn: '2025-01-02' }),
    },
    {
      agency: 'customs',
      figure: 'borderSeizures',
      mutation: 'mutation($input: RegisterSeizureInput!) { registerSeizure(input: $input) { id } }',
      input: () => ({
        id: 'TG-2025-09901',
        seizedOn: '2025-06-10',
        communeCode: commune,
        agency: 'CUSTOMS',
        gateCode: gate.code,
        route: 'LAND_BORDER',
        conveyance: 'TRUCK',
        concealment: 'Giấu trong thùng xe',
        originCountry: 'LA',
        destinationCountry: 'VN',
        items: [{ substanceCode: 'HEROIN', quantity: 2, unit: 'KILOGRAM' }],
        suspects: [],
      }),
      headers: PURPOSE,
    },
    {
      agency: 'legal-aid',
      figure: 'legalAidRequests',
      mutation: 'mutation($input: RegisterLegalAidRequestInput!) { registerLegalAidRequest(input: $input) { id } }',
      input: () => ({ citizenId: '004090111222', receivedOn: '2025-06-01', communeCode: commune, eligibilityGroup: 'POOR_HOUSEHOLD', serviceForm: 'ADVICE' }),
      headers: PURPOSE,
    },
  ];

  test.each(writes)('a $agency write through the gateway is visible to the next read (0 stale answers)', async ({ figure, mutation, input, headers }) => {
    const before = await figures();
    expect((await figures()).cache).toBe('hit');
    const w = await post(mutation, { input: input() }, lab, headers);
    expect(w.body.errors).toBeUndefined();
    const after = await figures();
    expect(after.cache).toBe('miss');
    expect(after.values[figure]).toBe(before.values[figure] + 1);
    // Nothing else changed, and the fresh answer is cached again.
    expect({ ...after.values, [figure]: 0 }).toEqual({ ...before.values, [figure]: 0 });
    expect((await figures()).cache).toBe('hit');
  });

  test('a write invalidates only answers that read its subgraph (control: an education-only answer stays cached)', async () => {
    const SCHOOLS = `query($c: ID!) { commune(code: $c) { period(period: "2025") { schools } } }`;
    await post(SCHOOLS, { c: commune });
    expect((await post(SCHOOLS, { c: commune })).cache).toBe('hit');
    const w = await post(writes[0].mutation, { input: { ...writes[0].input(), place: 'Quán karaoke tổ 10' } });
    expect(w.body.errors).toBeUndefined();
    expect((await post(SCHOOLS, { c: commune })).cache).toBe('hit');
    expect((await figures()).cache).toBe('miss');
  });

  test('control: a write that tells nobody (straight into the database) stays unseen until the data version moves', async () => {
    const before = await figures();
    expect((await figures()).cache).toBe('hit');
    const moved = await fed.sql<{ id: number }>('police', 'select id from hotspot where commune_code <> ? order by id limit 1', [commune]);
    await fed.sql('police', "update hotspot set commune_code = ?, detected_on = '2025-05-05' where id = ?", [commune, moved[0].id]);
    // Off: the cache cannot know; the old answer is served.
    const stale = await figures();
    expect(stale).toEqual({ cache: 'hit', values: before.values });
    // On: what `npm run import` does when it ends.
    await markDataChanged(auditUrl ? { kind: 'postgresql', url: auditUrl } : { kind: 'sqlite', file: join(dataDir, 'registry.sqlite') }, ['police']);
    const fresh = await figures();
    expect(fresh.cache).toBe('miss');
    expect(fresh.values.hotspotsDetected).toBe(before.values.hotspotsDetected + 1);
  });

  test('an import with `npm run import` (which bypasses the gateway) is visible to the next read', async () => {
    const before = await figures();
    expect((await figures()).cache).toBe('hit');
    const legalAid = fed.services.get('legal-aid')!.config.database;
    // The command reads the subgraph's database and the gateway's registry from the environment.
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', PCMT_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
    delete env.REDIS_URL;
    if (legalAid.kind === 'postgresql') {
      env.LEGAL_AID_DATABASE_URL = legalAid.url;
      env.AUDIT_DATABASE_URL = auditUrl;
    } else symlinkSync(legalAid.file, join(dataDir, 'legal-aid.sqlite'));
    const file = join(dataDir, 'yeu-cau.csv');
    const rows = [
      ['Mã yêu cầu', 'Số CCCD', 'Ngày tiếp nhận', 'Mã xã', 'Diện được trợ giúp', 'Hình thức', 'Số vụ án', 'Ghi chú'],
      ['TGPL-99001', '004085777001', '2025-07-01', commune, 'Người thuộc hộ nghèo', 'Tư vấn pháp luật', '', ''],
      ['TGPL-99002', '004085777002', '2025-07-02', commune, 'Người thuộc hộ nghèo', 'Tư vấn pháp luật', '', ''],
    ];
    writeFileSync(file, '\uFEFF' + rows.map((r) => r.map((v) => `"${v}"`).join(',')).join('\r\n'), 'utf8');
    const run = await promisify(execFile)(process.execPath, ['--import', '@swc-node/register/esm-register', 'scripts/import.ts', 'legal-aid', file, '--operator', 'kiem-tra', '--province', fed.province.province.code], { env, cwd: process.cwd() }).catch((err) => err);
    expect(`${run.stdout}${run.stderr}`).toMatch(/2 imported/);
    const after = await figures();
    expect(after.cache).toBe('miss');
    expect(after.values.legalAidRequests).toBe(before.values.legalAidRequests + 2);
  }, 120_000);

  test('sensitive reads are never cached (each one reaches the subgraph and the audit log)', async () => {
    const patient = (await fed.sql<{ citizen_id: string }>('health', 'select citizen_id from methadone_enrollment order by citizen_id limit 1'))[0].citizen_id;
    const SENSITIVE = `query($p: ID!) { person(citizenId: $p) { fullName methadoneEnrollments { status } } }`;
    const first = await post(SENSITIVE, { p: patient }, lab, PURPOSE);
    expect(first.body.errors).toBeUndefined();
    fed.resetStatements();
    const entries = (await fed.gateway.audit.all()).length;
    const second = await post(SENSITIVE, { p: patient }, lab, PURPOSE);
    expect(second.body.data).toEqual(first.body.data);
    expect(second.cache).toBeNull();
    expect(fed.statements()).toBeGreaterThan(0);
    expect((await fed.gateway.audit.all()).length).toBe(entries + 1);
    // Control: the same person without the sensitive fields is cached.
    const OPEN = `query($p: ID!) { person(citizenId: $p) { citizenId } }`;
    await post(OPEN, { p: patient });
    expect((await post(OPEN, { p: patient })).cache).toBe('hit');
  });

  test('errors are never cached', async () => {
    const BAD = `query($c: ID!) { commune(code: $c) { period(period: "not-a-period") { schools } } }`;
    const first = await post(BAD, { c: commune });
    expect(first.body.errors?.length).toBeGreaterThan(0);
    expect((await post(BAD, { c: commune })).cache).not.toBe('hit');
  });

  test('Redis killed (through the proxy) and back, on a replica: answers stay correct, writes on the other replica stay visible', async () => {
    if (!redisTarget || !proxy) return; // no Redis on this machine (warned above)
    // A second replica, its entries in Redis (through the proxy); writes go through the first.
    const replica = await fed.startReplica({ redisUrl: `redis://127.0.0.1:${proxy.port}` });
    try {
      const direct = createClient({ url: redisTarget });
      await direct.connect();
      const stored = (await direct.keys('pcmt:rc:*')).length;
      // Redis connects in the background: once up, the replica's entries land there.
      for (let i = 0; i < 50 && (await direct.keys('pcmt:rc:*')).length <= stored; i++) {
        await post(`${FIGURES} # ${i}`, { c: commune }, lab, {}, replica.url);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect((await direct.keys('pcmt:rc:*')).length).toBeGreaterThan(stored);
      await direct.close();
      const place = (n: number) => ({ ...writes[0].input(), place: `Quán karaoke tổ ${n}` });
      const before = (await figures(replica.url)).values.hotspotsDetected;
      expect((await figures(replica.url)).cache).toBe('hit');
      // A write on the other replica: the next read here is fresh.
      expect((await post(writes[0].mutation, { input: place(20) })).body.errors).toBeUndefined();
      expect((await figures(replica.url)).values.hotspotsDetected).toBe(before + 1);
      // Redis down: answered without it (this replica's memory), still fresh after a write.
      await proxy.refuse();
      expect((await figures(replica.url)).values.hotspotsDetected).toBe(before + 1);
      expect((await post(writes[0].mutation, { input: place(21) })).body.errors).toBeUndefined();
      expect((await figures(replica.url)).values.hotspotsDetected).toBe(before + 2);
      // Back: the entry left in Redis before the outage is older than the write, and is not served.
      await proxy.restore();
      await new Promise((r) => setTimeout(r, 4000));
      expect((await figures(replica.url)).values.hotspotsDetected).toBe(before + 2);
      expect((await post(writes[0].mutation, { input: place(22) }, lab, {}, replica.url)).body.errors).toBeUndefined();
      expect((await figures(replica.url)).values.hotspotsDetected).toBe(before + 3);
      expect((await figures()).values.hotspotsDetected).toBe(before + 3);
    } finally {
      await replica.close();
    }
  }, 90_000);
});
