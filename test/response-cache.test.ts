import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { markDataChanged } from '@pcmt/gateway';
import { operationDocuments, SHIPPED_CLIENTS, shippedClient } from '@pcmt/gateway/registry';
import { ROLE_CLIENT } from '@pcmt/gateway/roles';
import { testDatabase } from '@pcmt/kit/testing';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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
/** Another commune of the same province: writes to `commune` must not drop its entries. */
let other: string;
let gate: { code: string; commune_code: string };

/**
 * Runs a command (`npm run import`, `npm run seed`) as an operator would, beside the gateway: on the
 * legal-aid subgraph's database and the gateway's registry, which it reads from the environment.
 */
async function legalAidCommand(script: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  const legalAid = fed.services.get('legal-aid')!.config.database;
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', PCMT_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env.REDIS_URL;
  if (legalAid.kind === 'postgresql') {
    env.LEGAL_AID_DATABASE_URL = legalAid.url;
    env.AUDIT_DATABASE_URL = auditUrl;
  } else if (!existsSync(join(dataDir, 'legal-aid.sqlite'))) symlinkSync(legalAid.file, join(dataDir, 'legal-aid.sqlite'));
  return promisify(execFile)(process.execPath, ['--import', '@swc-node/register/esm-register', script, ...args], { env, cwd: process.cwd() }).catch((err) => err);
}

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
  other = (await fed.sql<{ code: string }>('police', 'select code from known_commune where code <> ? and province_code = ? order by code limit 1', [commune, fed.province.province.code]))[0].code;
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
const figures = async (url = fed.gateway.url, c = commune) => {
  const r = await post(FIGURES, { c }, lab, {}, url);
  expect(r.body.errors).toBeUndefined();
  return { cache: r.cache, values: r.body.data.commune.period as Record<string, number> };
};
const PROVINCE_FIGURES = `query($p: ID!) { province(code: $p) { period(period: "2025") { hotspotsDetected schools healthStations borderSeizures legalAidRequests } } }`;
const provinceFigures = async () => {
  const r = await post(PROVINCE_FIGURES, { p: fed.province.province.code });
  expect(r.body.errors).toBeUndefined();
  return { cache: r.cache, values: r.body.data.province.period as Record<string, number> };
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

  test.each(writes)('a $agency write through the gateway is visible to the next read (0 stale answers); another commune stays cached', async ({ figure, mutation, input, headers }) => {
    const before = await figures();
    const province = await provinceFigures();
    const elsewhere = await figures(undefined, other);
    expect((await figures()).cache).toBe('hit');
    expect((await provinceFigures()).cache).toBe('hit');
    const w = await post(mutation, { input: input() }, lab, headers);
    expect(w.body.errors).toBeUndefined();
    const after = await figures();
    expect(after.cache).toBe('miss');
    expect(after.values[figure]).toBe(before.values[figure] + 1);
    // Nothing else changed, and the fresh answer is cached again.
    expect({ ...after.values, [figure]: 0 }).toEqual({ ...before.values, [figure]: 0 });
    expect((await figures()).cache).toBe('hit');
    // The province's figures count the commune: fresh too.
    const provinceAfter = await provinceFigures();
    expect(provinceAfter.cache).toBe('miss');
    expect(provinceAfter.values[figure]).toBe(province.values[figure] + 1);
    // The write reported its commune (kit touched.ts): the other commune's entry is still served, and still right.
    expect(await figures(undefined, other)).toEqual({ cache: 'hit', values: elsewhere.values });
    expect(await figures(undefined, other)).toEqual({ cache: 'hit', values: elsewhere.values });
  });

  test('small cells withheld over the province table: an analyst\'s answer for another commune of the province is recomputed after a write', async () => {
    const analyst = await fed.roleToken('analyst');
    const Q = `query($c: ID!) { commune(code: $c) { period(period: "2025") { legalAidRequests } } }`;
    const first = await post(Q, { c: other }, analyst);
    expect(first.body.errors).toBeUndefined();
    expect((await post(Q, { c: other }, analyst)).cache).toBe('hit');
    const w = await post(writes[4].mutation, { input: { ...writes[4].input(), citizenId: '004090111333' } }, lab, PURPOSE);
    expect(w.body.errors).toBeUndefined();
    // Whether the other commune's cell is withheld depends on this commune's count too.
    const after = await post(Q, { c: other }, analyst);
    expect(after.cache).toBe('miss');
    expect(after.body.data).toEqual(first.body.data);
    // Control: the lab identity sees cells as they are, so its answer for the other commune stays cached.
    const LAB = `${Q} # lab`;
    await post(LAB, { c: other });
    expect((await post(LAB, { c: other })).cache).toBe('hit');
    expect((await post(writes[4].mutation, { input: { ...writes[4].input(), citizenId: '004090111444' } }, lab, PURPOSE)).body.errors).toBeUndefined();
    expect((await post(LAB, { c: other })).cache).toBe('hit');
  });

  test('a write in one year does not drop answers about earlier years; it drops its own year and later ones', async () => {
    const YEAR = `query($c: ID!, $p: String!) { commune(code: $c) { period(period: $p) { hotspotsDetected } } }`;
    const read = async (p: string) => {
      const r = await post(YEAR, { c: commune, p });
      expect(r.body.errors).toBeUndefined();
      return { cache: r.cache, value: r.body.data.commune.period.hotspotsDetected as number };
    };
    const y2024 = await read('2024');
    const y2025 = await read('2025');
    const q2026 = await read('2026-Q1');
    expect((await read('2024')).cache).toBe('hit');
    expect((await read('2025')).cache).toBe('hit');
    const w = await post(writes[0].mutation, { input: { ...writes[0].input(), place: 'Quán karaoke tổ 30', detectedOn: '2025-06-15' } });
    expect(w.body.errors).toBeUndefined();
    expect(await read('2024')).toEqual({ cache: 'hit', value: y2024.value });
    expect(await read('2025')).toEqual({ cache: 'miss', value: y2025.value + 1 });
    // A later period may read this one (previous period, stocks): dropped too, and recomputed the same.
    expect(await read('2026-Q1')).toEqual({ cache: 'miss', value: q2026.value });
  });

  test('Cache-Control: private with the smallest hint of what the answer read; no-store for writes, sensitive reads and errors', async () => {
    const control = async (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
      const res = await fetch(fed.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${lab}`, ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { errors?: unknown[] };
      return { control: res.headers.get('cache-control'), cache: res.headers.get('x-pcmt-cache'), errors: body.errors };
    };
    // Figures (CommunePeriod: cache-max-age:300, from the kit's period types) under the gateway's 600 s.
    const first = await control(`${FIGURES} # cache-control`, { c: commune });
    expect(first.cache).toBe('miss');
    expect(first.control).toBe('private, max-age=300');
    // The indicator catalogue alone (reference data: 86400) is capped by RESPONSE_CACHE_TTL_SECONDS.
    const CATALOGUE = '{ indicators { id nameVi } }';
    const catalogue = await control(CATALOGUE);
    expect(catalogue.errors).toBeUndefined();
    expect(catalogue.control).toBe('private, max-age=600');
    const again = await control(CATALOGUE);
    expect(again.cache).toBe('hit');
    // A hit says what is left of the entry's life.
    const left = Number(/^private, max-age=(\d+)$/.exec(again.control ?? '')?.[1]);
    expect(left).toBeLessThanOrEqual(600);
    expect(left).toBeGreaterThan(300);
    // Never public: answers depend on the caller.
    for (const r of [first, catalogue, again]) expect(r.control).not.toMatch(/public/);
    const patient = (await fed.sql<{ citizen_id: string }>('health', 'select citizen_id from methadone_enrollment order by citizen_id limit 1'))[0].citizen_id;
    const sensitive = await control(`query($p: ID!) { person(citizenId: $p) { methadoneEnrollments { status } } }`, { p: patient }, PURPOSE);
    expect(sensitive.errors).toBeUndefined();
    expect(sensitive.control).toBe('no-store');
    const write = await control(writes[0].mutation, { input: { ...writes[0].input(), place: 'Quán karaoke tổ 31' } });
    expect(write.errors).toBeUndefined();
    expect(write.control).toBe('no-store');
    const error = await control(`query($c: ID!) { commune(code: $c) { period(period: "not-a-period") { schools } } }`, { c: commune });
    expect(error.errors?.length).toBeGreaterThan(0);
    expect(error.control).toBe('no-store');
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

  /** Two legal-aid requests received in `commune` in 2025, as a clerk's CSV. */
  const requestsCsv = (prefix: string, cccd: string) =>
    '\uFEFF' +
    [
      ['Mã yêu cầu', 'Số CCCD', 'Ngày tiếp nhận', 'Mã xã', 'Diện được trợ giúp', 'Hình thức', 'Số vụ án', 'Ghi chú'],
      [`${prefix}1`, `${cccd}1`, '2025-07-01', commune, 'Người thuộc hộ nghèo', 'Tư vấn pháp luật', '', ''],
      [`${prefix}2`, `${cccd}2`, '2025-07-02', commune, 'Người thuộc hộ nghèo', 'Tư vấn pháp luật', '', ''],
    ]
      .map((r) => r.map((v) => `"${v}"`).join(','))
      .join('\r\n');

  /** Cached answers for `commune` and `other` before an import of two rows in `commune`; after it, the first recomputed, the second still served. */
  async function importLeavesOtherCommune(importTwoRows: () => Promise<void>) {
    const before = await figures();
    const elsewhere = await figures(undefined, other);
    expect((await figures()).cache).toBe('hit');
    expect((await figures(undefined, other)).cache).toBe('hit');
    await importTwoRows();
    const after = await figures();
    expect(after.cache).toBe('miss');
    expect(after.values.legalAidRequests).toBe(before.values.legalAidRequests + 2);
    expect({ ...after.values, legalAidRequests: 0 }).toEqual({ ...before.values, legalAidRequests: 0 });
    // The rows' commune was recorded, not the subgraph: the other commune's answer is still served, and still right.
    expect(await figures(undefined, other)).toEqual({ cache: 'hit', values: elsewhere.values });
    const [{ n }] = await fed.sql<{ n: number | string }>('legal-aid', "select count(*) as n from legal_aid_request where commune_code = ? and received_on >= '2025-01-01' and received_on <= '2025-12-31'", [other]);
    expect(elsewhere.values.legalAidRequests).toBe(Number(n));
  }

  test('an import with `npm run import` (which bypasses the gateway) is visible to the next read; another commune stays cached', async () => {
    await importLeavesOtherCommune(async () => {
      const file = join(dataDir, 'yeu-cau.csv');
      writeFileSync(file, requestsCsv('TGPL-9900', '00408577700'), 'utf8');
      const run = await legalAidCommand('scripts/import.ts', ['legal-aid', file, '--operator', 'kiem-tra', '--province', fed.province.province.code]);
      expect(`${run.stdout}${run.stderr}`).toMatch(/2 imported/);
    });
  }, 120_000);

  test('an upload on the page (/import) is visible to the next read; another commune stays cached', async () => {
    const officer = await fed.roleToken('legal-aid-officer');
    await importLeavesOtherCommune(async () => {
      const res = await fetch(`${fed.gateway.url.replace(/\/graphql$/, '')}/import/api/upload/legal-aid/requests?name=yeu-cau.csv`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv', authorization: `Bearer ${officer}`, ...PURPOSE },
        body: requestsCsv('TGPL-9910', '00408577710'),
      });
      const body = (await res.json()) as { imported?: number; refused?: number };
      expect(res.status).toBe(200);
      expect(body).toMatchObject({ imported: 2, refused: 0 });
    });
  }, 120_000);

  test("the national view is cached by the provinces it lists: a change in another province leaves it served, a write in its own is seen", async () => {
    const client = ROLE_CLIENT['national-steering-committee'];
    const entry = SHIPPED_CLIENTS.find((c) => c.client === client)!;
    const id = shippedClient(entry).sources.flatMap((s) => operationDocuments(s.body)).find((d) => d.operationName === 'DashboardNational')!.id;
    const national = await fed.roleToken('national-steering-committee');
    const read = async () => {
      const res = await fetch(fed.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${national}` },
        body: JSON.stringify({ documentId: `sha256:${id}`, operationName: 'DashboardNational', variables: { period: '2025' } }),
      });
      const body = (await res.json()) as { data?: any; errors?: unknown[] };
      expect(body.errors).toBeUndefined();
      return { cache: res.headers.get('x-pcmt-cache'), data: body.data };
    };
    const first = await read();
    expect(first.data.provinces.map((p: { code: string }) => p.code)).toEqual([fed.province.province.code]);
    expect(await read()).toEqual({ cache: 'hit', data: first.data });
    // What a write in another province reports (its commune and province): this entry does not list it.
    const registry = auditUrl ? { kind: 'postgresql' as const, url: auditUrl } : { kind: 'sqlite' as const, file: join(dataDir, 'registry.sqlite') };
    await markDataChanged(registry, ['legal-aid', 'police'], [
      { subgraph: 'legal-aid', c: '99001', p: '99', y: 2025 },
      { subgraph: 'police', c: '*', p: '99', y: 0 },
    ]);
    expect(await read()).toEqual({ cache: 'hit', data: first.data });
    // A write in its own province: recomputed, then served again.
    const w = await post(writes[4].mutation, { input: { ...writes[4].input(), citizenId: '004090111555' } }, lab, PURPOSE);
    expect(w.body.errors).toBeUndefined();
    const after = await read();
    expect(after.cache).toBe('miss');
    expect(await read()).toEqual({ cache: 'hit', data: after.data });
    // Control: the same change placed in its province drops it.
    await markDataChanged(registry, ['police'], [{ subgraph: 'police', c: '*', p: fed.province.province.code, y: 2024 }]);
    expect((await read()).cache).toBe('miss');
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
  test('`npm run seed` marks what it seeded changed: a reseeded subgraph is never answered from before the seed', async () => {
    const before = await figures();
    expect((await figures()).cache).toBe('hit');
    // The same province again, from scratch: the requests written by the tests above are gone.
    const run = await legalAidCommand('scripts/seed.ts', ['--only', 'legal-aid', '--reset', '--seed', '41', '--scale', '0.05']);
    expect(`${run.stdout}${run.stderr}`).toMatch(/Response cache: legal-aid marked changed/);
    const [{ n }] = await fed.sql<{ n: number | string }>('legal-aid', "select count(*) as n from legal_aid_request where commune_code = ? and received_on >= '2025-01-01' and received_on <= '2025-12-31'", [commune]);
    const after = await figures();
    expect(after.cache).toBe('miss');
    expect(after.values.legalAidRequests).toBe(Number(n));
    expect(after.values.legalAidRequests).not.toBe(before.values.legalAidRequests);
  }, 180_000);
});
