import { z } from 'zod';

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
  return {
    port: e.GATEWAY_PORT,
    host: e.GATEWAY_HOST,
    supergraphPath: e.SUPERGRAPH_PATH,
    supergraphPollSeconds: e.SUPERGRAPH_POLL_SECONDS,
    redisUrl: e.REDIS_URL,
    subgraphTimeoutMs: e.SUBGRAPH_TIMEOUT_MS,
    production: e.NODE_ENV === 'production',
    logLevel: e.LOG_LEVEL,
    subgraphUrls,
  };
}
