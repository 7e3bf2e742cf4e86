import { afterAll, describe, expect, test } from '@jest/globals';
import { SpanKind, trace } from '@opentelemetry/api';
import { graphql, GraphQLError, GraphQLInt, GraphQLList, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadSubgraphConfig } from './config.js';
import {
  createSubgraphMetrics,
  currentTelemetry,
  InMemorySpanExporter,
  instrumentRootFields,
  loadTelemetryConfig,
  metricsAuthorized,
  recordSqlSpan,
  sqlOperation,
  startMetricsServer,
  startTelemetry,
  stopTelemetry,
  traceFields,
  type TelemetryInstrumentation,
} from './telemetry.js';

const TOKEN = 'a-metrics-token-of-more-than-32-characters';

async function until(check: () => boolean, ms = 2000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('condition not reached in time');
}

/** One sample of the Prometheus text, whatever the order of its labels (NaN when absent). */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && want.every((w) => l.slice(l.indexOf('{') + 1, l.indexOf('}')).split(',').includes(w)));
  return line ? Number(line.split(' ').at(-1)) : NaN;
}

afterAll(async () => {
  await stopTelemetry();
});

describe('tracing configuration', () => {
  test('off by default: no exporter, no endpoint', () => {
    expect(loadTelemetryConfig('police', {})).toEqual({ serviceName: 'police', exporter: 'none', endpoint: null, sampleRatio: 1 });
  });

  test('an OTLP endpoint turns it on; the traces endpoint wins; OTEL_SERVICE_NAME renames', () => {
    expect(loadTelemetryConfig('police', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toMatchObject({ exporter: 'otlp', endpoint: 'http://collector:4318/v1/traces' });
    expect(loadTelemetryConfig('police', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://b/traces' }).endpoint).toBe('https://b/traces');
    expect(loadTelemetryConfig('police', { OTEL_TRACES_EXPORTER: 'otlp' })).toMatchObject({ exporter: 'otlp', endpoint: 'http://localhost:4318/v1/traces' });
    expect(loadTelemetryConfig('police', { OTEL_SERVICE_NAME: 'cong-an', OTEL_TRACES_SAMPLER_ARG: '0.25' })).toMatchObject({ serviceName: 'cong-an', sampleRatio: 0.25 });
  });

  test('none and OTEL_SDK_DISABLED win over an endpoint', () => {
    expect(loadTelemetryConfig('police', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' })).toMatchObject({ exporter: 'none', endpoint: null });
    expect(loadTelemetryConfig('police', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' })).toMatchObject({ exporter: 'none', endpoint: null });
  });

  test('a malformed setting is refused with the variable named, also through the subgraph configuration', () => {
    expect(() => loadTelemetryConfig('police', { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT: must be an http/);
    expect(() => loadTelemetryConfig('police', { OTEL_TRACES_EXPORTER: 'jaeger' })).toThrow(/OTEL_TRACES_EXPORTER/);
    expect(() => loadTelemetryConfig('police', { OTEL_TRACES_SAMPLER_ARG: '2' })).toThrow(/OTEL_TRACES_SAMPLER_ARG/);
    expect(() => loadSubgraphConfig('police', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'ftp://x' })).toThrow(/subgraph police:\n.*OTEL_EXPORTER_OTLP_TRACES_ENDPOINT/);
    expect(loadSubgraphConfig('legal-aid', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }).telemetry).toMatchObject({ serviceName: 'legal-aid', exporter: 'otlp' });
  });
});

describe('metrics configuration of a subgraph', () => {
  test('no listener unless METRICS_PORT; the subgraph prefix wins', () => {
    expect(loadSubgraphConfig('legal-aid', {}).metrics).toEqual({ token: null, host: '127.0.0.1', port: null });
    expect(loadSubgraphConfig('legal-aid', { METRICS_PORT: '9100', LEGAL_AID_METRICS_PORT: '9105' }).metrics.port).toBe(9105);
    expect(loadSubgraphConfig('police', { METRICS_PORT: '9100', LEGAL_AID_METRICS_PORT: '9105' }).metrics.port).toBe(9100);
  });

  test('a listener beyond loopback needs the token; on loopback it does not', () => {
    expect(() => loadSubgraphConfig('police', { METRICS_PORT: '9100', METRICS_HOST: '0.0.0.0' })).toThrow(/METRICS_HOST: 0.0.0.0 is reachable from other machines/);
    expect(loadSubgraphConfig('police', { METRICS_PORT: '9100', METRICS_HOST: '0.0.0.0', METRICS_TOKEN: TOKEN }).metrics).toEqual({ token: TOKEN, host: '0.0.0.0', port: 9100 });
    expect(loadSubgraphConfig('police', { METRICS_PORT: '9100' }).metrics.token).toBeNull();
  });

  test('a short token, or in production a placeholder, is refused', () => {
    expect(() => loadSubgraphConfig('police', { METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: must be at least 32 characters/);
    const production = { NODE_ENV: 'production', PCMT_IDENTITY_SECRET: 'b2'.repeat(32) };
    expect(() => loadSubgraphConfig('police', { ...production, METRICS_TOKEN: 'replace-with-openssl-rand-hex-32' })).toThrow(/METRICS_TOKEN: a placeholder/);
    expect(loadSubgraphConfig('police', { ...production, METRICS_TOKEN: 'c3'.repeat(32) }).metrics.token).toBe('c3'.repeat(32));
  });
});

describe('the /metrics endpoint', () => {
  test('only the bearer of the token', () => {
    expect(metricsAuthorized(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(metricsAuthorized(`Bearer ${TOKEN}x`, TOKEN)).toBe(false);
    expect(metricsAuthorized(TOKEN, TOKEN)).toBe(false);
    expect(metricsAuthorized(undefined, TOKEN)).toBe(false);
    // No token configured: nobody.
    expect(metricsAuthorized('Bearer ', null)).toBe(false);
  });

  test('a separate listener: 401 without the token, the registry with it, 404 elsewhere; open on loopback without a token', async () => {
    const metrics = createSubgraphMetrics('police');
    metrics.sql.observe({ statement: 'select', outcome: 'ok' }, 0.002);
    const guarded = await startMetricsServer(metrics.registry, { token: TOKEN, host: '127.0.0.1', port: 0 });
    const open = await startMetricsServer(metrics.registry, { token: null, host: '127.0.0.1', port: 0 });
    try {
      expect((await fetch(guarded.url)).status).toBe(401);
      const ok = await fetch(guarded.url, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(ok.status).toBe(200);
      expect(sample(await ok.text(), 'pcmt_subgraph_sql_duration_seconds_count', { subgraph: 'police', statement: 'select', outcome: 'ok' })).toBe(1);
      expect((await fetch(guarded.url.replace('/metrics', '/graphql'))).status).toBe(404);
      expect((await fetch(open.url)).status).toBe(200);
    } finally {
      await guarded.close();
      await open.close();
    }
  });
});

describe('SQL statements', () => {
  test('named by their operation, a CTE by the statement after it', () => {
    expect(sqlOperation('select * from drug_case where id = ?')).toBe('select');
    expect(sqlOperation('  INSERT into x values (?)')).toBe('insert');
    expect(sqlOperation('with t as (select a from b), u as (select 1) select * from t')).toBe('select');
    expect(sqlOperation('with t as (select "update" from b) update x set a = (select 1)')).toBe('update');
    expect(sqlOperation("with t as (select ')' from b) delete from x")).toBe('delete');
    expect(sqlOperation('vacuum')).toBe('other');
  });
});

describe('root fields', () => {
  const schema = () =>
    new GraphQLSchema({
      query: new GraphQLObjectType({
        name: 'Query',
        fields: {
          answer: { type: GraphQLInt, resolve: async () => 42 },
          broken: { type: GraphQLString, resolve: () => Promise.reject(new GraphQLError('no')) },
          _entities: { type: new GraphQLList(GraphQLString), args: { representations: { type: new GraphQLList(GraphQLString) } }, resolve: () => [Promise.resolve('a'), 'b'] },
        },
      }),
    });

  test('every root field is counted with its outcome, once however often it is wrapped', async () => {
    const metrics = createSubgraphMetrics('program');
    const s = schema();
    instrumentRootFields(s, metrics);
    instrumentRootFields(s, metrics);
    await graphql({ schema: s, source: '{ answer broken _entities }' });
    await new Promise((r) => setImmediate(r));
    const text = await metrics.registry.metrics();
    const count = (field: string, outcome: string) => sample(text, 'pcmt_subgraph_root_field_duration_seconds_count', { subgraph: 'program', field, outcome });
    expect([count('Query.answer', 'ok'), count('Query.broken', 'error'), count('Query._entities', 'ok')]).toEqual([1, 1, 1]);
  });
});

describe('tracing at run time', () => {
  test('with no exporter: no provider, no span, no trace id in logs', async () => {
    const telemetry = await startTelemetry(loadTelemetryConfig('police', {}));
    expect(telemetry.enabled).toBe(false);
    trace.getTracer('t').startActiveSpan('x', (span) => {
      expect(span.isRecording()).toBe(false);
      expect(traceFields()).toEqual({});
      span.end();
    });
  });

  test('an OTLP endpoint receives the spans over HTTP; instrumentations asked for earlier are installed', async () => {
    const received: Array<{ path: string; type: string; body: string }> = [];
    const collector = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ path: req.url ?? '', type: String(req.headers['content-type']), body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
    const enabled: string[] = [];
    const fake = (name: string): TelemetryInstrumentation => ({ instrumentationName: name, setTracerProvider: () => {}, enable: () => enabled.push(name), disable: () => {} });
    try {
      // Asked for while tracing is off (the call above): made only once it is on.
      await startTelemetry(loadTelemetryConfig('police', {}), { instrumentations: { early: () => fake('early') } });
      expect(enabled).toEqual([]);
      const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/v1/traces`;
      const telemetry = await startTelemetry(loadTelemetryConfig('police', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: endpoint }), { instrumentations: { late: () => fake('late') } });
      expect(telemetry).toMatchObject({ enabled: true, serviceName: 'police' });
      // Idempotent: a second call changes nothing and makes nothing twice.
      expect(await startTelemetry(loadTelemetryConfig('other', {}), { instrumentations: { late: () => fake('late') } })).toBe(telemetry);
      expect(enabled.sort()).toEqual(['early', 'late']);
      expect(await currentTelemetry()).toBe(telemetry);

      trace.getTracer('t').startActiveSpan('request', (span) => {
        expect(traceFields()).toEqual({ trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId });
        recordSqlSpan({ sql: "select * from person where citizen_id = 'x' and id = ?", tookMs: 3, rows: 1, failed: false }, { system: 'sqlite', namespace: 'police.sqlite', service: 'police' });
        span.end();
      });
      await telemetry.flush();
      expect(received.length).toBeGreaterThan(0);
      expect(received[0]).toMatchObject({ path: '/v1/traces' });
      const body = received.map((r) => r.body).join('');
      expect(body).toContain('SELECT police.sqlite');
      expect(body).toContain("citizen_id = '?'");
      expect(body).not.toContain("'x'");
    } finally {
      await stopTelemetry();
      collector.close();
    }
  });

  test('an incoming request: a server span continuing the caller\'s traceparent, no token in it, none for /health', async () => {
    const exporter = new InMemorySpanExporter();
    await startTelemetry(loadTelemetryConfig('police', {}), { spanExporter: exporter });
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      await (await fetch(`${base}/health`)).text();
      await (await fetch(`${base}/dashboard/page?token=eyJsecret&lang=en`, { headers: { traceparent } })).text();
      await until(() => exporter.getFinishedSpans().length > 0);
      const spans = exporter.getFinishedSpans();
      expect(spans).toHaveLength(1);
      expect(spans[0]).toMatchObject({ name: 'GET /dashboard', kind: SpanKind.SERVER });
      expect(spans[0].spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
      expect(spans[0].parentSpanContext?.spanId).toBe('b7ad6b7169203331');
      expect(JSON.stringify(spans[0].attributes)).not.toContain('eyJsecret');
    } finally {
      server.close();
      await stopTelemetry();
    }
  });

  test('an SQL span hangs under the active span, drawn back by its duration', async () => {
    const exporter = new InMemorySpanExporter();
    await startTelemetry(loadTelemetryConfig('police', {}), { spanExporter: exporter });
    try {
      trace.getTracer('t').startActiveSpan('request', (span) => {
        recordSqlSpan({ sql: 'update drug_case set status = ? where id = ?', tookMs: 40, failed: true }, { system: 'postgresql', namespace: 'pcmt_police', service: 'police' });
        span.end();
      });
      // Outside any request (start-up, seeding): no span.
      recordSqlSpan({ sql: 'select 1', tookMs: 1, failed: false }, { system: 'postgresql', namespace: 'pcmt_police', service: 'police' });
      const [sql, request] = exporter.getFinishedSpans();
      expect(exporter.getFinishedSpans()).toHaveLength(2);
      expect(sql).toMatchObject({ name: 'UPDATE pcmt_police', kind: SpanKind.CLIENT, status: { code: 2 } });
      expect(sql.attributes).toMatchObject({ 'db.system.name': 'postgresql', 'db.operation.name': 'UPDATE', 'pcmt.service': 'police' });
      expect(sql.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
      const ms = (sql.duration[0] * 1e9 + sql.duration[1]) / 1e6;
      expect(ms).toBeGreaterThanOrEqual(39);
    } finally {
      await stopTelemetry();
    }
  });
});
