// Traces, metrics and log correlation shared by the gateway and every subgraph.
// Nothing here acts on import: a process calls startTelemetry() (idempotent), and without an
// exporter configured no provider is installed and nothing is sent anywhere.
import { context, propagation, SpanKind, SpanStatusCode, trace, isSpanContextValid, type Attributes, type Span, type TracerProvider } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, SimpleSpanProcessor, TraceIdRatioBasedSampler, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import http from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { timingSafeEqual, createHash } from 'node:crypto';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { z } from 'zod';
import { isDevelopmentSecret } from './identity.js';

export { InMemorySpanExporter, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';

// ---------------------------------------------------------------- configuration

const httpUrl = z.string().regex(/^https?:\/\/[^\s]+$/, 'must be an http:// or https:// URL');

/** The OpenTelemetry variables both the gateway and the subgraphs read (a subset of the spec's). */
export const telemetryEnvShape = {
  /** `true` switches tracing off whatever else is set. */
  OTEL_SDK_DISABLED: z.enum(['true', 'false']).optional(),
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  /** `otlp` or `none`; `otlp` is implied by an endpoint. */
  OTEL_TRACES_EXPORTER: z.enum(['otlp', 'none']).optional(),
  /** Collector base URL; traces go to `<url>/v1/traces`. */
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl.optional(),
  /** Full traces URL; wins over OTEL_EXPORTER_OTLP_ENDPOINT. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: httpUrl.optional(),
  /** Share of new traces recorded (0..1); a caller's sampled traceparent is followed. */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional(),
};

/** The metrics endpoint's protection, read by the gateway and the subgraphs alike. */
export const metricsEnvShape = {
  /** Bearer token every /metrics request must carry; required in production. */
  METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Interface of a separate metrics listener (subgraphs); loopback unless a token protects it. */
  METRICS_HOST: z.string().default('127.0.0.1'),
};

const telemetryEnvSchema = z.object(telemetryEnvShape);
type TelemetryEnv = z.infer<typeof telemetryEnvSchema>;
type MetricsEnv = z.infer<ReturnType<typeof z.object<typeof metricsEnvShape>>>;

export interface TelemetryConfig {
  serviceName: string;
  /** `none`: no tracer provider at all, so no span is made and nothing leaves the process. */
  exporter: 'otlp' | 'none';
  /** Where OTLP/HTTP sends traces, when `exporter` is `otlp`. */
  endpoint: string | null;
  sampleRatio: number;
}

/** The OTLP default when only OTEL_TRACES_EXPORTER=otlp is set (a collector beside the service). */
const DEFAULT_OTLP_TRACES_URL = 'http://localhost:4318/v1/traces';

export function telemetryConfigOf(e: TelemetryEnv, serviceName: string): TelemetryConfig {
  const endpoint = e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (e.OTEL_EXPORTER_OTLP_ENDPOINT ? `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces` : null);
  const wanted = e.OTEL_TRACES_EXPORTER ?? (endpoint ? 'otlp' : 'none');
  const exporter = e.OTEL_SDK_DISABLED === 'true' ? 'none' : wanted;
  return {
    serviceName: e.OTEL_SERVICE_NAME ?? serviceName,
    exporter,
    endpoint: exporter === 'otlp' ? (endpoint ?? DEFAULT_OTLP_TRACES_URL) : null,
    sampleRatio: e.OTEL_TRACES_SAMPLER_ARG ?? 1,
  };
}

/** Tracing settings alone (scripts, tests); the services read them with the rest of their configuration. */
export function loadTelemetryConfig(serviceName: string, env: NodeJS.ProcessEnv = process.env): TelemetryConfig {
  const parsed = telemetryEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid telemetry configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  return telemetryConfigOf(parsed.data, serviceName);
}

export interface MetricsConfig {
  /** null: /metrics on the service's own port answers 401 to everyone. */
  token: string | null;
  host: string;
  /** A separate listener for /metrics; null for none. */
  port: number | null;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/**
 * The metrics settings, or the problems with them (each naming its variable). `tokenRequired`: the
 * service serves /metrics on its public port (the gateway in production); a separate listener needs
 * the token only when it is reachable from other machines.
 */
export function metricsConfigOf(e: MetricsEnv, port: number | null, opts: { production: boolean; tokenRequired: boolean }): { config: MetricsConfig; issues: string[] } {
  const issues: string[] = [];
  if (opts.tokenRequired && !e.METRICS_TOKEN) issues.push('METRICS_TOKEN: required in production (make one with `openssl rand -hex 32`)');
  if (opts.production && e.METRICS_TOKEN && isDevelopmentSecret(e.METRICS_TOKEN)) issues.push('METRICS_TOKEN: a placeholder from the repository; make one with `openssl rand -hex 32`');
  if (port !== null && !e.METRICS_TOKEN && !LOOPBACK.test(e.METRICS_HOST)) issues.push(`METRICS_HOST: ${e.METRICS_HOST} is reachable from other machines; set METRICS_TOKEN or listen on 127.0.0.1`);
  return { config: { token: e.METRICS_TOKEN ?? null, host: e.METRICS_HOST, port }, issues };
}

// ---------------------------------------------------------------- tracing

/** What an instrumentation offers that we use (instrumentation-undici and the like). */
export interface TelemetryInstrumentation {
  instrumentationName: string;
  setTracerProvider(provider: TracerProvider): void;
  enable(): void;
  disable(): void;
}

export interface TelemetryOptions {
  /** Spans go here instead of OTLP (tests: an InMemorySpanExporter); tracing is on whatever the config says. */
  spanExporter?: SpanExporter;
  /**
   * Further instrumentations this process needs, by name (the gateway's `undici`): each is made once,
   * and only when tracing is on, also if that happens after this call.
   */
  instrumentations?: Record<string, () => Promise<TelemetryInstrumentation> | TelemetryInstrumentation>;
}

export interface Telemetry {
  /** Whether spans are recorded (an exporter is configured). */
  readonly enabled: boolean;
  readonly serviceName: string | null;
  /**
   * Sends spans still buffered; services call it when they close. Waits at most `ms`: a collector
   * that does not answer must not eat the shutdown grace period.
   */
  flush(ms?: number): Promise<void>;
}

interface State {
  telemetry: Telemetry;
  provider: BasicTracerProvider | null;
  /** Asked for by any call so far, made once tracing is on. */
  requested: Map<string, () => Promise<TelemetryInstrumentation> | TelemetryInstrumentation>;
  installed: Set<string>;
  undo: Array<() => void>;
}

// On globalThis, so a second copy of this module (a symlinked workspace) shares the one provider.
const STATE = Symbol.for('pcmt.telemetry');
const store = globalThis as unknown as { [STATE]?: Promise<State> };

const DISABLED: Telemetry = { enabled: false, serviceName: null, flush: async () => {} };

/** Paths polled by orchestrators and scrapers: no span for them. */
const QUIET_PATHS = /^\/(health|ready|metrics)(\/|\?|$)/;

/** Which service listens on a local port: in-process runs (npm start, tests) share one provider. */
const servicePorts = new Map<number, string>();
export function registerServicePort(port: number, service: string): void {
  servicePorts.set(port, service);
}
export function releaseServicePort(port: number): void {
  servicePorts.delete(port);
}

/** `POST /graphql`, `GET /dashboard`: the first path segment keeps span names few. */
function nameServerSpan(span: Span, req: IncomingMessage | http.ClientRequest): void {
  if (!(req instanceof http.IncomingMessage) || !req.url) return;
  const route = '/' + (req.url.split('?')[0].split('/')[1] ?? '');
  span.updateName(`${req.method ?? 'GET'} ${route}`);
  span.setAttribute('http.route', route);
  const service = servicePorts.get(req.socket.localPort ?? -1);
  if (service) span.setAttribute('pcmt.service', service);
}

async function setUp(config: TelemetryConfig, options: TelemetryOptions): Promise<State> {
  if (!options.spanExporter && config.exporter === 'none') return { telemetry: DISABLED, provider: null, requested: new Map(), installed: new Set(), undo: [] };
  let exporter = options.spanExporter;
  if (!exporter) {
    // Loaded only when asked for: without an endpoint nothing that could send is even imported.
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    exporter = new OTLPTraceExporter({ url: config.endpoint ?? DEFAULT_OTLP_TRACES_URL });
  }
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.sampleRatio) }),
    // Tests read spans as soon as a request is answered; production batches.
    spanProcessors: [options.spanExporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter)],
  });
  const undo: Array<() => void> = [];
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  undo.push(() => {
    trace.disable();
    propagation.disable();
    context.disable();
  });

  // Incoming requests: a server span per request, continuing the caller's traceparent. The module
  // is patched here rather than through a require hook, which ESM and test runners do not run.
  const { HttpInstrumentation } = await import('@opentelemetry/instrumentation-http');
  const httpInstrumentation = new HttpInstrumentation({
    enabled: false,
    disableOutgoingRequestInstrumentation: true,
    ignoreIncomingRequestHook: (req) => QUIET_PATHS.test(req.url ?? ''),
    // The dashboard's address carries the caller's token (`?token=`): never into a span.
    redactedQueryParamsServer: ['token', 'access_token', 'id_token', 'code', 'sig', 'Signature', 'AWSAccessKeyId', 'X-Goog-Signature'],
    requestHook: nameServerSpan,
  });
  httpInstrumentation.setTracerProvider(provider);
  const definition = httpInstrumentation.getModuleDefinitions().find((d) => d.name === 'http');
  if (definition?.patch) {
    definition.patch(http);
    undo.push(() => definition.unpatch?.(http));
  }

  const telemetry: Telemetry = {
    enabled: true,
    serviceName: config.serviceName,
    async flush(ms = 2_000) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
      await Promise.race([provider.forceFlush().catch(() => {}), late]).finally(() => clearTimeout(timer));
    },
  };
  return { telemetry, provider, requested: new Map(), installed: new Set(), undo };
}

