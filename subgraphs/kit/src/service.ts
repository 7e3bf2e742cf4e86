import type { MikroORM } from '@mikro-orm/core';
import type { GraphQLSchema } from 'graphql';
import type { NonEmptyArray } from 'type-graphql';
import { loadSubgraphConfig, type SubgraphConfig } from './config.js';
import { databaseReadiness, emOf, migrate, openOrm, QueryCounter, refreshPlannerStatistics, StartupError, type Em, type MigrationSets } from './database.js';
import { createLogger, type Logger } from './logger.js';
import { buildFederatedSchema, printSdl, type ReferenceResolvers } from './schema.js';
import { startSubgraphServer, type RunningServer } from './server.js';
import type { SyntheticProvince } from './synthetic/province.js';
import { seedKnownCommunes } from './reference.js';
import type { Importer } from './importing.js';
import { checkAreaRules, communeDirectory } from './area.js';
import { MemoryReplayGuard, RedisReplayGuard, type ReplayGuard } from './identity.js';
import { createSubgraphMetrics, currentTelemetry, instrumentRootFields, registerServicePort, releaseServicePort, sqlOperation, startMetricsServer, startTelemetry, type MetricsServer, type SubgraphMetrics } from './telemetry.js';

export type Progress = (step: string, done: number, total: number) => void;

export type SeedCounts = Record<string, number>;

/** Everything that makes one agency's subgraph; each subgraph's `src/index.ts` exports one. */
export interface SubgraphDefinition {
  name: string;
  entities: Function[];
  resolvers: NonEmptyArray<Function>;
  orphanedTypes?: Function[];
  references?: ReferenceResolvers;
  migrations: MigrationSets;
  /** Rows of this entity mean the database has been seeded. */
  seededWhenAny: Function;
  seed(em: Em, province: SyntheticProvince, progress: Progress): Promise<SeedCounts>;
  /** Spreadsheet imports this agency accepts (`npm run import`). */
  importers?: Importer[];
}

export interface SubgraphService {
  name: string;
  config: SubgraphConfig;
  orm: MikroORM;
  schema: GraphQLSchema;
  queries: QueryCounter;
  log: Logger;
  /** Root fields and SQL statements (Prometheus); served on METRICS_PORT when set. */
  metrics: SubgraphMetrics;
  /** The separate /metrics listener, once `listen()` started it (METRICS_PORT). */
  metricsServer(): MetricsServer | null;
  migrate(): Promise<string[]>;
  isEmpty(): Promise<boolean>;
  seed(province: SyntheticProvince, progress?: Progress): Promise<SeedCounts>;
  listen(port?: number): Promise<RunningServer>;
  close(): Promise<void>;
}

/** Schema only, no database: for printing SDL and composition checks. */
export async function buildDefinitionSchema(def: SubgraphDefinition): Promise<GraphQLSchema> {
  return buildFederatedSchema({ resolvers: def.resolvers, orphanedTypes: def.orphanedTypes, references: def.references });
}

export async function subgraphSdl(def: SubgraphDefinition): Promise<string> {
  return printSdl(await buildDefinitionSchema(def));
}

/**
 * A factory with no side effects until called: tests start every subgraph in-process.
 * It waits for an unreachable database (DATABASE_CONNECT_TIMEOUT_MS) and refuses a damaged
 * SQLite file with a StartupError; `migrate()` refuses a database newer than the code.
 */
