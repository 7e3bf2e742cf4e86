// npm run bench:peers -- [--scale 1] [--rounds 40] [--provinces cao-bang,lang-son,…] [--statements FILE]
// This gateway beside its peers, on the same subgraphs and databases (one process, this machine):
// Hive Gateway with its JS planner and with its Rust planner (the gateway-runtime and router-runtime
// npm packages, no security of their own: a plugin signs each subgraph call with the identity our
// gateway would forward, so both make the subgraphs do the same work), the subgraph called directly,
// the plan replayed with no gateway (Hive Rust's subgraph calls for a request, sent straight), and two SQL floors: the same figures by hand-written SQL (scripts/sql-floor/, checked cell for cell)
// and the statements our subgraphs ran, replayed. Rounds are interleaved (each round asks every peer once, in turn), answers are
// compared with ours, and ratios are printed. Figures only: nothing here passes or fails.
import { devTokenClaims, ensureDevKeys, issueToken } from '@pcmt/gateway/dev-keys';
import { fail, helpIfAsked, parseArgsOrFail } from './lib/cli.js';
import { scopesOf } from '@pcmt/gateway/roles';
import { DEMO_PROVINCE_CODE, PROVINCE_PROFILES, syntheticProvinces } from '@pcmt/kit';
import { DEV_IDENTITY_SECRET, signSubgraphRequest, type Identity } from '@pcmt/kit/identity';
import { testDatabase } from '@pcmt/kit/testing';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { startFederation } from './lib/federation.js';
import { SUPERGRAPH_PATH } from './lib/schema.js';
import { executeOn, floorDifferences } from './sql-floor/check.js';
import { FLOOR_AGENCIES, loadFloor } from './sql-floor/index.js';
import { programReads } from './sql-floor/program.js';

helpIfAsked(`
npm run bench:peers -- [--scale 1] [--rounds 40] [--provinces cao-bang,lang-son,…] [--statements FILE]
This gateway beside its peers, on the same subgraphs and databases (one process, this machine):
Hive Gateway with its JS planner and with its Rust planner (the gateway-runtime and router-runtime
npm packages, no security of their own: a plugin signs each subgraph call with the identity our
gateway would forward, so both make the subgraphs do the same work), the subgraph called directly,
the plan replayed with no gateway (Hive Rust's subgraph calls for a request, sent straight), and two SQL floors: the same figures by hand-written SQL (scripts/sql-floor/, checked cell for cell)
and the statements our subgraphs ran, replayed. Rounds are interleaved (each round asks every peer once, in turn), answers are
compared with ours, and ratios are printed. Figures only: nothing here passes or fails.
--statements FILE writes the dashboard's SQL statements (subgraph, text, parameters, best of 3 ms) as JSON.`);

// @apollo/gateway otherwise sends usage metrics to Apollo (and probes cloud metadata addresses) from every instance.
process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';

// Loaded by name: their type declarations (graphql-yoga's) would change `graphql`'s error types for
// the whole project, against Apollo's.
const load = (name: string): Promise<any> => import(name);
const { createGatewayRuntime } = await load('@graphql-hive/gateway-runtime');
const { unifiedGraphHandler: rustPlanner } = await load('@graphql-hive/router-runtime');
const httpTransport = (await load('@graphql-mesh/transport-http')).default;

const { values } = parseArgsOrFail({ options: { scale: { type: 'string', default: '1' }, rounds: { type: 'string', default: '40' }, provinces: { type: 'string' }, statements: { type: 'string' } } });
const scale = Number(values.scale);
const rounds = Number(values.rounds);
const provinces = values.provinces?.split(',').map((s) => s.trim()).filter(Boolean);
for (const name of provinces ?? []) if (!PROVINCE_PROFILES[name]) fail(`--provinces: unknown province ${name}; known: ${Object.keys(PROVINCE_PROFILES).join(', ')}`);
// The province every query and caller is about: the demo province, or the first one named.
const focus = provinces ? syntheticProvinces({ seed: 2025, scale, provinces })[0].province.code : DEMO_PROVINCE_CODE;
const dir = mkdtempSync(join(tmpdir(), 'pcmt-peers-'));
const keys = await ensureDevKeys(join(dir, 'keys'));
const drops: Array<() => Promise<void>> = [];

