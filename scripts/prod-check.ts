// npm run prod:check [-- --compose docker-compose.yml --timeout 90]
// The production setup, checked without Docker. Reads docker-compose.yml, the Dockerfile and
// .env.example; checks statically what only the image would show (the loader kept by the install,
// module paths, healthchecks, grace periods, ...); then starts every gateway and subgraph service's
// own command with its own environment and a throwaway env file (fresh secrets, a fresh JWT key
// pair) as local processes: compose hostnames point at 127.0.0.1, each service gets a free port,
// PostgreSQL databases made for this run, the machine's Redis. It waits for /ready, runs a
// registered operation with a real role's token, then sends SIGTERM to the gateway and to one
// subgraph with requests in flight and checks that every request is answered and both exit 0.
// Everything it started is stopped and dropped, also on failure or Ctrl-C. Exit 0 when all holds.
import { devTokenClaims, issueToken } from '@pcmt/gateway/dev-keys';
import { helpIfAsked, parseArgsOrFail } from './lib/cli.js';
import { operationDocuments, SHIPPED_CLIENTS, shippedClient } from '@pcmt/gateway/registry';
import { scopesOf } from '@pcmt/gateway/roles';
import { DEMO_PROVINCE_CODE } from '@pcmt/kit';
import { signSubgraphRequest } from '@pcmt/kit/identity';
import { exportPKCS8, exportSPKI, generateKeyPair } from 'jose';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import { request } from 'node:http';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { envFileValue, envInstruction, listedVariables, parseDockerfile, parseEnvFile, readCompose, type ComposeFile, type ComposeService } from './lib/compose.js';

helpIfAsked(`
npm run prod:check [-- --compose docker-compose.yml --timeout 90]
The production setup, checked without Docker. Reads docker-compose.yml, the Dockerfile and
.env.example; checks statically what only the image would show (the loader kept by the install,
module paths, healthchecks, grace periods, ...); then starts every gateway and subgraph service's
own command with its own environment and a throwaway env file (fresh secrets, a fresh JWT key
pair) as local processes: compose hostnames point at 127.0.0.1, each service gets a free port,
PostgreSQL databases made for this run, the machine's Redis. It waits for /ready, runs a
registered operation with a real role's token, then sends SIGTERM to the gateway and to one
subgraph with requests in flight and checks that every request is answered and both exit 0.
Everything it started is stopped and dropped, also on failure or Ctrl-C. Exit 0 when all holds.`);

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgsOrFail({ options: { compose: { type: 'string', default: 'docker-compose.yml' }, timeout: { type: 'string', default: '90' } } });
/** The machine's servers stand in for the compose services of the same name. */
const LOCAL_POSTGRES = process.env.PRODCHECK_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432';
const LOCAL_REDIS = process.env.PRODCHECK_REDIS_URL ?? 'redis://127.0.0.1:6379';
const EXTERNAL = new Set(['postgres', 'redis']);
/** Where the image puts the repository (compose commands' relative paths start there). */
const WORKDIR = '/app';
const GATEWAY = 'gateway';
const DRAIN_SUBGRAPH = 'program';
const IN_FLIGHT = 8;
const READY_TIMEOUT_MS = Number(opts.timeout) * 1000;
if (!(READY_TIMEOUT_MS > 0)) throw new Error(`--timeout wants seconds, not "${opts.timeout}"`);
const RUN_LIMIT_MS = 240_000;
/** This run's databases: `pcmt_prodcheck_<pid>_<name>`; a dead run's are dropped by the next. */
const DB_PREFIX = `pcmt_prodcheck_${process.pid}_`;

// ---------------------------------------------------------------- output

