import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import pg from 'pg';

/** One read of sensitive data: who, why, when, which persons, which fields — never the values. */
export interface AuditEntry {
  at: string;
  subject: string;
  agency: string;
  roles: string[];
  purpose: string;
  requestId: string;
  operationName: string | null;
  operationHash: string;
  persons: string[];
  fields: string[];
}

export interface StoredAuditEntry extends AuditEntry {
  seq: number;
  prevHash: string;
  hash: string;
}

export interface VerifyReport {
  ok: boolean;
  rows: number;
  /** First row whose hash or link does not match: tampered with, or a row removed before it. */
  brokenAt?: number;
}

export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  all(): Promise<StoredAuditEntry[]>;
  /** Rejects when the store does not answer (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

const GENESIS = '0'.repeat(64);

/** The chain: each row's hash covers its content and the previous row's hash. */
export function entryHash(prevHash: string, e: AuditEntry): string {
  const canonical = JSON.stringify([prevHash, e.at, e.subject, e.agency, e.roles, e.purpose, e.requestId, e.operationName, e.operationHash, e.persons, e.fields]);
  return createHash('sha256').update(canonical).digest('hex');
}

export function verifyChain(rows: StoredAuditEntry[]): VerifyReport {
  let prev = GENESIS;
  for (const row of rows) {
    if (row.prevHash !== prev || entryHash(prev, row) !== row.hash) return { ok: false, rows: rows.length, brokenAt: row.seq };
    prev = row.hash;
  }
  return { ok: true, rows: rows.length };
}

const COLUMNS = 'seq, at, subject, agency, roles, purpose, request_id, operation_name, operation_hash, persons, fields, prev_hash, hash';

function fromRow(r: any): StoredAuditEntry {
  return {
    seq: Number(r.seq),
    at: r.at,
    subject: r.subject,
    agency: r.agency,
    roles: JSON.parse(r.roles),
    purpose: r.purpose,
    requestId: r.request_id,
    operationName: r.operation_name,
    operationHash: r.operation_hash,
    persons: JSON.parse(r.persons),
    fields: JSON.parse(r.fields),
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

const values = (e: AuditEntry, prevHash: string, hash: string) => [e.at, e.subject, e.agency, JSON.stringify(e.roles), e.purpose, e.requestId, e.operationName, e.operationHash, JSON.stringify(e.persons), JSON.stringify(e.fields), prevHash, hash];

/** Append-only by use: the gateway only ever inserts; `npm run audit:verify` detects any edit. */
export class SqliteAuditLog implements AuditLog {
  private readonly db: DatabaseSync;
  private tail: Promise<void> = Promise.resolve();

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new DatabaseSync(file);
    // Write-ahead log, each commit still synced (synchronous=FULL): as durable as the rollback
    // journal, without creating and deleting a journal file per entry (1.2 → 0.3 ms an append).
    this.db.exec('pragma journal_mode = wal; pragma synchronous = full');
    this.db.exec(`create table if not exists audit_entry (seq integer primary key autoincrement, at text not null, subject text not null, agency text not null, roles text not null, purpose text not null, request_id text not null, operation_name text, operation_hash text not null, persons text not null, fields text not null, prev_hash text not null, hash text not null unique)`);
    this.lastHash = this.db.prepare('select hash from audit_entry order by seq desc limit 1');
    this.insert = this.db.prepare(`insert into audit_entry (${COLUMNS.replace('seq, ', '')}) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  }

  private readonly lastHash: StatementSync;
  private readonly insert: StatementSync;

  append(entry: AuditEntry): Promise<void> {
    // Serialised so two concurrent reads never link to the same previous row.
    // No busy timeout: node:sqlite is synchronous and would block the event loop; a locked file fails closed at once.
    const run = this.tail.then(() => {
      this.db.exec('begin immediate');
      try {
        const last = this.lastHash.get() as { hash: string } | undefined;
        const prev = last?.hash ?? GENESIS;
        this.insert.run(...(values(entry, prev, entryHash(prev, entry)) as any[]));
        this.db.exec('commit');
      } catch (err) {
        if (this.db.isTransaction) this.db.exec('rollback');
        throw err;
      }
    });
    this.tail = run.catch(() => {});
    return run;
  }

  async all(): Promise<StoredAuditEntry[]> {
    return (this.db.prepare(`select ${COLUMNS} from audit_entry order by seq`).all() as any[]).map(fromRow);
  }

  async ping(): Promise<void> {
    // Takes the write lock as an append would (readers are never blocked in WAL mode), so a lock
    // held by another writer shows.
    this.db.exec('begin immediate');
    this.db.exec('rollback');
  }

  /** For tests: the raw database, to tamper with a row or break the store. */
  get raw(): DatabaseSync {
    return this.db;
  }

  async close(): Promise<void> {
    await this.tail;
    this.db.close();
  }
}

/** Ignores a connection error on a checked-out client; the query under way rejects with it. */
const ignore = () => {};

export class PostgresAuditLog implements AuditLog {
  private readonly pool: pg.Pool;
  private ready: Promise<void> | null = null;

  constructor(url: string, onError: (err: Error) => void = ignore) {
    // Bounded waits: with the database unreachable a sensitive read fails closed in seconds, not never.
    this.pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 3000, query_timeout: 5000 });
    // An idle connection lost in a database restart: the pool drops it and opens a new one when needed.
    this.pool.on('error', onError);
    this.ensureTable().catch(ignore);
  }

  /** Creates the table once; a failure is not kept, so the next call tries again (the database may be back). */
  private ensureTable(): Promise<void> {
    this.ready ??= this.pool
      .query(`create table if not exists audit_entry (seq bigserial primary key, at text not null, subject text not null, agency text not null, roles text not null, purpose text not null, request_id text not null, operation_name text, operation_hash text not null, persons text not null, fields text not null, prev_hash text not null, hash text not null unique)`)
      .then(
        () => undefined,
        (err) => {
          this.ready = null;
          throw err;
        },
      );
    return this.ready;
  }

  async append(entry: AuditEntry): Promise<void> {
    await this.ensureTable();
    const client = await this.pool.connect();
    // A checked-out client has no pool listener: without this a dropped connection is an unhandled 'error'.
    client.on('error', ignore);
    try {
      await client.query('begin');
      // One writer at a time across every gateway replica: the chain stays linear.
      await client.query(`select pg_advisory_xact_lock(hashtext('pcmt_audit_chain'))`);
      const last = await client.query('select hash from audit_entry order by seq desc limit 1');
      const prev = last.rows[0]?.hash ?? GENESIS;
      await client.query(`insert into audit_entry (${COLUMNS.replace('seq, ', '')}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`, values(entry, prev, entryHash(prev, entry)));
      await client.query('commit');
    } catch (err) {
      await client.query('rollback').catch(() => {});
      throw err;
    } finally {
      client.removeListener('error', ignore);
      client.release();
    }
  }

  async ping(): Promise<void> {
    await this.ensureTable();
    await this.pool.query('select 1');
  }

  async all(): Promise<StoredAuditEntry[]> {
    await this.ensureTable();
    return (await this.pool.query(`select ${COLUMNS} from audit_entry order by seq`)).rows.map(fromRow);
  }

  get raw(): pg.Pool {
    return this.pool;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
