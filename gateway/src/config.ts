import { DEV_IDENTITY_SECRET } from '@pcmt/kit/identity';
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import type { AuthConfig } from './auth.js';
import { DEV_ALG, DEV_AUDIENCE, DEV_ISSUER } from './dev-keys.js';

const envSchema = z.object({
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  GATEWAY_HOST: z.string().default('127.0.0.1'),
  SUPERGRAPH_PATH: z.string().default('schema/supergraph.graphql'),
  /** Seconds between checks of the supergraph file for a newly published version. */
  SUPERGRAPH_POLL_SECONDS: z.coerce.number().positive().default(5),
  /** Redis for APQ and caches; in-memory when unset. */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').optional(),
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  JWT_ISSUER: z.string().default(DEV_ISSUER),
  JWT_AUDIENCE: z.string().default(DEV_AUDIENCE),
  /** Comma-separated allow-list; "none" is refused. */
  JWT_ALGORITHMS: z.string().default(DEV_ALG),
  JWT_PUBLIC_KEY: z.string().optional(),
  JWT_PUBLIC_KEY_FILE: z.string().default('data/dev-keys/jwt-public.pem'),
  JWT_JWKS_URL: z.string().url().optional(),
  /** Shared with the subgraphs: signs the identity the gateway forwards. */
  PCMT_IDENTITY_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Keys analysts' pseudonyms; without it nobody can link a pseudonym back to a citizen ID. */
  PCMT_PSEUDONYM_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** PostgreSQL for the audit log; a SQLite file in PCMT_DATA_DIR otherwise. */
  AUDIT_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL').optional(),
  PCMT_DATA_DIR: z.string().default('data'),
  /** The dashboard's operations, served to the page (they are registered with the other shipped clients). */
  OPERATIONS_DIR: z.string().default('schema/operations'),
  /** PostgreSQL for the registry (client operations, published schemas); the audit database, else a SQLite file in PCMT_DATA_DIR. */
  REGISTRY_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL').optional(),
  /** How often every replica checks the registry for a newly published supergraph or operations (Redis notifies at once). */
  REGISTRY_POLL_MS: z.coerce.number().int().min(50).default(2000),
  /** Register the operation sets shipped in this repository at start (a no-op when already registered). */
  PUBLISH_SHIPPED_OPERATIONS: z.enum(['true', 'false']).default('true'),
  ADHOC_COST_BUDGET: z.coerce.number().int().positive().default(200_000),
  BULK_ACCESS_THRESHOLD: z.coerce.number().int().positive().default(200),
  MAX_DEPTH: z.coerce.number().int().positive().default(12),
  MAX_ALIASES: z.coerce.number().int().positive().default(15),
  MAX_TOKENS: z.coerce.number().int().positive().default(4000),
  MAX_DIRECTIVES: z.coerce.number().int().positive().default(20),
  /** graphql-armor's static cost ceiling for every caller (objects 2, scalars 1, ×1.5 per level). */
  MAX_COST: z.coerce.number().int().positive().default(250_000),
  REQUEST_BODY_LIMIT: z.string().default('256kb'),
});

/** Only for development and tests. */
export const DEV_PSEUDONYM_SECRET = 'pcmt-development-only-pseudonym-secret-do-not-deploy';

