/**
 * SQLite reads off the event loop. `node:sqlite` runs a statement synchronously: one figure
 * statement of a heavy analyst request (every commune × five years, 50–600 ms at scale 1) held
 * every other request of the process for its whole length. With fair turns on (turns.ts), reads of
 * a request that is not light (the gateway of this process registers light ones), and the long
 * reads of any request (figure statements, aggregates over whole tables: `longReads`), run in
 * worker threads (one per core, one queue), each on a read-only connection of its own to the same file: WAL
 * lets it read the last commit while the subgraph's own connection writes. Writes, reads inside a transaction, reads outside a
 * request (seeds, migrations) and light requests' reads stay on the subgraph's connection, where a
 * small statement costs no message round trip.
 */
import type { MikroORM } from '@mikro-orm/core';
import { SqliteDriver } from '@mikro-orm/sql';
import { AsyncLocalStorage } from 'node:async_hooks';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { requestScope, turns } from './turns.js';

/** The worker: one read-only connection per database file, reopened if the file was replaced. */
const WORKER = `
const { parentPort } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const { statSync } = require('node:fs');
const open = new Map();
function db(file) {
  const ino = statSync(file).ino;
  let entry = open.get(file);
  if (entry && entry.ino !== ino) { entry.db.close(); entry = undefined; }
  if (!entry) open.set(file, (entry = { ino, db: new DatabaseSync(file, { readOnly: true, timeout: 5000 }) }));
  return entry.db;
}
parentPort.on('message', (m) => {
  if (m.close) {
    const entry = open.get(m.close);
    if (entry) { entry.db.close(); open.delete(m.close); }
    return;
  }
  try {
    parentPort.postMessage({ id: m.id, rows: db(m.file).prepare(m.sql).all() });
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: { message: e.message, code: e.code, errcode: e.errcode, errstr: e.errstr } });
  }
});
`;

type Rows = Array<Record<string, unknown>>;

/** A read waiting for, or running in, a thread. */
interface Read {
  file: string;
  sql: string;
  resolve: (rows: Rows) => void;
  reject: (err: Error) => void;
}

/** A read-only connection in a worker thread, one read at a time; it keeps the process alive only while reading. */
class ReaderThread {
  private worker: Worker | null = null;
  private nextId = 1;
  /** The read in the worker now, by its message id. */
  current: { id: number; read: Read } | null = null;

  /** `done` is told when the thread is free again, answered or failed. */
  constructor(private readonly done: (answered: boolean) => void) {}

  get busy(): boolean {
    return this.current !== null;
  }

  run(read: Read): void {
    const worker = this.start();
    const id = this.nextId++;
    this.current = { id, read };
    worker.ref();
    worker.postMessage({ id, file: read.file, sql: read.sql });
  }

  close(file: string): void {
    this.worker?.postMessage({ close: file });
  }

  private finish(id: number): Read | null {
    if (this.current?.id !== id) return null;
    const { read } = this.current;
    this.current = null;
    this.worker?.unref();
    return read;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER, { eval: true });
    worker.unref();
    worker.on('message', (m: { id: number; rows?: Rows; error?: { message: string; code?: string; errcode?: number; errstr?: string } }) => {
      const read = this.finish(m.id);
      if (!read) return;
      if (m.error) read.reject(Object.assign(new Error(m.error.message), { code: m.error.code, errcode: m.error.errcode, errstr: m.error.errstr }));
      else read.resolve(m.rows!);
      this.done(!m.error);
    });
    // A worker that died fails what it had; the next read starts another.
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = null;
      const read = this.current ? this.finish(this.current.id) : null;
      if (read) {
        read.reject(err);
        this.done(false);
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`SQLite reader exited (${code})`)));
    this.worker = worker;
    return worker;
  }
}

/**
 * Reader threads for the process (one per core, started on first use), fed from one queue: a thread
 * takes the next read when it is free. Handing reads out as they arrive (to the thread with the
 * fewest waiting) let one thread queue a dashboard's long statements while the other sat idle
 * (police ended 320 ms after health at scale 1).
 */
