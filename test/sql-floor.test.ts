import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createSubgraphService, syntheticProvince, type RunningServer, type SubgraphService } from '@pcmt/kit';
import { testDatabase } from '@pcmt/kit/testing';
import { executeOn, floorDifferences } from '../scripts/sql-floor/check.js';
import { FLOOR_AGENCIES, loadFloor } from '../scripts/sql-floor/index.js';
import { loadSubgraphs } from '../scripts/lib/subgraphs.js';
import { SUPERGRAPH_PATH } from '../scripts/lib/schema.js';
import { readFileSync } from 'node:fs';

// `npm run bench:peers` compares the dashboard with the same figures written by hand in SQL. A floor
// that counted something else would make that ratio meaningless: each agency's hand-written
// statements must give every cell its subgraph gives (province and communes, five years and the
// one before), on both database engines.
const province = syntheticProvince({ seed: 2025, scale: 0.3 });
const ask = { province: province.province.code, years: [2020, 2021, 2022, 2023, 2024, 2025] };

describe.each([...FLOOR_AGENCIES])('the hand-written SQL floor of %s', (agency) => {
  let service: SubgraphService;
  let server: RunningServer;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const [def] = await loadSubgraphs([agency]);
    const db = await testDatabase(agency, 'sqlfloor');
    drop = db.drop;
    service = await createSubgraphService(def, { database: db.target, logLevel: 'silent' });
    await service.migrate();
    await service.seed(province);
    server = await service.listen(0);
  });

  afterAll(async () => {
    await server?.close();
    await service?.close();
    await drop?.();
  });

  test('gives the figures the subgraph computes, cell for cell', async () => {
    const floor = await loadFloor(agency);
    const postgres = service.config.database.kind === 'postgresql';
    expect(await floorDifferences(floor, service, server.url, { ...ask, postgres })).toEqual([]);
    // Not empty by accident: the seed gives the province figures above 0 in the years asked.
    const cells = await floor.run(executeOn(service), { ...ask, postgres });
    expect([...cells.values.values()].some((m) => [...m.values()].some((v) => typeof v === 'number' && v > 0))).toBe(true);
  });
});

test('the floors together compute every figure the province view requires from the agencies', async () => {
  // `ProvincePeriod.indicators` in the supergraph: the agencies' fields program requires.
  const supergraph = readFileSync(SUPERGRAPH_PATH, 'utf8');
  const type = supergraph.slice(supergraph.indexOf('type ProvincePeriod'));
  const required = /\n\s*indicators:[^\n]*requires: "([^"]+)"/.exec(type.slice(0, type.indexOf('\n}')))?.[1].split(/\s+/) ?? [];
  expect(required.length).toBeGreaterThan(40);
  const floors = await Promise.all(FLOOR_AGENCIES.map(loadFloor));
  const computed = new Set(floors.flatMap((f) => f.province));
  const lists = new Map(floors.flatMap((f) => Object.entries(f.communesWith ?? {}).map(([list, figure]) => [list, f.commune.includes(figure)] as const)));
  // A `…LastYear` field is its figure a year earlier: the floors compute every year asked and the one before.
  const missing = required.filter((field) => !computed.has(field) && !computed.has(field.replace(/LastYear$/, '')) && lists.get(field) !== true);
  expect(missing).toEqual([]);
});
