import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { MikroORM } from '@mikro-orm/core';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, openSync, rmSync, statSync, writeSync, closeSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DatabaseTarget } from './config.js';
import { connectWithRetry, emOf, ormConfig, StartupError } from './database.js';
import { probe, Tally } from './fixtures/probe.js';
import { createSubgraphService, type SubgraphService } from './service.js';
import { postGraphql, testDatabase, usingPostgres } from './testing.js';

const PG = process.env.PCMT_TEST_POSTGRES_URL;
const pgOnly = PG ? test : test.skip;
const ROOT = new URL('../../../', import.meta.url).pathname;

/** A TCP proxy the test owns: stopping it is a database outage, starting it again the recovery. */
class TcpProxy {
  private server: Server | null = null;
  private sockets = new Set<Socket>();
  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  static async onFreePort(target: { host: string; port: number }): Promise<TcpProxy> {
    return new TcpProxy(await freePort(), target);
  }

  async start(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = tcpConnect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The same PostgreSQL test database, reached through `port` instead of the server's own. */
function through(target: DatabaseTarget, port: number): DatabaseTarget {
  if (target.kind !== 'postgresql') throw new Error('PostgreSQL only');
  const url = new URL(target.url);
  url.host = `127.0.0.1:${port}`;
  return { ...target, url: url.toString() };
}

async function probeService(database: DatabaseTarget, over: Record<string, unknown> = {}): Promise<SubgraphService> {
  return createSubgraphService(probe, { database, logLevel: 'silent', ...over });
}

const get = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as any };
};