const t0 = performance.now();
const since = (t: number) => `${((performance.now() - t) / 1000).toFixed(1)} s`;
const say = (text: string) => console.log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${text}`);
const step = (title: string) => console.log(`\n== ${title}`);
const failures: string[] = [];
let interrupted = false;
function check(okay: boolean, what: string, why = ''): boolean {
  if (interrupted) return okay; // what fails now is the interruption's doing
  if (okay) say(`ok    ${what}`);
  else {
    failures.push(what);
    say(`FAIL  ${what}${why ? `\n        ${why}` : ''}`);
  }
  return okay;
}
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));
const within = <T>(p: Promise<T>, ms: number): Promise<T | undefined> => Promise.race([p, sleep(ms).then(() => undefined)]);
const tryUrl = (v: string): URL | null => {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return null;
  try {
    return new URL(v);
  } catch {
    return null;
  }
};

// ---------------------------------------------------------------- the throwaway env file

interface Keys {
  publicPem: string;
  issuer: string;
}

/** How this check fills each variable .env.example lists (undefined: leave it out). */
function fillers(keys: Keys, example: Record<string, string>): Record<string, () => string | undefined> {
  const hex = (bytes: number) => randomBytes(bytes).toString('hex');
  return {
    POSTGRES_PASSWORD: () => hex(24),
    PCMT_IDENTITY_SECRET: () => hex(32),
    PCMT_PSEUDONYM_SECRET: () => hex(32),
    METRICS_TOKEN: () => hex(32),
    JWT_ISSUER: () => keys.issuer,
    JWT_AUDIENCE: () => example.JWT_AUDIENCE || 'pcmt-graph',
    JWT_ALGORITHMS: () => 'ES256',
    // The generated key instead of an identity provider's JWKS.
    JWT_JWKS_URL: () => undefined,
    JWT_PUBLIC_KEY: () => keys.publicPem,
    // Seeded, so the registered operation has data to answer with.
    PCMT_SEED_IF_EMPTY: () => '1',
  };
}

// ---------------------------------------------------------------- static checks

const readRoot = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const portVarOf = (s: ComposeService) => ('GATEWAY_PORT' in s.environment ? 'GATEWAY_PORT' : 'PORT');
const listenPort = (s: ComposeService) => s.environment[portVarOf(s)];
/** The address a node service's healthcheck asks (the image has no curl: a node one-liner). */
function healthUrl(s: ComposeService): URL | null {
  const m = /https?:\/\/(?:127\.0\.0\.1|localhost):\d+\/[^'"\s)]*/.exec((s.healthcheck?.test ?? []).join(' '));
  return m ? new URL(m[0]) : null;
}
/** The modules a command runs (not the --import loader). */
const commandModules = (cmd: string[]) => cmd.filter((a, i) => /\.(m?[jt]s)$/.test(a) && cmd[i - 1] !== '--import');
const loaderOf = (cmd: string[]) => (cmd.includes('--import') ? cmd[cmd.indexOf('--import') + 1] : undefined);
const packageOf = (spec: string) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');

function staticChecks(compose: ComposeFile, exampleText: string): void {
  step('static checks: Dockerfile, .dockerignore, docker-compose.yml, .env.example');
  const pkg = JSON.parse(readRoot('package.json'));
  const docker = parseDockerfile(readRoot('Dockerfile'));
  const byName = new Map(compose.services.map((s) => [s.name, s]));
  const nodeServices = compose.services.filter((s) => !EXTERNAL.has(s.name));

  // The image.
  const workdir = docker.filter((i) => i.instruction === 'WORKDIR').at(-1)?.args;
  check(workdir === WORKDIR, `Dockerfile: WORKDIR ${WORKDIR}, the repository root the commands' paths start from`, `WORKDIR is ${workdir}`);
  const from = docker.find((i) => i.instruction === 'FROM')?.args ?? '';
  const major = String(pkg.devDependencies?.node ?? '?').split('.')[0];
  check(
    /^node:(\d+)/.exec(from)?.[1] === major && process.versions.node.split('.')[0] === major,
    `Dockerfile: FROM ${from} is Node ${major}, as the devDependency "node" (this run: ${process.versions.node})`,
  );
  const installAt = docker.findIndex((i) => i.instruction === 'RUN' && /\bnpm\s+(ci|install|i)\b/.test(i.args));
  const install = docker[installAt];
  const keepsDev = !!install && !/--omit[= ]dev|--production|--only[= ]prod/.test(install.args);
  const pruned = docker.slice(installAt + 1).some((i) => i.instruction === 'RUN' && /npm\s+prune|--omit[= ]dev/.test(i.args));
  const loaders = [...new Set(nodeServices.map((s) => loaderOf(s.command ?? [])).filter((l): l is string => !!l))];
  const loaderPackages = loaders.map(packageOf);
  const declared = loaderPackages.every((p) => pkg.dependencies?.[p] || pkg.devDependencies?.[p]);
  check(keepsDev && !pruned && declared, `Dockerfile: the install keeps devDependencies, which hold the loader ${loaderPackages.join(', ')}`, !install ? 'no npm install/ci step' : !declared ? 'the loader is not a root dependency' : install.args);
  const envAt = (from: number, to: number) => docker.slice(from, to).some((i) => i.instruction === 'ENV' && envInstruction(i.args).NODE_ENV === 'production');
  check(
    envAt(installAt + 1, docker.length) && (!envAt(0, installAt) || /--include[= ]dev/.test(install?.args ?? '')),
    'Dockerfile: NODE_ENV=production is set for runtime, after the install',
  );
  const copyAllAt = docker.findIndex((i) => i.instruction === 'COPY' && /(^|\s)\.\s+\.\/?$/.test(i.args));
  if (installAt >= 0 && installAt < copyAllAt) {
    const copied = docker.slice(0, installAt).filter((i) => i.instruction === 'COPY').flatMap((i) => i.args.split(/\s+/).filter((a) => !a.startsWith('--')).slice(0, -1));
    const manifests = ['package.json', 'package-lock.json', ...workspaceDirs(pkg).map((w) => `${w}/package.json`)];
    const missing = manifests.filter((m) => !copied.includes(m));
    check(missing.length === 0, `Dockerfile: the ${manifests.length} manifests (root, lockfile, every workspace) are copied before the install`, `missing: ${missing.join(', ')}`);
  }
  // `npm ci` refuses a lockfile that disagrees with a manifest: the build would stop there.
  const lock = JSON.parse(readRoot('package-lock.json'));
  const sameDeps = (a: Record<string, string> = {}, b: Record<string, string> = {}) => Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);
  const stale = ['', ...workspaceDirs(pkg)].filter((dir) => {
    const manifest = dir ? JSON.parse(readRoot(`${dir}/package.json`)) : pkg;
    const locked = lock.packages?.[dir];
    return !locked || !['dependencies', 'devDependencies', 'optionalDependencies'].every((f) => sameDeps(manifest[f], locked[f]));
  });
  check(stale.length === 0, 'package-lock.json agrees with every manifest (npm ci in the build would refuse otherwise)', `differs for: ${stale.map((d) => d || 'the root').join(', ')} — run npm install`);
  check(docker.filter((i) => i.instruction === 'USER').at(-1)?.args === 'node', 'Dockerfile: the services run as user node');
  const dataDir = `${WORKDIR}/data`;
  const volumes = docker.filter((i) => i.instruction === 'VOLUME').flatMap((i) => (i.args.startsWith('[') ? (JSON.parse(i.args) as string[]) : i.args.split(/\s+/)));
  const owned = docker.some((i) => i.instruction === 'RUN' && i.args.includes(dataDir) && /chown\s+(-R\s+)?node\b/.test(i.args));
  check(volumes.includes(dataDir) && owned, `Dockerfile: ${dataDir} is a VOLUME the node user owns`);
  const dockerignore = existsSync(join(ROOT, '.dockerignore')) ? readRoot('.dockerignore').split('\n').map((l) => l.trim()) : [];
  const ignoredMissing = ['.env', 'data', '**/node_modules'].filter((p) => !dockerignore.includes(p));
  check(ignoredMissing.length === 0, '.dockerignore: .env, data and every node_modules stay out of the image', `not ignored: ${ignoredMissing.join(', ')}`);
  check(readRoot('.gitignore').split('\n').map((l) => l.trim()).includes('.env'), '.gitignore: .env is never committed');

  // The services.
  for (const s of nodeServices) {
    const problems: string[] = [];
    const cmd = s.command ?? [];
    if (cmd[0] !== 'node') problems.push(`command starts with "${cmd[0]}", not node`);
    const loader = loaderOf(cmd);
    if (loader) {
      try {
        import.meta.resolve(loader);
      } catch {
        problems.push(`the loader ${loader} does not resolve from the repository root`);
      }
    }
    const modules = commandModules(cmd);
    if (modules.length === 0) problems.push('the command names no module');
    for (const m of modules) {
      const inRepo = m.startsWith(`${WORKDIR}/`) ? m.slice(WORKDIR.length + 1) : m;
      if (m.startsWith('/') && inRepo === m) problems.push(`${m} is outside ${WORKDIR}`);
      else if (!existsSync(join(ROOT, inRepo))) problems.push(`${m} does not exist`);
    }
    if (!s.init) problems.push('no init: true (node would be PID 1: a signal it has no handler for is ignored, and nothing reaps)');
    if (!s.envFiles.includes('.env')) problems.push('no env_file: .env');
    if ('PCMT_SEED_IF_EMPTY' in s.environment) problems.push('PCMT_SEED_IF_EMPTY is set in compose: it belongs in .env, off by default');
    const health = healthUrl(s);
    if (!health || health.pathname !== '/ready') problems.push('no healthcheck asking /ready');
    else if (health.port !== listenPort(s)) problems.push(`the healthcheck asks port ${health.port}; the service listens on ${listenPort(s)}`);
    const grace = Number(s.environment.SHUTDOWN_GRACE_MS ?? 10_000);
    const stopGrace = s.stopGracePeriodMs ?? 10_000; // Docker's default
    if (!(stopGrace > grace)) problems.push(`stop_grace_period ${stopGrace} ms is not longer than SHUTDOWN_GRACE_MS ${grace}`);
    for (const [dep, condition] of Object.entries(s.dependsOn)) {
      if (condition !== 'service_healthy') problems.push(`depends_on ${dep}: ${condition}, not service_healthy`);
      if (!byName.get(dep)?.healthcheck) problems.push(`depends_on ${dep}, which has no healthcheck`);
    }
    for (const [key, value] of Object.entries(s.environment)) {
      const url = tryUrl(value);
      const target = url && byName.get(url.hostname);
      if (!url || !target) continue;
      if (!EXTERNAL.has(target.name) && url.port !== listenPort(target)) problems.push(`${key} asks ${target.name} on port ${url.port}; it listens on ${listenPort(target)}`);
      const db = url.pathname.slice(1);
      const created = byName.get('postgres')?.environment.POSTGRES_DB;
      if (target.name === 'postgres' && /^(AUDIT|REGISTRY)_DATABASE_URL$/.test(key) && db !== created) problems.push(`${key} names database "${db}", which nothing creates (POSTGRES_DB is ${created})`);
    }
    const deps = Object.keys(s.dependsOn);
    check(
      problems.length === 0,
      `compose ${s.name}: node ${modules.join(' ')} via ${loader}, init, .env, /ready healthcheck, stop_grace_period ${stopGrace / 1000} s > ${grace / 1000} s drain${deps.length ? `, after healthy ${deps.join(', ')}` : ''}`,
      problems.join('; '),
    );
  }
  const published = compose.services.filter((s) => s.ports.length > 0);
  const gateway = byName.get(GATEWAY);
  check(
    published.length === 1 && published[0] === gateway && gateway.ports.every((p) => p.split(':').at(-1)?.split('/')[0] === listenPort(gateway)),
    `compose: only the gateway is published (${gateway?.ports.join(', ')})`,
    `published: ${published.map((s) => `${s.name} ${s.ports.join(',')}`).join('; ')}`,
  );
  const unhealthy = compose.services.filter((s) => !s.healthcheck).map((s) => s.name);
  check(unhealthy.length === 0, `compose: every service has a healthcheck (${compose.services.length})`, `none on ${unhealthy.join(', ')}`);

  // The env file's template.
  const listed = listedVariables(exampleText);
  const interpolated = [...compose.variables.keys()];
  const unlisted = interpolated.filter((v) => !listed.active.includes(v));
  check(unlisted.length === 0, `.env.example lists every variable compose interpolates (${interpolated.join(', ')})`, `missing: ${unlisted.join(', ')}`);
  const known = Object.keys(fillers({ publicPem: '', issuer: '' }, {}));
  const unknown = [...listed.active, ...listed.commented].filter((k) => !known.includes(k));
  check(unknown.length === 0, `.env.example: prod:check knows how to fill each of its ${listed.active.length + listed.commented.length} variables`, `unknown (teach fillers() in scripts/prod-check.ts): ${unknown.join(', ')}`);
  const seed = parseEnvFile(exampleText).values.PCMT_SEED_IF_EMPTY;
  check(seed === undefined || seed === '' || seed === '0', '.env.example: demo seeding (PCMT_SEED_IF_EMPTY) is off by default', `it is "${seed}"`);
}