/**
 * Starts tracing for this process: W3C trace context in and out, a span per incoming request, per
 * SQL statement and per root field, sent over OTLP/HTTP when an endpoint is configured. Safe to call
 * more than once (the gateway, each subgraph and `startFederation` all call it): the first call that
 * turns tracing on decides the exporter; later calls add their instrumentations.
 */
export async function startTelemetry(config: TelemetryConfig, options: TelemetryOptions = {}): Promise<Telemetry> {
  const wanted = Boolean(options.spanExporter) || config.exporter !== 'none';
  const pending = (store[STATE] ??= begin(config, options));
  let state = await pending;
  for (const [name, make] of Object.entries(options.instrumentations ?? {})) if (!state.requested.has(name)) state.requested.set(name, make);
  if (!state.telemetry.enabled && wanted) {
    // A call that needs no tracing came first (a subgraph alone, say): this one turns it on, with
    // what the earlier calls asked for.
    if (store[STATE] === pending) {
      const requested = state.requested;
      store[STATE] = begin(config, options).then((next) => {
        for (const [name, make] of requested) if (!next.requested.has(name)) next.requested.set(name, make);
        return next;
      });
    }
    state = await store[STATE]!;
  }
  if (state.provider) {
    for (const [name, make] of state.requested) {
      if (state.installed.has(name)) continue;
      state.installed.add(name);
      const instrumentation = await make();
      instrumentation.setTracerProvider(state.provider);
      instrumentation.enable();
      state.undo.push(() => instrumentation.disable());
    }
  }
  return state.telemetry;
}

