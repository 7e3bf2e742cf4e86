import type { MikroORM } from '@mikro-orm/core';
import type { GraphQLSchema } from 'graphql';
import type { NonEmptyArray } from 'type-graphql';
import { loadSubgraphConfig, type SubgraphConfig } from './config.js';
import { databaseReadiness, emOf, migrate, openOrm, QueryCounter, StartupError, type Em, type MigrationSets } from './database.js';
import { createLogger, type Logger } from './logger.js';
import { buildFederatedSchema, printSdl, type ReferenceResolvers } from './schema.js';
import { startSubgraphServer, type RunningServer } from './server.js';
import type { SyntheticProvince } from './synthetic/province.js';
import { seedKnownCommunes } from './reference.js';
import type { Importer } from './importing.js';
import { checkAreaRules, communeDirectory } from './area.js';

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
  const log = createLogger(def.name, config.logLevel);
  const queries = new QueryCounter();
  const orm = await openOrm({ database: config.database, entities: def.entities, migrations: def.migrations, counter: queries, connect: { timeoutMs: config.connectTimeoutMs, log } });
  let schema: GraphQLSchema;
  try {
    checkAreaRules(orm);
    schema = await buildDefinitionSchema(def);
  } catch (err) {
    await orm.close(true);
    throw err;
  }
  let server: RunningServer | null = null;
  return {
    name: def.name,
    config,
    orm,
    schema,
    queries,
    log,
    migrate: () => migrate(orm),
    async isEmpty() {
      return (await emOf(orm).fork().count(def.seededWhenAny as any, {})) === 0;
    },
    async seed(province, progress = () => {}) {
      const em = emOf(orm).fork();
      return em.transactional(async (tx) => {
        const known_commune = await seedKnownCommunes(tx, province);
        return { known_commune, ...(await def.seed(tx as Em, province, progress)) };
      });
    },
    async listen(port = config.port) {
      // The first caller's area needs the commune list: read it now, not inside a request.
      await communeDirectory(orm).get();
      server = await startSubgraphServer(
        {
          name: def.name,
          schema,
          orm,
          log,
          production: config.production,
          identitySecret: config.identitySecret,
          shutdownGraceMs: config.shutdownGraceMs,
          readiness: () => databaseReadiness(orm),
        },
        port,
        config.host,
      );
      return server;
    },
    async close() {
      // Drain first: a write still running needs its database to commit and answer.
      await server?.close();
      await orm.close(true);
    },
  };
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
    service.log.info({ url: server.url }, 'subgraph ready');
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
