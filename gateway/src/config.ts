import { DEV_IDENTITY_SECRET, isDevelopmentSecret } from '@pcmt/kit/identity';
import { metricsConfigOf, metricsEnvShape, telemetryConfigOf, telemetryEnvShape, type MetricsConfig, type TelemetryConfig } from '@pcmt/kit/telemetry';
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_MAX_TOKEN_AGE_SECONDS, type AuthConfig } from './auth.js';
import { DEV_ALG, DEV_AUDIENCE, DEV_ISSUER } from './dev-keys.js';
import { signInConfigOf, type SignInConfig } from './sign-in.js';

const envSchema = z.object({
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  GATEWAY_HOST: z.string().default('127.0.0.1'),
  SUPERGRAPH_PATH: z.string().default('schema/supergraph.graphql'),
  /** Seconds between checks of the supergraph file for a newly published version. */
  SUPERGRAPH_POLL_SECONDS: z.coerce.number().positive().default(5),
  /** Redis for APQ and caches; in-memory when unset. */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').optional(),
  /** Bounds on each subgraph's traffic; SUBGRAPH_<SETTING>_<NAME> overrides one subgraph (see SUBGRAPH_SETTINGS). */
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  SUBGRAPH_MAX_CONCURRENCY: z.coerce.number().int().positive().default(64),
  SUBGRAPH_MAX_QUEUE: z.coerce.number().int().min(0).default(256),
  SUBGRAPH_RETRIES: z.coerce.number().int().min(0).max(5).default(1),
  /** Consecutive failures that open a subgraph's circuit; 0 never opens it. */
  SUBGRAPH_BREAKER_FAILURES: z.coerce.number().int().min(0).default(5),
  SUBGRAPH_BREAKER_RESET_MS: z.coerce.number().int().positive().default(10_000),
  /** Identical reads from the same caller (same identity, same subgraph request) while one is in flight share its answer. */
  SUBGRAPH_SHARE_IN_FLIGHT: z.enum(['on', 'off']).default('on'),
  /** A request's reads that the plan sends to one subgraph at the same moment go as one call. */
  SUBGRAPH_BATCH_FETCHES: z.enum(['on', 'off']).default('on'),
  /** How long close() lets in-flight requests finish before cutting them. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  /** A Redis command slower than this falls back to memory (Redis is optional). */
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().positive().default(500),
  /** Seconds a response-cache entry lives (it is also dropped by any write to what it read); 0 turns the cache off. Default 60, 0 under NODE_ENV=test. */
  RESPONSE_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).optional(),
  /** Memory for response-cache entries when Redis is not configured or down. */
  RESPONSE_CACHE_MEMORY_MB: z.coerce.number().int().positive().default(64),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  JWT_ISSUER: z.string().default(DEV_ISSUER),
  JWT_AUDIENCE: z.string().default(DEV_AUDIENCE),
  /** Comma-separated allow-list; "none" is refused. */
  JWT_ALGORITHMS: z.string().default(DEV_ALG),
  JWT_PUBLIC_KEY: z.string().optional(),
  JWT_PUBLIC_KEY_FILE: z.string().default('data/dev-keys/jwt-public.pem'),
  JWT_JWKS_URL: z.string().url().optional(),
  /** Longest accepted token lifetime (exp − iat) in seconds. */
  JWT_MAX_TOKEN_AGE_SECONDS: z.coerce.number().int().positive().default(DEFAULT_MAX_TOKEN_AGE_SECONDS),
  /** Shared with the subgraphs: signs the identity the gateway forwards. */
  PCMT_IDENTITY_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Keys analysts' pseudonyms; without it nobody can link a pseudonym back to a citizen ID. */
  PCMT_PSEUDONYM_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** PostgreSQL for the audit log; a SQLite file in PCMT_DATA_DIR otherwise. */
  AUDIT_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL').optional(),
  PCMT_DATA_DIR: z.string().default('data'),
  /** Commune boundaries per province (<code>.geojson, npm run boundaries -- import); PCMT_DATA_DIR/boundaries by default. */
  PCMT_BOUNDARIES_DIR: z.string().optional(),
  /** The dashboard's operations, served to the page (they are registered with the other shipped clients). */
  OPERATIONS_DIR: z.string().default('schema/operations'),
  /** PostgreSQL for the registry (client operations, published schemas); the audit database, else a SQLite file in PCMT_DATA_DIR. */
  REGISTRY_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL').optional(),
  /** How often every replica checks the registry for a newly published supergraph or operations (Redis notifies at once). */
  REGISTRY_POLL_MS: z.coerce.number().int().min(50).default(2000),
  /** Register the operation sets shipped in this repository at start (a no-op when already registered). */
  PUBLISH_SHIPPED_OPERATIONS: z.enum(['true', 'false']).default('true'),
  ADHOC_COST_BUDGET: z.coerce.number().int().positive().default(500_000),
  /** Ad-hoc operations above this cost run a few at a time (HEAVY_QUERY_CONCURRENCY), queued up to HEAVY_QUERY_QUEUE. */
  ADHOC_HEAVY_COST: z.coerce.number().int().positive().default(20_000),
  HEAVY_QUERY_CONCURRENCY: z.coerce.number().int().positive().default(1),
  HEAVY_QUERY_QUEUE: z.coerce.number().int().min(0).default(32),
  HEAVY_QUERY_MAX_WAIT_MS: z.coerce.number().int().positive().default(60_000),
  /** Requests one caller may have in flight at once; more are answered 429. */
  CALLER_MAX_CONCURRENCY: z.coerce.number().int().positive().default(8),
  BULK_ACCESS_THRESHOLD: z.coerce.number().int().positive().default(200),
  MAX_DEPTH: z.coerce.number().int().positive().default(12),
  MAX_ALIASES: z.coerce.number().int().positive().default(15),
  MAX_TOKENS: z.coerce.number().int().positive().default(4000),
  MAX_DIRECTIVES: z.coerce.number().int().positive().default(20),
  /** graphql-armor's static cost ceiling for every caller (objects 2, scalars 1, ×1.5 per level). */
  MAX_COST: z.coerce.number().int().positive().default(250_000),
  REQUEST_BODY_LIMIT: z.string().default('256kb'),
  /** Bearer token for GET /metrics (401 without it); required in production. */
  METRICS_TOKEN: metricsEnvShape.METRICS_TOKEN,
  ...telemetryEnvShape,
});