/** setUp, forgotten when it fails so that the next call tries again. */
function begin(config: TelemetryConfig, options: TelemetryOptions): Promise<State> {
  const starting = setUp(config, options);
  starting.catch(() => {
    if (store[STATE] === starting) delete store[STATE];
  });
  return starting;
}

/** The running telemetry, or the disabled one. */
export async function currentTelemetry(): Promise<Telemetry> {
  return (await store[STATE])?.telemetry ?? DISABLED;
}

/** Sends what is buffered, removes every patch and global, so a test can start afresh. */
export async function stopTelemetry(): Promise<void> {
  const state = await store[STATE];
  delete store[STATE];
  if (!state) return;
  for (const undo of state.undo.reverse()) undo();
  await state.provider?.shutdown();
}

const tracer = () => trace.getTracer('@pcmt/kit');

/** pino `mixin`: every log line written inside a traced request names its trace and span. */
export function traceFields(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return isSpanContextValid(span.spanContext()) ? { trace_id: traceId, span_id: spanId } : {};
}

/** A statement as the ORM reports it once it has run. */
export interface SqlStatement {
  /** With placeholders: the ORM sends values apart and they never reach a span. */
  sql: string;
  tookMs: number;
  rows?: number;
  failed: boolean;
}

const SQL_OPERATIONS = new Set(['select', 'insert', 'update', 'delete', 'with', 'begin', 'commit', 'rollback', 'savepoint', 'release', 'pragma', 'create', 'alter', 'drop']);