export async function createSubgraphService(
  def: SubgraphDefinition,
  overrides: Partial<SubgraphConfig> = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<SubgraphService> {
  const config = { ...loadSubgraphConfig(def.name, env), ...overrides };
  // Idempotent: in-process runs have started it already; a subgraph alone starts it here.
  await startTelemetry(config.telemetry);
  const log = createLogger(def.name, config.logLevel);
  const queries = new QueryCounter();
  const metrics = createSubgraphMetrics(def.name);
  const orm = await openOrm({
    database: config.database,
    entities: def.entities,
    migrations: def.migrations,
    counter: queries,
    service: def.name,
    onStatement: (s) => metrics.sql.observe({ statement: sqlOperation(s.sql), outcome: s.failed ? 'error' : 'ok' }, s.tookMs / 1000),
    connect: { timeoutMs: config.connectTimeoutMs, log },
  });
  let schema: GraphQLSchema;
  try {
    checkAreaRules(orm);
    schema = await buildDefinitionSchema(def);
    instrumentRootFields(schema, metrics);
  } catch (err) {
    await orm.close(true);
    throw err;
  }
  let server: RunningServer | null = null;
  let replay: ReplayGuard | null = null;
  let metricsServer: MetricsServer | null = null;
  return {
    name: def.name,
    config,
    orm,
    schema,
    queries,
    log,
    metrics,
    metricsServer: () => metricsServer,
    migrate: () => migrate(orm),
    async isEmpty() {
      return (await emOf(orm).fork().count(def.seededWhenAny as any, {})) === 0;
    },
    async seed(province, progress = () => {}) {
      const em = emOf(orm).fork();
      const counts = await em.transactional(async (tx) => {
        const known_commune = await seedKnownCommunes(tx, province);
        return { known_commune, ...(await def.seed(tx as Em, province, progress)) };
      });
      await refreshPlannerStatistics(orm, 'seeded');
      return counts;
    },
    async listen(port = config.port) {
      // The first caller's area needs the commune list: read it now, not inside a request.
      await communeDirectory(orm).get();
      replay ??= config.redisUrl ? await redisReplayGuard(def.name, config.redisUrl, log) : new MemoryReplayGuard();
      server = await startSubgraphServer(
        {
          name: def.name,
          schema,
          orm,
          log,
          production: config.production,
          identitySecret: config.identitySecret,
          replay,
          shutdownGraceMs: config.shutdownGraceMs,
          readiness: () => databaseReadiness(orm),
          importers: def.importers,
        },
        port,
        config.host,
      );
      registerServicePort(server.port, def.name);
      if (config.metrics.port !== null && !metricsServer) metricsServer = await startMetricsServer(metrics.registry, { ...config.metrics, port: config.metrics.port });
      return server;
    },
    async close() {
      // Drain first: a write still running needs its database to commit and answer.
      await server?.close();
      if (server) releaseServicePort(server.port);
      await metricsServer?.close();
      await replay?.close?.();
      await orm.close(true);
      // Spans of the last requests leave before the process does.
      await (await currentTelemetry()).flush().catch(() => {});
    },
  };
}

/**
 * Nonces in Redis, shared by the replicas of this subgraph. Redis is optional at run time: the client
 * connects in the background and fails fast while it is away or stalled, when this process's memory
 * decides alone (logged at most once a minute).
 */
async function redisReplayGuard(name: string, url: string, log: Logger): Promise<ReplayGuard> {
  const { createClient } = await import('redis');
  const client = createClient({
    url,
    disableOfflineQueue: true,
    commandOptions: { timeout: 200 },
    socket: { connectTimeout: 2000, reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 3000) },
  });
  client.on('error', () => {});
  client.connect().catch((err: Error) => log.warn({ err: err.message }, 'redis unavailable: nonces kept in memory until it answers'));
  let warnedAt = 0;
  const unavailable = (err: unknown) => {
    if (Date.now() - warnedAt < 60_000) return;
    warnedAt = Date.now();
    log.warn({ err: (err as Error)?.message }, 'redis unavailable: a call replayed to another replica would not be seen');
  };
  return new RedisReplayGuard(client as never, `pcmt:nonce:${name}:`, {
    // A SET answers in well under a millisecond: a stall costs each subgraph in a plan this once, then 5 s of memory.
    timeoutMs: 200,
    onUnavailable: unavailable,
    close: async () => {
      if (client.isReady) await client.close().catch(() => client.destroy());
      else client.destroy();
    },
  });
}

/**
 * `src/main.ts` of every subgraph: migrate, seed the demo province if asked and empty, serve.
 * A database it must not serve stops it with a clear message and exit code 1; SIGTERM or
 * SIGINT drains running requests, closes the database and exits 0.
 */
export async function runStandalone(def: SubgraphDefinition, provinceFor: () => SyntheticProvince): Promise<SubgraphService> {
  let service: SubgraphService | undefined;
  try {
    service = await createSubgraphService(def);
    await service.migrate();
    if (process.env.PCMT_SEED_IF_EMPTY === '1' && (await service.isEmpty())) {
      const counts = await service.seed(provinceFor());
      service.log.info({ counts }, 'seeded demo province');
    }
    const server = await service.listen();
    service.log.info({ url: server.url, metrics: service.metricsServer()?.url }, 'subgraph ready');
  } catch (err) {
    const log = service?.log ?? createLogger(def.name);
    const expected = err instanceof StartupError || (err instanceof Error && err.message.startsWith('Invalid configuration'));
    if (expected) log.fatal(`${def.name} refuses to start: ${(err as Error).message}`);
    else log.fatal({ err }, `${def.name} failed to start`);
    await service?.close().catch(() => {});
    process.exit(1);
  }
  const running = service;
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    // Once: a second signal while draining must not cut what the first one is waiting for.
    if (stopping) return void running.log.warn({ signal }, 'already stopping');
    stopping = true;
    running.log.info({ signal, graceMs: running.config.shutdownGraceMs }, 'stopping: draining requests');
    running.close().then(
      () => process.exit(0),
      (err) => {
        running.log.error({ err }, 'stopping failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return running;
}
