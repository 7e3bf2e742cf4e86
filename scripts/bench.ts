// npm run bench -- [--scale 1] [--rounds 20]
// Seeds a fresh federation (temporary SQLite files, or PostgreSQL with PCMT_TEST_POSTGRES_URL), then
// times the dashboard's registered operations and a 500-person cross-agency list through the gateway,
// and prints seed time, latency percentiles, SQL statements per request and memory. Figures only:
// nothing here passes or fails.
import { devTokenClaims, ensureDevKeys, issueToken } from '@pcmt/gateway/dev-keys';
import { helpIfAsked, parseArgsOrFail } from './lib/cli.js';
import { DEMO_PROVINCE_CODE } from '@pcmt/kit';
import { testDatabase } from '@pcmt/kit/testing';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFederation } from './lib/federation.js';

helpIfAsked(`
npm run bench -- [--scale 1] [--rounds 20]
Seeds a fresh federation (temporary SQLite files, or PostgreSQL with PCMT_TEST_POSTGRES_URL), then
times the dashboard's registered operations and a 500-person cross-agency list through the gateway,
and prints seed time, latency percentiles, SQL statements per request and memory. Figures only:
nothing here passes or fails.`);

const { values } = parseArgsOrFail({ options: { scale: { type: 'string', default: '1' }, rounds: { type: 'string', default: '20' } } });
const scale = Number(values.scale);
const rounds = Number(values.rounds);
const dir = mkdtempSync(join(tmpdir(), 'pcmt-bench-'));
const keys = await ensureDevKeys(join(dir, 'keys'));
const drops: Array<() => Promise<void>> = [];

const t0 = Date.now();
const fed = await startFederation({
  port: 0,
  logLevel: 'silent',
  seed: { seed: 2025, scale },
  auth: { publicKeyPem: keys.publicPem },
  env: { ...process.env, NODE_ENV: 'test', PCMT_DATA_DIR: dir },
  database: async (name) => {
    const db = await testDatabase(name, 'bench');
    drops.push(db.drop);
    return db.target;
  },
});
const seedSeconds = (Date.now() - t0) / 1000;
const operations = readFileSync('schema/operations/dashboard.graphql', 'utf8');
// The dashboard exactly as `npm run tokens -- --role dashboard` issues it (its client's registered operations).
const dashboard = await issueToken(keys.privatePem, devTokenClaims('dashboard', { demoProvince: DEMO_PROVINCE_CODE }));
const officer = await issueToken(keys.privatePem, { sub: 'bench-all', agency: 'program', roles: ['police-officer', 'health-officer', 'customs-officer', 'legal-aid-officer'], scopes: ['operations:adhoc'], province: DEMO_PROVINCE_CODE });
const province = DEMO_PROVINCE_CODE;
const commune = (await fed.services.get('program')!.orm.em.fork().getConnection().execute('select code from commune order by code limit 1'))[0].code;
// The same case list for the whole province and for one commune's officer (the area filter's cost).
const CASES = '{ drugCases(first: 500) { totalCount items { id status commune { code } suspects { role person { fullName methadoneEnrollments { status } } } } } }';
const busiest = (await fed.services.get('police')!.orm.em.fork().getConnection().execute('select commune_code from drug_case group by commune_code order by count(*) desc limit 1'))[0].commune_code;
const oneCommuneOfficer = await issueToken(keys.privatePem, { sub: 'bench-commune', agency: 'police', roles: ['police-officer', 'health-officer'], scopes: ['operations:adhoc'], communes: [busiest] });
const provinceOfficer = await issueToken(keys.privatePem, { sub: 'bench-province', agency: 'police', roles: ['police-officer', 'health-officer'], scopes: ['operations:adhoc'], province: DEMO_PROVINCE_CODE });