export class SqliteReader {
  private readonly threads: ReaderThread[];
  private readonly queue: Read[] = [];
  /** Reads answered by the workers (tests read it). */
  reads = 0;

  constructor(size = Math.max(1, availableParallelism())) {
    this.threads = Array.from(
      { length: size },
      () =>
        new ReaderThread((answered) => {
          if (answered) this.reads++;
          this.next();
        }),
    );
  }

  all(file: string, sql: string): Promise<Rows> {
    return new Promise<Rows>((resolve, reject) => {
      this.queue.push({ file, sql, resolve, reject });
      this.next();
    });
  }

  /** Reads in the threads now and waiting for one (tests read it). */
  get load(): { running: number; waiting: number } {
    return { running: this.threads.filter((t) => t.busy).length, waiting: this.queue.length };
  }

  private next(): void {
    for (const t of this.threads) {
      if (this.queue.length === 0) return;
      if (!t.busy) t.run(this.queue.shift()!);
    }
  }

  /** The subgraph closed its database: the workers let go of the file too. */
  close(file: string): void {
    for (const t of this.threads) t.close(file);
  }
}

export const sqliteReader = new SqliteReader();

type Execute = (query: unknown, params?: unknown[], method?: string, ctx?: unknown, loggerContext?: Record<string, unknown>) => Promise<unknown>;
interface Connection {
  execute: Execute;
  close: (force?: boolean) => Promise<void>;
  ensureConnection(): Promise<void>;
  prepareQuery(query: unknown, params: unknown[]): { query: string; params: unknown[]; formatted: string };
  getSql(query: string, formatted: string, loggerContext?: unknown): string;
  executeQuery<T>(sql: string, cb: () => Promise<T>, context: Record<string, unknown>): Promise<T>;
  transformRawResult(res: { rows: Rows }, method: string): unknown;
}

const READ = /^\s*(select|with)\b/i;
const offloaded = new WeakSet<object>();

/** Statements made under `longReads` (figure statements: aggregates over whole tables) go to a worker whoever asks. */
const longRead = new AsyncLocalStorage<true>();

/** Runs `read` with its statements marked long: off the event loop even for a light request. */
export function longReads<T>(read: () => Promise<T>): Promise<T> {
  return longRead.run(true, read);
}


/** Whether a statement may go to the worker: a plain read outside a transaction, of a request that is not light or a long aggregate. */
function offloadable(query: unknown, method: string, ctx: unknown): boolean {
  if (!turns.on || method !== 'all' || ctx) return false;
  const sql = typeof query === 'string' ? query : (query as { sql?: unknown } | null)?.sql;
  if (typeof sql !== 'string' || !READ.test(sql) || /\breturning\b/i.test(sql)) return false;
  const owner = requestScope.getStore()?.owner;
  return owner !== undefined && (longRead.getStore() === true || !turns.isLight(owner));
}

/**
 * Sends the qualifying reads of an ORM on a SQLite file to the worker; counted, logged and mapped
 * exactly as MikroORM's own `execute` does (the same `onQuery`, logger and result shape).
 */
export function readsOffTheLoop(orm: MikroORM): void {
  const connection = orm.em.getConnection() as unknown as Connection;
  if (offloaded.has(connection)) return;
  offloaded.add(connection);
  const file = orm.config.get('dbName');
  if (!(orm.em.getDriver() instanceof SqliteDriver) || !file || file === ':memory:') return;
  const execute = connection.execute;
  connection.execute = async function (this: Connection, query, params = [], method = 'all', ctx, loggerContext) {
    if (!offloadable(query, method, ctx)) return execute.call(this, query, params, method, ctx, loggerContext);
    await this.ensureConnection();
    const q = this.prepareQuery(query, params);
    const sql = this.getSql(q.query, q.formatted, loggerContext);
    return this.executeQuery(sql, async () => this.transformRawResult({ rows: await sqliteReader.all(file, q.formatted) }, method), { ...q, ...loggerContext });
  };
  const close = connection.close;
  connection.close = async function (this: Connection, force?: boolean) {
    sqliteReader.close(file);
    return close.call(this, force);
  };
}
