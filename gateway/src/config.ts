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
});

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
