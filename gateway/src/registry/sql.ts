import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import pg from 'pg';

/** The few statements the registry needs, on the gateway's own database: SQLite or PostgreSQL. */
export interface Sql {
  readonly kind: 'sqlite' | 'postgresql';
  /** Placeholders are `?` on both. */
  all<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  run(sql: string, params?: unknown[]): Promise<void>;
  /** One writer at a time, across processes and gateway replicas. */
  transaction<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type SqlTarget = { kind: 'sqlite'; file: string } | { kind: 'postgresql'; url: string };

export function openSql(target: SqlTarget): Sql {
  return target.kind === 'postgresql' ? new PostgresSql(target.url) : new SqliteSql(target.file);
}

class SqliteSql implements Sql {
  readonly kind = 'sqlite' as const;
  private readonly db: DatabaseSync;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new DatabaseSync(file);
    // The publish command and the gateway may write the same file: wait for each other's lock.
    this.db.exec('pragma busy_timeout = 10000');
    if (file !== ':memory:') this.db.exec('pragma journal_mode = wal');
  }

  /** Statements prepared once: the response cache reads the change log on every request. */
  private readonly prepared = new Map<string, StatementSync>();

  private statement(sql: string): StatementSync {
    let st = this.prepared.get(sql);
    if (!st) {
      // Texts vary with what an entry depends on: a bound keeps the map from growing without end.
      if (this.prepared.size >= 256) this.prepared.clear();
      this.prepared.set(sql, (st = this.db.prepare(sql)));
    }
    return st;
  }

  async all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.statement(sql).all(...(params as any[])) as T[];
  }

  async run(sql: string, params: unknown[] = []): Promise<void> {
    this.statement(sql).run(...(params as any[]));
  }

  transaction<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    const run = this.tail.then(async () => {
      this.db.exec('begin immediate');
      try {
        const result = await fn(this);
        this.db.exec('commit');
        return result;
      } catch (err) {
        this.db.exec('rollback');
        throw err;
      }
    });
    this.tail = run.catch(() => {});
    return run;
  }

  async close(): Promise<void> {
    await this.tail;
    this.db.close();
  }
}

const numbered = (sql: string) => {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
};

const ignore = () => {};

class PostgresSql implements Sql {
  readonly kind = 'postgresql' as const;
  private readonly pool: pg.Pool;

  constructor(url: string) {
    // Bounded waits: an unreachable database fails a registry call in seconds; serving goes on from memory.
    this.pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 3000, query_timeout: 30_000 });
    // A restarted database must not take the gateway down with an unhandled 'error' event.
    this.pool.on('error', ignore);
  }

  async all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(numbered(sql), params)).rows as T[];
  }

  async run(sql: string, params: unknown[] = []): Promise<void> {
    await this.pool.query(numbered(sql), params);
  }

  async transaction<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A checked-out client has no pool listener: a dropped connection would be an unhandled 'error'.
    client.on('error', ignore);
    const inTx: Sql = {
      kind: 'postgresql',
      all: async <R>(sql: string, params: unknown[] = []) => (await client.query(numbered(sql), params)).rows as R[],
      run: async (sql: string, params: unknown[] = []) => {
        await client.query(numbered(sql), params);
      },
      transaction: (f) => f(inTx),
      close: async () => {},
    };
    try {
      await client.query('begin');
      await client.query(`select pg_advisory_xact_lock(hashtext('pcmt_registry'))`);
      const result = await fn(inTx);
      await client.query('commit');
      return result;
    } catch (err) {
      await client.query('rollback').catch(() => {});
      throw err;
    } finally {
      client.removeListener('error', ignore);
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
