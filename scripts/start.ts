// npm start: every subgraph and the gateway on the embedded defaults (SQLite files in data/,
// in-memory cache), seeding the demo province into empty databases first.
// PCMT_POSTGRES_URL / <NAME>_DATABASE_URL switch to PostgreSQL, REDIS_URL to Redis.
import { devTokenClaims, ensureDevKeys, issueToken } from '@pcmt/gateway/dev-keys';
import { DEMO_PROVINCE_CODE } from '@pcmt/kit';
import { startFederation } from './lib/federation.js';
import { progressReporter } from './lib/progress.js';

process.env.APOLLO_TELEMETRY_DISABLED = '1';
const started = Date.now();
// Without a configured key the demo signs its own development tokens.
const devKeys = process.env.JWT_PUBLIC_KEY || process.env.JWT_JWKS_URL ? null : await ensureDevKeys(process.env.PCMT_DEV_KEYS_DIR ?? 'data/dev-keys');
const federation = await startFederation({
  auth: devKeys ? { publicKeyPem: devKeys.publicPem } : undefined,
  seed: { seed: Number(process.env.PCMT_SEED ?? 2025), scale: Number(process.env.PCMT_SCALE ?? 1) },
  logLevel: process.env.LOG_LEVEL ?? 'warn',
  progress: (name) => progressReporter(`seed ${name}`),
});
for (const [name, server] of federation.servers) console.log(`  ${name.padEnd(10)} ${server.url}`);
console.log(`\npcmt-graph is up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`Gateway: ${federation.gateway.url}`);
if (devKeys) {
  const token = await issueToken(devKeys.privatePem, devTokenClaims('steering-committee', { demoProvince: DEMO_PROVINCE_CODE }));
  const base = federation.gateway.url.replace(/\/graphql$/, '');
  console.log(`Dashboard: ${base}/dashboard?token=${token}`);
  console.log(`Explorer:  ${base}/explorer (paste a token from: npm run tokens -- --role analyst)`);
  console.log(`\nDevelopment token (steering committee, 8 h):\n${token}\nMore roles: npm run tokens`);
}
const stop = async () => {
  await federation.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