/** The workspaces' folders (`subgraphs/*` expanded), those with a package.json. */
function workspaceDirs(pkg: { workspaces?: string[] }): string[] {
  const dirs = (pkg.workspaces ?? []).flatMap((w) => {
    if (!w.endsWith('/*')) return [w];
    const parent = w.slice(0, -2);
    if (!existsSync(join(ROOT, parent))) return [];
    return readdirSync(join(ROOT, parent), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => `${parent}/${d.name}`)
      .sort();
  });
  return dirs.filter((d) => existsSync(join(ROOT, d, 'package.json')));
}

// ---------------------------------------------------------------- processes

interface Exit {
  code: number | null;
  signal: string | null;
  at: number;
}

interface Proc {
  svc: ComposeService;
  port: number;
  child: ChildProcess;
  tail: string[];
  log: WriteStream;
  exit: Promise<Exit>;
  exited?: Exit;
}

const procs: Proc[] = [];
const describeExit = (e: Exit) => (e.signal ? `killed by ${e.signal}` : `exit ${e.code}`);
const exitText = (e: Exit) => (e.code === 0 ? 'exited 0' : `${describeExit(e)}, not exit 0,`);

function launch(svc: ComposeService, env: Record<string, string>, port: number, logDir: string): Proc {
  const [cmd, ...args] = svc.command!;
  // The image's `node` is Node 24; here the project's (this process's own).
  const child = spawn(cmd === 'node' ? process.execPath : cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(join(logDir, `${svc.name}.log`));
  const tail: string[] = [];
  const proc: Proc = { svc, port, child, tail, log, exit: null as unknown as Promise<Exit> };
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (l) => {
      tail.push(l);
      if (tail.length > 40) tail.shift();
      log.write(l + '\n');
    });
  }
  proc.exit = new Promise<Exit>((resolve) => {
    const done = (code: number | null, signal: string | null) => {
      proc.exited ??= { code, signal, at: performance.now() };
      resolve(proc.exited);
    };
    child.on('exit', done);
    child.on('error', (err) => {
      tail.push(`spawn failed: ${err.message}`);
      done(127, null);
    });
  });
  procs.push(proc);
  return proc;
}

