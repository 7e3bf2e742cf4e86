import { describe, expect, test } from '@jest/globals';
import { createSubgraphService } from '@pcmt/kit';
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
