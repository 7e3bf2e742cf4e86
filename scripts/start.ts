// npm start: every subgraph and the gateway on the embedded defaults (SQLite files in data/,
// in-memory cache), seeding the demo province into empty databases first.
// PCMT_POSTGRES_URL / <NAME>_DATABASE_URL switch to PostgreSQL, REDIS_URL to Redis.
import { startFederation } from './lib/federation.js';
import { progressReporter } from './lib/progress.js';

process.env.APOLLO_TELEMETRY_DISABLED = '1';
const started = Date.now();
const federation = await startFederation({
  seed: { seed: Number(process.env.PCMT_SEED ?? 2025), scale: Number(process.env.PCMT_SCALE ?? 1) },
  logLevel: process.env.LOG_LEVEL ?? 'warn',
  progress: (name) => progressReporter(`seed ${name}`),
});
for (const [name, server] of federation.servers) console.log(`  ${name.padEnd(10)} ${server.url}`);
console.log(`\npcmt-graph is up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`Gateway: ${federation.gateway.url}`);
const stop = async () => {
  await federation.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