/** Traffic bounds of one subgraph. */
export interface SubgraphLimits {
  timeoutMs: number;
  maxConcurrency: number;
  maxQueue: number;
  retries: number;
  breakerFailures: number;
  breakerResetMs: number;
  /** Share an identical read's call in flight (SUBGRAPH_SHARE_IN_FLIGHT; one setting for every subgraph). */
  shareInFlight: boolean;
  /** Send a request's parallel reads to this subgraph as one call (SUBGRAPH_BATCH_FETCHES; one setting for every subgraph). */
  batchFetches: boolean;
}

/** Env name of each setting (`SUBGRAPH_<NAME>` the default, `SUBGRAPH_<NAME>_<SUBGRAPH>` one subgraph's) and its minimum. */
const SUBGRAPH_SETTINGS: Array<[Exclude<keyof SubgraphLimits, 'shareInFlight' | 'batchFetches'>, string, number]> = [
  ['timeoutMs', 'TIMEOUT_MS', 1],
  ['maxConcurrency', 'MAX_CONCURRENCY', 1],
  ['maxQueue', 'MAX_QUEUE', 0],
  ['retries', 'RETRIES', 0],
  ['breakerFailures', 'BREAKER_FAILURES', 0],
  ['breakerResetMs', 'BREAKER_RESET_MS', 1],
];

/** `SUBGRAPH_TIMEOUT_MS_LEGAL_AID=2000` → { 'legal-aid': { timeoutMs: 2000 } }; a bad value names its variable. */
function subgraphOverrides(env: NodeJS.ProcessEnv, issues: string[]): Record<string, Partial<SubgraphLimits>> {
  const out: Record<string, Partial<SubgraphLimits>> = {};
  for (const [key, value] of Object.entries(env)) {
    for (const [field, name, min] of SUBGRAPH_SETTINGS) {
      const m = new RegExp(`^SUBGRAPH_${name}_([A-Z0-9_]+)$`).exec(key);
      if (!m || value === undefined || value === '') continue;
      const n = Number(value);
      if (!Number.isInteger(n) || n < min) {
        issues.push(`  ${key}: must be an integer of at least ${min}`);
        continue;
      }
      (out[m[1].toLowerCase().replace(/_/g, '-')] ??= {})[field] = n;
    }
  }
  return out;
}

/** Only for development and tests. */
export const DEV_PSEUDONYM_SECRET = 'pcmt-development-only-pseudonym-secret-do-not-deploy';

