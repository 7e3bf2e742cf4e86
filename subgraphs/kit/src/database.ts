import { DefaultLogger, MikroORM, type EntityManager, type LogContext, type LoggerOptions, type MigrationObject, type Options } from '@mikro-orm/core';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { NodeSqliteDialect, SqliteDriver, type SqlEntityManager } from '@mikro-orm/sql';
import { mkdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { DatabaseTarget } from './config.js';
import { IdempotentWrite } from './idempotent-write.js';
import { KnownCommune } from './reference.js';
import { areaFilter } from './area.js';
import { recordSqlSpan, type SqlStatement } from './telemetry.js';

/** Tables the kit keeps in every subgraph's database. */
export const KIT_ENTITIES: Function[] = [KnownCommune, IdempotentWrite];

export type Em = SqlEntityManager;

/** Counts SQL statements a subgraph sends, so tests can prove there is no N+1. */
export class QueryCounter {
  total = 0;
  reset(): void {
    this.total = 0;
  }
}

export interface MigrationSets {
  sqlite: MigrationObject[];
  postgresql: MigrationObject[];
}

export interface OrmOptions {
  database: DatabaseTarget;
  entities: Function[];
  migrations: MigrationSets;
  counter?: QueryCounter;
  debug?: boolean;
  /** Each statement once it has run (metrics); a span is recorded for it in any case when tracing. */
  onStatement?: (statement: SqlStatement) => void;
  /** The subgraph, named on its SQL spans. */
  service?: string;
}

/**
 * MikroORM hands every statement it ran to its logger, with its duration, for SQLite and PostgreSQL
 * alike: the one place to draw a span and count it. Printing stays as the `debug` option says.
 */
class StatementLogger extends DefaultLogger {
  constructor(
    options: LoggerOptions,
    private readonly db: { system: 'sqlite' | 'postgresql'; namespace: string; service: string },
    private readonly onStatement?: (statement: SqlStatement) => void,
  ) {
    super(options);
  }

  override logQuery(context: { query: string } & LogContext): void {
    // `query` has placeholders; the values (`params`, `formatted`) are never read here.
    if (context.query && (context.namespace ?? 'query') === 'query') {
      const statement: SqlStatement = { sql: context.query, tookMs: context.took ?? 0, rows: context.results, failed: context.level === 'error' };
      recordSqlSpan(statement, this.db);
      this.onStatement?.(statement);
    }
    super.logQuery(context);
  }
}

export function ormConfig(opts: OrmOptions): Options {
  const { database, counter } = opts;
  const common = {
    entities: [...opts.entities, ...KIT_ENTITIES],
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    // Tables come from migrations only; never let the ORM create them on its own.
    ensureDatabase: { create: false },
    allowGlobalContext: false,
    filters: { [areaFilter.name]: areaFilter },
    debug: opts.debug ?? false,
    loggerFactory: (options: LoggerOptions) =>
      new StatementLogger(
        options,
        database.kind === 'sqlite'
          ? { system: 'sqlite', namespace: basename(database.file), service: opts.service ?? '' }
          : { system: 'postgresql', namespace: database.dbName, service: opts.service ?? '' },
        opts.onStatement,
      ),
    onQuery: (sql) => {
      if (counter) counter.total++;
      return sql;
    },
    // SQLite's own statistics tables (refreshPlannerStatistics): MikroORM's schema reader skips
    // sqlite_sequence but not these, and fails on their untyped columns.
    schemaGenerator: { skipTables: ['sqlite_stat1', 'sqlite_stat4'] },
    migrations: {
      migrationsList: database.kind === 'sqlite' ? opts.migrations.sqlite : opts.migrations.postgresql,
      snapshot: false,
      silent: true,
      transactional: true,
      allOrNothing: true,
    },
  } satisfies Partial<Options>;
  if (database.kind === 'sqlite') {
    if (database.file !== ':memory:') mkdirSync(dirname(database.file), { recursive: true });
    return { ...common, driver: SqliteDriver, dbName: database.file, driverOptions: new NodeSqliteDialect(database.file) } as unknown as Options;
  }
  // JIT off for the subgraphs' sessions: a figure statement's cost estimate (correlated `exists`) passes
  // jit_above_cost, and compiling it took 86 ms of health's 154 ms; no statement here runs long enough
  // to win that back.
  return { ...common, driver: PostgreSqlDriver, clientUrl: database.url, dbName: database.dbName, pool: { min: 0, max: 10 }, driverOptions: { options: '-c jit=off' } } as unknown as Options;
}

/** A database a subgraph cannot or must not serve: start-up stops with this message, no stack. */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** Which database, for messages and logs: host, port, name and user, never the password. */
export function describeDatabase(database: DatabaseTarget): string {
  if (database.kind === 'sqlite') return `SQLite file ${database.file}`;
  const url = new URL(database.url);
  const user = url.username ? ` as ${decodeURIComponent(url.username)}` : '';
  return `PostgreSQL database ${database.dbName} on ${url.hostname}:${url.port || '5432'}${user}`;
}

export interface ConnectOptions {
  /** Keep retrying an unreachable database this long (DATABASE_CONNECT_TIMEOUT_MS); 0 = one attempt. */
  timeoutMs: number;
  log?: Logger;
}

// Socket errors and PostgreSQL's "not yet" states (class 08, starting up, too many connections)
// pass; a wrong password or a missing role does not get better by waiting.
const TRANSIENT_SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
function isTransient(err: unknown): boolean {
  const e = err as { code?: unknown; cause?: { code?: unknown }; message?: string };
  const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : '';
  if (code) return TRANSIENT_SOCKET.has(code) || code.startsWith('08') || code === '57P03' || code === '53300';
  return /Connection terminated|timeout|did not answer/i.test(e?.message ?? '');
}

/** The wait after failed attempt `n` (1, 2, …): 0.5 s doubling to 8 s. */
export function backoffDelay(attempt: number): number {
  return Math.min(500 * 2 ** (attempt - 1), 8_000);
}
const ATTEMPT_LIMIT_MS = 10_000;

function withinMs<T>(ms: number, what: Promise<T>, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([what, late]).finally(() => clearTimeout(timer));
}

/**
 * Connects and runs `select 1`, retrying a database that is not there yet (a container starting
 * before PostgreSQL) with backoff until `timeoutMs`, instead of dying in a crash loop.
 * Returns the number of attempts; throws a StartupError naming the database.
 */
export async function connectWithRetry(orm: MikroORM, database: DatabaseTarget, opts: ConnectOptions): Promise<number> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      const left = Math.max(1, opts.timeoutMs - (Date.now() - started));
      await withinMs(Math.min(ATTEMPT_LIMIT_MS, Math.max(left, 2_000)), (async () => {
        await orm.connect();
        await orm.em.getConnection().execute('select 1');
      })(), describeDatabase(database));
      if (attempt > 1) opts.log?.info({ attempt, database: describeDatabase(database) }, 'database reachable');
      return attempt;
    } catch (err) {
      const reason = (err as Error)?.message ?? String(err);
      if (!isTransient(err)) throw new StartupError(`Cannot use ${describeDatabase(database)}: ${reason}`);
      const waited = Date.now() - started;
      const left = opts.timeoutMs - waited;
      if (left <= 0) {
        throw new StartupError(
          `${describeDatabase(database)} is unreachable: gave up after ${attempt} attempt${attempt > 1 ? 's' : ''} in ${(waited / 1000).toFixed(1)} s ` +
            `(DATABASE_CONNECT_TIMEOUT_MS=${opts.timeoutMs}); last error: ${reason}`,
        );
      }
      const wait = Math.min(backoffDelay(attempt), left);
      opts.log?.warn({ attempt, retryInMs: wait, database: describeDatabase(database), reason }, 'database unreachable, retrying');
      await sleep(wait);
    }
  }
}

