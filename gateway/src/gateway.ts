import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { ApolloServerPluginSchemaReportingDisabled, ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import { InMemoryLRUCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError, parse, type GraphQLFormattedError } from 'graphql';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { signIdentity } from '@pcmt/kit/identity';
import { createVerifier, type Caller } from './auth.js';
import { connectRedis, RedisCache, type RedisClient } from './cache.js';
import { MemoryBulkAccessWatch, RedisBulkAccessWatch } from './bulk-watch.js';
import type { GatewayConfig } from './config.js';
import { fileSource, PublishedSupergraphManager, registrySource } from './supergraph.js';
import { AccessPolicy } from './access.js';
import { PostgresAuditLog, SqliteAuditLog, type AuditLog } from './audit.js';
import { createMetrics, type Metrics } from './metrics.js';
import { parseDocumentId } from './registry/documents.js';
import { OperationIndex, Registry } from './registry/registry.js';
import { registryRouter } from './registry/routes.js';
import { publishShippedClients, readBaseline } from './registry/shipped.js';
import { openSql } from './registry/sql.js';
import { SecuredGateway } from './secure.js';
import { pagesRouter, toCsv } from './pages.js';

export interface GatewayContext extends BaseContext {
  requestId: string;
  caller: Caller;
  purpose: string | null;
}

export interface RunningGateway {
  url: string;
  port: number;
  supergraph: PublishedSupergraphManager;
  registry: Registry;
  audit: AuditLog;
  metrics: Metrics;
  log: Logger;
  close(): Promise<void>;
}

/** Subgraph names, hosts and internal messages never reach a client; the request id ties the error to the logs. */
export function maskGatewayError(log: Logger) {
  return (formatted: GraphQLFormattedError): GraphQLFormattedError => {
    const { serviceName, exception, stacktrace, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
    const code = String(extensions.code ?? 'INTERNAL_SERVER_ERROR');
    const safe = ['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'BAD_REQUEST', 'FORBIDDEN', 'UNAUTHENTICATED', 'OPERATION_RESOLUTION_FAILURE', 'PURPOSE_REQUIRED', 'OPERATION_NOT_REGISTERED', 'COST_BUDGET_EXCEEDED', 'AUDIT_UNAVAILABLE'];
    if (safe.includes(code)) return { ...formatted, extensions };
    log.warn({ error: formatted, serviceName }, 'masked error');
    return { message: 'Internal error', path: formatted.path, extensions: { code } };
  };
}

const CLIENT_ERRORS = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE', 'PERSISTED_QUERY_NOT_FOUND']);

/** Every error carries the request id, which is also in the logs. */
function correlationIds(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          const errors = response.body.singleResult.errors;
          response.body.singleResult.errors = errors.map((e) => ({ ...e, extensions: { ...e.extensions, requestId: contextValue.requestId } }));
          // A document refused by a validation plugin is the client's fault: 400, not 500.
          const clientFault = errors.every((e) => CLIENT_ERRORS.has(String(e.extensions?.code)));
          if (clientFault && !response.body.singleResult.data && (response.http.status ?? 500) >= 500) response.http.status = 400;
        },
      };
    },
  };
}

/** Redis channel on which a replica announces a registry change to the others. */
export const REGISTRY_CHANNEL = 'pcmt:registry';

