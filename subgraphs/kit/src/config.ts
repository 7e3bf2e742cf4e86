import { z } from 'zod';
import { DEV_IDENTITY_SECRET, isDevelopmentSecret } from './identity.js';
import { SUBGRAPHS } from './subgraph-list.js';
import { metricsConfigOf, metricsEnvShape, telemetryConfigOf, telemetryEnvShape, type MetricsConfig, type TelemetryConfig } from './telemetry.js';

/** Environment of one subgraph, validated once at start so a typo fails loudly instead of silently using a default. */
export const subgraphEnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Interface to listen on; 0.0.0.0 inside a container. */
  HOST: z.string().default('127.0.0.1'),
  /** PostgreSQL URL of this subgraph's own database; SQLite file when unset. */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL').optional(),
  /** Server URL shared by all subgraphs; each gets its own database `pcmt_<name>` on it. */
  PCMT_POSTGRES_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL').optional(),
  PCMT_DATA_DIR: z.string().default('data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Shared with the gateway: subgraphs accept only calls whose identity header it signed. */
  PCMT_IDENTITY_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Where replicas share the nonces of answered calls (a call replayed to another replica is refused); this process's memory when unset. */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').optional(),
  /** How long start-up keeps retrying an unreachable database before giving up (0: one attempt). */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(0).default(60_000),
  /** How long a stopping subgraph waits for running requests before cutting them. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  /** A separate listener for /metrics (`<NAME>_METRICS_PORT` first); none when unset. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  ...metricsEnvShape,
  ...telemetryEnvShape,
});


export type DatabaseTarget =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgresql'; url: string; dbName: string };

export interface SubgraphConfig {
  name: string;
  port: number;
  host: string;
  database: DatabaseTarget;
  logLevel: string;
  production: boolean;
  identitySecret: string;
  /** Nonces of signed calls: Redis shared by replicas, or this process's memory. */
  redisUrl: string | null;
  connectTimeoutMs: number;
  shutdownGraceMs: number;
  /** Traces: exporter and service name (OTEL_*). */
  telemetry: TelemetryConfig;
  /** /metrics: its token and its own listener. */
  metrics: MetricsConfig;
}

/** Each subgraph's port when none is configured, from the one list of subgraphs. */
export const DEFAULT_PORTS: Record<string, number> = Object.fromEntries(SUBGRAPHS.map((s) => [s.name, s.port]));

/** `legal-aid` reads `LEGAL_AID_DATABASE_URL` and `LEGAL_AID_PORT` before the generic names. */
export function envPrefix(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, '_') + '_';
}

export function databaseName(name: string): string {
  return `pcmt_${name.replace(/[^a-z0-9]/g, '_')}`;
}

export function loadSubgraphConfig(name: string, env: NodeJS.ProcessEnv = process.env): SubgraphConfig {
  const prefix = envPrefix(name);
  const parsed = subgraphEnvSchema.safeParse({
    ...env,
    PORT: env[`${prefix}PORT`] ?? env.PORT,
    DATABASE_URL: env[`${prefix}DATABASE_URL`] ?? env.DATABASE_URL,
    METRICS_PORT: env[`${prefix}METRICS_PORT`] ?? env.METRICS_PORT,
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration for subgraph ${name}:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  let database: DatabaseTarget;
  if (e.DATABASE_URL) {
    database = { kind: 'postgresql', url: e.DATABASE_URL, dbName: new URL(e.DATABASE_URL).pathname.slice(1) || databaseName(name) };
  } else if (e.PCMT_POSTGRES_URL) {
    const url = new URL(e.PCMT_POSTGRES_URL);
    url.pathname = '/' + databaseName(name);
    database = { kind: 'postgresql', url: url.toString(), dbName: databaseName(name) };
  } else {
    database = { kind: 'sqlite', file: `${e.PCMT_DATA_DIR}/${name}.sqlite` };
  }
  if (e.NODE_ENV === 'production') {
    const refuse = (line: string) => {
      throw new Error(`Invalid configuration for subgraph ${name}:\n  ${line}`);
    };
    if (!e.PCMT_IDENTITY_SECRET) refuse('PCMT_IDENTITY_SECRET: required in production');
    // A secret in this repository signs nothing anybody could not sign: refused wherever it is set.
    if (isDevelopmentSecret(e.PCMT_IDENTITY_SECRET!)) refuse('PCMT_IDENTITY_SECRET: a development secret committed to the repository; make one with `openssl rand -hex 32`');
    // Listening beyond loopback (HOST 0.0.0.0 in a container) is safe only because every call must carry
    // a per-request signature (subgraph, body, nonce, 30 s): there is no switch to turn that off.
  }
  // /metrics is on its own listener here: loopback needs no token, anything wider does.
  const metrics = metricsConfigOf(e, e.METRICS_PORT ?? null, { production: e.NODE_ENV === 'production', tokenRequired: false });
  if (metrics.issues.length) throw new Error(`Invalid configuration for subgraph ${name}:\n${metrics.issues.map((i) => `  ${i}`).join('\n')}`);
  return {
    name,
    port: e.PORT ?? DEFAULT_PORTS[name] ?? 0,
    host: e.HOST,
    database,
    logLevel: e.LOG_LEVEL,
    production: e.NODE_ENV === 'production',
    identitySecret: e.PCMT_IDENTITY_SECRET ?? DEV_IDENTITY_SECRET,
    redisUrl: e.REDIS_URL ?? null,
    connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    telemetry: telemetryConfigOf(e, name),
    metrics: metrics.config,
  };
}