/**
 * `pragma quick_check` of a SQLite file: a damaged file (a disk fault, a copy taken mid-write)
 * is refused at start instead of answering with wrong or missing rows later.
 */
export async function checkSqliteIntegrity(orm: MikroORM, database: DatabaseTarget): Promise<void> {
  if (database.kind !== 'sqlite') return;
  let problems: string[];
  try {
    const rows: Array<Record<string, unknown>> = await orm.em.getConnection().execute('pragma quick_check');
    problems = rows.map((r) => String(Object.values(r)[0])).filter((line) => line !== 'ok');
  } catch (err) {
    problems = [(err as Error).message];
  }
  if (problems.length) {
    throw new StartupError(
      `${describeDatabase(database)} failed its integrity check (pragma quick_check): ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''}. ` +
        'Restore it from a backup; the subgraph does not serve a damaged database.',
    );
  }
}

export async function openOrm(opts: OrmOptions & { connect?: ConnectOptions }): Promise<MikroORM> {
  const orm = await MikroORM.init(ormConfig(opts));
  try {
    await connectWithRetry(orm, opts.database, opts.connect ?? { timeoutMs: 0 });
    if (opts.database.kind === 'sqlite') {
      await checkSqliteIntegrity(orm, opts.database);
      // WAL lets dashboards read while a seed or import writes.
      await orm.em.getConnection().execute('pragma journal_mode = wal');
      await orm.em.getConnection().execute('pragma foreign_keys = on');
    }
  } catch (err) {
    await orm.close(true).catch(() => {});
    throw err;
  }
  return orm;
}

