// npm run seed -- [--scale N] [--seed S] [--only police,health] [--reset] [--provinces cao-bang,lang-son,quang-ninh,ninh-binh]
// Fills every subgraph's own database with one deterministic synthetic province, or with the
// named provinces (their real number of communes since 1 July 2025, their geography and plans).
import { loadGatewayConfig, markDataChanged } from '@pcmt/gateway';
import { createSubgraphService, PROVINCE_PROFILES, syntheticProvinces, type SeedCounts } from '@pcmt/kit';
import { commandLine } from './lib/cli.js';
import { progressReporter } from './lib/progress.js';
import { loadSubgraphs, SUBGRAPH_NAMES } from './lib/subgraphs.js';

const program = commandLine('seed', "Fill every subgraph's own database with a deterministic synthetic province (or the four seed provinces)")
  .option('--scale <n>', 'size of the province: 1 is about 150 communes of data', '1')
  .option('--seed <n>', 'random seed: the same seed gives the same data', '2025')
  .option('--only <subgraphs>', `only these subgraphs, comma-separated (${SUBGRAPH_NAMES.join(', ')})`)
  .option('--reset', 'drop every table first (the data is lost)', false)
  .option('--provinces <names>', `the named provinces instead of the demo one: ${Object.keys(PROVINCE_PROFILES).join(', ')}`)
  .addHelpText('after', '\nExamples:\n  npm run seed\n  npm run seed -- --scale 0.2 --reset\n  npm run seed -- --provinces cao-bang,lang-son,quang-ninh,ninh-binh');
program.parse();
const values = program.opts<{ scale: string; seed: string; only?: string; reset: boolean; provinces?: string }>();
const fail = (message: string): never => {
  console.error(message);
  process.exit(2);
};
const scale = Number(values.scale);
const seed = Number(values.seed);
if (!(scale > 0 && scale <= 100)) fail(`--scale must be a number in (0, 100], got ${values.scale}`);
if (!Number.isInteger(seed)) fail(`--seed must be an integer, got ${values.seed}`);
const only = values.only ? values.only.split(',').map((s) => s.trim()) : [...SUBGRAPH_NAMES];

const names = values.provinces ? values.provinces.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
for (const name of names ?? []) if (!PROVINCE_PROFILES[name]) fail(`--provinces: unknown province ${name}; known: ${Object.keys(PROVINCE_PROFILES).join(', ')}`);

const t0 = Date.now();
const provinces = syntheticProvinces({ seed, scale, provinces: names });
for (const province of provinces) {
  console.log(`Synthetic province ${province.province.name} (${province.province.code}): seed ${seed}, scale ${scale}, ${province.communes.length} communes, ${province.persons.length} persons`);
}
console.log(`Generated in ${Date.now() - t0} ms`);

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
    const counts: SeedCounts = {};
    for (const province of provinces) {
      for (const [table, rows] of Object.entries(await service.seed(province, progressReporter(`${def.name} ${province.province.name}`, process.stdout)))) counts[table] = (counts[table] ?? 0) + rows;
    }
    console.log(`[${def.name}] seeded in ${((Date.now() - started) / 1000).toFixed(1)} s into ${describe(service.config.database)}`);
    for (const [table, rows] of Object.entries(counts)) totals.push({ subgraph: def.name, table, rows });
  } finally {
    await service.close();
  }
}
console.table(totals);
// Gateways stop serving cached answers from before the seed (it writes to the subgraphs' databases directly).
try {
  await markDataChanged(loadGatewayConfig(process.env).registry, only);
  console.log(`Response cache: ${only.join(', ')} marked changed`);
} catch (err) {
  console.warn(`warning: the gateways' response cache was not told of this seed (${(err as Error).message}); restart them, or wait RESPONSE_CACHE_TTL_SECONDS`);
}
console.log(`Done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

function describe(db: { kind: string; file?: string; dbName?: string }): string {
  return db.kind === 'sqlite' ? `SQLite ${db.file}` : `PostgreSQL database ${db.dbName}`;
}