function lastLines(p: Proc, n = 15): string {
  const lines = p.tail.slice(-n).map((l) => `        | ${l.length > 400 ? l.slice(0, 400) + '…' : l}`);
  return `last ${lines.length} log lines of ${p.svc.name}:\n${lines.join('\n') || '        | (nothing)'}`;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Each compose address in a service's environment, pointed at what stands in for it here. */
function localEnvironment(s: ComposeService, base: Record<string, string>, envFile: Record<string, string>, ports: Map<string, number>, databases: Set<string>): Record<string, string> {
  const env: Record<string, string> = { ...base };
  for (const f of s.envFiles) Object.assign(env, f === '.env' ? envFile : parseEnvFile(readRoot(f)).values);
  Object.assign(env, s.environment);
  const runDb = (name: string) => DB_PREFIX + name.replace(/^pcmt_/, '').replace(/[^a-z0-9_]/g, '_');
  for (const [key, value] of Object.entries(env)) {
    if (key === 'HOST' || key === 'GATEWAY_HOST') env[key] = '127.0.0.1';
    else if (key === portVarOf(s)) env[key] = String(ports.get(s.name));
    const url = tryUrl(value);
    if (!url) continue;
    if (url.hostname === 'postgres') {
      const local = new URL(LOCAL_POSTGRES);
      const db = url.pathname.slice(1);
      if (db) {
        local.pathname = '/' + runDb(db);
        databases.add(runDb(db));
      } else if (key === 'PCMT_POSTGRES_URL') {
        // A server URL: the subgraph would use pcmt_<name> on it; here a database of this run.
        env.DATABASE_URL ??= new URL('/' + runDb(s.name), LOCAL_POSTGRES).toString();
      }
      env[key] = local.toString();
    } else if (url.hostname === 'redis') {
      const local = new URL(LOCAL_REDIS);
      local.pathname = url.pathname;
      env[key] = local.toString();
    } else if (ports.has(url.hostname)) {
      url.port = String(ports.get(url.hostname));
      url.hostname = '127.0.0.1';
      env[key] = url.toString();
    }
  }
  return env;
}

async function waitReady(p: Proc, url: string, deadline: number): Promise<void> {
  let last = 'no answer';
  for (;;) {
    if (p.exited) throw new Error(`${p.svc.name} stopped (${describeExit(p.exited)}) before it was ready`);
    if (performance.now() > deadline) throw new Error(`${p.svc.name} not ready after ${READY_TIMEOUT_MS / 1000} s: ${url} answered ${last}`);
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (r.ok) return;
      last = `HTTP ${r.status}`;
    } catch (err) {
      last = String((err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message);
    }
    await sleep(300);
  }
}

/** The service's own healthcheck command, with its port pointed at the local one. */
function runHealthcheck(s: ComposeService, port: number): Promise<{ code: number | null; output: string }> {
  const test = s.healthcheck!.test;
  const args = test.slice(1).map((a) => a.replace(new RegExp(`(127\\.0\\.0\\.1|localhost):${listenPort(s)}\\b`, 'g'), `127.0.0.1:${port}`));
  const [cmd, ...rest] = test[0] === 'CMD-SHELL' ? ['/bin/sh', '-c', ...args] : args;
  return new Promise((resolve) => {
    const child = spawn(cmd === 'node' ? process.execPath : cmd, rest, { cwd: ROOT, timeout: s.healthcheck!.timeoutMs ?? 30_000 });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) => resolve({ code, output: output.trim() }));
    child.on('error', (err) => resolve({ code: null, output: err.message }));
  });
}