const cases: Array<{ name: string; token: string; body: Record<string, unknown>; headers?: Record<string, string> }> = [
  { name: 'DashboardProvince', token: dashboard, body: { query: operations, operationName: 'DashboardProvince', variables: { province, period: '2025', from: '2021', to: '2025' } } },
  { name: 'DashboardCommunes', token: dashboard, body: { query: operations, operationName: 'DashboardCommunes', variables: { province, period: '2025' } } },
  { name: 'DashboardCommune', token: dashboard, body: { query: operations, operationName: 'DashboardCommune', variables: { code: commune, period: '2025', from: '2021', to: '2025' } } },
  {
    name: '500 persons × 4 agencies',
    token: officer,
    headers: { 'x-pcmt-purpose': 'benchmark' },
    body: { query: '{ persons(first: 500) { items { citizenId fullName managementFiles { category } methadoneEnrollments { status } legalAidRequests { status } seizuresAsSuspect { id } } } }' },
  },
  { name: '500 enrolments, 3 doses', token: provinceOfficer, headers: { 'x-pcmt-purpose': 'benchmark' }, body: { query: '{ methadoneEnrollments(first: 500) { items { id doses(first: 3) { day doseMg } } } }' } },
  { name: 'Cases, whole province', token: provinceOfficer, headers: { 'x-pcmt-purpose': 'benchmark' }, body: { query: CASES } },
  { name: 'Cases, one commune', token: oneCommuneOfficer, headers: { 'x-pcmt-purpose': 'benchmark' }, body: { query: CASES } },
];

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
console.log(`federation up and seeded at scale ${scale} in ${seedSeconds.toFixed(1)} s (${fed.services.get('police')!.config.database.kind})`);
for (const c of cases) {
  const times: number[] = [];
  let statements = 0;
  for (let i = 0; i < rounds; i++) {
    for (const s of fed.services.values()) s.queries.reset();
    const start = performance.now();
    const res = await fetch(fed.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${c.token}`, ...c.headers }, body: JSON.stringify(c.body) });
    const body = (await res.json()) as { errors?: unknown[] };
    times.push(performance.now() - start);
    statements = [...fed.services.values()].reduce((n, s) => n + s.queries.total, 0);
    if (i === 0 && body.errors) console.log(`  ${c.name}: errors ${JSON.stringify(body.errors).slice(0, 200)}`);
  }
  console.log(`${c.name.padEnd(26)} p50 ${pct(times, 50).toFixed(0)} ms  p95 ${pct(times, 95).toFixed(0)} ms  SQL statements ${statements}`);
}
const mem = process.memoryUsage();
console.log(`memory (one process: seven subgraphs + gateway): rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB, heap ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB`);

// Memory over 10,000 requests (BENCH_LIGHT_REQUESTS), 16 at once: small ad-hoc reads of varying
// shape (shared and batched subgraph calls): RSS should level off once the heap has its working size.
const MiB = (n: number) => (n / 2 ** 20).toFixed(0);
let sent = 0;
const TOTAL = Number(process.env.BENCH_LIGHT_REQUESTS ?? 10_000);
const marks: string[] = [];
const light = (i: number) => ({ query: `{ communes(provinceCode: "${province}", first: ${10 + (i % 20)}) { items { code name population } } provinces { code } }` });
async function worker(): Promise<void> {
  while (sent < TOTAL) {
    const i = sent++;
    const res = await fetch(fed.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${officer}` }, body: JSON.stringify(light(i)) });
    await res.arrayBuffer();
    if ((i + 1) % 5_000 === 0 || i === 999) {
      const m = process.memoryUsage();
      marks.push(`${i + 1}: rss ${MiB(m.rss)} MiB, heap ${MiB(m.heapUsed)} MiB, external ${MiB(m.external)} MiB`);
    }
  }
}
const t1 = performance.now();
await Promise.all(Array.from({ length: 16 }, worker));
console.log(`memory over ${TOTAL.toLocaleString('en')} light requests, 16 at once (${((performance.now() - t1) / 1000).toFixed(1)} s): ${marks.join('; ')}`);
await fed.close();
for (const d of drops) await d();
