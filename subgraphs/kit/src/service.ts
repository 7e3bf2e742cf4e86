import type { MikroORM } from '@mikro-orm/core';
import type { GraphQLSchema } from 'graphql';
import type { NonEmptyArray } from 'type-graphql';
import { loadSubgraphConfig, type SubgraphConfig } from './config.js';
import { emOf, migrate, openOrm, QueryCounter, type Em, type MigrationSets } from './database.js';
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

/** A factory with no side effects until called: tests start every subgraph in-process. */
export async function createSubgraphService(
  def: SubgraphDefinition,
  overrides: Partial<SubgraphConfig> = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<SubgraphService> {
  const config = { ...loadSubgraphConfig(def.name, env), ...overrides };
  const log = createLogger(def.name, config.logLevel);
  const queries = new QueryCounter();
  const orm = await openOrm({ database: config.database, entities: def.entities, migrations: def.migrations, counter: queries });
  checkAreaRules(orm);
  const schema = await buildDefinitionSchema(def);
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
      server = await startSubgraphServer({ name: def.name, schema, orm, log, production: config.production, identitySecret: config.identitySecret }, port, config.host);
      return server;
    },
    async close() {
      await server?.close();
      await orm.close(true);
    },
  };
}

/** `src/main.ts` of every subgraph: migrate, seed the demo province if asked and empty, serve. */
export async function runStandalone(def: SubgraphDefinition, provinceFor: () => SyntheticProvince): Promise<SubgraphService> {
  const service = await createSubgraphService(def);
  await service.migrate();
  if (process.env.PCMT_SEED_IF_EMPTY === '1' && (await service.isEmpty())) {
    const counts = await service.seed(provinceFor());
    service.log.info({ counts }, 'seeded demo province');
  }
  const server = await service.listen();
  service.log.info({ url: server.url }, 'subgraph ready');
  const stop = async () => {
    await service.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return service;
}
