import { loadGatewayConfig, startGateway, type AuthConfig, type GatewayConfig, type RunningGateway } from '@pcmt/gateway';
import { createSubgraphService, loadTelemetryConfig, startTelemetry, syntheticProvinces, type DatabaseTarget, type Progress, type RunningServer, type SeedCounts, type SubgraphDefinition, type SubgraphService } from '@pcmt/kit';
import { loadSubgraphs } from './subgraphs.js';
import { SUPERGRAPH_PATH } from './schema.js';

export interface FederationOptions {
  /**
   * Database per subgraph; the environment's choice (SQLite file or PostgreSQL) when omitted. One that
   * already holds data (a copy of a seeded template) is migrated but not seeded again.
   */
  database?: (name: string, def: SubgraphDefinition) => Promise<DatabaseTarget> | DatabaseTarget;
  /** Seed the synthetic province (or the named provinces, `provinces: ['cao-bang', …]`) into every empty subgraph. */
  seed?: { seed: number; scale: number; provinces?: string[] } | false;
  /** 0 = any free port (tests); undefined = each service's configured port. */
  port?: 0;
  logLevel?: string;
  env?: NodeJS.ProcessEnv;
  progress?: (subgraph: string) => Progress;
  /** Overrides of the gateway's token verification (tests and `npm start` pass the dev key). */
  auth?: Partial<AuthConfig>;
}

export interface Federation {
  services: Map<string, SubgraphService>;
  servers: Map<string, RunningServer>;
  gateway: RunningGateway;
  seedCounts: Map<string, SeedCounts>;
  /**
   * Another gateway on the same subgraphs and registry, as a second replica behind a load balancer;
   * `overrides` change its settings (resilience tests compare a control on and off).
   */
  startReplica(overrides?: Partial<GatewayConfig>): Promise<RunningGateway>;
  close(): Promise<void>;
}

/** All six subgraphs and the gateway in one process: `npm start` and the end-to-end tests. */
export async function startFederation(opts: FederationOptions = {}): Promise<Federation> {
  const env = opts.env ?? process.env;
  // One process, one tracer provider for all seven services (idempotent; a test may have started it
  // with its own exporter). Nothing is traced or sent unless OTEL_* configures an exporter.
  await startTelemetry(loadTelemetryConfig('pcmt-graph', env));
  const services = new Map<string, SubgraphService>();
  const servers = new Map<string, RunningServer>();
  const seedCounts = new Map<string, SeedCounts>();
  const provinces = opts.seed ? syntheticProvinces(opts.seed) : [];
  try {
    for (const def of await loadSubgraphs()) {
      const overrides: Record<string, unknown> = {};
      if (opts.database) overrides.database = await opts.database(def.name, def);
      if (opts.logLevel) overrides.logLevel = opts.logLevel;
      const service = await createSubgraphService(def, overrides, env);
      services.set(def.name, service);
      await service.migrate();
      if (provinces.length && (await service.isEmpty())) {
        const counts: SeedCounts = {};
        for (const province of provinces) {
          for (const [table, rows] of Object.entries(await service.seed(province, opts.progress?.(def.name)))) counts[table] = (counts[table] ?? 0) + rows;
        }
        seedCounts.set(def.name, counts);
      }
      servers.set(def.name, await service.listen(opts.port));
    }
    const config = loadGatewayConfig(env);
    const subgraphUrls = Object.fromEntries([...servers].map(([name, s]) => [name, s.url]));
    const gatewayConfig = {
      ...config,
      supergraphPath: env.SUPERGRAPH_PATH ?? SUPERGRAPH_PATH,
      port: opts.port ?? config.port,
      logLevel: opts.logLevel ?? config.logLevel,
      subgraphUrls: { ...subgraphUrls, ...config.subgraphUrls },
      auth: { ...config.auth, ...opts.auth },
    };
    const gateway = await startGateway(gatewayConfig);
    const replicas: RunningGateway[] = [];
    return {
      services,
      servers,
      gateway,
      seedCounts,
      async startReplica(overrides = {}) {
        const replica = await startGateway({ ...gatewayConfig, port: 0, ...overrides });
        replicas.push(replica);
        return replica;
      },
      async close() {
        for (const r of replicas) await r.close();
        await gateway.close();
        for (const s of services.values()) await s.close();
      },
    };
  } catch (err) {
    for (const s of services.values()) await s.close().catch(() => {});
    throw err;
  }
}
