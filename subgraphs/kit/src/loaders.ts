import { raw, wrap, type FilterQuery } from '@mikro-orm/core';
import DataLoader from 'dataloader';
import type { Em } from './database.js';
import { checkPage } from './pagination.js';

type Key = string | number;
type EntityClass<T> = new (...args: any[]) => T;

export interface ManyOptions<T> {
  where?: FilterQuery<T>;
  orderBy?: Record<string, 'asc' | 'desc'>;
  /** One page per key (`first`/`offset`), cut in SQL: a thousand parents asking for 3 children each read 3,000 rows, not all. */
  page?: { first?: number; offset?: number };
}

/** A relation's value is an entity or reference: group rows by its primary key, not by the object. */
function keyOf(value: unknown): Key {
  if (value !== null && typeof value === 'object') return wrap(value as object, true).getPrimaryKey() as Key;
  return value as Key;
}

/**
 * Per-request DataLoaders. Every reference resolver and child list goes through one of these,
 * so a list of N parents costs one query per field, not N.
 */
export class Loaders {
  private readonly cache = new Map<string, DataLoader<any, any>>();
  /**
   * Options every loader of the request is made with (pass them to `new DataLoader` in `get`): its
   * batches run by rounds, once the request is still (turns.ts `afterWaiting`: nothing waiting for a
   * turn, no statement in flight), so a request costs the same statements whatever the turns, promise
   * hops or database latency.
   */
  readonly options: { batchScheduleFn?: (run: () => void) => void };

  constructor(
    private readonly em: Em,
    schedule?: (run: () => void) => void,
  ) {
    this.options = schedule ? { batchScheduleFn: schedule } : {};
  }

  get<K, V>(id: string, make: () => DataLoader<K, V>): DataLoader<K, V> {
    let loader = this.cache.get(id);
    if (!loader) {
      loader = make();
      this.cache.set(id, loader);
    }
    return loader as DataLoader<K, V>;
  }

  /** The row whose `field` equals the key (a primary or unique key), or null. */
  one<T extends object>(entity: EntityClass<T>, field: keyof T & string, where?: FilterQuery<T>): DataLoader<Key, T | null> {
    return this.get(`one:${entity.name}:${field}:${JSON.stringify(where ?? {})}`, () =>
      new DataLoader<Key, T | null>(async (keys) => {
        const rows = await this.em.find(entity, { ...(where as object), [field]: { $in: [...keys] } } as FilterQuery<T>);
        const byKey = new Map(rows.map((r) => [String(keyOf((r as any)[field])), r]));
        return keys.map((k) => byKey.get(String(k)) ?? null);
      }, this.options),
    );
  }

  /** The rows whose `field` (a column or many-to-one) equals the key, in the given order; one page of them with `page`. */
  many<T extends object>(entity: EntityClass<T>, field: keyof T & string, opts: ManyOptions<T> = {}): DataLoader<Key, T[]> {
    // Checked here, in the resolver's call, so a bad page is the caller's error, not the batch's.
    const page = opts.page ? checkPage(opts.page) : null;
    return this.get(`many:${entity.name}:${field}:${JSON.stringify({ ...opts, page })}`, () =>
      new DataLoader<Key, T[]>(async (keys) => {
        const rows = await this.em.find(
          entity,
          { ...(opts.where as object), [field]: { $in: [...keys] } } as FilterQuery<T>,
          {
            orderBy: (opts.orderBy ?? {}) as any,
            // MikroORM's per-parent limit (ROW_NUMBER() OVER (PARTITION BY field ...)), the one its
            // own populate uses; not in the typed options, so a test pins its behaviour.
            ...(page ? { _partitionLimit: { partitionBy: field, limit: page.limit, offset: page.offset } } : {}),
          } as any,
        );
        const groups = new Map<string, T[]>();
        for (const r of rows) {
          const k = String(keyOf((r as any)[field]));
          let g = groups.get(k);
          if (!g) groups.set(k, (g = []));
          g.push(r);
        }
        return keys.map((k) => groups.get(String(k)) ?? []);
      }, this.options),
    );
  }

  /** How many rows per key, counted in SQL (GROUP BY), without fetching them. */
  count<T extends object>(entity: EntityClass<T>, field: keyof T & string, where?: FilterQuery<T>): DataLoader<Key, number> {
    return this.aggregate(entity, field, 'count(*)', where);
  }

  /** The sum of a numeric column per key, computed in SQL; 0 where a key has no rows. */
  sum<T extends object>(entity: EntityClass<T>, field: keyof T & string, column: keyof T & string, where?: FilterQuery<T>): DataLoader<Key, number> {
    return this.aggregate(entity, field, `sum(e.${this.columnOf(entity, column)})`, where);
  }

  /** How many distinct values of `column` per key (e.g. distinct persons), counted in SQL. */
  countDistinct<T extends object>(entity: EntityClass<T>, field: keyof T & string, column: keyof T & string, where?: FilterQuery<T>): DataLoader<Key, number> {
    return this.aggregate(entity, field, `count(distinct e.${this.columnOf(entity, column)})`, where);
  }

  private columnOf<T extends object>(entity: EntityClass<T>, property: string): string {
    const column = this.em.getMetadata().find(entity)?.properties[property]?.fieldNames?.[0];
    if (!column) throw new Error(`${entity.name}.${property} is not a mapped column`);
    return column;
  }

  private aggregate<T extends object>(entity: EntityClass<T>, field: keyof T & string, expression: string, where?: FilterQuery<T>): DataLoader<Key, number> {
    return this.get(`${expression}:${entity.name}:${field}:${JSON.stringify(where ?? {})}`, () =>
      new DataLoader<Key, number>(async (keys) => {
        const qb = this.em
          .createQueryBuilder(entity, 'e')
          .select([field, raw(`${expression} as n`)] as any)
          .where({ ...(where as object), [field]: { $in: [...keys] } } as any)
          .groupBy(`e.${field}` as any);
        // A query builder skips the ORM's filters unless asked: the caller's area applies here too.
        await qb.applyFilters();
        const rows: Array<Record<string, unknown>> = await qb.execute('all', true);
        // PostgreSQL returns bigint/numeric aggregates as strings.
        const byKey = new Map(rows.map((r) => [String(keyOf(r[field])), Number(r.n ?? 0)]));
        return keys.map((k) => byKey.get(String(k)) ?? 0);
      }, this.options),
    );
  }
}
