// npm run seed -- [--scale N] [--seed S] [--only police,health] [--reset]
// Fills every subgraph's own database with one deterministic synthetic province.
import { createSubgraphService, syntheticProvince } from '@pcmt/kit';
import { parseArgs } from 'node:util';
import { progressReporter } from './lib/progress.js';
import { loadSubgraphs, SUBGRAPH_NAMES } from './lib/subgraphs.js';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    seed: { type: 'string', default: '2025' },
    only: { type: 'string' },
    reset: { type: 'boolean', default: false },
  },
});
const scale = Number(values.scale);
const seed = Number(values.seed);
if (!(scale > 0 && scale <= 100)) throw new Error(`--scale must be a number in (0, 100], got ${values.scale}`);
if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`);
const only = values.only ? values.only.split(',').map((s) => s.trim()) : [...SUBGRAPH_NAMES];

const t0 = Date.now();
const province = syntheticProvince({ seed, scale });
console.log(`Synthetic province ${province.province.name}: seed ${seed}, scale ${scale}, ${province.communes.length} communes, ${province.persons.length} persons (${Date.now() - t0} ms)`);

const totals: Array<{ subgraph: string; table: string; rows: number }> = [];
for (const def of await loadSubgraphs(only)) {
  const service = await createSubgraphService(def, { logLevel: 'warn' });
  try {
    if (values.reset) {
      await service.orm.schema.drop({ dropMigrationsTable: true });
    }
    await service.migrate();
    if (!(await service.isEmpty())) {
      console.log(`[${def.name}] already has data: skipped (use --reset to replace it)`);
      continue;
    }
    const started = Date.now();
    const counts = await service.seed(province, progressReporter(def.name, process.stdout));
    console.log(`[${def.name}] seeded in ${((Date.now() - started) / 1000).toFixed(1)} s into ${describe(service.config.database)}`);
    for (const [table, rows] of Object.entries(counts)) totals.push({ subgraph: def.name, table, rows });
  } finally {
    await service.close();
  }
}
console.table(totals);
console.log(`Done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

function describe(db: { kind: string; file?: string; dbName?: string }): string {
  return db.kind === 'sqlite' ? `SQLite ${db.file}` : `PostgreSQL database ${db.dbName}`;
}