export interface GatewayConfig {
  port: number;
  host: string;
  supergraphPath: string;
  supergraphPollSeconds: number;
  redisUrl?: string;
  subgraphTimeoutMs: number;
  production: boolean;
  logLevel: string;
  /** Routing URL per subgraph name, overriding the supergraph's (SUBGRAPH_URL_<NAME>). */
  subgraphUrls: Record<string, string>;
  auth: AuthConfig;
  identitySecret: string;
  pseudonymSecret: string;
  audit: { kind: 'sqlite'; file: string } | { kind: 'postgresql'; url: string };
  operationsDir: string;
  registry: { kind: 'sqlite'; file: string } | { kind: 'postgresql'; url: string };
  registryPollMs: number;
  publishShippedOperations: boolean;
  adhocCostBudget: number;
  bulkAccessThreshold: number;
  limits: { maxDepth: number; maxAliases: number; maxTokens: number; maxDirectives: number; maxCost: number; bodyLimit: string };
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid gateway configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const subgraphUrls: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const m = /^SUBGRAPH_URL_([A-Z0-9_]+)$/.exec(key);
    if (m && value) subgraphUrls[m[1].toLowerCase().replace(/_/g, '-')] = value;
  }
  const production = e.NODE_ENV === 'production';
  if (production && !e.PCMT_IDENTITY_SECRET) throw new Error('Invalid gateway configuration:\n  PCMT_IDENTITY_SECRET: required in production');
  if (production && !e.PCMT_PSEUDONYM_SECRET) throw new Error('Invalid gateway configuration:\n  PCMT_PSEUDONYM_SECRET: required in production');
  if (production && e.JWT_ISSUER === DEV_ISSUER) throw new Error('Invalid gateway configuration:\n  JWT_ISSUER: set the real issuer in production');
  const auth: AuthConfig = {
    issuer: e.JWT_ISSUER,
    audience: e.JWT_AUDIENCE,
    algorithms: e.JWT_ALGORITHMS.split(',').map((a) => a.trim()).filter(Boolean),
    jwksUrl: e.JWT_JWKS_URL,
    publicKeyPem: e.JWT_PUBLIC_KEY ?? (existsSync(e.JWT_PUBLIC_KEY_FILE) ? readFileSync(e.JWT_PUBLIC_KEY_FILE, 'utf8') : undefined),
  };
  if (auth.algorithms.some((a) => a.toLowerCase() === 'none')) throw new Error('Invalid gateway configuration:\n  JWT_ALGORITHMS: "none" is not allowed');
  return {
    auth,
    identitySecret: e.PCMT_IDENTITY_SECRET ?? DEV_IDENTITY_SECRET,
    pseudonymSecret: e.PCMT_PSEUDONYM_SECRET ?? DEV_PSEUDONYM_SECRET,
    audit: e.AUDIT_DATABASE_URL ? { kind: 'postgresql', url: e.AUDIT_DATABASE_URL } : { kind: 'sqlite', file: `${e.PCMT_DATA_DIR}/audit.sqlite` },
    operationsDir: e.OPERATIONS_DIR,
    registry: (e.REGISTRY_DATABASE_URL ?? e.AUDIT_DATABASE_URL) ? { kind: 'postgresql', url: (e.REGISTRY_DATABASE_URL ?? e.AUDIT_DATABASE_URL)! } : { kind: 'sqlite', file: `${e.PCMT_DATA_DIR}/registry.sqlite` },
    registryPollMs: e.REGISTRY_POLL_MS,
    publishShippedOperations: e.PUBLISH_SHIPPED_OPERATIONS === 'true',
    adhocCostBudget: e.ADHOC_COST_BUDGET,
    bulkAccessThreshold: e.BULK_ACCESS_THRESHOLD,
    limits: { maxDepth: e.MAX_DEPTH, maxAliases: e.MAX_ALIASES, maxTokens: e.MAX_TOKENS, maxDirectives: e.MAX_DIRECTIVES, maxCost: e.MAX_COST, bodyLimit: e.REQUEST_BODY_LIMIT },
    port: e.GATEWAY_PORT,
    host: e.GATEWAY_HOST,
    supergraphPath: e.SUPERGRAPH_PATH,
    supergraphPollSeconds: e.SUPERGRAPH_POLL_SECONDS,
    redisUrl: e.REDIS_URL,
    subgraphTimeoutMs: e.SUBGRAPH_TIMEOUT_MS,
    production,
    logLevel: e.LOG_LEVEL,
    subgraphUrls,
  };
}
