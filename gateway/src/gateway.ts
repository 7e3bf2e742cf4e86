import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { ApolloServerPluginSchemaReportingDisabled, ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import { InMemoryLRUCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError, parse, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { createVerifier, type Caller } from './auth.js';
import { FallbackCache, RedisLink } from './cache.js';
import { FallbackBulkAccessWatch, MemoryBulkAccessWatch } from './bulk-watch.js';
import type { GatewayConfig } from './config.js';
import { fileSource, PublishedSupergraphManager, registrySource } from './supergraph.js';
import { AccessPolicy } from './access.js';
import { PostgresAuditLog, SqliteAuditLog, type AuditLog } from './audit.js';
import { createMetrics, type Metrics } from './metrics.js';
import { parseDocumentId } from './registry/documents.js';
import { readPurpose } from './purpose.js';
import { CallerLimiter, HeavyQueryGate } from './fair-share.js';
import { OperationIndex, Registry, REGISTRY_CHANNEL } from './registry/registry.js';
import { registryRouter } from './registry/routes.js';
import { publishShippedClients, readBaseline } from './registry/shipped.js';
import { openSql } from './registry/sql.js';
import { SecuredGateway } from './secure.js';
import { DataVersions, markDataChanged, ResponseCache } from './response-cache.js';
import { languageOf, ShapedDataSource, SubgraphTrafficControl, type Language } from './subgraph-client.js';
import { pagesRouter } from './pages.js';
import { subgraphUrlsOf, uploadRouter } from './upload.js';
import { exportTable, tableToCsv, tableToXlsx } from './export.js';
import { createSignIn } from './sign-in.js';
import { metricsRoute, operationTelemetry, startGatewayTelemetry } from './telemetry.js';
import { currentTelemetry, registerServicePort, releaseServicePort, traceFields } from '@pcmt/kit/telemetry';

export interface GatewayContext extends BaseContext {
  requestId: string;
  caller: Caller;
  purpose: string | null;
  /** From Accept-Language: the language of messages the gateway writes itself. */
  language: Language;
}

export interface RunningGateway {
  url: string;
  port: number;
  supergraph: PublishedSupergraphManager;
  registry: Registry;
  /** Expensive ad-hoc queries take turns through it (fair share). */
  heavyGate: HeavyQueryGate;
  audit: AuditLog;
  metrics: Metrics;
  log: Logger;
  /** Each subgraph's concurrency, queue and circuit breaker. */
  traffic: SubgraphTrafficControl;
  /** Stops accepting connections, lets requests under way finish (SHUTDOWN_GRACE_MS at most), then closes pools. */
  close(): Promise<void>;
}

/** Subgraph names, hosts and internal messages never reach a client; the request id ties the error to the logs. */
export function maskGatewayError(log: Logger) {
  return (formatted: GraphQLFormattedError): GraphQLFormattedError => {
    // `response` is what Apollo's data source attaches to a failed HTTP call: the subgraph's URL and body.
    const { serviceName, exception, stacktrace, response, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
    const code = String(extensions.code ?? 'INTERNAL_SERVER_ERROR');
    // SUBGRAPH_* messages are written by the gateway (subgraph-client.ts): an agency and a reason, no internals.
    const safe = ['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'BAD_REQUEST', 'FORBIDDEN', 'UNAUTHENTICATED', 'OPERATION_RESOLUTION_FAILURE', 'PURPOSE_REQUIRED', 'OPERATION_NOT_REGISTERED', 'COST_BUDGET_EXCEEDED', 'AUDIT_UNAVAILABLE', 'SUBGRAPH_UNAVAILABLE', 'SUBGRAPH_TIMEOUT', 'INCOMPLETE_DATA', 'TOO_MANY_REQUESTS'];
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

export async function startGateway(config: GatewayConfig): Promise<RunningGateway> {
  // @apollo/gateway otherwise reports usage to Apollo and probes cloud metadata addresses: this graph's
  // traffic stays in the province's network (an operator who wants it sets the variable to 0/false).
  process.env.APOLLO_TELEMETRY_DISABLED ??= '1';
  // Idempotent: in-process runs (npm start, tests) have started it with the subgraphs.
  await startGatewayTelemetry(config.telemetry);
  // trace_id/span_id beside the requestId, so a log line leads to its trace.
  const log = pino({ name: 'gateway', level: config.logLevel, base: { service: 'gateway' }, mixin: traceFields });
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

  const metrics = createMetrics();
  // Per subgraph, and kept across supergraph updates (which build new data sources).
  const traffic = new SubgraphTrafficControl(config.subgraphs, metrics, log);
  const gateway = new ApolloGateway({
    supergraphSdl: supergraph,
    logger: log as any,
    // The response cache learns from each plan which subgraphs an answer depends on.
    experimental_didResolveQueryPlan: (resolved) => responseCache.onPlan(resolved as any),
    buildService: ({ name, url }) =>
      new ShapedDataSource({ name, url: config.subgraphUrls[name] ?? url ?? '', identitySecret: config.identitySecret, traffic: traffic.of(name), metrics, log }),
  });

  // Redis is optional: the gateway starts without it and uses it whenever it answers.
  const memoryCache = new InMemoryLRUCache<string>({ maxSize: 64 * 1024 * 1024 });
  const redis = config.redisUrl ? new RedisLink(config.redisUrl, log, metrics, config.redisCommandTimeoutMs) : null;
  const cache: KeyValueCache<string> = redis ? new FallbackCache(redis, memoryCache) : memoryCache;
  // Answers, kept apart from APQ entries so they cannot evict them; versions in the registry database.
  const responseMemory = new InMemoryLRUCache<string>({ maxSize: config.responseCache.memoryBytes });
  const responseCache = new ResponseCache({
    store: redis ? new FallbackCache(redis, responseMemory) : responseMemory,
    versions: DataVersions.open(config.registry),
    ttlSeconds: config.responseCache.ttlSeconds,
    policy: () => currentPolicy(),
    // Which subgraphs resolve each field, and their `cache-max-age:` hints.
    supergraph: () => supergraph.current,
    log,
    metrics: metrics.registry,
  });
  // A publish on any replica tells the others at once; polling remains the fallback.
  redis?.subscribe(REGISTRY_CHANNEL, () => {
    metrics.registryNotifications.inc();
    void supergraph.refresh();
  });
  const registryChanged = async () => {
    await supergraph.refresh();
    if (redis) await redis.publish(REGISTRY_CHANNEL, await registry.revision()).catch((err) => log.warn({ err }, 'registry notification not sent'));
  };

  const audit: AuditLog =
    config.audit.kind === 'postgresql'
      ? new PostgresAuditLog(config.audit.url, (err) => log.warn({ err: err.message }, 'audit database connection lost; reconnecting on next use'))
      : new SqliteAuditLog(config.audit.file);
  let policySdl = '';
  let policy = AccessPolicy.fromSupergraph('type Query { _: Int }');
  const heavyGate = new HeavyQueryGate(config.fairShare.heavyConcurrency, config.fairShare.heavyQueue, config.fairShare.heavyMaxWaitMs);
  const callers = new CallerLimiter(config.fairShare.callerConcurrency);
  const currentPolicy = () => {
    if (supergraph.current !== policySdl) {
      policy = AccessPolicy.fromSupergraph(supergraph.current);
      policySdl = supergraph.current;
    }
    return policy;
  };
  const secured = new SecuredGateway(responseCache.wrap(gateway), {
    policy: currentPolicy,
    audit,
    operations: () => operations,
    pseudonymSecret: config.pseudonymSecret,
    adhocCostBudget: config.adhocCostBudget,
    heavyCost: config.fairShare.heavyCost,
    heavyGate,
    bulkAccessThreshold: config.bulkAccessThreshold,
    bulkWatch: redis ? new FallbackBulkAccessWatch(redis) : new MemoryBulkAccessWatch(),
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

  // The API schema in force (it changes when a new supergraph is published): exports name their columns from it.
  let apiSchema: GraphQLSchema | undefined;
  const keepApiSchema: ApolloServerPlugin<GatewayContext> = {
    async serverWillStart() {
      return {
        schemaDidLoadOrUpdate({ apiSchema: schema }) {
          apiSchema = schema;
        },
      };
    },
  };
  const apollo = new ApolloServer<GatewayContext>({
    gateway: secured as any,
    cache,
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    formatError: maskGatewayError(log),
    // The process owner (main.ts) decides when to stop, and close() drains first: Apollo's own
    // handler would stop the server before requests under way are answered.
    stopOnTerminationSignals: false,
    validationRules: armor.validationRules,
    // Compact JSON: Apollo's default indents every answer (a 500-row answer: 3.5 % of the CPU, a third more bytes).
    stringifyResult: (result) => JSON.stringify(result),
    // A government system must not call out to Apollo's services.
    plugins: [...(armor.plugins as ApolloServerPlugin<GatewayContext>[]), ApolloServerPluginUsageReportingDisabled(), ApolloServerPluginSchemaReportingDisabled(), correlationIds(), operationTelemetry({ metrics, operations: () => operations, log }), keepApiSchema],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  // Requests under way, so that close() can wait for them.
  let draining = false;
  let inFlight = 0;
  const idleWaiters: Array<() => void> = [];
  app.use((_req, res, next) => {
    inFlight++;
    metrics.httpInFlight.inc();
    if (draining) res.setHeader('connection', 'close');
    res.once('close', () => {
      inFlight--;
      metrics.httpInFlight.dec();
      if (draining) setImmediate(() => http.closeIdleConnections());
      if (inFlight === 0) idleWaiters.splice(0).forEach((wake) => wake());
    });
    next();
  });
  // Liveness: the process runs. Readiness is /ready.
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Ready when the supergraph is served and the audit and registry databases answer. A subgraph
  // down (partial data is served) or Redis down (optional) is reported but does not fail it.
  app.get('/ready', async (_req, res) => {
    const answers = async (probe: () => Promise<unknown>) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([probe(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), 2000)))]);
        return 'up';
      } catch {
        return 'down';
      } finally {
        clearTimeout(timer);
      }
    };
    const [auditState, registryState] = await Promise.all([answers(() => audit.ping()), answers(() => registry.revision())]);
    const loaded = supergraph.current !== '';
    const ready = !draining && loaded && auditState === 'up' && registryState === 'up';
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : draining ? 'draining' : 'not ready',
      supergraph: loaded ? 'loaded' : 'missing',
      audit: auditState,
      registry: registryState,
      redis: redis ? (redis.up ? 'up' : 'down') : 'not configured',
      subgraphs: traffic.snapshot(),
    });
  });
  // Prometheus scrapes with METRICS_TOKEN; without the token, 401 (this port is the public one).
  app.get('/metrics', metricsRoute(metrics.registry, config.metrics.token));
  const verify = await createVerifier(config.auth);
  const signIn = await createSignIn(config.signIn, log);
  // Every GraphQL call carries a verified token (agency systems) or a signed-in session (people in a
  // browser); nothing is planned or fetched before that.
  const authenticate: express.RequestHandler = async (req, res, next) => {
    const requestId = randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('x-request-id', requestId);
    try {
      const session = req.headers.authorization ? null : await signIn.sessionOf(req);
      // A cookie rides along with requests other sites make: a session is honoured only from this site's own pages.
      if (session && !sameSite(req)) throw new Error('session cookie on a cross-site request');
      res.locals.caller = session ? session.caller : await verify(req.headers.authorization);
    } catch (err) {
      log.info({ requestId, reason: (err as Error).message }, 'unauthenticated request refused');
      res.status(401).json({ errors: [{ message: 'Unauthenticated: a valid bearer token is required', extensions: { code: 'UNAUTHENTICATED', requestId } }] });
      return;
    }
    const purpose = readPurpose(req.headers['x-pcmt-purpose']);
    if (!purpose.ok) {
      res.status(400).json({ errors: [{ message: purpose.reason, extensions: { code: 'BAD_REQUEST', requestId } }] });
      return;
    }
    res.locals.purpose = purpose.purpose;
    next();
  };
  const contextOf = (req: express.Request, res: express.Response): GatewayContext => ({
    requestId: res.locals.requestId,
    caller: res.locals.caller,
    purpose: res.locals.purpose ?? null,
    language: languageOf(req.headers['accept-language']),
  });

  // A query's list as a spreadsheet, for analysts who continue in Excel: POST /export.csv or
  // /export.xlsx (or Accept: text/csv on /graphql) with the usual body; `path` picks the list,
  // `language` (or Accept-Language) the headers and words.
  const exporter = (format: 'csv' | 'xlsx'): express.RequestHandler => async (req, res) => {
    const { query, variables, operationName, path, language } = req.body ?? {};
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
      const lang = language === 'vi' || language === 'en' ? language : languageOf(req.headers['accept-language']);
      const table = exportTable({ data: result.data, errors: result.errors, path: typeof path === 'string' ? path : undefined, query, schema: apiSchema, language: lang });
      res.setHeader('content-disposition', `attachment; filename="pcmt-export.${format}"`);
      if (format === 'csv') res.type('text/csv; charset=utf-8').send(tableToCsv(table, lang));
      else res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await tableToXlsx(table));
    } catch (err) {
      res.status(400).json({ errors: [{ message: (err as Error).message, extensions: { code: 'BAD_REQUEST' } }] });
    }
  };
  const exportCsv = exporter('csv');

  app.use(signIn.router);
  app.use(pagesRouter(config.operationsDir, config.boundariesDir));
  // The officer upload page and its API (upload.ts): the importers run in the subgraphs, as the caller.
  app.use(
    uploadRouter({
      authenticate,
      audit,
      identitySecret: config.identitySecret,
      subgraphUrl: (name) => config.subgraphUrls[name] ?? subgraphUrlsOf(supergraph.current)[name] ?? null,
      dataChanged: (names, changes) => markDataChanged(config.registry, names, changes),
      log,
    }),
  );
  app.post('/export.csv', authenticate, express.json({ limit: config.limits.bodyLimit }), exportCsv);
  app.post('/export.xlsx', authenticate, express.json({ limit: config.limits.bodyLimit }), exporter('xlsx'));
  app.use('/registry', authenticate, express.json({ limit: '4mb' }), registryRouter(registry, registryChanged, log));
  app.use('/graphql', authenticate, (_req, res, next) => {
    // One caller's burst waits for its own answers instead of taking everyone's turn.
    const leave = callers.enter(res.locals.caller.sub);
    if (!leave) {
      metrics.refused.inc({ reason: 'caller_concurrency' });
      res.status(429).setHeader('retry-after', '1');
      res.json({ errors: [{ message: `Too many requests in flight for this caller (at most ${config.fairShare.callerConcurrency}); wait for the answers`, extensions: { code: 'TOO_MANY_REQUESTS', requestId: res.locals.requestId } }] });
      return;
    }
    res.once('close', leave);
    next();
  });
  const parsable = new Set<string>();
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
      // Apollo's APQ answers a hash that does not match its text with an internal error: refuse it here.
      if (id !== null && typeof body.query === 'string' && body.documentId === undefined && createHash('sha256').update(body.query).digest('hex') !== id) {
        res.status(400).json({ errors: [{ message: 'persistedQuery.sha256Hash is not the sha256 of the query', extensions: { code: 'BAD_REQUEST', requestId: res.locals.requestId } }] });
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
      if (req.method !== 'POST' || typeof query !== 'string' || parsable.has(query)) return next();
      try {
        parse(query, { maxTokens: config.limits.maxTokens });
        // Clients send the same few texts again and again: parse each once here (Apollo keeps its own
        // parsed copy); at most 1,000 texts of up to 16 KB are remembered.
        if (query.length <= 16_384) {
          if (parsable.size >= 1000) parsable.delete(parsable.values().next().value!);
          parsable.add(query);
        }
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
  registerServicePort(port, 'gateway');
  let closing: Promise<void> | null = null;
  const drain = async () => {
    draining = true;
    // No new connections; idle keep-alive ones go now, busy ones after their answer.
    const closed = new Promise<void>((resolve) => http.close(() => resolve()));
    http.closeIdleConnections();
    if (inFlight > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([new Promise<void>((wake) => idleWaiters.push(wake)), new Promise<void>((wake) => (timer = setTimeout(wake, config.shutdownGraceMs)))]);
      clearTimeout(timer);
    }
    if (inFlight > 0) log.warn({ cut: inFlight, graceMs: config.shutdownGraceMs }, 'shutdown grace period over; cutting requests still under way');
    http.closeAllConnections();
    await closed;
    await apollo.stop();
    await redis?.close();
    await responseCache.close();
    await audit.close();
    await registry.close();
    releaseServicePort(port);
    // Spans of the last requests leave before the process does.
    await (await currentTelemetry()).flush().catch(() => {});
  };
  return {
    url: `http://${config.host}:${port}/graphql`,
    port,
    supergraph,
    registry,
    heavyGate,
    audit,
    metrics,
    log,
    traffic,
    close() {
      closing ??= drain();
      return closing;
    },
  };
}

/** Whether a request comes from this gateway's own pages: no Origin (same-origin GET, tools) or an Origin on this host. */
function sameSite(req: express.Request): boolean {
  const origin = req.headers.origin;
  if (!origin) return req.headers['sec-fetch-site'] === undefined || req.headers['sec-fetch-site'] === 'same-origin' || req.headers['sec-fetch-site'] === 'none';
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