export interface GatewayConfig {
  port: number;
  host: string;
  supergraphPath: string;
  supergraphPollSeconds: number;
  redisUrl?: string;
  /** Defaults for every subgraph, and per-subgraph overrides (SUBGRAPH_<SETTING>_<NAME>). */
  subgraphs: { defaults: SubgraphLimits; overrides: Record<string, Partial<SubgraphLimits>> };
  shutdownGraceMs: number;
  redisCommandTimeoutMs: number;
  /** Response cache (response-cache.ts): ttlSeconds 0 = off. */
  responseCache: { ttlSeconds: number; memoryBytes: number };
  production: boolean;
  logLevel: string;
  /** Routing URL per subgraph name, overriding the supergraph's (SUBGRAPH_URL_<NAME>). */
  subgraphUrls: Record<string, string>;
  auth: AuthConfig;
  identitySecret: string;
  pseudonymSecret: string;
  audit: { kind: 'sqlite'; file: string } | { kind: 'postgresql'; url: string };
  operationsDir: string;
  /** Where the dashboard's map finds imported commune boundaries (boundaries.ts). */
  boundariesDir: string;
  registry: { kind: 'sqlite'; file: string } | { kind: 'postgresql'; url: string };
  registryPollMs: number;
  publishShippedOperations: boolean;
  adhocCostBudget: number;
  fairShare: { heavyCost: number; heavyConcurrency: number; heavyQueue: number; heavyMaxWaitMs: number; callerConcurrency: number };
  bulkAccessThreshold: number;
  limits: { maxDepth: number; maxAliases: number; maxTokens: number; maxDirectives: number; maxCost: number; bodyLimit: string };
  /** Traces: exporter and service name (OTEL_*). */
  telemetry: TelemetryConfig;
  /** /metrics on the gateway's port, behind METRICS_TOKEN. */
  metrics: MetricsConfig;
  /** People's sign-in (OIDC, or the development login): sign-in.ts. */
  signIn: SignInConfig;
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid gateway configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const issues: string[] = [];
  const overrides = subgraphOverrides(env, issues);
  if (issues.length) throw new Error(`Invalid gateway configuration:\n${issues.join('\n')}`);
  const subgraphUrls: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const m = /^SUBGRAPH_URL_([A-Z0-9_]+)$/.exec(key);
    if (m && value) subgraphUrls[m[1].toLowerCase().replace(/_/g, '-')] = value;
  }
  const production = e.NODE_ENV === 'production';
  if (production && !e.PCMT_IDENTITY_SECRET) throw new Error('Invalid gateway configuration:\n  PCMT_IDENTITY_SECRET: required in production');
  if (production && !e.PCMT_PSEUDONYM_SECRET) throw new Error('Invalid gateway configuration:\n  PCMT_PSEUDONYM_SECRET: required in production');
  if (production && e.JWT_ISSUER === DEV_ISSUER) throw new Error('Invalid gateway configuration:\n  JWT_ISSUER: set the real issuer in production');
  if (production) {
    // What is in this repository (defaults, `.env.example` placeholders, the key `npm run tokens` signs with) protects nothing.
    const dev: string[] = [];
    if (isDevelopmentSecret(e.PCMT_IDENTITY_SECRET!)) dev.push('  PCMT_IDENTITY_SECRET: a development secret committed to the repository; make one with `openssl rand -hex 32`');
    if (isDevelopmentSecret(e.PCMT_PSEUDONYM_SECRET!)) dev.push('  PCMT_PSEUDONYM_SECRET: a development secret committed to the repository; make one with `openssl rand -hex 32`');
    if (e.PCMT_PSEUDONYM_SECRET === e.PCMT_IDENTITY_SECRET) dev.push('  PCMT_PSEUDONYM_SECRET: must differ from PCMT_IDENTITY_SECRET');
    if (!e.JWT_PUBLIC_KEY && !e.JWT_JWKS_URL && /(^|[\\/])dev-keys[\\/]/.test(e.JWT_PUBLIC_KEY_FILE)) dev.push(`  JWT_PUBLIC_KEY_FILE: ${e.JWT_PUBLIC_KEY_FILE} is the development key; give the identity provider's (JWT_JWKS_URL or JWT_PUBLIC_KEY)`);
    if (dev.length) throw new Error(`Invalid gateway configuration:\n${dev.join('\n')}`);
  }
  const auth: AuthConfig = {
    issuer: e.JWT_ISSUER,
    audience: e.JWT_AUDIENCE,
    algorithms: e.JWT_ALGORITHMS.split(',').map((a) => a.trim()).filter(Boolean),
    jwksUrl: e.JWT_JWKS_URL,
    maxTokenAgeSeconds: e.JWT_MAX_TOKEN_AGE_SECONDS,
    publicKeyPem: e.JWT_PUBLIC_KEY ?? (existsSync(e.JWT_PUBLIC_KEY_FILE) ? readFileSync(e.JWT_PUBLIC_KEY_FILE, 'utf8') : undefined),
  };
  if (auth.algorithms.some((a) => a.toLowerCase() === 'none')) throw new Error('Invalid gateway configuration:\n  JWT_ALGORITHMS: "none" is not allowed');
  // /metrics is on the gateway's public port: production needs the token.
  const metrics = metricsConfigOf({ METRICS_TOKEN: e.METRICS_TOKEN, METRICS_HOST: '127.0.0.1' }, null, { production, tokenRequired: production });
  if (metrics.issues.length) throw new Error(`Invalid gateway configuration:\n${metrics.issues.map((i) => `  ${i}`).join('\n')}`);
  const signIn = signInConfigOf(env, production);
  if (signIn.issues.length) throw new Error(`Invalid gateway configuration:\n${signIn.issues.map((i) => `  ${i}`).join('\n')}`);
  return {
    signIn: signIn.config,
    auth,
    identitySecret: e.PCMT_IDENTITY_SECRET ?? DEV_IDENTITY_SECRET,
    pseudonymSecret: e.PCMT_PSEUDONYM_SECRET ?? DEV_PSEUDONYM_SECRET,
    audit: e.AUDIT_DATABASE_URL ? { kind: 'postgresql', url: e.AUDIT_DATABASE_URL } : { kind: 'sqlite', file: `${e.PCMT_DATA_DIR}/audit.sqlite` },
    operationsDir: e.OPERATIONS_DIR,
    boundariesDir: e.PCMT_BOUNDARIES_DIR ?? `${e.PCMT_DATA_DIR}/boundaries`,
    registry: (e.REGISTRY_DATABASE_URL ?? e.AUDIT_DATABASE_URL) ? { kind: 'postgresql', url: (e.REGISTRY_DATABASE_URL ?? e.AUDIT_DATABASE_URL)! } : { kind: 'sqlite', file: `${e.PCMT_DATA_DIR}/registry.sqlite` },
    registryPollMs: e.REGISTRY_POLL_MS,
    publishShippedOperations: e.PUBLISH_SHIPPED_OPERATIONS === 'true',
    adhocCostBudget: e.ADHOC_COST_BUDGET,
    fairShare: { heavyCost: e.ADHOC_HEAVY_COST, heavyConcurrency: e.HEAVY_QUERY_CONCURRENCY, heavyQueue: e.HEAVY_QUERY_QUEUE, heavyMaxWaitMs: e.HEAVY_QUERY_MAX_WAIT_MS, callerConcurrency: e.CALLER_MAX_CONCURRENCY },
    bulkAccessThreshold: e.BULK_ACCESS_THRESHOLD,
    limits: { maxDepth: e.MAX_DEPTH, maxAliases: e.MAX_ALIASES, maxTokens: e.MAX_TOKENS, maxDirectives: e.MAX_DIRECTIVES, maxCost: e.MAX_COST, bodyLimit: e.REQUEST_BODY_LIMIT },
    port: e.GATEWAY_PORT,
    host: e.GATEWAY_HOST,
    supergraphPath: e.SUPERGRAPH_PATH,
    supergraphPollSeconds: e.SUPERGRAPH_POLL_SECONDS,
    redisUrl: e.REDIS_URL,
    subgraphs: {
      defaults: {
        timeoutMs: e.SUBGRAPH_TIMEOUT_MS,
        maxConcurrency: e.SUBGRAPH_MAX_CONCURRENCY,
        maxQueue: e.SUBGRAPH_MAX_QUEUE,
        retries: e.SUBGRAPH_RETRIES,
        breakerFailures: e.SUBGRAPH_BREAKER_FAILURES,
        breakerResetMs: e.SUBGRAPH_BREAKER_RESET_MS,
        shareInFlight: e.SUBGRAPH_SHARE_IN_FLIGHT === 'on',
        batchFetches: e.SUBGRAPH_BATCH_FETCHES === 'on',
      },
      overrides,
    },
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    redisCommandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS,
    // Off by default in tests: they write to subgraph databases directly and count subgraph statements.
    responseCache: { ttlSeconds: e.RESPONSE_CACHE_TTL_SECONDS ?? (e.NODE_ENV === 'test' ? 0 : 60), memoryBytes: e.RESPONSE_CACHE_MEMORY_MB * 1024 * 1024 },
    production,
    logLevel: e.LOG_LEVEL,
    subgraphUrls,
    telemetry: telemetryConfigOf(e, 'gateway'),
    metrics: metrics.config,
  };
}