// ---------------------------------------------------------------- requests

interface Outcome {
  status?: number;
  body?: string;
  complete: boolean;
  error?: string;
  at: number;
}

/**
 * A POST whose body is sent in two halves: the first now, the rest once `release` resolves. The
 * request is in flight on the server (headers read, body awaited) for as long as we hold it.
 */
function halfSentRequest(url: string, headers: Record<string, string>, body: string, release: Promise<void>, sent: () => void): Promise<Outcome> {
  const buf = Buffer.from(body);
  const half = buf.length >> 1;
  return new Promise((resolve) => {
    const finish = (o: Omit<Outcome, 'at'>) => resolve({ ...o, at: performance.now() });
    const req = request(url, { method: 'POST', agent: false, headers: { ...headers, 'content-type': 'application/json', 'content-length': String(buf.length) } });
    req.setTimeout(30_000, () => req.destroy(new Error('no answer in 30 s')));
    req.on('error', (err) => finish({ complete: false, error: err.message }));
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => finish({ status: res.statusCode, body: text, complete: res.complete }));
      res.on('error', (err) => finish({ status: res.statusCode, body: text, complete: false, error: err.message }));
    });
    req.write(buf.subarray(0, half), () => sent());
    void release.then(() => req.end(buf.subarray(half)));
  });
}

/** `check` says what is wrong with an answer's data, or null. */
type DataCheck = (data: any) => string | null;

function judge(o: Outcome, dataCheck: DataCheck): 'served' | 'cut' | string {
  if (!o.complete) return 'cut';
  let json: any;
  try {
    json = JSON.parse(o.body ?? '');
  } catch {
    return `HTTP ${o.status}, not JSON`;
  }
  if (o.status !== 200 || json.errors?.length) return `HTTP ${o.status}: ${json.errors?.[0]?.message ?? 'no data'}`;
  return dataCheck(json.data) ?? 'served';
}

/** SIGTERM to `p` while IN_FLIGHT requests are half sent; every one must be served and `p` exit 0 in time. */
/** Headers for each request: a subgraph answers a signed call once, so each one is signed anew. */
type HeadersFor = Record<string, string> | (() => Record<string, string>);