/**
 * `select`, `insert`, … or `other`: a bounded label and the span's name. A statement that starts
 * with common table expressions is named by what follows them (`with t as (…) select …` is a select).
 */
export function sqlOperation(sql: string): string {
  const first = /^\s*([a-z]+)/i.exec(sql)?.[1]?.toLowerCase() ?? 'other';
  if (first === 'with') {
    // The first statement keyword outside every parenthesis (and outside quotes) after the CTEs.
    let depth = 0;
    for (const m of sql.matchAll(/'(?:[^']|'')*'|"(?:[^"]|"")*"|[()]|\b(select|insert|update|delete)\b/gi)) {
      if (m[0] === '(') depth++;
      else if (m[0] === ')') depth--;
      else if (m[1] && depth === 0) return m[1].toLowerCase();
    }
  }
  return SQL_OPERATIONS.has(first) ? first : 'other';
}

/** Quoted literals out, so a hand-written statement with a value in it does not put it in a trace. */
const sanitize = (sql: string) => sql.replace(/'(?:[^']|'')*'/g, "'?'").slice(0, 4000);

/**
 * A client span for one statement, under whatever span is active (the request's). The ORM tells us
 * after the fact how long it took, so the span is drawn back from now.
 */
export function recordSqlSpan(statement: SqlStatement, db: { system: 'sqlite' | 'postgresql'; namespace: string; service: string }): void {
  const active = trace.getActiveSpan();
  if (!active?.isRecording()) return; // no trace under way (start-up, seeding) or tracing off
  const end = Date.now();
  const operation = sqlOperation(statement.sql);
  const attributes: Attributes = {
    'db.system.name': db.system,
    'db.namespace': db.namespace,
    'db.operation.name': operation.toUpperCase(),
    'db.query.text': sanitize(statement.sql),
    'pcmt.service': db.service,
  };
  if (statement.rows !== undefined) attributes['db.response.returned_rows'] = statement.rows;
  const span = tracer().startSpan(`${operation.toUpperCase()} ${db.namespace}`, { kind: SpanKind.CLIENT, startTime: end - statement.tookMs, attributes });
  if (statement.failed) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end(end);
}

// ---------------------------------------------------------------- subgraph metrics

const BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Prometheus metrics of one subgraph (its own registry: several run in one process in tests). */
export function createSubgraphMetrics(subgraph: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ subgraph });
  const registers = [registry];
  return {
    registry,
    rootFields: new Histogram({
      name: 'pcmt_subgraph_root_field_duration_seconds',
      help: "Root fields resolved (rate: _count), by field and outcome; the time of the field's own resolver, nested fields not included",
      labelNames: ['field', 'outcome'],
      buckets: BUCKETS,
      registers,
    }),
    sql: new Histogram({
      name: 'pcmt_subgraph_sql_duration_seconds',
      help: 'SQL statements sent to the database (count: _count), by statement kind and outcome',
      labelNames: ['statement', 'outcome'],
      buckets: BUCKETS,
      registers,
    }),
  };
}

export type SubgraphMetrics = ReturnType<typeof createSubgraphMetrics>;

const WRAPPED = Symbol('pcmt.rootField');

