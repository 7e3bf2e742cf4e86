import { describe, expect, test } from '@jest/globals';
import { createSubgraphService, syntheticProvince, type SubgraphService } from '@pcmt/kit';
import { testDatabase } from '@pcmt/kit/testing';
import { loadSubgraphs, SUBGRAPH_NAMES } from '../scripts/lib/subgraphs.js';

// Tables come only from migrations: after running them, the entities must need no further change.
describe.each([...SUBGRAPH_NAMES])('migrations of %s', (name) => {
  test('create exactly the schema the entities describe', async () => {
    const [def] = await loadSubgraphs([name]);
    const db = await testDatabase(name);
    const service = await createSubgraphService(def, { database: db.target, logLevel: 'silent' });
    try {
      const applied = await service.migrate();
      expect(applied.length).toBeGreaterThan(0);
      const diff = await service.orm.schema.getUpdateSchemaSQL({ wrap: false });
      expect(diff.trim()).toBe('');
      expect(await service.migrate()).toEqual([]);
    } finally {
      await service.close();
      await db.drop();
    }
  });
});

async function rowCounts(service: SubgraphService): Promise<Record<string, number>> {
  const conn = service.orm.em.fork().getConnection();
  const sqlite = service.config.database.kind === 'sqlite';
  const tables: Array<{ name: string }> = await conn.execute(
    sqlite ? `select name from sqlite_master where type = 'table' and name not like 'sqlite_%'` : `select tablename as name from pg_tables where schemaname = current_schema()`,
  );
  const out: Record<string, number> = {};
  for (const { name } of tables) {
    if (name === 'mikro_orm_migrations') continue;
    const [{ n }] = await conn.execute(`select count(*) as n from ${sqlite ? `\`${name}\`` : `"${name}"`}`);
    out[name] = Number(n);
  }
  return out;
}

// SQLite rebuilds a table to alter it; done carelessly that drops rows (or cascades into child
// tables). The newest migration must go down and up again on a full database without losing one.
describe.each([...SUBGRAPH_NAMES])('the newest migration of %s', (name) => {
  test('rolls back and forward on a seeded database without losing a row', async () => {
    const [def] = await loadSubgraphs([name]);
    const db = await testDatabase(`${name}_rows`);
    const service = await createSubgraphService(def, { database: db.target, logLevel: 'silent' });
    try {
      await service.migrate();
      await service.seed(syntheticProvince({ seed: 5, scale: 0.03 }));
      const before = await rowCounts(service);
      expect(Object.values(before).some((n) => n > 0)).toBe(true);
      // A rollback the older schema cannot hold (a value its CHECK does not know) may be refused,
      // as a whole: then every row is still there.
      const rolledBack = await service.orm.migrator.down().then(
        () => true,
        () => false,
      );
      const kept = await rowCounts(service);
      if (rolledBack) await service.orm.migrator.up();
      const after = await rowCounts(service);
      // Tables the newest migration did not create keep every row, down and up.
      for (const table of Object.keys(kept)) {
        expect([table, kept[table]]).toEqual([table, before[table]]);
        expect([table, after[table]]).toEqual([table, before[table]]);
      }
    } finally {
      await service.close();
      await db.drop();
    }
  });
});
