import type { EntityManager } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { NotAreaScoped } from './area-rules.js';

/**
 * The last number given in one series of business numbers (e.g. legal-aid request numbers).
 * A subgraph that generates numbers lists this entity among its own and migrates the table.
 */
@NotAreaScoped('one counter per series of generated numbers; no record of anyone')
@Entity({ tableName: 'business_counter' })
export class BusinessCounter {
  @PrimaryKey({ length: 64 })
  series!: string;

  @Property()
  value!: number;
}

export interface NextNumberOptions {
  /**
   * The highest number the series already holds, read once when its counter row does not exist
   * yet (a seeded or imported database): the counter then carries on after it.
   */
  highest(tx: EntityManager): Promise<number>;
  /** Whether a number is already taken (given by hand or imported): it is skipped. */
  taken?(tx: EntityManager, n: number): Promise<boolean>;
}

async function bump(tx: SqlEntityManager, series: string): Promise<number | null> {
  // The row stays locked until the caller's transaction ends (PostgreSQL row lock; SQLite's
  // write lock): two registrations can never read the same value, and a rollback gives it back.
  const rows = await tx.execute<Array<{ value: number | string }>>('update business_counter set value = value + 1 where series = ? returning value', [series]);
  return rows.length ? Number(rows[0].value) : null;
}

/**
 * The next number of `series`, taken inside the caller's transaction (`tx` must be one): no
 * `max(id) + 1` race between concurrent writes, so no failed write and no retry.
 */
export async function nextNumber(tx: EntityManager, series: string, opts: NextNumberOptions): Promise<number> {
  const sql = tx as SqlEntityManager;
  if (!sql.isInTransaction()) throw new Error(`nextNumber(${series}) must run inside the write's transaction`);
  let n = await bump(sql, series);
  if (n === null) {
    // Two first writers may both get here: the second insert does nothing and waits for the first.
    await sql.execute('insert into business_counter (series, value) values (?, ?) on conflict (series) do nothing', [series, await opts.highest(tx)]);
    n = (await bump(sql, series))!;
  }
  while (opts.taken && (await opts.taken(tx, n))) n = (await bump(sql, series))!;
  return n;
}
