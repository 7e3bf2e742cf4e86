import { afterAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteReader } from './sqlite-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'pcmt-reader-'));
const reader = new SqliteReader();

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function database(name: string, rows: Array<[string, number]>): string {
  const file = join(dir, name);
  rmSync(file, { force: true });
  const db = new DatabaseSync(file);
  db.exec(`pragma journal_mode = wal; create table t (name text, n integer)`);
  const insert = db.prepare('insert into t values (?, ?)');
  for (const [name, n] of rows) insert.run(name, n);
  db.close();
  return file;
}

/** How many turns the event loop takes while `work` runs. */
async function turnsDuring(work: () => Promise<unknown> | unknown): Promise<number> {
  let turns = 0;
  let running = true;
  const spin = () => {
    if (!running) return;
    turns++;
    setImmediate(spin);
  };
  setImmediate(spin);
  await work();
  running = false;
  return turns;
}

// A statement that takes a while however fast the machine: three million rows counted.
const LONG = 'with recursive c(i) as (select 1 union all select i + 1 from c where i < 3000000) select count(*) as n from c';

describe('SQLite reads in a worker thread', () => {
  test('answers rows as the subgraph connection would', async () => {
    const file = database('a.db', [['một', 1], ['hai', 2]]);
    expect(await reader.all(file, 'select name, n from t order by n')).toEqual([{ name: 'một', n: 1 }, { name: 'hai', n: 2 }]);
  });

  test('a replaced file (a test database dropped and made again) is read anew', async () => {
    const file = database('b.db', [['old', 1]]);
    expect(await reader.all(file, 'select name from t')).toEqual([{ name: 'old' }]);
    database('b.db', [['new', 2]]);
    expect(await reader.all(file, 'select name from t')).toEqual([{ name: 'new' }]);
  });

  test('a failing statement rejects with SQLite\'s message; the next one is answered', async () => {
    const file = database('c.db', [['x', 1]]);
    await expect(reader.all(file, 'select nope from t')).rejects.toThrow(/no such column: nope/);
    await expect(reader.all(file, 'insert into t values (1, 1)')).rejects.toThrow(/readonly|read-only|attempt to write/i);
    expect(await reader.all(file, 'select count(*) as n from t')).toEqual([{ n: 1 }]);
  });

  test('the event loop keeps turning while a long read runs in the worker', async () => {
    const file = database('d.db', []);
    expect(await turnsDuring(() => reader.all(file, LONG))).toBeGreaterThan(10);
  });

  test('control: the same read on the event loop holds it for its whole length', async () => {
    const file = database('e.db', []);
    const db = new DatabaseSync(file, { readOnly: true });
    try {
      expect(await turnsDuring(() => db.prepare(LONG).all())).toBe(0);
    } finally {
      db.close();
    }
  });
});

describe('reader threads', () => {
  test('two long reads at once go to two threads and both answer', async () => {
    const file = database('pool.sqlite', [['a', 1]]);
    const pool = new SqliteReader(2);
    const both = Promise.all([pool.all(file, LONG), pool.all(file, LONG)]);
    expect(pool.load).toEqual({ running: 2, waiting: 0 });
    expect(await both).toEqual([[{ n: 3000000 }], [{ n: 3000000 }]]);
    expect(pool.reads).toBe(2);
    expect(pool.load).toEqual({ running: 0, waiting: 0 });
    pool.close(file);
  });

  test('one queue: while a long read holds one thread, the other takes every short read in turn', async () => {
    const file = database('queue.sqlite', [['a', 1]]);
    const pool = new SqliteReader(2);
    const order: string[] = [];
    const long = pool.all(file, LONG).then(() => order.push('long'));
    // Handed out on arrival, the second short read would have waited behind the long one.
    const shorts = ['s1', 's2', 's3'].map((name) => pool.all(file, `select '${name}' as name`).then(([row]) => order.push(String(row.name))));
    expect(pool.load).toEqual({ running: 2, waiting: 2 });
    await Promise.all([long, ...shorts]);
    expect(order).toEqual(['s1', 's2', 's3', 'long']);
    expect(pool.reads).toBe(4);
    pool.close(file);
  });

  test('a failed read frees its thread for the next', async () => {
    const file = database('fail.sqlite', [['a', 1]]);
    const pool = new SqliteReader(1);
    const bad = pool.all(file, 'select nope from t');
    const good = pool.all(file, 'select n from t');
    await expect(bad).rejects.toThrow(/no such column/);
    expect(await good).toEqual([{ n: 1 }]);
    pool.close(file);
  });
});