async function drain(p: Proc, url: string, headers: HeadersFor, body: string, dataCheck: DataCheck): Promise<void> {
  step(`SIGTERM to ${p.svc.name} with ${IN_FLIGHT} requests in flight`);
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const sent: Promise<void>[] = [];
  const outcomes = Array.from({ length: IN_FLIGHT }, () => {
    let done!: () => void;
    sent.push(new Promise<void>((r) => (done = r)));
    return halfSentRequest(url, typeof headers === 'function' ? headers() : headers, body, released, done);
  });
  await Promise.all(sent);
  await sleep(200); // the server has read the requests' headers and waits for their bodies
  const signalled = performance.now();
  p.child.kill('SIGTERM');
  say(`sent SIGTERM to ${p.svc.name} (pid ${p.child.pid}); the ${IN_FLIGHT} request bodies are half sent`);
  await sleep(300);
  release();
  const results = await Promise.all(outcomes);
  const verdicts = results.map((o) => judge(o, dataCheck));
  const served = verdicts.filter((v) => v === 'served').length;
  const cut = results.filter((o, i) => verdicts[i] === 'cut').map((o) => o.error ?? 'incomplete response');
  const other = verdicts.filter((v) => v !== 'served' && v !== 'cut');
  const afterSignal = results.filter((o) => o.at > signalled).length;
  check(
    served === IN_FLIGHT && afterSignal === IN_FLIGHT,
    `${p.svc.name}: ${IN_FLIGHT} requests in flight at SIGTERM: ${served} served with data, ${other.length} answered with an error, ${cut.length} cut (last answer ${((Math.max(...results.map((o) => o.at)) - signalled) / 1000).toFixed(1)} s after the signal)`,
    [...new Set([...cut.map((c) => `cut: ${c}`), ...other])].join('\n        '),
  );
  const bound = p.svc.stopGracePeriodMs ?? 10_000;
  const exit = await within(p.exit, bound - (performance.now() - signalled));
  check(
    exit?.code === 0,
    exit ? `${p.svc.name}: ${exitText(exit)} after ${((exit.at - signalled) / 1000).toFixed(1)} s (docker would SIGKILL at ${bound / 1000} s)` : `${p.svc.name}: still running ${bound / 1000} s after SIGTERM, when docker would SIGKILL it`,
    lastLines(p),
  );
  if (p.svc.name === GATEWAY) check(p.tail.some((l) => l.includes('shutting down')), `${p.svc.name} logged "shutting down"`, lastLines(p));
}

// ---------------------------------------------------------------- databases and Redis

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: new URL('/postgres', LOCAL_POSTGRES).toString(), connectionTimeoutMillis: 5000 });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Drops this run's databases, and those of runs whose process is gone. */
async function dropDatabases(onlyOurs: boolean): Promise<string[]> {
  return admin(async (c) => {
    const rows = (await c.query<{ datname: string }>(`select datname from pg_database where datname like 'pcmt\\_prodcheck\\_%'`)).rows;
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch (err) {
        return (err as NodeJS.ErrnoException).code === 'EPERM';
      }
    };
    const doomed = rows
      .map((r) => r.datname)
      .filter((d) => {
        const pid = Number(/^pcmt_prodcheck_(\d+)_/.exec(d)?.[1]);
        return d.startsWith(DB_PREFIX) || (!onlyOurs && pid && !alive(pid));
      });
    for (const d of doomed) await c.query(`drop database if exists "${d}" with (force)`);
    return doomed;
  });
}

function redisPing(url: string): Promise<string> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: u.hostname, port: Number(u.port || 6379) });
    socket.setTimeout(3000, () => socket.destroy(new Error('timeout')));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      socket.end();
      resolve(d.toString().trim());
    });
    socket.on('error', reject);
  });
}

// ---------------------------------------------------------------- the run

const work = mkdtempSync(join(tmpdir(), 'pcmt-prodcheck-'));
const logDir = join(work, 'logs');
mkdirSync(logDir);
let cleaning: Promise<void> | null = null;

/** Stops every process this run started and drops its databases; safe to call more than once. */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await Promise.all(
      procs
        .filter((p) => !p.exited)
        .map(async (p) => {
          p.child.kill('SIGTERM');
          if (!(await within(p.exit, (p.svc.stopGracePeriodMs ?? 10_000) + 1000))) {
            p.child.kill('SIGKILL');
            await within(p.exit, 2000);
          }
        }),
    );
    for (const p of procs) p.log.end();
    try {
      const dropped = await dropDatabases(true);
      if (dropped.length) say(`dropped ${dropped.length} databases ${DB_PREFIX}*`);
    } catch (err) {
      say(`could not drop the databases ${DB_PREFIX}*: ${(err as Error).message}`);
    }
    rmSync(join(work, '.env'), { force: true });
    // A failed run keeps the services' logs (the secrets in them were throwaway).
    if (failures.length && procs.length) say(`service logs kept in ${logDir}`);
    else rmSync(work, { recursive: true, force: true });
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.log(`\n${signal}: stopping everything prod:check started`);
    failures.push(`interrupted by ${signal}`);
    void cleanup().then(() => {
      console.log(`\nprod:check interrupted after ${since(t0)}`);
      process.exit(130);
    });
  });
}
setTimeout(() => {
  failures.push(`took longer than ${RUN_LIMIT_MS / 1000} s`);
  say(`FAIL  prod:check took longer than ${RUN_LIMIT_MS / 1000} s; stopping`);
  void cleanup().then(() => process.exit(1));
}, RUN_LIMIT_MS).unref();