export async function startGateway(config: GatewayConfig): Promise<RunningGateway> {
  const log = pino({ name: 'gateway', level: config.logLevel, base: { service: 'gateway' } });
  // The registry: client applications' operations and published subgraph schemas, shared by every replica.
  const registry = await Registry.open(openSql(config.registry), () => readBaseline(config.supergraphPath));
  if (config.publishShippedOperations) {
    const problems = await publishShippedClients(registry, log);
    if (problems.length) {
      log.error({ problems }, 'shipped operations refused by the registry');
      // Outside production a broken shipped operation is a bug to see at once.
      if (!config.production) {
        await registry.close();
        throw new Error(`shipped operations refused by the registry:\n  ${problems.join('\n  ')}`);
      }
    }
  }
  let operations = OperationIndex.build([]);
  const supergraph = new PublishedSupergraphManager(
    registrySource(registry, fileSource(config.supergraphPath), async () => {
      operations = await registry.operationIndex();
    }),
    Math.min(config.supergraphPollSeconds * 1000, config.registryPollMs),
    log,
  );

  const gateway = new ApolloGateway({
    supergraphSdl: supergraph,
    logger: log as any,
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource<GatewayContext>({
        url: config.subgraphUrls[name] ?? url,
        willSendRequest: ({ request, context }) => {
          if (!context.caller) return; // the gateway's own health checks carry no identity
          const { sub, agency, roles, scopes, communes, province, project } = context.caller;
          const signed = signIdentity({ sub, agency, roles, scopes, communes, province, project, purpose: context.purpose, requestId: context.requestId }, config.identitySecret);
          for (const [name, value] of Object.entries(signed)) request.http?.headers.set(name, value);
          request.http?.headers.set('x-request-id', context.requestId);
        },
      }),
  });

  let redis: RedisClient | null = null;
  let cache: KeyValueCache<string> = new InMemoryLRUCache<string>({ maxSize: 64 * 1024 * 1024 });
  let notifications: RedisClient | null = null;
  if (config.redisUrl) {
    redis = await connectRedis(config.redisUrl);
    cache = new RedisCache(redis);
    // A publish on any replica tells the others at once; polling remains the fallback.
    notifications = redis.duplicate();
    notifications.on('error', (err) => log.warn({ err }, 'registry notifications unavailable; polling'));
    await notifications.connect();
    await notifications.subscribe(REGISTRY_CHANNEL, () => void supergraph.refresh());
  }
  const registryChanged = async () => {
    await supergraph.refresh();
    if (redis) await redis.publish(REGISTRY_CHANNEL, await registry.revision()).catch((err) => log.warn({ err }, 'registry notification not sent'));
  };

  const metrics = createMetrics();
  const audit: AuditLog = config.audit.kind === 'postgresql' ? new PostgresAuditLog(config.audit.url) : new SqliteAuditLog(config.audit.file);
  let policySdl = '';
  let policy = AccessPolicy.fromSupergraph('type Query { _: Int }');
  const secured = new SecuredGateway(gateway, {
    policy: () => {
      if (supergraph.current !== policySdl) {
        policy = AccessPolicy.fromSupergraph(supergraph.current);
        policySdl = supergraph.current;
      }
      return policy;
    },
    audit,
    operations: () => operations,
    pseudonymSecret: config.pseudonymSecret,
    adhocCostBudget: config.adhocCostBudget,
    bulkAccessThreshold: config.bulkAccessThreshold,
    bulkWatch: redis ? new RedisBulkAccessWatch(redis) : new MemoryBulkAccessWatch(),
    log,
    metrics,
  });
  // Limits refuse abusive documents during validation: nothing is planned or fetched for them.
  const armor = new ApolloArmor({
    maxDepth: { n: config.limits.maxDepth },
    maxAliases: { n: config.limits.maxAliases },
    maxTokens: { n: config.limits.maxTokens },
    maxDirectives: { n: config.limits.maxDirectives },
    costLimit: { maxCost: config.limits.maxCost },
    blockFieldSuggestion: { enabled: true },
  }).protect();

  const apollo = new ApolloServer<GatewayContext>({
    gateway: secured as any,
    cache,
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    formatError: maskGatewayError(log),
    validationRules: armor.validationRules,
    // A government system must not call out to Apollo's services.
    plugins: [...(armor.plugins as ApolloServerPlugin<GatewayContext>[]), ApolloServerPluginUsageReportingDisabled(), ApolloServerPluginSchemaReportingDisabled(), correlationIds()],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  const verify = await createVerifier(config.auth);
  // Every GraphQL call carries a verified token; nothing is planned or fetched before that.
  const authenticate: express.RequestHandler = async (req, res, next) => {
    const requestId = randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('x-request-id', requestId);
    try {
      res.locals.caller = await verify(req.headers.authorization);
      next();
    } catch (err) {
      log.info({ requestId, reason: (err as Error).message }, 'unauthenticated request refused');
      res.status(401).json({ errors: [{ message: 'Unauthenticated: a valid bearer token is required', extensions: { code: 'UNAUTHENTICATED', requestId } }] });
    }
  };
  const contextOf = (req: express.Request, res: express.Response): GatewayContext => ({
    requestId: res.locals.requestId,
    caller: res.locals.caller,
    purpose: typeof req.headers['x-pcmt-purpose'] === 'string' ? decodeURIComponent(req.headers['x-pcmt-purpose']).slice(0, 200) : null,
  });

  // CSV of a query's list result, for analysts who continue in a spreadsheet: POST /export.csv
  // (or Accept: text/csv on /graphql) with the usual body; `path` picks the list.
  const exportCsv: express.RequestHandler = async (req, res) => {
    const { query, variables, operationName, path } = req.body ?? {};
    if (typeof query !== 'string') {
      res.status(400).json({ errors: [{ message: 'query is required', extensions: { code: 'BAD_REQUEST' } }] });
      return;
    }
    const response = await apollo.executeOperation({ query, variables, operationName }, { contextValue: contextOf(req, res) });
    const result = response.body.kind === 'single' ? response.body.singleResult : null;
    if (!result?.data) {
      res.status(400).json({ errors: result?.errors ?? [{ message: 'no result' }] });
      return;
    }
    try {
      res.type('text/csv; charset=utf-8').setHeader('content-disposition', 'attachment; filename="pcmt-export.csv"');
      res.send(toCsv(result.data, typeof path === 'string' ? path : undefined));
    } catch (err) {
      res.status(400).json({ errors: [{ message: (err as Error).message, extensions: { code: 'BAD_REQUEST' } }] });
    }
  };

  app.use(pagesRouter(config.operationsDir));
  app.post('/export.csv', authenticate, express.json({ limit: config.limits.bodyLimit }), exportCsv);
  app.use('/registry', authenticate, express.json({ limit: '4mb' }), registryRouter(registry, registryChanged, log));
  app.use('/graphql', authenticate);
  app.use(
    '/graphql',
    express.json({ limit: config.limits.bodyLimit }),
    // A registered document sent by id (GraphQL over HTTP's `documentId`, or Apollo's persisted-query
    // hash) runs as its registered text; whether this caller may run it is decided with the rest.
    (req, res, next) => {
      const body = req.body;
      if (req.method !== 'POST' || !body || typeof body !== 'object') return next();
      const id = parseDocumentId(body.documentId) ?? parseDocumentId(body.extensions?.persistedQuery?.sha256Hash);
      if (body.documentId !== undefined && parseDocumentId(body.documentId) === null) {
        res.status(400).json({ errors: [{ message: 'documentId must be "sha256:" followed by 64 hex digits', extensions: { code: 'BAD_REQUEST', requestId: res.locals.requestId } }] });
        return;
      }
      if (id === null || typeof body.query === 'string') return next();
      const text = operations.body(id);
      if (text !== null) {
        body.query = text;
        delete body.documentId;
        if (body.extensions?.persistedQuery) delete body.extensions.persistedQuery;
        return next();
      }
      // An unknown APQ hash goes on to Apollo's own APQ answer; an unknown documentId stops here.
      if (body.documentId === undefined) return next();
      res.status(404).json({ errors: [{ message: 'No registered document has this id', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', requestId: res.locals.requestId } }] });
    },
    (req, res, next) => (req.method === 'POST' && req.headers.accept?.startsWith('text/csv') ? exportCsv(req, res, next) : next()),
    // Unparsable documents are the client's fault: answer 400 here, before any plugin sees them.
    (req, res, next) => {
      const query = req.body?.query;
      if (req.method !== 'POST' || typeof query !== 'string') return next();
      try {
        parse(query, { maxTokens: config.limits.maxTokens });
        next();
      } catch (err) {
        const message = err instanceof GraphQLError ? err.message : 'Syntax error';
        res.status(400).json({ errors: [{ message, extensions: { code: 'GRAPHQL_PARSE_FAILED', requestId: res.locals.requestId } }] });
      }
    },
    expressMiddleware(apollo, { context: async ({ req, res }) => contextOf(req, res) }),
  );

  // Malformed or oversized bodies get a JSON answer without internals (express would render a stack trace).
  app.use((err: any, req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) return next(err);
    const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) log.error({ err, requestId: res.locals.requestId }, 'request failed');
    const message = status === 413 ? 'Request body too large' : status === 500 ? 'Internal error' : 'Malformed request body';
    res.status(status).json({ errors: [{ message, extensions: { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST', requestId: res.locals.requestId } }] });
  });

  const http = createServer(app);
  await new Promise<void>((resolve) => http.listen(config.port, config.host, resolve));
  const port = (http.address() as AddressInfo).port;
  return {
    url: `http://${config.host}:${port}/graphql`,
    port,
    supergraph,
    registry,
    audit,
    metrics,
    log,
    async close() {
      await new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await apollo.stop();
      await notifications?.quit();
      await redis?.quit();
      await audit.close();
      await registry.close();
    },
  };
}
