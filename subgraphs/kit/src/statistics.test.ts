import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { probe } from './fixtures/probe.js';
import { createSubgraphService, type SubgraphService } from './service.js';
import { syntheticProvince } from './synthetic/province.js';
import { testDatabase, usingPostgres } from './testing.js';

// Without statistics SQLite guesses its plans, and a province's figures read every province's rows
// (database.ts refreshPlannerStatistics). A seed leaves the planner its statistics on either engine.
describe('planner statistics', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let service: SubgraphService;
  beforeAll(async () => {
    db = await testDatabase('probe');
    service = await createSubgraphService(probe, { database: db.target, logLevel: 'silent' });
    await service.migrate();
  });
  afterAll(async () => {
    await service.close();
    await db.drop();
  });

  const analysed = async (table: string): Promise<boolean> => {
    const connection = service.orm.em.fork().getConnection();
    if (usingPostgres()) {
      const rows = await connection.execute(`select last_analyze from pg_stat_user_tables where relname = ?`, [table]);
      return rows[0]?.last_analyze != null;
    }
    const exists = await connection.execute(`select count(*) as n from sqlite_master where name = 'sqlite_stat1'`);
    if (!Number(exists[0].n)) return false;
    const rows = await connection.execute(`select count(*) as n from sqlite_stat1 where tbl = ?`, [table]);
    return Number(rows[0].n) > 0;
  };

  test('none on a fresh, empty database; kept once a province is seeded', async () => {
    expect(await analysed('known_commune')).toBe(false);
    const counts = await service.seed(syntheticProvince({ seed: 5, scale: 0.05 }));
    expect(counts.known_commune).toBeGreaterThan(0);
    expect(await analysed('known_commune')).toBe(true);
  });

  // JIT compiling a figure statement cost more than running it (database.ts).
  (usingPostgres() ? test : test.skip)('PostgreSQL sessions run without JIT compilation', async () => {
    const connection = service.orm.em.fork().getConnection();
    expect(await connection.execute('show jit')).toEqual([{ jit: 'off' }]);
  });
});