async function main(): Promise<void> {
  console.log(`prod:check: ${opts.compose} and the Dockerfile, run as local processes (no Docker here)`);
  const composeText = readRoot(opts.compose!);
  const exampleText = readRoot('.env.example');
  const example = parseEnvFile(exampleText);
  check(example.problems.length === 0, '.env.example parses as an env file', example.problems.join('; '));
  let template: ComposeFile;
  try {
    template = readCompose(composeText, example.values);
  } catch (err) {
    check(false, `${opts.compose} parses`, (err as Error).message);
    return;
  }
  staticChecks(template, exampleText);

  step('throwaway env file: fresh secrets and JWT key pair');
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const keys: Keys = { publicPem: await exportSPKI(publicKey), issuer: `https://prodcheck-${randomBytes(3).toString('hex')}.invalid/realms/pcmt` };
  const privatePem = await exportPKCS8(privateKey);
  const fill = fillers(keys, example.values);
  const names = [...new Set([...listedVariables(exampleText).active, ...listedVariables(exampleText).commented])];
  const lines = names.flatMap((k) => {
    const v = fill[k]?.();
    return v === undefined ? [] : [`${k}=${envFileValue(v)}`];
  });
  writeFileSync(join(work, '.env'), `# prod:check's throwaway production env; deleted after the run\n${lines.join('\n')}\n`, { mode: 0o600 });
  const envFile = parseEnvFile(readFileSync(join(work, '.env'), 'utf8'));
  check(
    envFile.problems.length === 0 && envFile.values.JWT_PUBLIC_KEY === keys.publicPem,
    `${join(work, '.env')}: ${Object.keys(envFile.values).join(', ')} (ES256 key, issuer ${keys.issuer}; PCMT_SEED_IF_EMPTY=1 for this check)`,
    envFile.problems.join('; ') || 'the PEM key does not read back unchanged',
  );
  const compose = readCompose(composeText, envFile.values);
  // A static failure still leaves the run worth doing; an env compose cannot read does not.
  if (!check(compose.problems.length === 0 && envFile.problems.length === 0, 'docker-compose.yml interpolates with it', compose.problems.join('; '))) return;

  step(`start (PostgreSQL ${new URL(LOCAL_POSTGRES).host}, databases ${DB_PREFIX}*; Redis ${new URL(LOCAL_REDIS).host})`);
  const pgVersion = await admin(async (c) => (await c.query<{ v: string }>("select current_setting('server_version') as v")).rows[0].v);
  const stale = await dropDatabases(false);
  check((await redisPing(LOCAL_REDIS)) === '+PONG', `PostgreSQL ${pgVersion} and Redis answer${stale.length ? ` (dropped ${stale.length} databases of dead runs)` : ''}`);
  const services = compose.services.filter((s) => !EXTERNAL.has(s.name));
  const ports = new Map<string, number>();
  for (const s of services) ports.set(s.name, await freePort());
  // What the image's ENV gives every container.
  const imageEnv = Object.assign({}, ...parseDockerfile(readRoot('Dockerfile')).filter((i) => i.instruction === 'ENV').map((i) => envInstruction(i.args)));
  const base = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...imageEnv };
  const databases = new Set<string>();
  const envs = new Map(services.map((s) => [s.name, localEnvironment(s, base, envFile.values, ports, databases)]));
  // The postgres container creates POSTGRES_DB on first start; here, this run's copy of it.
  for (const db of databases) await admin((c) => c.query(`create database "${db}"`));
  const ready = new Map<string, Promise<void>>();
  const startAt = performance.now();
  const deadline = startAt + READY_TIMEOUT_MS;
  const bringUp = async (s: ComposeService): Promise<void> => {
    await Promise.all(Object.keys(s.dependsOn).filter((d) => !EXTERNAL.has(d)).map((d) => ready.get(d)));
    const p = launch(s, envs.get(s.name)!, ports.get(s.name)!, logDir);
    // What the healthcheck asks (the static checks want /ready).
    const path = healthUrl(s)?.pathname ?? '/ready';
    try {
      await waitReady(p, `http://127.0.0.1:${p.port}${path}`, deadline);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n        ${lastLines(p)}`);
    }
    const hc = s.healthcheck ? await runHealthcheck(s, p.port) : { code: null, output: 'no healthcheck' };
    if (hc.code !== 0) throw new Error(`${s.name}: ${path} answers, but its healthcheck command exits ${hc.code}: ${hc.output}`);
    say(`ok    ${s.name.padEnd(10)} ready on :${p.port} after ${since(startAt)} (${path} 200, healthcheck exits 0)`);
  };
  // Compose order: each service once the services it depends on are healthy.
  for (const s of services) ready.set(s.name, Promise.resolve().then(() => bringUp(s)));
  const started = await Promise.allSettled([...ready.values()]);
  const refused = started.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (refused.length) {
    // A service that never started because its dependency failed says nothing new.
    check(false, `every service ready within ${READY_TIMEOUT_MS / 1000} s`, (refused[0].reason as Error).message);
    return;
  }
  check(true, `${services.length} services ready in ${since(startAt)}, production mode, seeded`);

  step('a registered operation through the gateway, with a real role token');
  const gateway = procs.find((p) => p.svc.name === GATEWAY)!;
  const gatewayUrl = `http://127.0.0.1:${gateway.port}/graphql`;
  const claims = devTokenClaims('dashboard', { demoProvince: DEMO_PROVINCE_CODE });
  const token = await issueToken(privatePem, claims, { issuer: keys.issuer, audience: envFile.values.JWT_AUDIENCE, alg: 'ES256', ttlSeconds: 900 });
  const dashboard = shippedClient(SHIPPED_CLIENTS.find((c) => c.client === 'dashboard')!);
  const operation = dashboard.sources.flatMap((s) => operationDocuments(s.body)).find((d) => d.operationName === 'DashboardCommunes');
  if (!check(!!operation, 'DashboardCommunes is among the dashboard client\'s shipped operations')) return;
  const body = JSON.stringify({ documentId: `sha256:${operation!.id}`, operationName: 'DashboardCommunes', variables: { province: DEMO_PROVINCE_CODE, period: '2025' } });
  const headers = { authorization: `Bearer ${token}` };
  const communesCheck: DataCheck = (data) => {
    const items = data?.communes?.items ?? [];
    const values = items.flatMap((c: any) => c.period?.indicators ?? []).filter((v: any) => v.value !== null);
    if (!(data?.communes?.totalCount > 0) || items.length !== data.communes.totalCount) return `communes: ${data?.communes?.totalCount} total, ${items.length} listed`;
    return values.length ? null : 'no indicator has a value';
  };
  const asked = performance.now();
  const res = await fetch(gatewayUrl, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(30_000) });
  const json: any = await res.json().catch(() => null);
  const problem = res.status !== 200 ? `HTTP ${res.status}: ${JSON.stringify(json?.errors ?? json).slice(0, 300)}` : json?.errors?.length ? JSON.stringify(json.errors).slice(0, 300) : communesCheck(json?.data);
  const items = json?.data?.communes?.items ?? [];
  const filled = items.flatMap((c: any) => c.period?.indicators ?? []).filter((v: any) => v.value !== null).length;
  check(
    problem === null,
    `DashboardCommunes (documentId sha256:${operation!.id.slice(0, 12)}…) as role dashboard (client ${claims.client_id}): ${items.length} communes, ${filled} indicator values not null, in ${since(asked)}`,
    problem ?? '',
  );

  await drain(gateway, gatewayUrl, headers, body, communesCheck);

  // A subgraph answers only the gateway: these requests carry the identity the gateway would sign.
  const sub = procs.find((p) => p.svc.name === DRAIN_SUBGRAPH)!;
  const subQuery = JSON.stringify({ query: `{ communes(provinceCode: "${DEMO_PROVINCE_CODE}", first: 500) { totalCount items { code name } } }` });
  const identity = () =>
    signSubgraphRequest(
      { sub: 'prodcheck', agency: claims.agency, roles: claims.roles, scopes: scopesOf(claims.roles), communes: [], province: DEMO_PROVINCE_CODE, project: null, purpose: null, requestId: randomUUID() },
      { audience: sub.svc.name, body: subQuery },
      envFile.values.PCMT_IDENTITY_SECRET,
    );
  await drain(sub, `http://127.0.0.1:${sub.port}/graphql`, identity, subQuery, (data) => (data?.communes?.items?.length > 0 ? null : 'no communes'));

  step('stop the rest (SIGTERM, as docker compose down)');
  const rest = procs.filter((p) => !p.exited);
  const stopped = performance.now();
  for (const p of rest) p.child.kill('SIGTERM');
  for (const p of rest) {
    const exit = await within(p.exit, (p.svc.stopGracePeriodMs ?? 10_000) - (performance.now() - stopped));
    check(
      exit?.code === 0,
      exit ? `${p.svc.name}: ${exitText(exit)} after ${((exit.at - stopped) / 1000).toFixed(1)} s` : `${p.svc.name}: still running at its stop_grace_period, when docker would SIGKILL it`,
      lastLines(p),
    );
  }
}

try {
  await main();
} catch (err) {
  failures.push('unexpected error');
  say(`FAIL  ${(err as Error).stack ?? err}`);
}
await cleanup();
if (interrupted) await new Promise(() => {}); // the signal handler reports and exits
console.log(failures.length ? `\nprod:check FAILED (${failures.length}) in ${since(t0)}:\n  - ${failures.join('\n  - ')}` : `\nprod:check passed in ${since(t0)}`);
process.exit(failures.length ? 1 : 0);