/** A federation of the benchmark's seed, on databases of its own (`suite`), dropped at the end. */
const seededFederation = (seeded: string[] | undefined, suite: string, dataDir: string) =>
  startFederation({
    port: 0,
    logLevel: process.env.BENCH_LOG_LEVEL ?? 'silent',
    seed: { seed: 2025, scale, ...(seeded ? { provinces: seeded } : {}) },
    auth: { publicKeyPem: keys.publicPem },
    // NODE_ENV=test: the response cache is off on this gateway (the uncached figures); a replica has it on.
    env: { ...process.env, NODE_ENV: 'test', PCMT_DATA_DIR: dataDir, CALLER_MAX_CONCURRENCY: '64' },
    database: async (name) => {
      const db = await testDatabase(name, suite);
      drops.push(db.drop);
      return db.target;
    },
  });

const t0 = Date.now();
const fed = await seededFederation(provinces, 'peers', dir);
const cached = await fed.startReplica({ responseCache: { ttlSeconds: 3600, memoryBytes: 64 * 2 ** 20 } });
console.log(`federation seeded at scale ${scale}${provinces ? ` (${provinces.length} provinces)` : ''} in ${((Date.now() - t0) / 1000).toFixed(1)} s (${fed.services.get('police')!.config.database.kind}); ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
// With several provinces, the first one also alone in a federation of its own, in the same process
// and the same interleaved rounds: "within 10 % of one province alone" as one run's ratio, not two
// runs' (back-to-back runs on a shared machine differ by ±20 %).
const alone = provinces && provinces.length > 1 ? await seededFederation([provinces[0]], 'peersalone', join(dir, 'alone')) : null;

// --- Hive Gateway, JS and Rust planners, on the same supergraph with the subgraphs' real addresses.
const subgraphUrl = new Map([...fed.servers].map(([name, s]) => [name, s.url]));
const supergraph = readFileSync(SUPERGRAPH_PATH, 'utf8').replace(/@join__graph\(name: "([^"]+)", url: "[^"]*"\)/g, (all, name: string) => (subgraphUrl.has(name) ? `@join__graph(name: "${name}", url: "${subgraphUrl.get(name)}")` : all));
const nameOfUrl = new Map([...subgraphUrl].map(([name, url]) => [url, name]));

/** The identity our gateway forwards for a caller: Hive signs the same, so subgraphs do the same work. */
const identityHeader = 'x-bench-identity';
const signing = {
  onFetch({ url, options, setOptions, context }: { url: string; options: any; setOptions(o: any): void; context: any }) {
    const given = options.headers as any;
    const headers: Record<string, string> = typeof given?.forEach === 'function' && !Array.isArray(given) ? Object.fromEntries(given as Iterable<[string, string]>) : { ...given };
    const raw = (context as any)?.headers?.[identityHeader] as string | undefined;
    const audience = nameOfUrl.get(url);
    if (raw && audience) Object.assign(headers, signSubgraphRequest({ ...JSON.parse(raw), requestId: randomUUID() }, { audience, body: String(options.body ?? '') }, DEV_IDENTITY_SECRET));
    setOptions({ ...options, headers });
    if (!recording || !audience) return;
    const call = { subgraph: audience, body: String(options.body ?? ''), start: performance.now(), end: Infinity };
    recording.push(call);
    return () => void (call.end = performance.now());
  },
};
/** Subgraph calls of one request through Hive, when recorded (the plan without a gateway, below). */
type Call = { subgraph: string; body: string; start: number; end: number };
let recording: Call[] | null = null;
async function startHive(rust: boolean): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const runtime = createGatewayRuntime({
    supergraph,
    logging: false,
    transports: { http: httpTransport },
    ...(rust ? { unifiedGraphHandler: rustPlanner } : {}),
    plugins: () => [signing],
  } as any);
  const server = createServer(runtime as any);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await (runtime as any)[Symbol.asyncDispose]?.();
    },
  };
}
const hiveJs = await startHive(false).catch((err: Error) => (console.log(`Hive Gateway (JS planner) did not start: ${err.message}`), null));
const hiveRust = await startHive(true).catch((err: Error) => (console.log(`Hive Gateway (Rust planner) did not start: ${err.message}`), null));

// --- Callers: tokens for our gateways, the same identities for Hive and the direct calls.
const identityOf = (claims: { sub: string; agency: string; roles: string[]; scopes?: string[]; communes?: string[]; province?: string | null }, purpose: string | null): Omit<Identity, 'exp' | 'requestId'> => ({
  sub: claims.sub,
  agency: claims.agency,
  roles: claims.roles,
  scopes: scopesOf(claims.roles, claims.scopes ?? []),
  communes: claims.communes ?? [],
  province: claims.province ?? null,
  project: null,
  purpose,
});
const dashboardClaims = devTokenClaims('dashboard', { demoProvince: focus });
const officerClaims = { sub: 'bench-all', agency: 'program', roles: ['police-officer', 'health-officer', 'customs-officer', 'legal-aid-officer'], scopes: ['operations:adhoc'], province: focus };
const dashboard = { token: await issueToken(keys.privatePem, dashboardClaims), identity: identityOf(dashboardClaims as any, null) };
const officer = { token: await issueToken(keys.privatePem, officerClaims), identity: identityOf(officerClaims, 'benchmark') };

const operations = readFileSync('schema/operations/dashboard.graphql', 'utf8');
const DASHBOARD = { query: operations, operationName: 'DashboardProvince', variables: { province: focus, period: '2025', from: '2021', to: '2025' } };
const PERSONS = { query: '{ persons(first: 500) { items { citizenId fullName managementFiles { category } methadoneEnrollments { status } legalAidRequests { status } seizuresAsSuspect { id } } } }' };
const COMMUNES = { query: `{ communes(provinceCode: "${focus}", first: 20) { items { code name kind population } } }` };

// --- The client side: undici keep-alive pools, so the client costs the same for every peer.
const client = new Agent({ keepAliveTimeout: 10_000, connections: 32 });
type Caller = { token: string; identity: Omit<Identity, 'exp' | 'requestId'> };
type Peer = { name: string; ask(body: object, caller: Caller): Promise<{ ms: number; body: any }> };
async function post(url: string, body: object, headers: Record<string, string>, text = JSON.stringify(body)): Promise<{ ms: number; body: any }> {
  const start = performance.now();
  const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: text, dispatcher: client });
  const json = await res.body.json();
  return { ms: performance.now() - start, body: json };
}
const ours = (name: string, url: string): Peer => ({
  name,
  ask: (body, c) => post(url, body, { authorization: `Bearer ${c.token}`, ...(c.identity.purpose ? { 'x-pcmt-purpose': c.identity.purpose } : {}) }),
});
const hive = (name: string, url: string): Peer => ({ name, ask: (body, c) => post(url, body, { [identityHeader]: JSON.stringify(c.identity) }) });
const direct = (subgraph: string): Peer => ({
  name: `${subgraph} subgraph, direct`,
  ask(body, c) {
    const text = JSON.stringify(body);
    return post(subgraphUrl.get(subgraph)!, body, signSubgraphRequest({ ...c.identity, requestId: randomUUID() }, { audience: subgraph, body: text }, DEV_IDENTITY_SECRET));
  },
});

// --- The SQL floor: the statements the subgraphs ran for one request, replayed straight on their
// databases (no HTTP, GraphQL or ORM query building): what the request's SQL alone costs.
type Captured = { subgraph: string; sql: string; params: unknown[] };
let capture: Captured[] | null = null;
for (const [name, service] of fed.services) {
  const config = (service.orm as any).config;
  const original = config.get('onQuery');
  config.set('onQuery', (sql: string, params: unknown[]) => {
    capture?.push({ subgraph: name, sql, params: [...(params ?? [])] });
    return original ? original(sql, params) : sql;
  });
}
async function capturedStatements(peer: Peer, body: object, caller: Caller): Promise<Captured[]> {
  capture = [];
  await peer.ask(body, caller);
  const got = capture;
  capture = null;
  return got;
}
const sqlFloor = (statements: Captured[]): Peer => ({
  name: 'SQL floor (replayed statements)',
  async ask() {
    const start = performance.now();
    for (const s of statements) await fed.services.get(s.subgraph)!.orm.em.fork().getConnection().execute(s.sql, s.params as any[]);
    return { ms: performance.now() - start, body: null };
  },
});

// --- The plan without a gateway: the subgraph calls Hive's Rust planner makes for one request,
// replayed straight on the subgraphs (signed as it signs them), wave after wave, each wave's calls at
// once. A call starting before any call of its wave has answered is of the same wave. What no gateway
// on these subgraphs can beat: the subgraphs' own work along the plan, and nothing of a gateway's.
async function recordedWaves(body: object, caller: Caller): Promise<Call[][]> {
  recording = [];
  await hive('', hiveRust!.url).ask(body, caller);
  const calls = recording.sort((a, b) => a.start - b.start);
  recording = null;
  const waves: Call[][] = [];
  for (const call of calls) {
    const wave = waves.at(-1);
    if (wave && call.start < Math.min(...wave.map((c) => c.end))) wave.push(call);
    else waves.push([call]);
  }
  return waves;
}
const NO_GATEWAY = 'plan replayed, no gateway';
const noGateway = (waves: Call[][]): Peer => ({
  name: NO_GATEWAY,
  async ask(_body, c) {
    const start = performance.now();
    for (const wave of waves) {
      const answers = await Promise.all(
        wave.map((call) => post(subgraphUrl.get(call.subgraph)!, {}, signSubgraphRequest({ ...c.identity, requestId: randomUUID() }, { audience: call.subgraph, body: call.body }, DEV_IDENTITY_SECRET), call.body)),
      );
      const failed = answers.find((a) => a.body?.errors?.length);
      if (failed) return { ms: performance.now() - start, body: failed.body };
    }
    return { ms: performance.now() - start, body: null };
  },
});
const wavesText = (waves: Call[][]) => waves.map((w) => w.map((c) => c.subgraph).join(' + ')).join(' → ');

// --- The hand-written SQL floor (scripts/sql-floor/): the figures the dashboard reads from each agency,
// written by hand as a few grouped statements per agency, for the same province and years (the
// dashboard's five and the one before, for the year-on-year figures), plus program's reads. Every
// cell is first checked against the subgraph's own figures; then one agency's statements after another's.
const floorYears = Array.from({ length: Number(DASHBOARD.variables.to) - Number(DASHBOARD.variables.from) + 2 }, (_, i) => Number(DASHBOARD.variables.from) - 1 + i);
const floorAsk = { province: focus, years: floorYears, postgres: fed.services.get('police')!.config.database.kind === 'postgresql' };
const floors = await Promise.all(FLOOR_AGENCIES.map(loadFloor));
for (const f of floors) {
  const differences = await floorDifferences(f, fed.services.get(f.agency)!, subgraphUrl.get(f.agency)!, floorAsk, 5);
  console.log(`hand-written SQL floor, ${f.agency}: ${differences.length ? `DIFFERENT from the subgraph: ${differences.join('; ')}` : `${f.province.length} figures, every cell as the subgraph gives it`}`);
}
const HAND_FLOOR = 'SQL floor (hand-written)';
const handFloor: Peer = {
  name: HAND_FLOOR,
  async ask() {
    const start = performance.now();
    await programReads(executeOn(fed.services.get('program')!), { province: focus, period: DASHBOARD.variables.period });
    for (const f of floors) await f.run(executeOn(fed.services.get(f.agency)!), floorAsk);
    return { ms: performance.now() - start, body: null };
  },
};

/** Where two answers first differ: a path and both values, or null. */
function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  if (JSON.stringify(a) === JSON.stringify(b)) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference((a as any)[k], (b as any)[k], `${path}.${k}`);
      if (d) return d;
    }
  }
  return `${path || '.'}: ${JSON.stringify(a)?.slice(0, 80)} vs ${JSON.stringify(b)?.slice(0, 80)}`;
}
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const stripped = (b: any) => JSON.stringify(b?.data ?? null);

/** Interleaved rounds: each round asks every peer once, in turn; answers compared with the first peer's. */
async function compare(title: string, body: object, caller: Caller, peers: Peer[], opts: { concurrency?: number; warmup?: number } = {}): Promise<Map<string, number>> {
  const concurrency = opts.concurrency ?? 1;
  const times = new Map(peers.map((p) => [p.name, [] as number[]]));
  // Answers with errors, per peer, and the first one's message: a fast refusal is not a fast answer.
  const failed = new Map(peers.map((p) => [p.name, { n: 0, first: '' }]));
  const check = (p: Peer, answer: { body: any }) => {
    if (!answer.body?.errors?.length) return;
    const f = failed.get(p.name)!;
    f.n++;
    f.first ||= String(answer.body.errors[0].extensions?.code ?? answer.body.errors[0].message);
  };
  const answers = new Map<string, string>();
  for (let i = 0; i < (opts.warmup ?? 3); i++) for (const p of peers) answers.set(p.name, stripped((await p.ask(body, caller)).body));
  for (let r = 0; r < rounds; r++) {
    for (const p of peers) {
      const batch = await Promise.all(Array.from({ length: concurrency }, () => p.ask(body, caller)));
      times.get(p.name)!.push(...batch.map((b) => b.ms));
      batch.forEach((b) => check(p, b));
    }
  }
  const reference = answers.get(peers[0].name)!;
  if (reference === 'null') console.log(`  (${peers[0].name} answered no data: ${JSON.stringify((await peers[0].ask(body, caller)).body.errors).slice(0, 300)})`);
  const p50 = new Map<string, number>();
  console.log(`\n${title}${concurrency > 1 ? ` (${concurrency} at once)` : ''}: p50 / p95 over ${rounds} interleaved rounds`);
  for (const p of peers) {
    const t = times.get(p.name)!;
    p50.set(p.name, pct(t, 50));
    const same = p.name.startsWith('SQL floor') || p.name === NO_GATEWAY ? 'n/a' : answers.get(p.name) === reference ? 'identical' : `DIFFERENT at ${firstDifference(JSON.parse(reference), JSON.parse(answers.get(p.name)!))}`;
    const f = failed.get(p.name)!;
    console.log(`  ${p.name.padEnd(34)} ${pct(t, 50).toFixed(1).padStart(7)} ms ${pct(t, 95).toFixed(1).padStart(7)} ms   answer ${same}${f.n ? `; ${f.n} of ${t.length} with errors (${f.first})` : ''}`);
  }
  return p50;
}

const peerSet = (uncachedName = 'this gateway') => [ours(uncachedName, fed.gateway.url), ...(hiveJs ? [hive('Hive Gateway (JS planner)', hiveJs.url)] : []), ...(hiveRust ? [hive('Hive Gateway (Rust planner)', hiveRust.url)] : [])];
const ratio = (a: number | undefined, b: number | undefined) => (a && b ? `${(a / b).toFixed(2)}×` : 'n/a');

fed.services.forEach((s) => s.queries.reset());
await ours('', fed.gateway.url).ask(DASHBOARD, dashboard);
const dashboardStatements = [...fed.services.values()].reduce((n, s) => n + s.queries.total, 0);
const floorStatements = await capturedStatements(ours('', fed.gateway.url), DASHBOARD, dashboard);
// The same request through each gateway: the SQL its plan makes the subgraphs run.
const statementsOf = async (peer: Peer, body: object = DASHBOARD, caller: Caller = dashboard) => {
  const got = await capturedStatements(peer, body, caller);
  const by = new Map<string, number>();
  for (const s of got) by.set(s.subgraph, (by.get(s.subgraph) ?? 0) + 1);
  return `${got.length} (${[...by].map(([k, v]) => `${k} ${v}`).join(', ')})`;
};
for (const peer of peerSet()) console.log(`dashboard SQL statements, ${peer.name}: ${await statementsOf(peer)}`);
for (const peer of peerSet()) console.log(`persons × 4 SQL statements, ${peer.name}: ${await statementsOf(peer, PERSONS, officer)}`);
// Where the dashboard's SQL time goes: each captured statement replayed alone (best of 3).
{
  const timed: Array<{ ms: number; s: Captured }> = [];
  for (const st of floorStatements) {
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      await fed.services.get(st.subgraph)!.orm.em.fork().getConnection().execute(st.sql, st.params as any[]);
      best = Math.min(best, performance.now() - start);
    }
    timed.push({ ms: best, s: st });
  }
  if (values.statements) writeFileSync(values.statements, JSON.stringify(timed.map((t) => ({ subgraph: t.s.subgraph, ms: Number(t.ms.toFixed(2)), sql: t.s.sql, params: t.s.params })), null, 1));
  timed.sort((a, b) => b.ms - a.ms);
  const total = timed.reduce((n, t) => n + t.ms, 0);
  console.log(`dashboard SQL replayed alone: ${total.toFixed(1)} ms in ${timed.length} statements; slowest:`);
  for (const t of timed.slice(0, 6)) console.log(`  ${t.ms.toFixed(1).padStart(6)} ms  ${t.s.subgraph}: ${t.s.sql.replace(/\s+/g, ' ').slice(0, 160)}`);
  // Where our statements are behind hand-written ones: each agency's, replayed, against its floor (best of 3).
  const per: string[] = [];
  for (const f of floors) {
    let best = Infinity;
    let statements = 0;
    const exec = executeOn(fed.services.get(f.agency)!);
    for (let i = 0; i < 3; i++) {
      statements = 0;
      const start = performance.now();
      await f.run((sql, params) => (statements++, exec(sql, params)), floorAsk);
      best = Math.min(best, performance.now() - start);
    }
    const ours = timed.filter((t) => t.s.subgraph === f.agency);
    per.push(`${f.agency} ${ours.reduce((n, t) => n + t.ms, 0).toFixed(1)} / ${best.toFixed(1)} ms (${ours.length} / ${statements} statements)`);
  }
  console.log(`dashboard SQL per agency, our statements replayed / hand-written: ${per.join(', ')}`);
}
const dashboardWaves = hiveRust ? await recordedWaves(DASHBOARD, dashboard) : null;
const personsWaves = hiveRust ? await recordedWaves(PERSONS, officer) : null;
if (dashboardWaves) console.log(`dashboard plan (Hive Rust planner's subgraph calls): ${wavesText(dashboardWaves)}`);
if (personsWaves) console.log(`persons × 4 plan (Hive Rust planner's subgraph calls): ${wavesText(personsWaves)}`);
const ALONE = `this gateway, ${provinces?.[0]} alone`;
const dash = await compare('Dashboard province (DashboardProvince)', DASHBOARD, dashboard, [...peerSet(), ours('this gateway, cached', cached.url), ...(dashboardWaves ? [noGateway(dashboardWaves)] : []), sqlFloor(floorStatements), handFloor, ...(alone ? [ours(ALONE, alone.gateway.url)] : [])]);
const persons = await compare('500 persons × 4 agencies', PERSONS, officer, [...peerSet(), ...(personsWaves ? [noGateway(personsWaves)] : [])]);
// Ad hoc (the dashboard role runs registered operations only): an officer with ad-hoc rights.
const passThrough = await compare('20 communes, one subgraph (program)', COMMUNES, officer, [...peerSet(), direct('program')], { concurrency: 16 });

const us = dash.get('this gateway');
console.log(`\nRatios (lower is better for this gateway); dashboard: ${dashboardStatements} SQL statements per uncached request`);
console.log(`  dashboard p50 / Hive Rust              ${ratio(us, dash.get('Hive Gateway (Rust planner)'))}   (goal ≤ 0.8×)`);
console.log(`  dashboard p50 / Hive JS                ${ratio(us, dash.get('Hive Gateway (JS planner)'))}`);
console.log(`  dashboard, no gateway / Hive Rust      ${ratio(dash.get(NO_GATEWAY), dash.get('Hive Gateway (Rust planner)'))}   (the plan's subgraph calls with no gateway: the least any gateway here can take)`);
console.log(`  dashboard p50 / SQL floor, hand-written ${ratio(us, dash.get(HAND_FLOOR))}   (goal ≤ 1.5×)`);
console.log(`  dashboard p50 / SQL floor, replayed    ${ratio(us, dash.get('SQL floor (replayed statements)'))}   (our statements, without HTTP, GraphQL or ORM)`);
console.log(`  dashboard cached p50                   ${dash.get('this gateway, cached')?.toFixed(2)} ms, ${ratio(us, dash.get('this gateway, cached'))} faster than uncached   (goal ≤ 5 ms, ≥ 20×)`);
console.log(`  persons × 4 p50 / Hive Rust            ${ratio(persons.get('this gateway'), persons.get('Hive Gateway (Rust planner)'))}   (goal ≤ 1.0×)`);
console.log(`  persons × 4, no gateway / Hive Rust    ${ratio(persons.get(NO_GATEWAY), persons.get('Hive Gateway (Rust planner)'))}`);
console.log(`  pass-through p50 / direct, 16 at once  ${ratio(passThrough.get('this gateway'), passThrough.get('program subgraph, direct'))}   (goal ≤ 1.5×)`);
if (alone) console.log(`  dashboard p50, ${provinces!.length} provinces / alone    ${ratio(us, dash.get(ALONE))}   (goal ≤ 1.1×)`);

await client.close();
await hiveJs?.close();
await hiveRust?.close();
await cached.close();
await fed.close();
await alone?.close();
for (const drop of drops) await drop();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
