import { afterAll, describe, expect, test } from '@jest/globals';
import { randomInt } from 'node:crypto';
import { probe, Tally } from './fixtures/probe.js';
import { createSubgraphService, type SubgraphDefinition } from './service.js';
import { seededTestDatabase } from './testing.js';

describe('seeded test databases (copies of one template per spec and code)', () => {
  let builds = 0;
  const def: SubgraphDefinition = {
    ...probe,
    async seed(em) {
      builds++;
      em.create(Tally, { amount: 7, label: 'seeded' });
      return { tally: 1 };
    },
  };
  // A spec of its own, so this run builds its template (no earlier run's is found).
  const spec = { seed: randomInt(1_000_000, 2_000_000), scale: 0.01 };
  const drops: Array<() => Promise<void>> = [];

  afterAll(async () => {
    for (const drop of drops) await drop();
  });

  const open = async () => {
    const db = await seededTestDatabase(def, spec);
    drops.push(db.drop, db.dropTemplate);
    const service = await createSubgraphService(def, { database: db.target, logLevel: 'silent' });
    await service.migrate();
    return service;
  };

  test('every copy holds the seed, which ran once; a write to one copy is not in the next', async () => {
    const first = await open();
    expect(await first.isEmpty()).toBe(false);
    expect(await first.orm.em.fork().count(Tally, {})).toBe(1);
    // The first copy is changed, as a test would change it.
    await first.orm.em.fork().nativeDelete(Tally, {});
    expect(await first.isEmpty()).toBe(true);
    await first.close();

    const second = await open();
    expect(await second.orm.em.fork().find(Tally, {})).toEqual([expect.objectContaining({ amount: 7, label: 'seeded' })]);
    await second.close();
    expect(builds).toBe(1);
  });
});