describe('health and readiness', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let service: SubgraphService;
  let base: string;

  beforeAll(async () => {
    db = await testDatabase('probe');
    service = await probeService(db.target);
    await service.migrate();
    base = (await service.listen(0)).url.replace(/\/graphql$/, '');
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  test('/health answers without asking the database; /ready asks it', async () => {
    service.queries.reset();
    expect(await get(`${base}/health`)).toEqual({ status: 200, body: { status: 'ok', subgraph: 'probe' } });
    expect(service.queries.total).toBe(0);
    expect(await get(`${base}/ready`)).toEqual({ status: 200, body: { status: 'ready', subgraph: 'probe' } });
    expect(service.queries.total).toBeGreaterThan(0);
  });

  test('/ready is 503 with the reason while a migration of the code has not run', async () => {
    await service.orm.migrator.down();
    const res = await get(`${base}/ready`);
    expect(res.status).toBe(503);
    expect(res.body.reason).toMatch(/migrations not applied: Migration20260102000000_probe_index/);
    expect((await get(`${base}/health`)).status).toBe(200);
    await service.migrate();
    expect((await get(`${base}/ready`)).status).toBe(200);
  });

  test('/ready is 503 when the database has a migration the code does not know', async () => {
    await service.orm.em.getConnection().execute(`insert into mikro_orm_migrations (name, executed_at) values ('Migration20991231000000_future', ${usingPostgres() ? 'now()' : 'current_timestamp'})`);
    const res = await get(`${base}/ready`);
    expect(res.status).toBe(503);
    expect(res.body.reason).toMatch(/migrations this code does not know: Migration20991231000000_future/);
    await service.orm.em.getConnection().execute(`delete from mikro_orm_migrations where name = 'Migration20991231000000_future'`);
    expect((await get(`${base}/ready`)).status).toBe(200);
  });

  pgOnly('a PostgreSQL outage turns /ready to 503 and back, /health stays 200', async () => {
    const pg = new URL(PG!);
    const proxy = await TcpProxy.onFreePort({ host: pg.hostname, port: Number(pg.port || 5432) });
    await proxy.start();
    const viaProxy = await probeService(through(db.target, proxy.port));
    try {
      const proxied = (await viaProxy.listen(0)).url.replace(/\/graphql$/, '');
      expect((await get(`${proxied}/ready`)).status).toBe(200);
      await proxy.stop();
      const down = await get(`${proxied}/ready`);
      expect(down.status).toBe(503);
      expect(down.body.reason).toMatch(/database unavailable/);
      expect((await get(`${proxied}/health`)).status).toBe(200);
      await proxy.start();
      // The pool drops its broken connections and opens new ones.
      let back = await get(`${proxied}/ready`);
      for (let i = 0; i < 10 && back.status !== 200; i++) back = (await sleep(200), await get(`${proxied}/ready`));
      expect(back.status).toBe(200);
    } finally {
      await viaProxy.close();
      await proxy.stop();
    }
  });
});

describe('shutdown under load', () => {
  const SLOW = `{ slow(ms: 800) }`;
  const WRITE = `mutation { addTally(input: { amount: 42, label: "in flight", pauseMs: 800 }) { id amount label } }`;

  /** 8 slow reads and a write that has committed and is still answering; then close() as SIGTERM does. */
  async function underLoad(graceMs: number) {
    const db = await testDatabase('probe');
    const service = await probeService(db.target, { shutdownGraceMs: graceMs });
    try {
      await service.migrate();
      const { url } = await service.listen(0);
      const settle = <T>(p: Promise<T>) => p.then((value) => ({ value }), (error: Error) => ({ error }));
      const reads = Array.from({ length: 8 }, () => settle(postGraphql(url, SLOW)));
      const write = settle(postGraphql(url, WRITE));
      // Close only once the write has committed: its answer is what must not be lost.
      for (let i = 0; (await emOf(service.orm).fork().count(Tally, {})) === 0; i++) {
        if (i > 100) throw new Error('the write never committed');
        await sleep(10);
      }
      const started = Date.now();
      const closing = service.close();
      await sleep(50);
      const refused = await settle(fetch(url.replace('/graphql', '/health')));
      await closing;
      const tookMs = Date.now() - started;
      const answered = (await Promise.all(reads)).filter((r) => 'value' in r && r.value.data?.slow === 800).length;
      const written = await write;
      const reopened = await MikroORM.init(ormConfig({ database: db.target, entities: probe.entities, migrations: probe.migrations }));
      const rows = await emOf(reopened).fork().find(Tally, {});
      await reopened.close(true);
      return { answered, cut: 8 - answered, write: written, rows, refused, tookMs };
    } finally {
      await service.close();
      await db.drop();
    }
  }

  test('close() lets 8 running requests and a committed write answer, and accepts nothing new', async () => {
    const r = await underLoad(10_000);
    expect({ answered: r.answered, cut: r.cut }).toEqual({ answered: 8, cut: 0 });
    expect('value' in r.write && r.write.value.data?.addTally).toMatchObject({ amount: 42, label: 'in flight' });
    expect(r.rows.map((t) => t.amount)).toEqual([42]);
    // New connections are refused as soon as the drain starts.
    expect('error' in r.refused).toBe(true);
    expect(r.tookMs).toBeLessThan(5_000);
  });

  test('without a grace period (SHUTDOWN_GRACE_MS=0) the same requests are cut, the committed write unanswered', async () => {
    const r = await underLoad(0);
    expect(r.cut).toBe(8);
    expect('error' in r.write).toBe(true);
    // The write is in the database, and its caller never heard: what the drain prevents.
    expect(r.rows.map((t) => t.amount)).toEqual([42]);
  });
});

/** `node src/fixtures/probe-main.ts` with `env`: what an operator's container runs. */
function standalone(env: Record<string, string>) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(PCMT_POSTGRES_URL|DATABASE_URL|PORT|PROBE_.*)$/.test(k)));
  const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', 'subgraphs/kit/src/fixtures/probe-main.ts'], {
    cwd: ROOT,
    env: { ...clean, PORT: '0', LOG_LEVEL: 'info', APOLLO_TELEMETRY_DISABLED: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    exited,
    output: () => out,
    async url(): Promise<string> {
      for (let i = 0; i < 600; i++) {
        const m = /"url":"(http[^"]+)"[^\n]*subgraph ready/.exec(out);
        if (m) return m[1];
        if (child.exitCode !== null) throw new Error(`exited before serving:\n${out}`);
        await sleep(50);
      }
      throw new Error(`not ready:\n${out}`);
    },
    /** Until the output has `count` lines matching `pattern` (a global regex). */
    async logged(pattern: RegExp, count: number): Promise<void> {
      for (let i = 0; i < 600; i++) {
        if ((out.match(pattern)?.length ?? 0) >= count) return;
        if (child.exitCode !== null) throw new Error(`exited:\n${out}`);
        await sleep(20);
      }
      throw new Error(`not logged ${count} times: ${pattern}\n${out}`);
    },
  };
}

function envFor(target: DatabaseTarget): Record<string, string> {
  return target.kind === 'sqlite' ? { PCMT_DATA_DIR: join(target.file, '..') } : { DATABASE_URL: target.url };
}