/** `Query._entities` gets the entity type asked for, if the schema has it (a bounded label). */
function rootFieldLabel(schema: GraphQLSchema, typeName: string, fieldName: string, args: Record<string, unknown>): string {
  if (fieldName !== '_entities') return `${typeName}.${fieldName}`;
  const first = (args.representations as Array<{ __typename?: unknown }> | undefined)?.[0]?.__typename;
  return typeof first === 'string' && schema.getType(first) ? `${typeName}._entities:${first}` : `${typeName}._entities`;
}

const isPromise = (v: unknown): v is Promise<unknown> => typeof (v as Promise<unknown>)?.then === 'function';

/**
 * Times every root field of the schema (queries, mutations, `_entities`) into `metrics` and, when
 * tracing, a span around its resolver. `_entities` answers a list of promises: it counts as done
 * when all of them are.
 */
export function instrumentRootFields(schema: GraphQLSchema, metrics: SubgraphMetrics): void {
  for (const type of [schema.getQueryType(), schema.getMutationType()]) {
    if (!type) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
      if ((resolve as unknown as Record<symbol, boolean>)[WRAPPED]) continue;
      const wrapped: GraphQLFieldResolver<unknown, unknown> = (source, args, ctx, info) => {
        const label = rootFieldLabel(schema, type.name, field.name, args);
        const started = performance.now();
        return tracer().startActiveSpan(`resolve ${label}`, { attributes: { 'graphql.field.name': label } }, (span) => {
          const done = (failed: boolean) => {
            metrics.rootFields.observe({ field: label, outcome: failed ? 'error' : 'ok' }, (performance.now() - started) / 1000);
            if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
            span.end();
          };
          try {
            const result = resolve(source, args, ctx, info);
            if (isPromise(result)) {
              result.then(() => done(false), () => done(true));
            } else if (Array.isArray(result) && result.some(isPromise)) {
              void Promise.allSettled(result).then((all) => done(all.some((r) => r.status === 'rejected' || r.value instanceof Error)));
            } else {
              done(result instanceof Error);
            }
            return result;
          } catch (err) {
            done(true);
            throw err;
          }
        });
      };
      (wrapped as unknown as Record<symbol, boolean>)[WRAPPED] = true;
      field.resolve = wrapped;
    }
  }
}

// ---------------------------------------------------------------- the /metrics endpoint

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Whether an Authorization header carries the metrics token (compared in constant time). */
export function metricsAuthorized(authorization: string | undefined, token: string | null): boolean {
  if (!token || !authorization?.startsWith('Bearer ')) return false;
  return timingSafeEqual(digest(authorization.slice(7).trim()), digest(token));
}

/**
 * The answer to GET /metrics: the registry's text for the token's bearer; 401 otherwise. `open`
 * serves without a token (a separate listener on loopback, where only the machine can ask).
 */
export async function answerMetrics(registry: Registry, authorization: string | undefined, token: string | null, open = false): Promise<{ status: number; type: string; body: string; headers: Record<string, string> }> {
  if (!open && !metricsAuthorized(authorization, token)) {
    const why = token ? 'a valid bearer token (METRICS_TOKEN) is required' : 'metrics need METRICS_TOKEN to be set';
    return { status: 401, type: 'application/json', body: JSON.stringify({ error: `Unauthenticated: ${why}` }), headers: { 'www-authenticate': 'Bearer realm="metrics"' } };
  }
  return { status: 200, type: registry.contentType, body: await registry.metrics(), headers: {} };
}

export interface MetricsServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** A listener that answers only GET /metrics: for services whose main server has no such route. */
export async function startMetricsServer(registry: Registry, config: MetricsConfig & { port: number }): Promise<MetricsServer> {
  const open = !config.token && LOOPBACK.test(config.host);
  // Process metrics (memory, event loop) only where someone reads them: each registry adds observers.
  if (!registry.getSingleMetric('process_cpu_seconds_total')) collectDefaultMetrics({ register: registry });
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    answerMetrics(registry, req.headers.authorization, config.token, open).then(
      (a) => res.writeHead(a.status, { 'content-type': a.type, ...a.headers }).end(a.body),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${config.host}:${port}/metrics`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
