import { MikroORM, type EntityManager, type MigrationObject, type Options } from '@mikro-orm/core';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { NodeSqliteDialect, SqliteDriver, type SqlEntityManager } from '@mikro-orm/sql';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseTarget } from './config.js';
import { IdempotentWrite } from './idempotency.js';
import { KnownCommune } from './reference.js';
import { areaFilter } from './area.js';

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
    onQuery: (sql) => {
      if (counter) counter.total++;
      return sql;
    },
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
  return { ...common, driver: PostgreSqlDriver, clientUrl: database.url, dbName: database.dbName, pool: { min: 0, max: 10 } } as unknown as Options;
}

export async function openOrm(opts: OrmOptions): Promise<MikroORM> {
  const orm = await MikroORM.init(ormConfig(opts));
  if (opts.database.kind === 'sqlite') {
    // WAL lets dashboards read while a seed or import writes.
    await orm.em.getConnection().execute('pragma journal_mode = wal');
    await orm.em.getConnection().execute('pragma foreign_keys = on');
  }
  return orm;
}

export async function migrate(orm: MikroORM): Promise<string[]> {
  const done = await orm.migrator.up();
  return done.map((m) => m.name);
}

export function emOf(orm: MikroORM): Em {
  return orm.em as unknown as Em;
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