describe('runStandalone (a process of its own)', () => {
  test('SIGTERM under load: 8 running requests and a committed write answered, then exit 0', async () => {
    const db = await testDatabase('probe');
    try {
      const proc = standalone(envFor(db.target));
      const url = await proc.url();
      const settle = <T>(p: Promise<T>) => p.then((value) => ({ value }), (error: Error) => ({ error }));
      const reads = Array.from({ length: 8 }, () => settle(postGraphql(url, `{ slow(ms: 1000) }`)));
      const write = settle(postGraphql(url, `mutation { addTally(input: { amount: 9, pauseMs: 1000 }) { amount } }`));
      // Signalled once all nine are in the process (their resolvers have started, the write has
      // committed): a fixed 400 ms wait let a loaded machine signal before two reads had arrived,
      // and those were refused as new requests while draining.
      await proc.logged(/probe: slow read started/g, 8);
      await proc.logged(/probe: tally committed/g, 1);
      proc.child.kill('SIGTERM');
      // A second signal while draining changes nothing.
      await sleep(50);
      proc.child.kill('SIGTERM');
      const answered = (await Promise.all(reads)).filter((r) => 'value' in r && r.value.data?.slow === 1000).length;
      expect({ answered, cut: 8 - answered }).toEqual({ answered: 8, cut: 0 });
      expect(await write).toEqual({ value: { data: { addTally: { amount: 9 } } } });
      expect(await proc.exited).toEqual({ code: 0, signal: null });
      expect(proc.output()).toMatch(/stopping: draining requests/);
    } finally {
      await db.drop();
    }
  });

  test('a database newer than the code: a clear message and exit code 1', async () => {
    const db = await testDatabase('probe');
    try {
      const service = await probeService(db.target);
      await service.migrate();
      await service.orm.em.getConnection().execute(`insert into mikro_orm_migrations (name, executed_at) values ('Migration20991231000000_future', ${usingPostgres() ? 'now()' : 'current_timestamp'})`);
      await service.close();
      const proc = standalone(envFor(db.target));
      expect((await proc.exited).code).toBe(1);
      expect(proc.output()).toMatch(/probe refuses to start: .* was migrated by a newer version of this subgraph: it has 1 migration this code does not know \(Migration20991231000000_future\)/);
      expect(proc.output()).not.toMatch(/subgraph ready/);
    } finally {
      await db.drop();
    }
  });

  test('an unreachable database: retried, then a clear message naming it (no password) and exit code 1', async () => {
    const port = await freePort();
    const started = Date.now();
    const proc = standalone({ DATABASE_URL: `postgresql://pcmt:s3cret-pw@127.0.0.1:${port}/pcmt_probe`, DATABASE_CONNECT_TIMEOUT_MS: '1500' });
    expect((await proc.exited).code).toBe(1);
    const out = proc.output();
    expect(out).toMatch(new RegExp(`PostgreSQL database pcmt_probe on 127.0.0.1:${port} as pcmt is unreachable: gave up after 3 attempts in \\d+\\.\\d s`));
    expect(out).toMatch(/database unreachable, retrying/);
    expect(out).not.toMatch(/s3cret-pw/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_500);
  });
});

