// npm start: every subgraph and the gateway on the embedded defaults (SQLite files in data/,
// in-memory cache), seeding the demo province into empty databases first.
// PCMT_POSTGRES_URL / <NAME>_DATABASE_URL switch to PostgreSQL, REDIS_URL to Redis.
import { devTokenClaims, ensureDevKeys, issueToken } from '@pcmt/gateway/dev-keys';
import { DEMO_PROVINCE_CODE, sliceFromEnv, turns } from '@pcmt/kit';
import { startFederation } from './lib/federation.js';
import { helpIfAsked } from './lib/cli.js';
import { progressReporter } from './lib/progress.js';

helpIfAsked(`
npm start — every subgraph and the gateway on this machine, seeding the demo province into empty databases.
Prints the gateway, dashboard and explorer addresses and a development token.

Environment: PCMT_POSTGRES_URL or <NAME>_DATABASE_URL (PostgreSQL instead of SQLite files in data/),
REDIS_URL (Redis instead of the in-memory cache), PCMT_SEED, PCMT_SCALE (the synthetic province),
PCMT_PROVINCES (several named provinces instead: cao-bang,lang-son,quang-ninh,ninh-binh),
LOG_LEVEL, GATEWAY_PORT; see .env.example for the rest.`);

process.env.APOLLO_TELEMETRY_DISABLED = '1';
// One process, one event loop for the gateway and every subgraph: heavy analyst queries take fair
// turns so the dashboard and light queries keep answering (kit turns.ts: 1 ms slices unless
// PCMT_TURN_SLICE_MS says otherwise; off disables), whatever NODE_ENV says.
turns.sliceMs = sliceFromEnv(process.env.PCMT_TURN_SLICE_MS, 'production');
const started = Date.now();
// Without a configured key the demo signs its own development tokens.
const devKeys = process.env.JWT_PUBLIC_KEY || process.env.JWT_JWKS_URL ? null : await ensureDevKeys(process.env.PCMT_DEV_KEYS_DIR ?? 'data/dev-keys');
const federation = await startFederation({
  auth: devKeys ? { publicKeyPem: devKeys.publicPem } : undefined,
  // One demo province unless PCMT_PROVINCES names several (cao-bang,lang-son,quang-ninh,ninh-binh).
  seed: { seed: Number(process.env.PCMT_SEED ?? 2025), scale: Number(process.env.PCMT_SCALE ?? 1), provinces: process.env.PCMT_PROVINCES?.split(',').filter(Boolean) },
  logLevel: process.env.LOG_LEVEL ?? 'warn',
  progress: (name) => progressReporter(`seed ${name}`),
});
for (const [name, server] of federation.servers) console.log(`  ${name.padEnd(12)} ${server.url}`);
console.log(`\npcmt-graph is up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`Gateway: ${federation.gateway.url}`);
if (devKeys) {
  const token = await issueToken(devKeys.privatePem, devTokenClaims('steering-committee', { demoProvince: DEMO_PROVINCE_CODE }));
  const base = federation.gateway.url.replace(/\/graphql$/, '');
  console.log(`Dashboard: ${base}/dashboard`);
  console.log(`Explorer:  ${base}/explorer`);
  console.log(`Sign in:   ${base}/auth/dev (development login: pick a role; production signs in through the province's identity provider)`);
  console.log(`\nDevelopment token (steering committee, 8 h):\n${token}\nMore roles: npm run tokens`);
}
const stop = async () => {
  await federation.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