export interface MigrationState {
  /** In the code, not yet run on the database. */
  pending: string[];
  /** Run on the database, unknown to the code: a newer version migrated it. */
  unknown: string[];
}

export async function migrationState(orm: MikroORM): Promise<MigrationState> {
  const known = (orm.config.get('migrations').migrationsList ?? []).map((m) => (m as MigrationObject).name);
  const executed = new Set((await orm.migrator.getExecuted()).map((m) => m.name));
  return { pending: known.filter((n) => !executed.has(n)), unknown: [...executed].filter((n) => !known.includes(n)) };
}

function newerDatabase(orm: MikroORM, unknown: string[]): StartupError {
  const db = describeDatabase(databaseOf(orm));
  return new StartupError(
    `${db} was migrated by a newer version of this subgraph: it has ${unknown.length} migration${unknown.length > 1 ? 's' : ''} this code does not know (${unknown.join(', ')}). ` +
      'Run the newer version, or restore a backup made for this one; this version will not serve it.',
  );
}

function databaseOf(orm: MikroORM): DatabaseTarget {
  const dbName = orm.config.get('dbName') as string;
  const url = orm.config.get('clientUrl') as string | undefined;
  return url ? { kind: 'postgresql', url, dbName } : { kind: 'sqlite', file: dbName };
}

/** Applies pending migrations; refuses a database that has migrations this code does not know. */
export async function migrate(orm: MikroORM): Promise<string[]> {
  const { unknown } = await migrationState(orm);
  if (unknown.length) throw newerDatabase(orm, unknown);
  const done = await orm.migrator.up();
  // Start-up is the moment to bring the planner's statistics up to date (cheap when they are).
  await refreshPlannerStatistics(orm, 'started');
  return done.map((m) => m.name);
}

/**
 * Planner statistics. SQLite keeps none unless told to, and then guesses: with four provinces in
 * one database, a province's figure statement read every province's addiction assessments through
 * an index on the result (2× one province alone) instead of its own communes' rows. Sampling is
 * bounded (`analysis_limit`), so a refresh takes milliseconds; `pragma optimize` redoes only tables
 * that changed a lot since. PostgreSQL's autovacuum keeps its own; after a seed it is told at once.
 */
export async function refreshPlannerStatistics(orm: MikroORM, after: 'started' | 'seeded' | 'imported'): Promise<void> {
  const connection = orm.em.getConnection();
  if (orm.em.getDriver() instanceof PostgreSqlDriver) {
    if (after === 'seeded') await connection.execute('analyze');
    return;
  }
  await connection.execute('pragma analysis_limit = 1000');
  // 0x10002: every table, not only those this connection has read (it has read none at start-up).
  await connection.execute(after === 'seeded' ? 'analyze' : after === 'started' ? 'pragma optimize = 0x10002' : 'pragma optimize');
}

export type Readiness = { ready: true } | { ready: false; reason: string };

/** `/ready`: the database answers `select 1` within `timeoutMs` and every migration of the code has run (and no other). */
export async function databaseReadiness(orm: MikroORM, timeoutMs = 2_000): Promise<Readiness> {
  try {
    const state = await withinMs(timeoutMs, (async () => {
      await orm.em.getConnection().execute('select 1');
      return migrationState(orm);
    })(), 'the database');
    if (state.unknown.length) return { ready: false, reason: `the database has migrations this code does not know: ${state.unknown.join(', ')}` };
    if (state.pending.length) return { ready: false, reason: `migrations not applied: ${state.pending.join(', ')}` };
    return { ready: true };
  } catch (err) {
    return { ready: false, reason: `database unavailable: ${(err as Error)?.message ?? String(err)}` };
  }
}

export function emOf(orm: MikroORM): Em {
  return orm.em as unknown as Em;
}

/**
 * SQL that joins a group's values of `column` with commas, in either engine (SQLite `group_concat`,
 * PostgreSQL `string_agg`): a group of rows crosses as one row (fewer rows to build and, on SQLite,
 * to copy back from the reader thread).
 */
export function commaList(em: EntityManager, column: string): string {
  return em.getDriver() instanceof PostgreSqlDriver ? `string_agg(${column}, ',')` : `group_concat(${column}, ',')`;
}

/** Insert many plain rows in chunks inside one transaction: seeds and imports of ~10^6 rows. */
export async function insertInChunks<T extends object>(
  em: EntityManager,
  entity: new (...args: any[]) => T,
  rows: Partial<T>[],
  chunkSize = 500,
  onProgress?: (done: number) => void,
): Promise<void> {
  for (let i = 0; i < rows.length; i += chunkSize) {
    await em.insertMany(entity, rows.slice(i, i + chunkSize) as any);
    onProgress?.(Math.min(i + chunkSize, rows.length));
  }
}