describe('start-up checks in-process', () => {
  test('a database newer than the code: migrate() throws, MikroORM alone would serve it', async () => {
    const db = await testDatabase('probe');
    try {
      const service = await probeService(db.target);
      await service.migrate();
      await service.orm.em.getConnection().execute(`insert into mikro_orm_migrations (name, executed_at) values ('Migration20991231000000_future', ${usingPostgres() ? 'now()' : 'current_timestamp'})`);
      // Off: the migrator sees nothing to do and says nothing.
      expect(await service.orm.migrator.up()).toEqual([]);
      // On.
      const err = await service.migrate().catch((e) => e);
      expect(err).toBeInstanceOf(StartupError);
      expect(err.message).toMatch(/newer version of this subgraph.*Migration20991231000000_future/);
      await service.close();
    } finally {
      await db.drop();
    }
  });

  describe('a damaged SQLite file', () => {
    let dir: string;
    let good: string;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'pcmt-corrupt-'));
      good = join(dir, 'good.sqlite');
      const service = await probeService({ kind: 'sqlite', file: good });
      await service.migrate();
      const em = emOf(service.orm).fork();
      await em.insertMany(Tally, Array.from({ length: 3_000 }, (_, i) => ({ amount: i, label: `dòng số ${i} `.repeat(4), day: '2025-01-01' })));
      await service.close();
    });

    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    /** A copy of the good file with `bytes` of garbage written at `offset`. */
    function damaged(name: string, offset: number, bytes: number): string {
      const file = join(dir, name);
      copyFileSync(good, file);
      const fd = openSync(file, 'r+');
      writeSync(fd, Buffer.from(Array.from({ length: bytes }, (_, i) => (i * 151 + 7) % 256)), 0, bytes, offset);
      closeSync(fd);
      return file;
    }

    test('the good file starts', async () => {
      const service = await probeService({ kind: 'sqlite', file: good });
      await service.close();
    });

    test('garbage in its pages: refused, naming the file and what quick_check found', async () => {
      const pages = statSync(good).size / 4096;
      const file = damaged('pages.sqlite', 4096 * Math.floor(pages / 2), 4096 * 3);
      const err = await probeService({ kind: 'sqlite', file }).catch((e) => e);
      expect(err).toBeInstanceOf(StartupError);
      expect(err.message).toContain(`SQLite file ${file} failed its integrity check (pragma quick_check)`);
      // Off: without the check the same file opens and answers, rows missing or wrong.
      const orm = await MikroORM.init(ormConfig({ database: { kind: 'sqlite', file }, entities: probe.entities, migrations: probe.migrations }));
      expect(await orm.em.getConnection().execute('select 1 as one')).toEqual([{ one: 1 }]);
      expect(await orm.em.getConnection().execute('select count(*) as n from mikro_orm_migrations')).toEqual([{ n: 2 }]);
      await orm.close(true);
    });

    test('garbage in its header: refused too', async () => {
      const file = damaged('header.sqlite', 0, 100);
      const err = await probeService({ kind: 'sqlite', file }).catch((e) => e);
      expect(err).toBeInstanceOf(StartupError);
      expect(err.message).toMatch(new RegExp(`SQLite file ${file}.*(not a database|integrity)`));
    });
  });

  test('an unreachable database: retried with backoff until DATABASE_CONNECT_TIMEOUT_MS, then an Error naming it', async () => {
    const port = await freePort();
    const target: DatabaseTarget = { kind: 'postgresql', url: `postgresql://pcmt:s3cret-pw@127.0.0.1:${port}/pcmt_probe`, dbName: 'pcmt_probe' };
    const started = Date.now();
    const err = await probeService(target, { connectTimeoutMs: 1_500 }).catch((e) => e);
    const took = Date.now() - started;
    expect(err).toBeInstanceOf(StartupError);
    // 0.5 s, 1 s, then the deadline: three attempts.
    expect(err.message).toMatch(new RegExp(`^PostgreSQL database pcmt_probe on 127.0.0.1:${port} as pcmt is unreachable: gave up after 3 attempts`));
    expect(err.message).toMatch(/DATABASE_CONNECT_TIMEOUT_MS=1500.*ECONNREFUSED/);
    expect(err.message).not.toContain('s3cret-pw');
    expect(took).toBeGreaterThanOrEqual(1_500);
    expect(took).toBeLessThan(4_000);
  });

  test('without a connect timeout (0) the first refusal is final', async () => {
    const port = await freePort();
    const started = Date.now();
    const err = await probeService({ kind: 'postgresql', url: `postgresql://postgres@127.0.0.1:${port}/pcmt_probe`, dbName: 'pcmt_probe' }, { connectTimeoutMs: 0 }).catch((e) => e);
    expect(err.message).toMatch(/gave up after 1 attempt in/);
    expect(Date.now() - started).toBeLessThan(500);
  });

  pgOnly('a database that comes up while start-up waits is used', async () => {
    const db = await testDatabase('probe');
    const pg = new URL(PG!);
    const proxy = await TcpProxy.onFreePort({ host: pg.hostname, port: Number(pg.port || 5432) });
    try {
      // Down at first; up 1.2 s later, while the service is between attempts.
      const up = sleep(1_200).then(() => proxy.start());
      const attempts: number[] = [];
      const orm = await MikroORM.init(ormConfig({ database: through(db.target, proxy.port), entities: probe.entities, migrations: probe.migrations }));
      attempts.push(await connectWithRetry(orm, through(db.target, proxy.port), { timeoutMs: 10_000 }));
      await up;
      await orm.close(true);
      expect(attempts[0]).toBeGreaterThanOrEqual(3);
      const service = await probeService(through(db.target, proxy.port), { connectTimeoutMs: 10_000 });
      await service.migrate();
      await service.close();
    } finally {
      await proxy.stop();
      await db.drop();
    }
  });

  pgOnly('a refused login (no such role) is not waited for', async () => {
    const url = new URL(PG!);
    url.username = 'no_such_role_pcmt';
    url.pathname = '/postgres';
    const started = Date.now();
    const err = await probeService({ kind: 'postgresql', url: url.toString(), dbName: 'postgres' }, { connectTimeoutMs: 10_000 }).catch((e) => e);
    expect(err).toBeInstanceOf(StartupError);
    expect(err.message).toMatch(/^Cannot use PostgreSQL database postgres on .* as no_such_role_pcmt: .*no_such_role_pcmt/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
